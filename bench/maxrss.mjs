// Preloaded into the measured process (node --import): reports its peak RSS on exit, on fd 2.
import { writeSync } from 'node:fs';
process.on('exit', () => {
  writeSync(2, `\nBENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
