#!/usr/bin/env node
// Builds the libpcap binding (native/ -> native/build/Release/vrrpcap.node) with node-gyp against the
// LOCAL Node headers (no download). Run by `npm install` (the package's install script, with --install),
// by scripts/setup.sh and by `npm run build:native`; a user may run it again by hand after installing
// libpcap-dev and a compiler.
// When the toolchain, libpcap-dev or the Node headers are missing it prints ONE line, records the same line
// in native/not-built.txt (which `vrrpwatch -i` prints), and exits 0: the file reader (-r, check -r) works
// without the binding; only live capture (-i) needs it. A successful build removes that record.
// A real compile error exits 1 with the compiler's last lines — except with --install, where it is one
// line too (the compiler's output goes to native/build-native.log): installing must never fail because
// of the optional binding.
// Needs nothing but Node and npm's own node-gyp (npm passes its path in npm_config_node_gyp to install
// scripts): no devDependency.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const native = join(root, 'native');
const notBuiltRecord = join(native, 'not-built.txt');
const quiet = process.argv.includes('--quiet');
const installing = process.argv.includes('--install');

/** The one line (without the "vrrpwatch: " prefix) saying what works, what live capture needs and how to
 *  get it. src/live/index.ts words its fallback (no record) the same way. */
function notBuiltLine(why, packages) {
  return `live capture (-i) is not built (${why}); -r and check -r work. For -i install libpcap-dev and a compiler: ` +
    `apt-get install ${packages.join(' ')}, then node ${join(root, 'scripts', 'build-native.mjs')}`;
}

function notBuilt(why, extraPackages = []) {
  const line = notBuiltLine(why, ['libpcap-dev', 'g++', 'make', ...extraPackages]);
  try { writeFileSync(notBuiltRecord, `${line}\n`); } catch { /* a read-only tree: the line below still says it */ }
  process.stderr.write(`vrrpwatch: ${line}\n`);
  process.exit(0);
}
function has(cmd) {
  return spawnSync('/bin/sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

if (process.platform === 'win32') notBuilt('Windows is not supported');
const cc = process.env.CC || 'cc';
if (!has(cc) && !has('gcc')) notBuilt('no C compiler found');
if (!has(process.env.CXX || 'g++')) notBuilt('no C++ compiler (g++) found: node-gyp links with it');
if (!has('make')) notBuilt('make not found');
if (!has('python3') && !has('python')) notBuilt('python3 not found: node-gyp needs it', ['python3']);
const pcapHeader = ['/usr/include/pcap/pcap.h', '/usr/local/include/pcap/pcap.h', '/opt/homebrew/include/pcap/pcap.h']
  .some((p) => existsSync(p)) || (has('pcap-config') && spawnSync('pcap-config', ['--cflags']).status === 0);
if (!pcapHeader) notBuilt('the libpcap headers are missing');

// Node headers: beside the running node (distro packages put them in /usr/include/node), or npm's nodedir.
const candidates = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..'), '/usr', '/usr/local']
  .filter((d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')));
if (candidates.length === 0) notBuilt('the Node headers (include/node/node_api.h) are not beside this node: set npm_config_nodedir');
const nodedir = candidates[0];

// node-gyp ships inside npm; an install script is told where in npm_config_node_gyp.
const gypCandidates = [
  process.env.npm_config_node_gyp,
  process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
].filter((p) => p && existsSync(p));
if (gypCandidates.length === 0) notBuilt('node-gyp not found (it ships with npm)');

const r = spawnSync(process.execPath, [gypCandidates[0], 'rebuild', `--nodedir=${nodedir}`, '--loglevel=error'], {
  cwd: native, encoding: 'utf8', env: { ...process.env, npm_config_nodedir: nodedir },
});
const out = join(native, 'build', 'Release', 'vrrpcap.node');
if (r.status !== 0 || !existsSync(out)) {
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim();
  if (installing) {
    const logFile = join(native, 'build-native.log');
    try { writeFileSync(logFile, `${log}\n`); } catch { /* the line still says it failed */ }
    notBuilt(`the compile failed: ${logFile}`);
  }
  process.stderr.write(`${log.split('\n').slice(-15).join('\n')}\nbuild-native: error: the libpcap binding failed to compile (see above)\n`);
  process.exit(1);
}
rmSync(notBuiltRecord, { force: true });
if (!quiet) process.stdout.write(`vrrpwatch: live capture ready: built ${out}\n`);
