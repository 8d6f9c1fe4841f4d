// The shipped systemd unit and its local-MTA drop-in: they parse cleanly (systemd-analyze verify), and the
// capabilities they leave (systemd's merge rules applied to both files) still let the capture open,
// checked by running the real CLI with exactly those capability sets as a non-root user (setpriv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
const unit = readFileSync(join(docs, 'vrrpwatch.service'), 'utf8');
const dropIn = readFileSync(join(docs, 'examples', 'vrrpwatch-local-mta.conf'), 'utf8');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

test('unit: the documented ExecStart, capabilities instead of root', () => {
  // Metrics on loopback by default (no TLS, no auth: docs/metrics.md), not on every address.
  assert.match(unit, /^ExecStart=\/usr\/local\/bin\/vrrpwatch -i eth0 --no-tui --events-only --metrics 127\.0\.0\.1:9810 --notify \/etc\/vrrpwatch\/mail\.sh$/m);
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

/** A capability list after systemd's rules over the files in order: lines are ORed, an empty
 *  assignment resets to the empty set (systemd.exec(5), CapabilityBoundingSet=, AmbientCapabilities=). */
function caps(key: string, ...files: string[]): Set<string> {
  let set = new Set<string>();
  for (const f of files) {
    for (const m of f.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))) {
      const v = m[1]!.trim();
      assert.ok(!v.startsWith('~'), 'inverted lists are not modelled here');
      if (v === '') set = new Set();
      else for (const c of v.split(/\s+/)) set.add(c);
    }
  }
  return set;
}

test('drop-in: the capture capabilities survive it, plus what a setuid/setgid sendmail needs', () => {
  for (const [name, files] of [['unit', [unit]], ['unit + local-mta drop-in', [unit, dropIn]]] as const) {
    const bounding = caps('CapabilityBoundingSet', ...files);
    const ambient = caps('AmbientCapabilities', ...files);
    for (const c of ['CAP_NET_RAW', 'CAP_NET_ADMIN']) {
      assert.ok(bounding.has(c), `${name}: ${c} in the bounding set (${[...bounding].join(' ') || 'empty'})`);
      assert.ok(ambient.has(c), `${name}: ${c} ambient`);
    }
    for (const c of ambient) assert.ok(bounding.has(c), `${name}: ambient ${c} must be in the bounding set`);
  }
  const both = caps('CapabilityBoundingSet', unit, dropIn);
  for (const c of ['CAP_SETUID', 'CAP_SETGID']) assert.ok(both.has(c), `drop-in: ${c} for a setuid-root sendmail (Exim)`);
  assert.match(dropIn, /^NoNewPrivileges=no$/m, 'setgid postdrop / setuid exim need NoNewPrivileges off');
  assert.match(dropIn, /^SecureBits=$/m, 'noroot-locked would deny a setuid-root MTA its capabilities');
});

const root = join(docs, '..');
const canCapture = process.getuid?.() === 0 && existsSync(join(root, 'native/build/Release/vrrpcap.node')) &&
  existsSync(join(root, 'dist/src/cli/main.js')) && spawnSync('setpriv', ['--version']).status === 0;
test('with the capability sets of the unit, and of the unit + drop-in, a non-root vrrpwatch opens the capture', { skip: !canCapture && 'needs root, setpriv, npm run build and the libpcap binding' }, () => {
  const list = (s: Set<string>): string => [...s].map((c) => `+${c.replace(/^CAP_/, '').toLowerCase()}`).join(',');
  for (const [name, files] of [['unit', [unit]], ['unit + local-mta drop-in', [unit, dropIn]]] as const) {
    const ambient = list(caps('AmbientCapabilities', ...files));
    const bounding = list(caps('CapabilityBoundingSet', ...files));
    // Listening on lo for one second (nothing is sent): "no VRRP advertisement seen" means it opened.
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', `--inh-caps=-all,${ambient}`,
      `--ambient-caps=-all,${ambient}`, `--bounding-set=-all,${bounding}`, '--', process.execPath, join(root, 'bin/vrrpwatch'), 'check', '-i', 'lo', '-t', '1'],
    { encoding: 'utf8', timeout: 20_000 });
    assert.match(r.stdout, /no VRRP advertisement seen/, `${name}: ${r.stdout}${r.stderr}`);
  }
});
