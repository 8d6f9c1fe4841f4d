// Rewrite an Ethernet pcap (little-endian, classic) as Linux cooked capture v1 (SLL, what `-i any`
// records): for measuring the read path on SLL, e.g.
//   node bench/to-sll.mjs bench/out/mixed.pcap /tmp/mixed-sll.pcap && bin/vrrpwatch -r /tmp/mixed-sll.pcap
// Each 14-byte Ethernet header becomes a 16-byte SLL header with the same source MAC and EtherType.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const [, , from, to] = process.argv;
if (!from || !to) { console.error('usage: node bench/to-sll.mjs IN.pcap OUT.pcap'); process.exit(2); }
const fd = openSync(from, 'r');
const out = openSync(to, 'w');
const hdr = Buffer.alloc(24);
readSync(fd, hdr, 0, 24, 0);
if (hdr.readUInt32LE(0) !== 0xa1b2c3d4 || hdr.readUInt32LE(20) !== 1) { console.error(`${from}: not a little-endian Ethernet pcap`); process.exit(1); }
hdr.writeUInt32LE(113, 20);
writeSync(out, hdr);
const rec = Buffer.alloc(16);
const data = Buffer.alloc(262144 + 16);
const batch = Buffer.alloc(1 << 24);
let used = 0;
for (let pos = 24; readSync(fd, rec, 0, 16, pos) === 16;) {
  const cap = rec.readUInt32LE(8);
  if (cap < 14 || readSync(fd, data, 0, cap, pos + 16) !== cap) break;
  pos += 16 + cap;
  if (used + 32 + cap > batch.length) { writeSync(out, batch, 0, used); used = 0; }
  rec.copy(batch, used);
  batch.writeUInt32LE(cap + 2, used + 8);
  batch.writeUInt32LE(rec.readUInt32LE(12) + 2, used + 12);
  batch.writeUInt16BE(0, used + 16);          // packet type: to us
  batch.writeUInt16BE(1, used + 18);          // ARPHRD_ETHER
  batch.writeUInt16BE(6, used + 20);          // address length
  data.copy(batch, used + 22, 6, 12);         // source MAC
  batch.fill(0, used + 28, used + 30);        // address padding
  data.copy(batch, used + 30, 12, cap);       // EtherType and the rest
  used += 32 + cap - 14;
}
writeSync(out, batch, 0, used);
closeSync(out);
