// The shipped systemd unit and its local-MTA drop-in parse cleanly (systemd-analyze verify).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
const unit = readFileSync(join(docs, 'vrrpwatch.service'), 'utf8');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

test('unit: the documented ExecStart, capabilities instead of root', () => {
  assert.match(unit, /^ExecStart=\/usr\/local\/bin\/vrrpwatch -i eth0 --no-tui --events-only --metrics :9810 --notify \/etc\/vrrpwatch\/mail\.sh$/m);
  assert.match(unit, /^AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN$/m);
  assert.match(unit, /^CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN$/m);
  assert.match(unit, /^DynamicUser=yes$/m);
  assert.doesNotMatch(unit, /^User=root$/m);
  assert.doesNotMatch(unit, /^MemoryDenyWriteExecute=yes/m, 'breaks the Node JIT');
});

test('unit and drop-in: systemd-analyze verify reports nothing', { skip: !hasAnalyze && 'no systemd-analyze' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-unit-'));
  // verify insists that the binary exists: point it at /bin/true.
  writeFileSync(join(dir, 'vrrpwatch.service'), unit.replace(/\/usr\/local\/bin\/vrrpwatch/g, '/bin/true'));
  mkdirSync(join(dir, 'vrrpwatch.service.d'));
  writeFileSync(join(dir, 'vrrpwatch.service.d', 'local-mta.conf'), readFileSync(join(docs, 'examples', 'vrrpwatch-local-mta.conf')));
  const r = spawnSync('systemd-analyze', ['verify', 'vrrpwatch.service'], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:` },
  });
  rmSync(dir, { recursive: true });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(`${r.stdout}${r.stderr}`.trim(), '');
});
