// The active probe (--probe-vip): who answers for a virtual address right now. For IPv4 an RFC 5227 ARP
// probe — a broadcast request with sender address 0.0.0.0, so no neighbour changes its cache — and for
// IPv6 a neighbour solicitation from this host's link-local address to the address's solicited-node group
// (the answer comes back to us alone), both sent through the capture handle (pcap_inject). Frames are built
// here, byte by byte; the answers are read by the analyzer (src/analyze/vip-probes.ts) from the capture.
//
// Sends only when --probe-vip is given, only on an Ethernet interface with a MAC (never on `any`), one frame
// per address per round. Nothing here runs per captured packet.
import { isIP } from 'node:net';
import { VrrpwatchError } from '../errors.js';

/** An address to probe: its family and its four big-endian words (IPv4: the first). */
export interface ProbeTarget { family: 4 | 6; address: string; words: [number, number, number, number] }

/** "10.0.0.1" / "fd00::1" as a probe target; null when it is not an address. */
export function parseAddress(text: string): ProbeTarget | null {
  const fam = isIP(text);
  if (fam === 4) {
    const p = text.split('.').map(Number);
    return { family: 4, address: text, words: [((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0, 0, 0, 0] };
  }
  if (fam !== 6 || text.includes('%')) return null;
  let s = text;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const p = v4[1].split('.').map(Number);
    s = s.slice(0, -v4[1].length) + ((p[0] << 8) | p[1]).toString(16) + ':' + ((p[2] << 8) | p[3]).toString(16);
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const g = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const n = g.map((x) => parseInt(x, 16));
  const w = [0, 1, 2, 3].map((i) => ((n[2 * i] << 16) | n[2 * i + 1]) >>> 0) as [number, number, number, number];
  // the text the decoder prints for it (RFC 5952), so the analyzer's addresses and these compare
  return { family: 6, address: text.toLowerCase(), words: w };
}

function put32(b: Buffer, o: number, w: number): void {
  b.writeUInt32BE(w >>> 0, o);
}

/** The one's-complement checksum of `b` plus a starting sum. */
function checksum(b: Buffer, start: number): number {
  let s = start;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  if (b.length & 1) s += b[b.length - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return (~s) & 0xffff;
}

/** RFC 5227 ARP probe for `t` from MAC `mac` (6 bytes): Ethernet broadcast, request, sender 0.0.0.0. */
export function arpProbeFrame(mac: Uint8Array, t: ProbeTarget): Buffer {
  const f = Buffer.alloc(42);
  f.fill(0xff, 0, 6);                      // destination: broadcast
  f.set(mac, 6);
  f.writeUInt16BE(0x0806, 12);
  f.writeUInt16BE(1, 14); f.writeUInt16BE(0x0800, 16); f[18] = 6; f[19] = 4;
  f.writeUInt16BE(1, 20);                  // request
  f.set(mac, 22);                          // sender MAC; sender address 0.0.0.0 (bytes 28..31 stay 0)
  put32(f, 38, t.words[0]);                // target address; target MAC stays 0
  return f;
}

/** Neighbour solicitation for `t` from link-local `ll` (16 bytes) and MAC `mac`, with the source link-layer
 *  address option, to the solicited-node group ff02::1:ffXX:XXXX (RFC 4861 §4.3, hop limit 255). */
export function nsFrame(mac: Uint8Array, ll: Uint8Array, t: ProbeTarget): Buffer {
  const f = Buffer.alloc(14 + 40 + 32);
  const low = t.words[3] & 0xffffff;
  f[0] = 0x33; f[1] = 0x33; f[2] = 0xff; f[3] = (low >>> 16) & 255; f[4] = (low >>> 8) & 255; f[5] = low & 255;
  f.set(mac, 6);
  f.writeUInt16BE(0x86dd, 12);
  const ip = 14;
  f[ip] = 0x60;
  f.writeUInt16BE(32, ip + 4);
  f[ip + 6] = 58;
  f[ip + 7] = 255;
  f.set(ll, ip + 8);
  put32(f, ip + 24, 0xff020000); put32(f, ip + 28, 0); put32(f, ip + 32, 1); put32(f, ip + 36, (0xff000000 | low) >>> 0);
  const q = ip + 40;
  f[q] = 135;
  for (let i = 0; i < 4; i++) put32(f, q + 8 + 4 * i, t.words[i]);
  f[q + 24] = 1; f[q + 25] = 1; f.set(mac, q + 26);
  // checksum with the pseudo-header: source, destination, length 32, next header 58
  let ph = 32 + 58;
  for (let i = 0; i < 32; i += 2) ph += f.readUInt16BE(ip + 8 + i);
  f.writeUInt16BE(checksum(f.subarray(q), ph), q + 2);
  return f;
}

/** What the interface gives the probe: its MAC and (for IPv6) a link-local address. */
export interface ProbeSource { mac: Uint8Array; linkLocal: Uint8Array | null }

/** The probe's source on `iface` from the interface list (pcap_findalldevs: AF_PACKET and IPv6 addresses).
 *  Throws VrrpwatchError('usage') when it cannot send there, saying why. */
export function probeSource(iface: string, linktype: number, addresses: readonly { addr: string | null }[]): ProbeSource {
  if (iface === 'any') {
    throw new VrrpwatchError('usage', "--probe-vip cannot send on 'any': it is no interface but all of them, with no link layer to send from; " +
      'name the interface the virtual addresses live on (-i eth0)');
  }
  if (linktype !== 1) {
    throw new VrrpwatchError('usage', `--probe-vip sends Ethernet frames, and ${iface} is not Ethernet (link type ${linktype}): probe from an Ethernet interface of the segment`);
  }
  const macText = addresses.map((a) => a.addr).find((a): a is string => a !== null && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(a));
  if (macText === undefined) throw new VrrpwatchError('usage', `--probe-vip needs the MAC address of ${iface}, which it does not have`);
  const mac = Uint8Array.from(macText.split(':').map((x) => parseInt(x, 16)));
  const ll = addresses.map((a) => a.addr).find((a): a is string => a !== null && /^fe80:/i.test(a));
  const p = ll !== undefined ? parseAddress(ll.split('%')[0]) : null;
  let linkLocal: Uint8Array | null = null;
  if (p !== null) {
    linkLocal = new Uint8Array(16);
    const dv = new DataView(linkLocal.buffer);
    p.words.forEach((w, i) => dv.setUint32(4 * i, w));
  }
  return { mac, linkLocal };
}

/** The frame probing `t` from `src`, null for an IPv6 address when the interface has no link-local address. */
export function probeFrame(src: ProbeSource, t: ProbeTarget): Buffer | null {
  if (t.family === 4) return arpProbeFrame(src.mac, t);
  return src.linkLocal !== null ? nsFrame(src.mac, src.linkLocal, t) : null;
}
