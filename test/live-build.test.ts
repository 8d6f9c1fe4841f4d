// scripts/build-native.mjs: without a toolchain it must not fail the setup or the install: one line, exit 0,
// and the same line recorded in native/not-built.txt for `vrrpwatch -i` to repeat. Each test runs a copy of
// the script in a temporary folder (it writes beside itself), never in this checkout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-build-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** A package-shaped copy: scripts/build-native.mjs and native/ (sources given, or the real ones). */
function copy(name: string, source?: string): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'scripts'), { recursive: true });
  mkdirSync(join(root, 'native'));
  copyFileSync('scripts/build-native.mjs', join(root, 'scripts', 'build-native.mjs'));
  copyFileSync('native/binding.gyp', join(root, 'native', 'binding.gyp'));
  if (source === undefined) copyFileSync('native/vrrpcap.c', join(root, 'native', 'vrrpcap.c'));
  else writeFileSync(join(root, 'native', 'vrrpcap.c'), source);
  return root;
}
const LINE = /^vrrpwatch: live capture \(-i\) is not built \((.*)\); -r and check -r work\. For -i install libpcap-dev and a compiler: apt-get install libpcap-dev g\+\+ make, then node (\S+)$/;
const hasToolchain = ['cc', 'g++', 'make', 'python3'].every((c) => spawnSync('/bin/sh', ['-c', `command -v ${c}`]).status === 0)
  && existsSync('/usr/include/pcap/pcap.h');

test('without a C toolchain: exit 0, exactly one line, and the same line recorded for vrrpwatch -i', () => {
  const root = copy('no-cc');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs')], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  const m = LINE.exec(lines[0]!);
  assert.ok(m, lines[0]);
  assert.equal(m[1], 'no C compiler found');
  assert.equal(m[2], join(root, 'scripts', 'build-native.mjs'), 'the command to run again names this copy of the script');
  assert.equal(`vrrpwatch: ${readFileSync(join(root, 'native', 'not-built.txt'), 'utf8')}`, `${lines[0]}\n`);
});

test('with a missing compiler named by CC and no cc/gcc: still the one line, not a failure', () => {
  const root = copy('no-cc-named');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs')], { encoding: 'utf8',
    env: { ...process.env, PATH: '/nonexistent', CC: 'no-such-cc' } });
  assert.equal(r.status, 0);
  assert.match(r.stderr.trimEnd(), LINE);
  assert.match(r.stderr, /\(no C compiler found\)/);
});

test('a compile error: exit 1 with the compiler output by hand; one line and exit 0 at install (--install)',
  { skip: hasToolchain ? false : 'needs cc, g++, make, python3 and libpcap-dev' }, () => {
    const root = copy('broken', '#error this binding does not compile\n');
    const script = join(root, 'scripts', 'build-native.mjs');
    const byHand = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(byHand.status, 1);
    assert.match(byHand.stderr, /this binding does not compile/);
    assert.match(byHand.stderr, /build-native: error: the libpcap binding failed to compile/);
    const atInstall = spawnSync(process.execPath, [script, '--install'], { encoding: 'utf8' });
    assert.equal(atInstall.status, 0, atInstall.stderr);
    const lines = atInstall.stderr.trim().split('\n');
    assert.equal(lines.length, 1, atInstall.stderr);
    const log = join(root, 'native', 'build-native.log');
    assert.equal(LINE.exec(lines[0]!)?.[1], `the compile failed: ${log}`);
    assert.match(readFileSync(log, 'utf8'), /this binding does not compile/, 'the compiler output is kept in the log the line names');
  });

test('a successful build removes the record of an earlier failure',
  { skip: hasToolchain ? false : 'needs cc, g++, make, python3 and libpcap-dev' }, () => {
    const root = copy('fixed');
    const script = join(root, 'scripts', 'build-native.mjs');
    writeFileSync(join(root, 'native', 'not-built.txt'), 'live capture (-i) is not built (an earlier failure); ...\n');
    const r = spawnSync(process.execPath, [script, '--install'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^vrrpwatch: live capture ready: built .*vrrpcap\.node\n$/);
    assert.ok(existsSync(join(root, 'native', 'build', 'Release', 'vrrpcap.node')));
    assert.ok(!existsSync(join(root, 'native', 'not-built.txt')));
  });

test('without the libpcap headers (libpcap-dev not installed): the one line names them',
  { skip: process.getuid?.() !== 0 ? 'needs root (a private mount namespace hides the headers)' : !hasToolchain ? 'needs cc, g++, make, python3 and libpcap-dev' : false }, () => {
    const root = copy('no-headers');
    const script = join(root, 'scripts', 'build-native.mjs');
    // only inside this mount namespace: an empty /usr/include/pcap, and a pcap-config that cannot run
    const hide = 'mount -t tmpfs none /usr/include/pcap && { ! command -v pcap-config >/dev/null || mount --bind /dev/null "$(command -v pcap-config)"; }';
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', `${hide} && exec "$0" "$1" --install`, process.execPath, script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.equal(LINE.exec(lines[0]!)?.[1], 'the libpcap headers are missing', lines[0]);
    assert.ok(existsSync('/usr/include/pcap/pcap.h'), 'the headers are hidden from that process only');
  });
