// Helper for test/live-binding.test.ts (not a test itself): runs inside a test namespace
// (`ip netns exec vwv-... node --import tsx test/live-child.ts JSON-OPTIONS`), captures with the binding and
// reports on stdout: one `{"ready":...}` line once the capture is open, one `{"progress":{frames, macs}}` line
// per delivered batch (frames so far, how many came from each source MAC, and as MAC:vrrp4 how many of those were
// untagged IPv4 VRRP: what the test waits for), then,
// after "stop" arrives on stdin (or `seconds` elapse), one `{"done":...}` line, and exits BY ITSELF (proving
// close() releases the loop).
import { openLive, DEFAULT_FILTER, dropPrivileges } from '../src/live/index.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import type { FrameSink } from '../src/decode/packet.js';

interface Opts { promisc?: boolean; throwAt?: number; immediate?: boolean; timeoutMs?: number; batchBytes?: number; iface: string; filter?: string; snaplen?: number; write?: string; dropTo?: string; seconds?: number; maxFrames?: number }
const o = JSON.parse(process.argv[2] ?? '{}') as Opts;

function fail(e: unknown): never {
  const err = e as { name?: string; kind?: string; message?: string };
  process.stdout.write(JSON.stringify({ error: { name: err.name, kind: err.kind, message: err.message } }) + '\n');
  process.exit(3);
}

let session;
try {
  session = openLive({ iface: o.iface, filter: o.filter ?? DEFAULT_FILTER, snaplen: o.snaplen ?? 262144,
    promisc: o.promisc ?? true, bufferSize: 0, immediate: o.immediate ?? true }, { batchBytes: o.batchBytes, timeoutMs: o.timeoutMs });
} catch (e) { fail(e); }
const s = session;

const writer = o.write !== undefined ? new PcapWriter(o.write, { linktype: s.linktype, snaplen: s.snaplen, nano: s.nano }) : null;
const frames: Array<{ hex: string; ts: number; tsSec: number; tsNsec: number; wall: number; caplen: number; origlen: number }> = [];
let batches = 0;
let stopped = false;
const macs: Record<string, number> = {};
const sink: FrameSink = {
  frame(buf, off, caplen, origlen, tsSec, tsNsec, linktype) {
    // test code: allocation is fine here
    const hex = Buffer.from(buf.subarray(off, off + caplen)).toString('hex');
    frames.push({ hex, ts: tsSec * 1000 + tsNsec / 1e6, tsSec, tsNsec, wall: Date.now(), caplen, origlen });
    const mac = hex.slice(12, 24);
    macs[mac] = (macs[mac] ?? 0) + 1;
    // untagged IPv4 VRRP also counted as MAC:vrrp4
    if (hex.slice(24, 28) === '0800' && hex.slice(46, 48) === '70') macs[`${mac}:vrrp4`] = (macs[`${mac}:vrrp4`] ?? 0) + 1;
    if (writer) writer.frame(buf, off, caplen, origlen, tsSec, tsNsec, linktype);
    if (o.maxFrames !== undefined && frames.length >= o.maxFrames) finish('maxFrames');
    if (o.throwAt !== undefined && frames.length === o.throwAt) throw new Error(`sink failed at frame ${frames.length}`);
  },
  batchEnd() {
    batches++;
    if (writer) writer.batchEnd();
    if (!stopped) process.stdout.write(JSON.stringify({ progress: { frames: frames.length, macs } }) + '\n');
  },
};
let failure: { kind: string; message: string } | null = null;
s.onError = (e) => { failure = { kind: e.kind, message: e.message }; finish('error'); };
s.start(sink);
if (o.dropTo !== undefined) {
  try { dropPrivileges(o.dropTo); } catch (e) { s.close(); fail(e); }
}
process.stdout.write(JSON.stringify({ ready: { linktype: s.linktype, nano: s.nano, snaplen: s.snaplen, filter: s.filter, uid: process.getuid?.() } }) + '\n');

function finish(why: string): void {
  if (stopped) return;
  stopped = true;
  const before = s.stats();
  s.close();                     // idempotent: also fine after a failure closed it
  writer?.close();
  process.stdin.destroy();
  clearTimeout(timer);
  process.stdout.write(JSON.stringify({ done: { why, failure, frames, batches, stats: before, statsAfterClose: s.stats(), closed: s.closed } }) + '\n');
}
// a throwing sink reaches onError (the session catches it); an uncaught exception here would be a bug
process.on('uncaughtException', (e) => {
  process.stdout.write(JSON.stringify({ uncaught: e.message, framesAtThrow: frames.length }) + '\n');
  finish('uncaught');
});
const timer = setTimeout(() => finish('timeout'), (o.seconds ?? 20) * 1000);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => { if (d.includes('stop')) finish('stop'); });
