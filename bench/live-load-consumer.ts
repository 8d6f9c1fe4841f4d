// Capture side of bench/live-load.sh: opens the interface with the binding exactly as the CLI does
// (default filter, immediate mode, snaplen and kernel buffer as given) and counts VRRP adverts (Ethernet/IPv4,
// protocol 112, version/type byte 0x21 or 0x31), per batch, without allocating per packet.
// Prints `ready` once capturing; on SIGTERM/SIGINT/stdin EOF prints one JSON line and exits.
import { openLive, DEFAULT_FILTER } from '../src/live/index.js';
import type { FrameSink } from '../src/decode/packet.js';

const iface = process.argv[2] ?? 'eth0';
const snaplen = Number(process.argv[3] ?? 512);
const bufferKiB = Number(process.argv[4] ?? 4096);
// IMMEDIATE=0 compares libpcap's buffered mode (TPACKET_V3 blocks, delivery within TIMEOUT_MS)
const immediate = process.env.IMMEDIATE !== '0';
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 20);

let adverts = 0, other = 0, batches = 0, maxBatch = 0, inBatch = 0;
const sink: FrameSink = {
  frame(buf, off, caplen) {
    inBatch++;
    if (caplen >= 42 && buf[off + 12] === 0x08 && buf[off + 13] === 0x00 && buf[off + 23] === 112) {
      const v = buf[off + 14 + ((buf[off + 14]! & 0x0f) << 2)];
      if (v === 0x21 || v === 0x31) { adverts++; return; }
    }
    other++;
  },
  batchEnd() { batches++; if (inBatch > maxBatch) maxBatch = inBatch; inBatch = 0; },
};

const s = openLive({ iface, filter: DEFAULT_FILTER, snaplen, promisc: true, bufferSize: bufferKiB * 1024, immediate }, { timeoutMs });
s.start(sink);
const t0 = process.cpuUsage();
process.stdout.write('ready\n');
function finish(): void {
  const st = s.stats();
  s.close();
  const cpu = process.cpuUsage(t0);
  process.stdout.write(JSON.stringify({ adverts, other, batches, maxBatch, ...st, cpuMs: Math.round((cpu.user + cpu.system) / 1000) }) + '\n');
  process.exit(0);
}
process.on('SIGTERM', finish);
process.on('SIGINT', finish);
process.stdin.on('end', finish).resume();
