// The npm package as a user gets it: `npm pack` (prepack builds the JavaScript), then `npm install -g` of the
// tarball into a temporary prefix, and the installed command run from there — the report and check of the
// shipped capture, the man page, and (as root) `vrrpwatch -D` through the libpcap binding compiled at install.
// Then the same install on a machine without a compiler (a PATH holding only node and sh): it succeeds with
// one line, -r works, and -i says that line again. And `npx --package TARBALL vrrpwatch -r`.
// Dependencies come from the npm cache (--prefer-offline; the registry when the cache lacks them): the three
// runtime dependencies only, no devDependency. Traffic: none (-D lists interfaces; -i fails before capturing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve('.');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const CAPTURE = join('pcaps', 'lab', 'splitbrain-firewall-drop.pcap');
const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-install-'));
const npxBefore = new Set(npxEntries());
test.after(() => {
  rmSync(tmp, { recursive: true, force: true });
  // npx installs into the npm cache's _npx folder: remove what this test's tarballs added there
  for (const e of npxEntries()) {
    if (npxBefore.has(e)) continue;
    const dir = join(npxRoot(), e);
    try { if (readFileSync(join(dir, 'package.json'), 'utf8').includes(tmp)) rmSync(dir, { recursive: true, force: true }); } catch { /* not ours */ }
  }
});

function npxRoot(): string { return join(process.env.npm_config_cache ?? join(homedir(), '.npm'), '_npx'); }
function npxEntries(): string[] { try { return readdirSync(npxRoot()); } catch { return []; } }

/** npm's own CLI script, run with this node (so that a PATH without npm still runs it). */
const NPM_CLI = (() => {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && /npm-cli\.js$/.test(fromNpm)) return fromNpm;
  const which = spawnSync('/bin/sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  return realpathSync(which);
})();

/** The environment of a user's shell: without what `npm test` adds (its prefix, package and lifecycle
 *  variables would steer the nested npm) and without the test override of the binding's path. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(config_(prefix|global_prefix|local_prefix|node_gyp)$|lifecycle_|package_|command$)/i.test(k)) continue;
    if (k === 'INIT_CWD' || k === 'VRRPWATCH_BINDING') continue;
    env[k] = v;
  }
  return { ...env, TZ: 'UTC', NO_COLOR: '1', ...extra };
}

function npm(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [NPM_CLI, ...args], { cwd: opts.cwd ?? tmp, env: opts.env ?? userEnv(), encoding: 'utf8', timeout: 300_000 });
}

/** The lines a script printed for vrrpwatch (npm prints its own around them). */
const ourLines = (r: SpawnSyncReturns<string>) => `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith('vrrpwatch: '));
const NOT_BUILT = /^vrrpwatch: live capture \(-i\) is not built \((.+)\); -r and check -r work\. For -i install libpcap-dev and a compiler: apt-get install libpcap-dev g\+\+ make, then node (\S+)$/;

let packed: { file: string; files: string[]; size: number; unpackedSize: number } | null = null;
function pack(): NonNullable<typeof packed> {
  if (packed) return packed;
  const dest = join(tmp, 'pack');
  mkdirSync(dest);
  const r = npm(['pack', '--json', '--pack-destination', dest], { cwd: ROOT, env: userEnv() });
  assert.equal(r.status, 0, r.stderr);
  const info = (JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string; files: { path: string }[]; size: number; unpackedSize: number }[])[0]!;
  packed = { file: join(dest, info.filename), files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
  return packed;
}

const hasToolchain = ['cc', 'g++', 'make', 'python3'].every((c) => spawnSync('/bin/sh', ['-c', `command -v ${c}`]).status === 0)
  && existsSync('/usr/include/pcap/pcap.h');

interface Installed { prefix: string; bin: string; pkg: string; result: SpawnSyncReturns<string> }
function install(name: string, env: NodeJS.ProcessEnv): Installed {
  const prefix = join(tmp, name);
  // --allow-scripts: npm 11.16+ names a tarball's install script by the tarball's path (warns without it;
  // later npm releases will not run it without it)
  const result = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts',
    `--allow-scripts=${pack().file}`, pack().file], { env });
  return { prefix, bin: join(prefix, 'bin', 'vrrpwatch'), pkg: join(prefix, 'lib', 'node_modules', 'vrrpwatch'), result };
}
let withToolchain: Installed | null = null;
const installWithToolchain = () => (withToolchain ??= install('prefix', userEnv()));

const run = (bin: string, args: string[], env = userEnv()) => spawnSync(bin, args, { cwd: tmp, env, encoding: 'utf8' });

test('npm pack: the built JavaScript, the binding\'s sources and build script, docs, man page, licence; no tests, no TypeScript', (t) => {
  const p = pack();
  for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/vrrpwatch', 'dist/src/cli/main.js', 'dist/src/live/index.js',
    'native/binding.gyp', 'native/vrrpcap.c', 'scripts/build-native.mjs', 'man/vrrpwatch.1',
    'docs/vrrpwatch.service', 'docs/alerts.yml', 'docs/notify.md', 'docs/check.md', 'docs/examples/vrrpwatch-mail.sh', CAPTURE]) {
    assert.ok(p.files.includes(f), `${f} is in the tarball`);
  }
  const stray = p.files.filter((f) => /^(test|src|bench|dist\/bench|native\/build)\/|\.ts$|^pcaps\/edge|not-built\.txt$|\.log$/.test(f));
  assert.deepEqual(stray, [], 'nothing a user does not run or read');
  for (const dev of ['docs/testing.md', 'docs/performance.md']) assert.ok(!p.files.includes(dev), `${dev} is for developers`);
  // every file is one of these kinds (the count grows with the source tree, so it is the kinds that are bounded)
  const unexpected = p.files.filter((f) => !/^(package\.json|README\.md|LICENSE|bin\/vrrpwatch|dist\/src\/.+\.js|native\/(binding\.gyp|vrrpcap\.c)|scripts\/build-native\.mjs|man\/vrrpwatch\.1|docs\/.+)$/.test(f) && f !== CAPTURE);
  assert.deepEqual(unexpected, [], 'only the built JavaScript, the binding\'s sources, the man page, docs and the README\'s capture');
  // a bound that a stray capture or test tree would break, with room for the source to grow
  assert.ok(p.unpackedSize < 2_000_000, `${p.unpackedSize} bytes unpacked`);
  assert.match(readFileSync('LICENSE', 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 the vrrpwatch authors\n/);
  t.diagnostic(`tarball: ${p.files.length} files, ${p.size} bytes (${p.unpackedSize} unpacked)`);
});

test('npm install -g of the tarball: the binding built at install, -r and check -r of the shipped capture, the man page', () => {
  const i = installWithToolchain();
  assert.equal(i.result.status, 0, `${i.result.stdout}\n${i.result.stderr}`);
  const lines = ourLines(i.result);
  if (hasToolchain) assert.deepEqual(lines, [`vrrpwatch: live capture ready: built ${join(i.pkg, 'native', 'build', 'Release', 'vrrpcap.node')}`]);
  else assert.equal(lines.length, 1, lines.join('\n'));
  assert.ok(lstatSync(i.bin).isSymbolicLink(), 'npm links the command into PREFIX/bin');
  for (const dev of ['typescript', 'tsx', '@types']) assert.ok(!existsSync(join(i.pkg, 'node_modules', dev)), `${dev} (a devDependency) not installed`);

  const v = run(i.bin, ['--version']);
  assert.equal(v.stdout.trim(), VERSION);
  const capture = join(i.pkg, CAPTURE);
  const report = run(i.bin, ['-r', capture]);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /^SPLIT BRAIN {2}VRID 99: split brain for 10\.003 s/);
  const fromCheckout = spawnSync(join(ROOT, 'bin', 'vrrpwatch'), ['-r', capture], { env: userEnv(), encoding: 'utf8' });
  assert.equal(report.stdout, fromCheckout.stdout, 'the installed command says what the checkout says');
  const check = run(i.bin, ['check', '-r', capture]);
  assert.equal(check.status, 2, 'CRITICAL');
  assert.match(check.stdout, /^VRRP CRITICAL - VRID 99: split brain for 10\.003 s .* \| 'vrid99_masters'=2;;1;0;/);

  const man = join(i.prefix, 'share', 'man', 'man1', 'vrrpwatch.1');
  assert.ok(existsSync(man), 'npm links the man page into PREFIX/share/man/man1');
  if (spawnSync('/bin/sh', ['-c', 'command -v man']).status === 0) {
    const m = spawnSync('man', ['--warnings', '-l', man], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80' } });
    assert.equal(m.status, 0, m.stderr);
    assert.equal(m.stderr, '');
    assert.match(m.stdout, /^VRRPWATCH\(1\)/);
  }
});

test('as root: vrrpwatch -D through the binding compiled at install',
  { skip: process.getuid?.() !== 0 ? 'needs root' : !hasToolchain ? 'needs cc, g++, make, python3 and libpcap-dev' : false }, () => {
    const i = installWithToolchain();
    assert.ok(existsSync(join(i.pkg, 'native', 'build', 'Release', 'vrrpcap.node')));
    const d = run(i.bin, ['-D']);
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /^\d+\.lo \[.*Loopback/m);
  });

/** A PATH with node and sh only: no compiler, no make, no python, no pcap-config. */
function pathWithoutCompiler(): string {
  const dir = join(tmp, 'no-compiler-bin');
  if (!existsSync(dir)) {
    mkdirSync(dir);
    symlinkSync(process.execPath, join(dir, 'node'));
    symlinkSync('/bin/sh', join(dir, 'sh'));
  }
  return dir;
}

test('without a compiler: the install succeeds with one line; -r works; -i, check -i and -D say the same line', () => {
  const env = userEnv({ PATH: pathWithoutCompiler() });
  const i = install('prefix-no-compiler', env);
  assert.equal(i.result.status, 0, `${i.result.stdout}\n${i.result.stderr}`);
  const lines = ourLines(i.result);
  assert.equal(lines.length, 1, lines.join('\n'));
  const m = NOT_BUILT.exec(lines[0]!);
  assert.ok(m, lines[0]);
  assert.equal(m[1], 'no C compiler found');
  assert.equal(m[2], join(i.pkg, 'scripts', 'build-native.mjs'), 'the command names the installed build script');
  assert.ok(!existsSync(join(i.pkg, 'native', 'build', 'Release', 'vrrpcap.node')));

  const report = run(i.bin, ['-r', join(i.pkg, CAPTURE)], env);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /^SPLIT BRAIN {2}VRID 99/);
  const check = run(i.bin, ['check', '-r', join(i.pkg, CAPTURE)], env);
  assert.equal(check.status, 2);

  const live = run(i.bin, ['-i', 'lo'], env);
  assert.equal(live.status, 1);
  assert.equal(live.stdout, '');
  assert.equal(live.stderr, `${lines[0]}\n`, '-i says the line of the install, word for word');
  const list = run(i.bin, ['-D'], env);
  assert.equal(list.stderr, `${lines[0]}\n`);
  const liveCheck = run(i.bin, ['check', '-i', 'lo'], env);
  assert.equal(liveCheck.status, 3);
  assert.equal(liveCheck.stdout, `VRRP UNKNOWN - ${lines[0]!.slice('vrrpwatch: '.length)}\n`);
});

test('npx --package TARBALL vrrpwatch -r runs the report', () => {
  const env = userEnv({ PATH: pathWithoutCompiler() });
  const npx = join(NPM_CLI, '..', 'npx-cli.js');
  const r = spawnSync(process.execPath, [npx, '--yes', '--prefer-offline', '--package', pack().file, 'vrrpwatch', '-r', join(ROOT, CAPTURE)],
    { cwd: tmp, env, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^SPLIT BRAIN {2}VRID 99: split brain for 10\.003 s/);
});
