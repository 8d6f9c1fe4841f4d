// The ceiling of any reader in Node on this machine: a reused-buffer readSync loop that only walks
// pcap record headers (no decoding). `node bench/bare-walk.mjs FILE` prints the frame count; time it.
import { openSync, readSync } from 'node:fs';
const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 20);
let carry = 0, frames = 0, first = true, off = 0;
for (;;) {
  const n = readSync(fd, buf, carry, buf.length - carry, null);
  const end = carry + n;
  let p = first ? 24 : 0; first = false;
  while (p + 16 <= end) {
    const cap = buf.readUInt32LE(p + 8);
    if (p + 16 + cap > end) break;
    frames++; p += 16 + cap;
  }
  buf.copy(buf, 0, p, end); carry = end - p;
  if (n === 0) break;
}
console.log(frames);
