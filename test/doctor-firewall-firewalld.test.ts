// doctor's firewall half on firewalld: zone XML trees (firewalld need not run) and firewall-cmd output of
// a running firewalld (its --list-all-zones text, made here by firewall-offline-cmd from the same tree).
// Every fix printed is applied with firewall-offline-cmd to a scratch copy of the tree (inside a namespace
// of the test's own, so nothing can reach the host's firewall), and the tree evaluated again is accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFirewall, type FirewallOptions, type PathVerdict, type VrrpPath } from '../src/doctor/firewall/index.js';
import { parseXml } from '../src/doctor/firewall/xml.js';

const DEFAULTS = fileURLToPath(new URL('./fixtures/doctor-firewall/firewalld-defaults', import.meta.url));
const haveOffline = spawnSync('sh', ['-c', 'command -v firewall-offline-cmd && command -v ip'], { stdio: 'ignore' }).status === 0;
const offlineSkip = process.getuid?.() !== 0 || !haveOffline ? 'needs root, ip and firewall-offline-cmd (Debian package firewalld)' : false;

const MC: VrrpPath = { direction: 'in', family: 4, iface: 'eth0', peer: '10.0.0.1', local: '10.0.0.2', group: '224.0.0.18', instance: 'VI_1' };
const ANY: VrrpPath = { ...MC, peer: null };
const V6: VrrpPath = { direction: 'in', family: 6, iface: 'eth0', peer: 'fe80::1', local: null, group: 'ff02::12', instance: 'VI_6' };
const OUT: VrrpPath = { direction: 'out', family: 4, iface: 'eth0', peer: null, local: '10.0.0.2', group: '224.0.0.18', instance: 'VI_1' };

/** A root tree: firewalld's defaults under usr/lib, the given files under etc. */
function tree(files: Record<string, string>, conf = 'DefaultZone=public\nFirewallBackend=nftables\n'): string {
  const root = mkdtempSync(join(tmpdir(), 'vwf-fwd-'));
  mkdirSync(join(root, 'usr/lib/firewalld'), { recursive: true });
  cpSync(DEFAULTS, join(root, 'usr/lib/firewalld'), { recursive: true });
  mkdirSync(join(root, 'etc/firewalld/zones'), { recursive: true });
  writeFileSync(join(root, 'etc/firewalld/firewalld.conf'), conf);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const zone = (body: string, target = '') => `<?xml version="1.0" encoding="utf-8"?>\n<zone${target !== '' ? ` target="${target}"` : ''}>\n  <short>Z</short>\n${body}\n</zone>\n`;
const PUBLIC_ETH0 = zone('  <service name="ssh"/>\n  <service name="dhcpv6-client"/>\n  <interface name="eth0"/>');

/** firewalld not running; `firewall-cmd --version` answers `version`. */
function offlineRun(version: string | null): NonNullable<FirewallOptions['run']> {
  return (argv) => (argv[0] === 'firewall-cmd' && argv[1] === '--version' && version !== null
    ? { status: 0, stdout: version + '\n', stderr: '' }
    : argv[0] === 'firewall-cmd' ? { status: 252, stdout: 'not running\n', stderr: '' }
      : { status: null, stdout: '', stderr: 'not installed (test)' });
}

function check(paths: VrrpPath[], root: string, run = offlineRun('1.3.3')): PathVerdict[] {
  return checkFirewall(paths, { kind: 'live' }, { root, run }).verdicts;
}

/** Runs a printed firewalld fix on the scratch tree with firewall-offline-cmd, inside a namespace of our own. */
function applyFix(root: string, commands: string[]): void {
  const ns = `vwf-${process.pid}-fwd`;
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    for (const cmd of commands) {
      if (cmd === 'firewall-cmd --reload' || cmd.startsWith('#')) continue;
      const offline = cmd.replace(/^firewall-cmd --permanent /, 'firewall-offline-cmd ')
        .replace(/^firewall-offline-cmd /, `firewall-offline-cmd --system-config ${root}/etc/firewalld --default-config ${root}/usr/lib/firewalld `);
      assert.ok(offline.startsWith('firewall-offline-cmd --system-config'), `a firewalld command: ${cmd}`);
      const r = spawnSync('ip', ['netns', 'exec', ns, 'sh', '-c', offline], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${offline}: ${r.stderr}${r.stdout}`);
    }
  } finally { spawnSync('ip', ['netns', 'del', ns]); }
}

test('xml reader: elements, attributes, entities, comments; malformed input throws', () => {
  const el = parseXml('<?xml version="1.0"?>\n<!-- c --><zone target="%%REJECT%%"><short>A &amp; B</short><rule family=\'ipv4\'><source address="10.0.0.0/8" invert="True"/><accept/></rule></zone>');
  assert.equal(el.name, 'zone');
  assert.equal(el.attrs.target, '%%REJECT%%');
  assert.equal(el.children[0].text, 'A & B');
  assert.equal(el.children[1].children[0].attrs.invert, 'True');
  assert.throws(() => parseXml('<zone><short></zone>'), /closes/);
  assert.throws(() => parseXml('<zone>'), /not closed/);
});

test('firewalld zone public holding eth0 rejects VRRP: the zone and its target decide', () => {
  const root = tree({ 'etc/firewalld/zones/public.xml': PUBLIC_ETH0 });
  try {
    const r = checkFirewall([MC, V6, OUT], { kind: 'live' }, { root, run: offlineRun('1.3.3') });
    assert.ok(r.backends.includes('firewalld 1.3.3 (not running: its configuration)'), r.backends.join());
    assert.ok(r.notes.some((n) => n.includes('firewalld is not running')));
    const [mc, v6, out] = r.verdicts;
    assert.equal(mc.verdict, 'rejected');
    assert.match(mc.decidedBy, /zone public \(eth0\): no rule accepts vrrp; target default rejects it/);
    assert.equal(v6.verdict, 'rejected');
    assert.equal(out.verdict, 'accepted', 'firewalld filters nothing this node sends');
    assert.deepEqual(mc.fixes.map((f) => f.commands), [[`firewall-offline-cmd --zone=public --add-rich-rule='rule family="ipv4" source address="10.0.0.1" protocol value="vrrp" accept'`]]);
    assert.deepEqual(v6.fixes[0].commands, [`firewall-offline-cmd --zone=public --add-rich-rule='rule family="ipv6" source address="fe80::1" protocol value="vrrp" accept'`]);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('firewalld: any source gets --add-protocol=vrrp before 2.1.0 and --add-service=vrrp from 2.1.0', () => {
  const root = tree({ 'etc/firewalld/zones/public.xml': PUBLIC_ETH0 });
  try {
    assert.deepEqual(check([ANY], root, offlineRun('1.3.3'))[0].fixes[0].commands, ['firewall-offline-cmd --zone=public --add-protocol=vrrp']);
    assert.deepEqual(check([ANY], root, offlineRun('2.1.1'))[0].fixes[0].commands, ['firewall-offline-cmd --zone=public --add-service=vrrp']);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('firewalld: the interface\'s zone from NetworkManager (keyfile zone=, ifcfg ZONE=), else the default zone', () => {
  const root = tree({
    'etc/NetworkManager/system-connections/lan.nmconnection': '[connection]\nid=lan\ntype=ethernet\ninterface-name=eth0\nzone=internal\n',
    'etc/sysconfig/network-scripts/ifcfg-eth1': 'DEVICE=eth1\nZONE="trusted"\n',
  }, 'DefaultZone=drop\n');
  try {
    const [a, b, c] = check([MC, { ...MC, iface: 'eth1' }, { ...MC, iface: 'eth2' }], root);
    assert.equal(a.verdict, 'rejected');
    assert.match(a.decidedBy, /zone internal \(eth0\)/);
    assert.match(a.fixes[0].commands[0], /--zone=internal /);
    assert.equal(b.verdict, 'accepted');
    assert.match(b.decidedBy, /zone trusted \(eth1\).*target ACCEPT/);
    assert.equal(c.verdict, 'dropped');
    assert.match(c.decidedBy, /zone drop: no rule accepts vrrp; target DROP drops it/);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('firewalld: a zone bound to the peer\'s source wins over the interface\'s zone', () => {
  const root = tree({
    'etc/firewalld/zones/public.xml': PUBLIC_ETH0,
    'etc/firewalld/zones/peers.xml': zone('  <source address="10.0.0.0/24"/>\n  <protocol value="vrrp"/>'),
  });
  try {
    const [inside, outside] = check([MC, { ...MC, peer: '192.0.2.7' }], root);
    assert.equal(inside.verdict, 'accepted');
    assert.match(inside.decidedBy, /zone peers.*protocol vrrp/);
    assert.equal(outside.verdict, 'rejected');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('firewalld: rich rule order — a deny rule at priority 0 beats an allow, so the fix gets a lower priority', () => {
  const root = tree({ 'etc/firewalld/zones/public.xml': zone('  <service name="ssh"/>\n  <interface name="eth0"/>\n  <rule priority="-5"><source address="192.0.2.0/24"/><accept/></rule>\n  <rule><protocol value="vrrp"/><drop/></rule>\n  <rule family="ipv4"><source address="10.0.0.1"/><protocol value="vrrp"/><accept/></rule>') });
  try {
    const [mc, early] = check([MC, { ...MC, peer: '192.0.2.9' }], root);
    assert.equal(mc.verdict, 'dropped');
    assert.match(mc.decidedBy, /rule protocol value="vrrp" drop/);
    assert.equal(early.verdict, 'accepted', 'a priority -5 rule runs before the deny');
    assert.deepEqual(mc.fixes.map((f) => f.commands), [[`firewall-offline-cmd --zone=public --add-rich-rule='rule priority="-6" family="ipv4" source address="10.0.0.1" protocol value="vrrp" accept'`]]);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

// firewalld requires a policy's target
const policy = (attrs: string, body: string) => `<?xml version="1.0" encoding="utf-8"?>\n<policy ${attrs.includes('target=') ? attrs : 'target="CONTINUE" ' + attrs}>\n  <short>P</short>\n${body}\n</policy>\n`;
const ALLOW_HOST_IPV6 = policy('target="CONTINUE" priority="-15000"', '  <ingress-zone name="ANY"/>\n  <egress-zone name="HOST"/>\n' +
  '  <rule family="ipv6"><icmp-type name="neighbour-solicitation"/><accept/></rule>');

test('firewalld policies (1.0+): towards HOST, before (priority < 0) or after (> 0) the zones, for their ingress zones only', () => {
  const files = {
    'usr/lib/firewalld/policies/allow-host-ipv6.xml': ALLOW_HOST_IPV6,
    'etc/firewalld/zones/public.xml': PUBLIC_ETH0,
    'etc/firewalld/zones/internal.xml': zone('  <service name="ssh"/>\n  <interface name="eth1"/>'),
  };
  const shipped = tree(files);
  const early = tree({ ...files, 'etc/firewalld/policies/vrrp-in.xml': policy('priority="-10"', '  <ingress-zone name="ANY"/>\n  <egress-zone name="HOST"/>\n  <protocol value="vrrp"/>') });
  const late = tree({ ...files, 'etc/firewalld/policies/vrrp-internal.xml': policy('priority="10"', '  <ingress-zone name="internal"/>\n  <egress-zone name="HOST"/>\n  <service name="vrrp"/>'),
    'etc/firewalld/policies/out-only.xml': policy('target="ACCEPT" priority="5"', '  <ingress-zone name="HOST"/>\n  <egress-zone name="ANY"/>') });
  try {
    const [v4, v6] = check([MC, V6], shipped);
    assert.equal(v4.verdict, 'rejected', 'the shipped allow-host-ipv6 policy opens ICMPv6 only');
    assert.equal(v6.verdict, 'rejected');
    const [a] = check([MC], early);
    assert.equal(a.verdict, 'accepted');
    assert.match(a.decidedBy, /policy vrrp-in rule 1: protocol vrrp/);
    const [eth0, eth1] = check([MC, { ...MC, iface: 'eth1' }], late);
    assert.equal(eth0.verdict, 'rejected', 'the policy is for traffic from zone internal only');
    assert.match(eth0.decidedBy, /no zone or policy accepts vrrp; the zone's target default rejects it/);
    assert.equal(eth1.verdict, 'accepted');
    assert.match(eth1.decidedBy, /policy vrrp-internal rule 1: service vrrp \(protocols: vrrp\)/);
  } finally { for (const r of [shipped, early, late]) rmSync(r, { recursive: true, force: true }); }
});

test('firewalld running: --list-all-zones output (runtime) is evaluated; fixes are firewall-cmd --permanent + --reload', { skip: offlineSkip }, () => {
  const root = tree({ 'etc/firewalld/zones/public.xml': PUBLIC_ETH0, 'usr/lib/firewalld/policies/allow-host-ipv6.xml': ALLOW_HOST_IPV6,
    'etc/firewalld/policies/vrrp-ipv6.xml': policy('priority="-10"', '  <ingress-zone name="ANY"/>\n  <egress-zone name="HOST"/>\n  <rule family="ipv6"><protocol value="vrrp"/><accept/></rule>') });
  try {
    const offline = (what: string) => spawnSync('firewall-offline-cmd', ['--system-config', `${root}/etc/firewalld`, '--default-config', `${root}/usr/lib/firewalld`, what], { encoding: 'utf8' });
    const r = offline('--list-all-zones');
    assert.equal(r.status, 0, r.stderr);
    const pol = offline('--list-all-policies');
    assert.equal(pol.status, 0, pol.stderr);
    assert.match(pol.stdout, /vrrp-ipv6/);
    const run: NonNullable<FirewallOptions['run']> = (argv) => {
      const a = argv.join(' ');
      if (a === 'firewall-cmd --state') return { status: 0, stdout: 'running\n', stderr: '' };
      if (a === 'firewall-cmd --version') return { status: 0, stdout: '1.3.3\n', stderr: '' };
      if (a === 'firewall-cmd --get-default-zone') return { status: 0, stdout: 'public\n', stderr: '' };
      if (a === 'firewall-cmd --list-all-zones') return { status: 0, stdout: r.stdout, stderr: '' };
      if (a === 'firewall-cmd --list-all-policies') return { status: 0, stdout: pol.stdout, stderr: '' };
      return { status: null, stdout: '', stderr: 'not installed (test)' };
    };
    const rep = checkFirewall([MC, ANY, V6], { kind: 'live' }, { root, run });
    assert.ok(rep.backends.includes('firewalld 1.3.3 (nftables)'), rep.backends.join());
    const [mc, any, v6] = rep.verdicts;
    assert.equal(v6.verdict, 'accepted', 'a policy from --list-all-policies opens IPv6 VRRP');
    assert.match(v6.decidedBy, /policy vrrp-ipv6/);
    assert.equal(mc.verdict, 'rejected');
    assert.match(mc.decidedBy, /firewalld 1\.3\.3 \(nftables\) zone public \(eth0\)/);
    assert.deepEqual(mc.fixes[0].commands, [`firewall-cmd --permanent --zone=public --add-rich-rule='rule family="ipv4" source address="10.0.0.1" protocol value="vrrp" accept'`, 'firewall-cmd --reload']);
    assert.deepEqual(any.fixes[0].commands, ['firewall-cmd --permanent --zone=public --add-protocol=vrrp', 'firewall-cmd --reload']);
    // the permanent change, made offline on the same tree, is what the reload loads
    applyFix(root, mc.fixes[0].commands);
    assert.equal(check([MC], root)[0].verdict, 'accepted');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('firewalld running: its own nft table is left to the zone model; other nft tables still count', () => {
  const root = tree({ 'etc/firewalld/zones/trusted.xml': zone('  <interface name="eth0"/>', 'ACCEPT') });
  try {
    const table = (family: string, name: string, policy: string, rules: unknown[][]) => [
      { table: { family, name, handle: 1 } },
      { chain: { family, table: name, name: 'filter_INPUT', handle: 1, type: 'filter', hook: 'input', prio: 10, policy } },
      ...rules.map((expr, i) => ({ rule: { family, table: name, chain: 'filter_INPUT', handle: i + 2, expr } })),
    ];
    // firewalld's table would reject everything here; the zone model (eth0 in trusted) accepts
    const doc = (extra: unknown[]) => JSON.stringify({ nftables: [{ metainfo: { json_schema_version: 1 } },
      ...table('inet', 'firewalld', 'accept', [[{ reject: { type: 'icmpx', expr: 'admin-prohibited' } }]]), ...extra] });
    const run = (nftJson: string): NonNullable<FirewallOptions['run']> => (argv) => {
      const a = argv.join(' ');
      if (a === 'firewall-cmd --state') return { status: 0, stdout: 'running\n', stderr: '' };
      if (a === 'firewall-cmd --version') return { status: 0, stdout: '1.3.3\n', stderr: '' };
      if (a === 'firewall-cmd --get-default-zone') return { status: 0, stdout: 'public\n', stderr: '' };
      if (a === 'firewall-cmd --list-all-zones') return { status: 0, stdout: 'trusted (active)\n  target: ACCEPT\n  interfaces: eth0\n  services: \n  protocols: \n  rich rules: \n\npublic\n  target: default\n  interfaces: \n  services: ssh\n', stderr: '' };
      if (a === 'nft -j list ruleset') return { status: 0, stdout: nftJson, stderr: '' };
      return { status: null, stdout: '', stderr: 'not installed (test)' };
    };
    const alone = checkFirewall([MC], { kind: 'live' }, { root, run: run(doc([])) });
    assert.equal(alone.verdicts[0].verdict, 'accepted', JSON.stringify(alone.verdicts[0]));
    assert.match(alone.verdicts[0].decidedBy, /zone trusted \(eth0\).*target ACCEPT/);
    const withOther = checkFirewall([MC], { kind: 'live' }, { root, run: run(doc(table('ip', 'extra', 'drop', []))) });
    assert.equal(withOther.verdicts[0].verdict, 'dropped');
    assert.equal(withOther.verdicts[0].decidedBy, 'nftables ip extra filter_INPUT policy drop');
    assert.equal(withOther.verdicts[0].fixes[0].tool, 'nftables');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('firewalld: every printed fix, applied with firewall-offline-cmd to the tree, makes the path accepted', { skip: offlineSkip }, () => {
  const cases: { files: Record<string, string>; conf?: string; path: VrrpPath; version: string }[] = [
    { files: { 'etc/firewalld/zones/public.xml': PUBLIC_ETH0 }, path: MC, version: '1.3.3' },
    { files: { 'etc/firewalld/zones/public.xml': PUBLIC_ETH0 }, path: ANY, version: '1.3.3' },
    { files: { 'etc/firewalld/zones/public.xml': PUBLIC_ETH0 }, path: ANY, version: '2.1.1' },
    { files: { 'etc/firewalld/zones/public.xml': PUBLIC_ETH0 }, path: V6, version: '1.3.3' },
    { files: { 'etc/NetworkManager/system-connections/lan.nmconnection': '[connection]\ninterface-name=eth0\nzone=internal\n' }, path: MC, version: '1.3.3' },
    { files: {}, conf: 'DefaultZone=block\n', path: MC, version: '1.3.3' },
    { files: { 'etc/firewalld/zones/public.xml': zone('  <interface name="eth0"/>\n  <rule><protocol value="vrrp"/><reject/></rule>') }, path: ANY, version: '1.3.3' },
  ];
  for (const c of cases) {
    const root = tree(c.files, c.conf);
    try {
      const v = check([c.path], root, offlineRun(c.version))[0];
      assert.notEqual(v.verdict, 'accepted');
      assert.equal(v.fixes.length, 1);
      applyFix(root, v.fixes[0].commands);
      const again = check([c.path], root, offlineRun(c.version))[0];
      assert.equal(again.verdict, 'accepted', `${v.fixes[0].commands.join('; ')} → ${JSON.stringify(again)}`);
    } finally { rmSync(root, { recursive: true, force: true }); }
  }
});
