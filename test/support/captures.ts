// Where the tests find captures: the repo's pcaps/ and the public ones in shared/. A test over shared/
// captures that cannot find them skips, saying so (SHARED_MISSING), rather than shrinking in silence:
// with VRRPWATCH_NO_SKIP=1 (CI) that skip fails the run (scripts/test.sh).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** shared/ (public captures) sits at ../shared relative to the repo root (CI copies it there).
 *  VRRPWATCH_SHARED, when set, is the only place looked at (VRRPWATCH_SHARED=/nowhere shows what the
 *  tests do without it). Null when it is nowhere. */
export function sharedDir(): string | null {
  const env = process.env.VRRPWATCH_SHARED;
  const c = env !== undefined && env !== '' ? [env] : [resolve(ROOT, '../shared'), resolve(ROOT, '../../shared')];
  for (const d of c) if (existsSync(join(d, 'public-pcaps'))) return d;
  return null;
}

/** The skip reason of a test that needs shared/ when it is not there (false when it is). */
export function sharedSkip(): string | false {
  return sharedDir() === null
    ? 'shared/public-pcaps not found (../shared beside the repo, or VRRPWATCH_SHARED): the public captures are not checked'
    : false;
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

/** The captures below shared/public-pcaps/`sub` (empty when shared/ is missing: pair with sharedSkip()). */
export function sharedCaptures(sub = ''): string[] {
  const d = sharedDir();
  return d === null ? [] : captureFiles(join(d, 'public-pcaps', sub));
}
