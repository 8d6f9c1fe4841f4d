// Where the tests find captures: the repo's pcaps/ and the public ones in shared/.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** shared/ (public captures) sits at ../shared relative to the repo root (CI copies it there);
 *  VRRPWATCH_SHARED overrides. Null when it is nowhere. */
export function sharedDir(): string | null {
  const c = [process.env.VRRPWATCH_SHARED, resolve(ROOT, '../shared'), resolve(ROOT, '../../shared')];
  for (const d of c) if (d && existsSync(join(d, 'public-pcaps'))) return d;
  return null;
}

/** Every capture file (.pcap, .pcapng, .cap) below `dir`, sorted; none when it does not exist. */
export function captureFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...captureFiles(p));
    else if (/\.(pcap|pcapng|cap)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}
