#!/usr/bin/env node
// Builds the libpcap binding (native/ -> native/build/Release/vrrpcap.node) with node-gyp against the
// LOCAL Node headers (no download). Called by scripts/setup.sh and `npm run build:native`.
// When the toolchain, libpcap-dev or the Node headers are missing it prints ONE warning line and exits 0:
// the file reader (-r, check -r) works without the binding; only live capture (-i) needs it.
// A real compile error exits 1 with the compiler's last lines.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const native = join(root, 'native');
const quiet = process.argv.includes('--quiet');

function warn(why) {
  process.stderr.write(`build-native: warning: libpcap binding not built (${why}); -r works, live capture (-i) will not\n`);
  process.exit(0);
}
function has(cmd) {
  return spawnSync('/bin/sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

if (process.platform === 'win32') warn('Windows is not supported');
const cc = process.env.CC || 'cc';
if (!has(cc) && !has('gcc')) warn('no C compiler: install g++ (or build-essential)');
if (!has('make')) warn('make is missing: install make');
if (!has('python3') && !has('python')) warn('python3 is missing (node-gyp needs it)');
const pcapHeader = ['/usr/include/pcap/pcap.h', '/usr/local/include/pcap/pcap.h', '/opt/homebrew/include/pcap/pcap.h']
  .some((p) => existsSync(p)) || (has('pcap-config') && spawnSync('pcap-config', ['--cflags']).status === 0);
if (!pcapHeader) warn('libpcap headers are missing: install libpcap-dev');

// Node headers: beside the running node (distro packages put them in /usr/include/node), or npm's nodedir.
const candidates = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..'), '/usr', '/usr/local']
  .filter((d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')));
if (candidates.length === 0) warn('Node headers (node_api.h) not found: install the nodejs dev headers or set npm_config_nodedir');
const nodedir = candidates[0];

// node-gyp ships inside npm.
const gypCandidates = [
  process.env.npm_config_node_gyp,
  process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
].filter((p) => p && existsSync(p));
if (gypCandidates.length === 0) warn('node-gyp not found (it ships with npm)');

const r = spawnSync(process.execPath, [gypCandidates[0], 'rebuild', `--nodedir=${nodedir}`, '--loglevel=error'], {
  cwd: native, encoding: 'utf8', env: { ...process.env, npm_config_nodedir: nodedir },
});
const out = join(native, 'build', 'Release', 'vrrpcap.node');
if (r.status !== 0 || !existsSync(out)) {
  const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  process.stderr.write(`${tail}\nbuild-native: error: the libpcap binding failed to compile (see above)\n`);
  process.exit(1);
}
if (!quiet) process.stdout.write(`build-native: built ${out}\n`);
