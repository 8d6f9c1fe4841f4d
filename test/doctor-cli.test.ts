// `vrrpwatch doctor` as a user runs it, without a capture: exit codes (0 OK, 1 WARNING, 2 CRITICAL,
// 3 UNKNOWN), the text layout (verdict first, one block per finding with where, evidence and fix), the
// --json document and its size bound, --root for a copy of another node, --ruleset FILE, --help.
// Runs the built CLI (dist/); --root keeps the result independent of this machine's interfaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MAX_JSON_BYTES } from '../src/doctor/report.js';
import { ROOT, VRRPWATCH } from './support/live-lab.js';
import { CLASSIC_MASTER } from './support/doctor.js';

const skip = existsSync(join(ROOT, 'dist/src/cli/main.js')) ? undefined : 'needs `npm run build`';
const ACCEPT_ALL = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
const DROP_VRRP = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p vrrp -j DROP\nCOMMIT\n';

function node(files: Record<string, string>): { root: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'vw-doctor-cli-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return { root, done: () => rmSync(root, { recursive: true, force: true }) };
}

function doctor(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [VRRPWATCH, 'doctor', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const CONF = 'etc/keepalived/keepalived.conf';

test('exit 0: a clean configuration and a ruleset that accepts VRRP', { skip }, (t) => {
  const { root, done } = node({ [CONF]: CLASSIC_MASTER, 'rules.v4': ACCEPT_ALL });
  t.after(done);
  const r = doctor(['--root', root, '--ruleset', join(root, 'rules.v4')]);
  assert.equal(r.code, 0, r.out);
  const lines = r.out.split('\n');
  assert.match(lines[0]!, /^OK {2}doctor: nothing found that would split the brain$/);
  assert.ok(lines.includes(`config ${join(root, CONF)}: 1 vrrp_instance`), r.out);
  assert.ok(lines.some((l) => l.startsWith('  VI_1: eth0, VRID 51, MASTER priority 100, VRRPv2 IPv4, multicast 224.0.0.18')), r.out);
  assert.ok(lines.includes('wire: not compared (give -i IFACE to compare this configuration with the peers\' adverts)'), r.out);
  assert.match(r.out, /INFO {6}interfaces-not-checked  interfaces not checked: under --root/);
  assert.equal(r.err, '');
});

test('exit 1: a warning (a VIP without prefix) printed as a block with where, evidence and fix', { skip }, (t) => {
  const { root, done } = node({ [CONF]: CLASSIC_MASTER.replace('192.168.1.100/24', '192.168.1.100'), 'rules.v4': ACCEPT_ALL });
  t.after(done);
  const r = doctor(['--root', root, '--ruleset', join(root, 'rules.v4')]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^WARNING {2}doctor: 1 warning: VI_1: 192\.168\.1\.100 has no prefix length/);
  const block = r.out.slice(r.out.indexOf('WARNING   vip-no-prefix'));
  assert.match(block, new RegExp(`^WARNING   vip-no-prefix  VI_1: .*\\n    at ${join(root, CONF).replace(/[/.]/g, '\\$&')}:27\\n    - .*\\n    fix:\\n      write the subnet's prefix length .*:\\n        192\\.168\\.1\\.100/24\\n`));
});

test('exit 2: the ruleset drops VRRP; the peer priority shows a weight too small', { skip }, (t) => {
  const { root, done } = node({ [CONF]: CLASSIC_MASTER, 'rules.v4': DROP_VRRP });
  t.after(done);
  const r = doctor(['--root', root, '--ruleset', join(root, 'rules.v4'), '--peer-priority', '80']);
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /^CRITICAL {2}doctor: 1 critical, 1 warning: VI_1: the firewall drops VRRP from any source to 224\.0\.0\.18 in on eth0: a split brain will follow the first time the peer is master/);
  assert.match(r.out, /WARNING   weight-too-small  VI_1: track_script chk_nginx weight -10: 100 − 10 = 90 stays above the peer's 80: a failed check will not move the VIP/);
  assert.match(r.out, /iptables -I INPUT/);
});

test('exit 3: unreadable configuration or ruleset, bad arguments; one line (or a JSON verdict)', { skip }, (t) => {
  const { root, done } = node({ [CONF]: CLASSIC_MASTER });
  t.after(done);
  const missing = doctor(['--config', join(root, 'nope.conf'), '--ruleset', join(root, 'nope')]);
  assert.equal(missing.code, 3);
  assert.equal(missing.out, `UNKNOWN  doctor: cannot read ${join(root, 'nope.conf')}: no such file\n`);
  const rules = doctor(['--root', root, '--ruleset', join(root, 'nope.rules')]);
  assert.equal(rules.code, 3, rules.out);
  assert.match(rules.out, /^UNKNOWN  doctor: .*nope\.rules/);
  assert.equal(rules.out.split('\n').length, 2, 'one line');
  const prio = doctor(['--peer-priority', '300']);
  assert.equal(prio.code, 3);
  assert.match(prio.out, /^UNKNOWN  doctor: peer priority must be a whole number from 1 to 255, not '300'/);
  const unknown = doctor(['--frobnicate']);
  assert.equal(unknown.code, 3);
  assert.match(unknown.out, /unknown option '--frobnicate' \(see vrrpwatch doctor --help\)/);
  const json = doctor(['--config', join(root, 'nope.conf'), '--json']);
  assert.equal(json.code, 3);
  const doc = JSON.parse(json.out);
  assert.deepEqual([doc.schema, doc.verdict.label, doc.verdict.exitCode], ['vrrpwatch.doctor/1', 'UNKNOWN', 3]);
});

test('--json: versioned, worst first, bounded in size with what was left out counted', { skip }, (t) => {
  // 3000 instances, each with a VIP without prefix and a duplicate VRID: thousands of findings
  const many = Array.from({ length: 3000 }, (_, i) =>
    `vrrp_instance V${i} {\n interface eth0\n virtual_router_id ${(i % 255) + 1}\n virtual_ipaddress {\n  10.${i >> 8}.${i & 255}.1\n }\n}\n`).join('');
  const { root, done } = node({ [CONF]: many, 'rules.v4': ACCEPT_ALL });
  t.after(done);
  const r = doctor(['--root', root, '--ruleset', join(root, 'rules.v4'), '--json']);
  assert.equal(r.code, 2);
  assert.ok(Buffer.byteLength(r.out) <= MAX_JSON_BYTES + 1, `${Buffer.byteLength(r.out)} bytes`);
  const doc = JSON.parse(r.out);
  assert.equal(doc.schema, 'vrrpwatch.doctor/1');
  assert.ok(doc.omitted > 0);
  assert.equal(doc.findings[0].severity, 'critical');
  assert.equal(doc.config.instances.length, 100);
  assert.equal(doc.wire, null);
  const small = node({ [CONF]: CLASSIC_MASTER, 'rules.v4': ACCEPT_ALL });
  t.after(small.done);
  const s = JSON.parse(doctor(['--root', small.root, '--ruleset', join(small.root, 'rules.v4'), '--json']).out);
  assert.equal(s.omitted, 0);
  assert.deepEqual(s.config.instances[0], {
    name: 'VI_1', interface: 'eth0', vrid: 51, state: 'MASTER', priority: 100, version: 2, family: 4, advertInt: 1, authType: 'PASS',
    unicastPeers: [], group: '224.0.0.18', vips: ['192.168.1.100/24'], at: `${join(small.root, CONF)}:16`,
  });
  assert.ok(!JSON.stringify(s).includes('s3cret'), 'the password never appears');
});

test('--root: absolute includes are read under the root', { skip }, (t) => {
  const { root, done } = node({
    [CONF]: 'include /etc/keepalived/conf.d/*.conf\n',
    'etc/keepalived/conf.d/vi.conf': CLASSIC_MASTER,
    'rules.v4': ACCEPT_ALL,
  });
  t.after(done);
  const r = doctor(['--root', root, '--ruleset', join(root, 'rules.v4'), '--peer-priority', '80']);
  assert.match(r.out, new RegExp(`at ${join(root, 'etc/keepalived/conf.d/vi.conf').replace(/[/.]/g, '\\$&')}:11`));
});

test('--help names doctor and its options', { skip }, () => {
  const top = spawnSync(process.execPath, [VRRPWATCH, '--help'], { encoding: 'utf8' });
  assert.match(top.stdout, /doctor \[options\]/);
  const help = spawnSync(process.execPath, [VRRPWATCH, 'doctor', '--help'], { encoding: 'utf8' });
  for (const o of ['--config <file>', '--ruleset <file>', '-i, --interface <iface>', '-t, --timeout <seconds>', '--peer-priority <n>', '--root <dir>', '--json']) {
    assert.ok(help.stdout.includes(o), `${o} in:\n${help.stdout}`);
  }
  assert.equal(help.status, 0);
});

test('-i on an interface that does not exist: UNKNOWN, one line', { skip: skip ?? (existsSync(join(ROOT, 'native/build/Release/vrrpcap.node')) ? undefined : 'needs the libpcap binding') }, (t) => {
  const { root, done } = node({ [CONF]: CLASSIC_MASTER, 'rules.v4': ACCEPT_ALL });
  t.after(done);
  const r = doctor(['--root', root, '--ruleset', join(root, 'rules.v4'), '-i', 'nosuch0', '-t', '1']);
  assert.equal(r.code, 3);
  assert.match(r.out, /^UNKNOWN  doctor: no such interface: nosuch0/);
  assert.equal(r.out.split('\n').length, 2);
  assert.equal(r.err, '');
});
