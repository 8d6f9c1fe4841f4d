// Writes a pure-VRRP classic pcap for bench/live-load.sh: VRRPv2 adverts over IPv4 (224.0.0.18), VRIDs 1..8,
// IP id = sequence number (so a consumer can spot loss or reordering). Usage: live-load-gen.ts OUT [COUNT]
import { PcapWriter } from '../src/capture/pcap-writer.js';

function sum16(b: Uint8Array, off: number, len: number): number {
  let acc = 0;
  for (let i = 0; i + 1 < len; i += 2) acc += (b[off + i]! << 8) | b[off + i + 1]!;
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return (~acc) & 0xffff;
}

/** Ethernet + IPv4 + VRRPv2 (one virtual address, no auth): 14 + 20 + 20 = 54 bytes, padded to 60. */
export function advert(vrid: number, seq: number, frame: Uint8Array): number {
  frame.fill(0);
  frame.set([0x01, 0x00, 0x5e, 0x00, 0x00, 0x12, 0x00, 0x00, 0x5e, 0x00, 0x01, vrid, 0x08, 0x00], 0);
  const ip = 14;
  frame.set([0x45, 0xc0, 0, 40, (seq >> 8) & 0xff, seq & 0xff, 0, 0, 255, 112, 0, 0, 10, 0, 0, vrid, 224, 0, 0, 18], ip);
  const c = sum16(frame, ip, 20);
  frame[ip + 10] = c >> 8; frame[ip + 11] = c & 0xff;
  const v = ip + 20;
  frame.set([0x21, vrid, 100 + vrid, 1, 0, 1, 0, 0, 10, 0, 0, 100 + vrid, 0, 0, 0, 0, 0, 0, 0, 0], v);
  const vc = sum16(frame, v, 20);
  frame[v + 6] = vc >> 8; frame[v + 7] = vc & 0xff;
  return 60;
}

const out = process.argv[2];
const count = Number(process.argv[3] ?? 100000);
if (out === undefined || !Number.isInteger(count) || count <= 0) {
  process.stderr.write('usage: live-load-gen.ts OUT.pcap [COUNT]\n');
  process.exit(2);
}
const w = new PcapWriter(out, { linktype: 1, snaplen: 512, nano: false });
const f = new Uint8Array(60);
for (let i = 0; i < count; i++) {
  const len = advert((i % 8) + 1, i & 0xffff, f);
  w.frame(f, 0, len, len, 1_764_000_000 + Math.floor(i / 100000), (i % 100000) * 10_000, 1);
}
w.close();
