// scripts/build-native.mjs: without a toolchain it must not fail the setup: one warning line, exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('build-native without a C toolchain: exit 0 and exactly one warning line', () => {
  const r = spawnSync(process.execPath, ['scripts/build-native.mjs'], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^build-native: warning: libpcap binding not built \(.*\); -r works, live capture \(-i\) will not$/);
  assert.equal(r.stdout, '');
});

test('build-native with a missing compiler named by CC and no cc/gcc: still a warning, not a failure', () => {
  const r = spawnSync(process.execPath, ['scripts/build-native.mjs'], { encoding: 'utf8',
    env: { ...process.env, PATH: '/nonexistent', CC: 'no-such-cc' } });
  assert.equal(r.status, 0);
  assert.match(r.stderr, /no C compiler: install g\+\+/);
});
