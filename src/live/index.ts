// Live capture: our own N-API binding over libpcap (native/vrrpcap.c), loaded lazily so that -r and
// check -r work where it was never built. Frames reach a FrameSink with kernel timestamps, one JS call per
// poll wakeup (a batch), never one native->JS call per packet.
import { createRequire } from 'node:module';
import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { VrrpwatchError } from '../errors.js';
import type { FrameSink } from '../decode/packet.js';
import type { LiveOptions, LiveSession, LiveStats } from '../capture/types.js';
import { resolveFilter } from './filter.js';
import { bindingCandidates, buildCommand, notBuiltLine } from './binding-path.js';

export { DEFAULT_FILTER, defaultFilter, resolveFilter } from './filter.js';

/** Opaque native handle (properties set by native/vrrpcap.c js_open). */
interface NativeHandle { readonly linktype: number; readonly nano: boolean; readonly snaplen: number; readonly warning: string | null }

export interface InterfaceAddress { addr: string | null; netmask: string | null; broadaddr: string | null; dstaddr: string | null }
export interface InterfaceInfo {
  name: string;
  description: string | null;
  flags: number;
  loopback: boolean;
  up: boolean;
  running: boolean;
  wireless: boolean;
  connection: 'unknown' | 'connected' | 'disconnected' | 'not-applicable';
  addresses: InterfaceAddress[];
}

/** The native module's surface (see the comment at the top of native/vrrpcap.c). */
export interface Binding {
  open(iface: string, o: { snaplen: number; promisc: boolean; immediate: boolean; bufferSize: number; timeoutMs?: number }): NativeHandle;
  setFilter(h: NativeHandle, expr: string): void;
  start(h: NativeHandle, batch: Buffer, cb: (count: number, used: number | string) => void): void;
  stats(h: NativeHandle): LiveStats;
  /** drain (default true): first hand what is already in the kernel ring to the callback. */
  close(h: NativeHandle, drain?: boolean): void;
  /** Send one whole frame through the handle (pcap_inject); only --probe-vip uses it. */
  inject?(h: NativeHandle, frame: Buffer): number;
  listInterfaces(): InterfaceInfo[];
  compileFilter(linktype: number, snaplen: number, expr: string): string;
  libVersion(): string;
}

let cached: Binding | null = null;

/** Whether this process may read the file: 'no' when it (or a folder on its path) is absent. */
function readable(p: string): 'yes' | 'no' | 'denied' {
  try {
    accessSync(p, fsConstants.R_OK);
    return 'yes';
  } catch (e) {
    const c = code(e);
    return c === 'EACCES' || c === 'EPERM' ? 'denied' : 'no';
  }
}

function userName(): string {
  try { return userInfo().username; } catch { return `uid ${process.getuid?.() ?? '?'}`; }
}

/** Loads the binding once. Throws VrrpwatchError('binding') saying how to build it. */
export function loadBinding(): Binding {
  if (cached) return cached;
  const paths = bindingCandidates();
  const found = paths.find((p) => readable(p) === 'yes');
  if (found === undefined) {
    // built, but this user may not read it (a root-built checkout with umask 077, a service user):
    // saying "not built" would send them to rebuild something that is there
    const denied = paths.find((p) => readable(p) === 'denied');
    if (denied !== undefined) {
      throw new VrrpwatchError('binding', `cannot read the libpcap binding at ${denied} as ${userName()} (permission denied): ` +
        'make the vrrpwatch folder readable by this user (chmod -R a+rX), or run vrrpwatch as a user who can read it');
    }
    throw new VrrpwatchError('binding', notBuiltLine());
  }
  try {
    cached = createRequire(import.meta.url)(found) as Binding;
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    throw new VrrpwatchError('binding', `the libpcap binding at ${found} does not load (${why}): rebuild it with ${buildCommand()}`);
  }
  return cached;
}

function code(e: unknown): string {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    ? (e as { code: string }).code : '';
}
function text(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
}

/** pcap_datalink() gives DLT_* values; capture files and the decoder use LINKTYPE_* values. They are the same
 *  numbers except for a few historical ones, of which only raw IP matters on a live Linux interface (tun, wg). */
export function dltToLinktype(dlt: number): number {
  if (dlt === 12 || dlt === 14) return 101;     // DLT_RAW (12; 14 on OpenBSD) -> LINKTYPE_RAW
  return dlt;
}

/** Lists capture interfaces (`-D`). */
export function listInterfaces(): InterfaceInfo[] {
  const b = loadBinding();
  try {
    return b.listInterfaces();
  } catch (e) {
    throw new VrrpwatchError('permission', `cannot list interfaces: ${text(e)}`);
  }
}

/** tcpdump -D style lines: `1.eth0 [Up, Running, Connected]`. */
export function formatInterfaceList(list: InterfaceInfo[]): string {
  return list.map((d, i) => {
    const f: string[] = [];
    if (d.up) f.push('Up');
    if (d.running) f.push('Running');
    if (d.wireless) f.push('Wireless');
    if (d.loopback) f.push('Loopback');
    if (d.connection === 'connected') f.push('Connected');
    else if (d.connection === 'disconnected') f.push('Disconnected');
    const desc = d.description !== null ? ` (${d.description})` : '';
    return `${i + 1}.${d.name}${desc}${f.length > 0 ? ` [${f.join(', ')}]` : ''}`;
  }).join('\n');
}

function interfaceNames(b: Binding): string {
  try {
    const names = b.listInterfaces().map((d) => d.name);
    return names.length > 0 ? names.join(', ') : 'none found';
  } catch {
    return 'cannot list them';
  }
}

const SETCAP_HINT = 'run as root, or grant CAP_NET_RAW and CAP_NET_ADMIN to the node binary: ' +
  'sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which node))';

/** Validates a BPF expression for a link type without opening anything (pcap_open_dead); returns the program
 *  as text (as `tcpdump -d` prints it). Throws VrrpwatchError('filter'). */
export function compileFilter(expr: string, linktype = 1, snaplen = 262144): string {
  const b = loadBinding();
  try {
    return b.compileFilter(linktype, snaplen, expr);
  } catch (e) {
    throw new VrrpwatchError('filter', `bad filter expression "${expr}": ${text(e)}`);
  }
}

/** A live session: the LiveSession contract plus what the binding reports about itself. */
export interface LiveCapture extends LiveSession {
  /** Timestamps are nanoseconds from the kernel (else microseconds scaled to ns). */
  readonly nano: boolean;
  readonly snaplen: number;
  /** The BPF expression actually installed (the default follows the link type). */
  readonly filter: string;
  /** libpcap's activation warning (e.g. promiscuous mode not supported), or null. */
  readonly warning: string | null;
  /** Called when the capture fails after it started (interface gone); without it the error is thrown. */
  onError: ((e: VrrpwatchError) => void) | null;
  readonly closed: boolean;
  /** Send one frame on the interface (--probe-vip only). Throws VrrpwatchError: 'permission' when this
   *  process may capture but not send, 'interface' otherwise. */
  inject(frame: Buffer): void;
}

const MAX_SNAPLEN = 262144;
const RECORD_HEADER = 16;
/** Default batch buffer: 1 MiB holds ~13000 adverts (76 B records) per wakeup. */
const MIN_BATCH = 1 << 20;

class Session implements LiveCapture {
  readonly linktype: number;
  readonly nano: boolean;
  readonly snaplen: number;
  readonly filter: string;
  readonly warning: string | null;
  onError: ((e: VrrpwatchError) => void) | null = null;
  private h: NativeHandle;
  private isClosed = false;
  /** onBatch is delivering: a close() now comes from the sink. */
  private inBatch = false;
  private started = false;
  private lastStats: LiveStats = { received: 0, dropped: 0, ifDropped: 0 };
  private batch: Buffer | null = null;
  private words: Uint32Array | null = null;
  private sink: FrameSink | null = null;

  constructor(private readonly b: Binding, private readonly iface: string, h: NativeHandle, filter: string,
              private readonly batchBytes: number) {
    this.h = h;
    this.linktype = dltToLinktype(h.linktype);
    this.nano = h.nano;
    this.snaplen = h.snaplen;
    this.filter = filter;
    this.warning = h.warning;
  }

  get closed(): boolean { return this.isClosed; }

  start(sink: FrameSink): void {
    if (this.isClosed) throw new VrrpwatchError('internal', 'live capture already closed');
    if (this.started) throw new VrrpwatchError('internal', 'live capture already started');
    this.started = true;
    this.sink = sink;
    const size = Math.max(8192, this.batchBytes, RECORD_HEADER + ((this.snaplen + 3) & ~3)) & ~3;
    // Buffer.alloc of this size is never a pooled slice: byteOffset 0, so the Uint32Array view lines up.
    this.batch = Buffer.alloc(size);
    this.words = new Uint32Array(this.batch.buffer, this.batch.byteOffset, size >>> 2);
    this.b.start(this.h, this.batch, this.onBatch);
  }

  /** Called by the binding once per wakeup (or when the batch buffer is full). Hot path: no allocation. */
  private readonly onBatch = (count: number, used: number | string): void => {
    if (count < 0) { this.fail(String(used)); return; }
    const buf = this.batch!, w = this.words!, sink = this.sink!, lt = this.linktype;
    const scale = this.nano ? 1 : 1000;
    let off = 0;
    // One try per batch, not per frame: a sink that fails (the -w file's disk full, a closed pipe)
    // ends the capture through onError like any capture failure, so the summary is still printed.
    this.inBatch = true;
    try {
      for (let i = 0; i < count; i++) {
        if (this.isClosed) return;               // e.g. -c N reached inside sink.frame
        const k = off >>> 2;
        const caplen = w[k + 2]!;
        sink.frame(buf, off + RECORD_HEADER, caplen, w[k + 3]!, w[k]!, w[k + 1]! * scale, lt);
        off += RECORD_HEADER + ((caplen + 3) & ~3);
      }
      if (!this.isClosed && sink.batchEnd !== undefined) sink.batchEnd();
    } catch (e) {
      this.failWith(e instanceof VrrpwatchError ? e : new VrrpwatchError('internal', `capture on ${this.iface} stopped: ${text(e)}`));
    } finally {
      this.inBatch = false;
    }
  };

  private fail(msg: string): void {
    this.failWith(new VrrpwatchError('interface', `capture on ${this.iface} stopped: ${msg.replace(/\s+/g, ' ').trim()}`));
  }

  private failWith(err: VrrpwatchError): void {
    this.close();
    if (this.onError) this.onError(err);
    else throw err;
  }

  inject(frame: Buffer): void {
    if (this.isClosed) throw new VrrpwatchError('internal', 'live capture already closed');
    if (this.b.inject === undefined) throw new VrrpwatchError('binding', `the libpcap binding cannot send: rebuild it with ${buildCommand()}`);
    try {
      this.b.inject(this.h, frame);
    } catch (e) {
      if (code(e) === 'EPERM') throw new VrrpwatchError('permission', `no permission to send probes on ${this.iface} (${text(e)}): ${SETCAP_HINT}`);
      throw new VrrpwatchError('interface', `cannot send a probe on ${this.iface}: ${text(e)}`);
    }
  }

  stats(): LiveStats {
    if (this.isClosed) return { ...this.lastStats };
    try {
      const s = this.b.stats(this.h);
      this.lastStats = { received: s.received, dropped: s.dropped, ifDropped: s.ifDropped };
    } catch {
      // keep the last figures (the handle may have failed)
    }
    return { ...this.lastStats };
  }

  close(): void {
    if (this.isClosed) return;
    // From outside (a signal, the end of check -i): the binding first hands over what is already waiting
    // in the kernel ring (onBatch, synchronously), so nothing that arrived is lost from the analysis or -w.
    // From the sink (-c N reached, a sink error; also during that last read): stop at once.
    const drain = !this.inBatch;
    if (drain) this.b.close(this.h, true);
    this.stats();                                // the final counters, readable after close
    this.isClosed = true;                        // onBatch delivers nothing more
    if (!drain) this.b.close(this.h, false);
    if (this.sink !== null && this.sink.batchEnd !== undefined) {
      try { this.sink.batchEnd(); } catch { /* the sink's own error surfaces elsewhere */ }
    }
  }
}

/** Knobs that are not part of the LiveOptions contract (tests, benchmarks). */
export interface LiveTuning {
  /** Size of the batch buffer the binding fills per wakeup (default 1 MiB; at least one snaplen frame).
   *  When a wakeup brings more than fits, the binding delivers several batches. */
  batchBytes?: number;
  /** libpcap read timeout in ms when NOT in immediate mode (TPACKET_V3 block timeout: the longest a packet
   *  waits before delivery; kernel timestamps are unaffected). Default 100. */
  timeoutMs?: number;
}

/** Kernel buffer size. In immediate mode libpcap uses TPACKET_V2 on Linux (V3 blocks would add latency),
 *  whose ring has one fixed slot of ~snaplen per packet: libpcap's 2 MiB default then holds only 8 frames at
 *  snaplen 262144 (measured: 4569 of a 5000-advert burst dropped), ~3000 at 512. So when the caller leaves the
 *  size to us (0), give the ring room for ~8192 slots, between 2 and 32 MiB. */
function ringSize(opts: LiveOptions, snaplen: number): number {
  if (opts.bufferSize > 0 || !opts.immediate) return opts.bufferSize;
  const slot = (snaplen + 128 + 15) & ~15;
  return Math.min(32 << 20, Math.max(2 << 20, slot * 8192));
}

/** Opens a live capture (not yet delivering: call start(sink)). Throws VrrpwatchError with one actionable
 *  line: 'interface' (unknown interface, listing the real ones), 'permission', 'filter', 'binding', 'usage'. */
export function openLive(opts: LiveOptions, tuning: LiveTuning = {}): LiveCapture {
  const snaplen = opts.snaplen === 0 ? MAX_SNAPLEN : opts.snaplen;
  if (!Number.isInteger(snaplen) || snaplen < 0 || snaplen > MAX_SNAPLEN) {
    throw new VrrpwatchError('usage', `snaplen must be between 0 and ${MAX_SNAPLEN} (0 = ${MAX_SNAPLEN}), not ${opts.snaplen}`);
  }
  if (!Number.isInteger(opts.bufferSize) || opts.bufferSize < 0 || opts.bufferSize > 0x7fffffff) {
    throw new VrrpwatchError('usage', `buffer size must be a number of bytes >= 0, not ${opts.bufferSize}`);
  }
  if (opts.iface === '') throw new VrrpwatchError('usage', 'no interface given');
  const b = loadBinding();
  let h: NativeHandle;
  try {
    h = b.open(opts.iface, { snaplen, promisc: opts.promisc, immediate: opts.immediate, bufferSize: ringSize(opts, snaplen),
      timeoutMs: tuning.timeoutMs ?? 100 });
  } catch (e) {
    const c = code(e), t = text(e);
    if (c === 'ENODEV') {
      throw new VrrpwatchError('interface', `no such interface: ${opts.iface} (interfaces: ${interfaceNames(b)})`);
    }
    if (c === 'EPERM') throw new VrrpwatchError('permission', `no permission to capture on ${opts.iface}: ${SETCAP_HINT}`);
    if (c === 'EDOWN') throw new VrrpwatchError('interface', `interface ${opts.iface} is down: bring it up (ip link set ${opts.iface} up)`);
    if (/permission|not permitted/i.test(t)) {
      throw new VrrpwatchError('permission', `no permission to capture on ${opts.iface} (${t}): ${SETCAP_HINT}`);
    }
    throw new VrrpwatchError('interface', `cannot capture on ${opts.iface}: ${t}`);
  }
  const filter = resolveFilter(opts.filter, dltToLinktype(h.linktype));
  try {
    b.setFilter(h, filter);
  } catch (e) {
    b.close(h);
    throw new VrrpwatchError('filter', `bad filter expression "${filter}": ${text(e)}`);
  }
  return new Session(b, opts.iface, h, filter, tuning.batchBytes ?? MIN_BATCH);
}

/** `-Z USER`: drop root after the capture is open (as tcpdump does): supplementary groups, gid, then uid.
 *  The open capture keeps working (the socket is already open). */
export function dropPrivileges(user: string): void {
  // initgroups is POSIX-only and missing from @types/node 20's Process
  const initgroups = (process as unknown as { initgroups?: (u: string, g: number) => void }).initgroups;
  if (typeof process.setuid !== 'function' || typeof process.getuid !== 'function' ||
      typeof process.setgid !== 'function' || typeof initgroups !== 'function') {
    throw new VrrpwatchError('usage', '-Z is not supported on this platform');
  }
  const gid = primaryGid(user);
  try {
    if (gid !== null) {
      if (process.getuid() === 0) initgroups.call(process, user, gid);
      process.setgid(gid);
    }
    process.setuid(user);
  } catch (e) {
    const t = text(e);
    if (/unknown|not found|does not exist|identifier does not exist/i.test(t)) {
      throw new VrrpwatchError('usage', `-Z ${user}: no such user`);
    }
    throw new VrrpwatchError('permission', `cannot drop privileges to ${user}: ${t}`);
  }
  if (process.getuid() === 0 && user !== 'root' && user !== '0') {
    throw new VrrpwatchError('permission', `cannot drop privileges to ${user}: still running as root`);
  }
}

/** The user's primary gid from /etc/passwd; null when not listed there (NSS users: setuid alone, which
 *  then reports an unknown user itself). */
function primaryGid(user: string): number | null {
  let passwd: string;
  try { passwd = readFileSync('/etc/passwd', 'utf8'); } catch { return null; }
  const numeric = /^\d+$/.test(user);
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length >= 4 && (f[0] === user || (numeric && f[2] === user))) {
      const g = Number(f[3]);
      return Number.isInteger(g) ? g : null;
    }
  }
  return null;
}
