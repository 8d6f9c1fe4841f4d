// Where the libpcap binding is, how to build it, and why it is missing — the words `vrrpwatch -i` uses when
// live capture is not available. Paths are the package's own (a checkout, a global or a local npm install):
// this file is in src/live/ (run with tsx) or dist/src/live/ (built).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's folder: two levels above this file when run from the sources, three from dist/. */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const roots = [join(here, '..', '..'), join(here, '..', '..', '..')];
  return roots.find((r) => existsSync(join(r, 'native', 'binding.gyp'))) ?? roots[0]!;
}

/** Where the compiled module may be. VRRPWATCH_BINDING overrides (tests use it to prove the "missing binding"
 *  error). */
export function bindingCandidates(): string[] {
  const env = process.env.VRRPWATCH_BINDING;
  if (env !== undefined && env !== '') return [env];
  return [join(packageRoot(), 'native', 'build', 'Release', 'vrrpcap.node')];
}

/** What to run to build the binding: the package's own build script, by its full path (the same in a checkout
 *  and an install, and whether or not npm ran install scripts). */
export function buildCommand(): string {
  return `node ${join(packageRoot(), 'scripts', 'build-native.mjs')}`;
}

/** Why live capture is not available, as one line. scripts/build-native.mjs records the line it printed when
 *  it could not build (at install, or by hand) in native/not-built.txt: `-i` repeats it word for word. Without
 *  that record (install scripts not run, say) the line is worded the same way. */
export function notBuiltLine(): string {
  try {
    const recorded = readFileSync(join(packageRoot(), 'native', 'not-built.txt'), 'utf8').trim();
    if (recorded !== '' && !recorded.includes('\n')) return recorded;
  } catch { /* no record */ }
  return 'live capture (-i) is not built (the libpcap binding is missing); -r and check -r work. ' +
    `For -i install libpcap-dev and a compiler: apt-get install libpcap-dev g++ make, then ${buildCommand()}`;
}
