import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { Analyzer } from '../src/analyze/analyzer.js';
import { fixesFor, firewallFixes, type Fix } from '../src/remedy/index.js';
import type { Finding } from '../src/analyze/model.js';
import { build, series, type AdvertSpec } from './support/records.js';

const A = '10.0.0.1';
const B = '10.0.0.2';

function analyse(specs: AdvertSpec[]): Finding[] {
  const an = new Analyzer();
  for (const r of build(specs)) an.packet(r);
  an.finish();
  return an.snapshot().findings;
}
function firewallSplit(): Finding {
  const specs: AdvertSpec[] = [...series(A, 0, 20, 1)];
  for (const s of series(B, 5.5, 15, 1, { prio: 80 })) specs.push(s, { t: s.t + 0.0002, src: A });
  return analyse(specs).find((f) => f.code === 'split-brain')!;
}
function cmds(fixes: Fix[], tool: Fix['tool']): string[] {
  return fixes.filter((f) => f.tool === tool).flatMap((f) => f.commands);
}

test('firewall-drop split brain: rules on the deaf host for the peer and the multicast group', () => {
  const f = firewallSplit();
  assert.equal(f.cause, 'firewall-drop');
  const fixes = fixesFor(f, { iface: 'eth0' });
  assert.deepEqual(fixes.map((x) => x.tool), ['firewalld', 'iptables', 'nftables', 'ufw', 'ufw']);
  assert.ok(fixes.every((x) => x.host === B));
  assert.deepEqual(cmds(fixes, 'firewalld'), [
    `firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="10.0.0.1" protocol value="vrrp" accept'`,
    'firewall-cmd --reload',
  ]);
  assert.deepEqual(cmds(fixes, 'iptables'), [
    'iptables -I INPUT -i eth0 -p vrrp -d 224.0.0.18 -j ACCEPT',
    'iptables -I INPUT -i eth0 -p vrrp -s 10.0.0.1 -j ACCEPT',
  ]);
  assert.deepEqual(cmds(fixes, 'nftables'), [
    'nft insert rule inet filter input iifname "eth0" ip daddr 224.0.0.18 meta l4proto vrrp accept',
    'nft insert rule inet filter input iifname "eth0" ip saddr 10.0.0.1 meta l4proto vrrp accept',
  ]);
  assert.deepEqual(cmds(fixes, 'ufw'), ['ufw allow in on eth0 proto vrrp from 10.0.0.1 to any',
    // ufw < 0.36.2: the rule put into before.rules, then a reload
    "sed -i '0,/^COMMIT$/s//-A ufw-before-input -i eth0 -p vrrp -s 10.0.0.1 -j ACCEPT\\nCOMMIT/' /etc/ufw/before.rules", 'ufw reload']);
  assert.match(fixes[4].title, /^ufw < 0\.36\.2: add the rule to \/etc\/ufw\/before\.rules/);
});

test('-i any names no interface: the rules leave it out', () => {
  const fixes = firewallFixes('10.0.0.2', ['10.0.0.1'], '224.0.0.18', 4, { iface: 'any' });
  assert.ok(fixes.flatMap((x) => x.commands).every((c) => !/ -i any|iifname "any"|in on any/.test(c)), JSON.stringify(fixes));
});

test('interface unknown: no -i / iifname; IPv6 peer uses ip6tables and family ipv6', () => {
  const fixes = firewallFixes('fe80::2', ['fe80::1'], 'ff02::12', 6);
  assert.deepEqual(cmds(fixes, 'iptables'), [
    'ip6tables -I INPUT -p vrrp -d ff02::12 -j ACCEPT',
    'ip6tables -I INPUT -p vrrp -s fe80::1 -j ACCEPT',
  ]);
  assert.deepEqual(cmds(fixes, 'nftables'), [
    'nft insert rule inet filter input ip6 daddr ff02::12 meta l4proto vrrp accept',
    'nft insert rule inet filter input ip6 saddr fe80::1 meta l4proto vrrp accept',
  ]);
  assert.ok(cmds(fixes, 'firewalld')[0].includes('rule family="ipv6" source address="fe80::1"'));
  assert.deepEqual(cmds(fixes, 'ufw'), ['ufw allow proto vrrp from fe80::1 to any',
    "sed -i '0,/^COMMIT$/s//-A ufw6-before-input -p vrrp -s fe80::1 -j ACCEPT\\nCOMMIT/' /etc/ufw/before6.rules", 'ufw reload']);
});

test('config causes give the keepalived.conf line to align', () => {
  const auth = analyse([...series(A, 0, 10, 1), ...series(B, 0.5, 10, 1, { prio: 80, auth: 'other' })]);
  const sbAuth = fixesFor(auth.find((f) => f.code === 'split-brain')!);
  assert.equal(sbAuth.length, 1);
  assert.equal(sbAuth[0].tool, 'keepalived');
  assert.deepEqual(sbAuth[0].commands, ['auth_type PASS', 'auth_pass <the same password, at most 8 characters, on every node>']);
  assert.ok(!JSON.stringify(sbAuth).includes('secret'), 'never print the password');

  const iv = analyse([...series(A, 0, 20, 1), ...series(B, 0.5, 20, 3, { prio: 80, interval: 3 }), ...series('10.0.0.3', 0.7, 1, 1, { prio: 50 })]);
  const ivFix = fixesFor(iv.find((f) => f.code === 'interval-mismatch')!);
  assert.deepEqual(ivFix[0].commands, ['advert_int 1']);
  assert.ok(ivFix[0].title.endsWith(': 10.0.0.2 differ'), ivFix[0].title);

  const ver = analyse([...series(A, 0, 10, 1), ...series(B, 0.5, 10, 1, { prio: 80, version: 3 })]);
  const verFix = fixesFor(ver.find((f) => f.code === 'split-brain')!);
  assert.equal(verFix[0].commands[0].split(' ')[0], 'vrrp_version');

  const w = analyse([...series(B, 0, 3.5, 1, { prio: 80 }), ...series(A, 3.3, 10, 1), ...series(A, 10, 20, 1, { prio: 90 })]);
  const wFix = fixesFor(w.find((f) => f.code === 'weight-too-small')!);
  assert.deepEqual(wFix[0].commands, ['track_script { <script> weight -21 }']);
  assert.equal(wFix[0].host, A);

  const ttl = analyse([...series(A, 0, 10, 1), ...series(B, 0.5, 10, 1, { prio: 80, ttl: 254 })]);
  const tFix = fixesFor(ttl.find((f) => f.code === 'ttl-not-255')!, { iface: 'eth1' });
  assert.deepEqual(cmds(tFix, 'iptables'), ['iptables -t mangle -I PREROUTING -i eth1 -p vrrp -j TTL --ttl-set 255']);
});

test('findings without a command give no fixes', () => {
  const nm = analyse([...series(A, 0, 10, 1), ...series(A, 20, 22, 1, {}, 40)]).find((f) => f.code === 'no-master')!;
  assert.deepEqual(fixesFor(nm), []);
});

test('hostile interface names are quoted, not pasted raw', () => {
  const fixes = firewallFixes(B, [A], '224.0.0.18', 4, { iface: 'eth0;rm -rf /' });
  for (const c of cmds(fixes, 'iptables')) assert.ok(c.includes("-i 'eth0;rm -rf /'"), c);
});

// ---- real syntax check in a throwaway network namespace (root only) ----
const isRoot = process.getuid?.() === 0;
const haveTools = spawnSync('sh', ['-c', 'command -v ip && command -v iptables && command -v nft'], { stdio: 'ignore' }).status === 0;
const NS = `vwa-rem-${process.pid}`;
let nsMade = false;
after(() => {
  if (nsMade) spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
});

/** A flood finding as the analyzer makes it (flood-evidence.ts): the flooding MACs, the real nodes. */
function floodFinding(): Finding {
  return {
    code: 'vrrp-flood', severity: 'critical', routerKey: null, vrid: null, family: null, title: 'VRRP flood', evidence: [], cause: null,
    fixContext: { deafHost: null, peers: ['10.0.0.1', '10.0.0.2'], multicast: null, family: 4, configKey: 'source-mac',
      values: { '0e:9f:ce:38:5a:68': '93.39.89.243 VRID 99', '46:e0:f6:d6:e1:8d': '213.167.2.18 VRID 99' } },
    firstSeen: 0, lastSeen: 1, count: 1000,
  };
}

test('vrrp-flood: find the flooding MACs on the switch and the bridge, accept VRRP only from the nodes', () => {
  const fixes = fixesFor(floodFinding());
  assert.deepEqual(fixes.map((f) => f.tool), ['switch', 'bridge', 'iptables', 'nftables']);
  assert.deepEqual(fixes[0]!.commands.slice(0, 2), ['show mac address-table address 0e9f.ce38.5a68', 'show mac address-table address 46e0.f6d6.e18d']);
  assert.deepEqual(fixes[1]!.commands, ['bridge fdb show | grep -i 0e:9f:ce:38:5a:68', 'bridge fdb show | grep -i 46:e0:f6:d6:e1:8d']);
  assert.deepEqual(fixes[2]!.commands, ['iptables -I INPUT -p vrrp -j DROP', 'iptables -I INPUT -p vrrp -s 10.0.0.2 -j ACCEPT', 'iptables -I INPUT -p vrrp -s 10.0.0.1 -j ACCEPT']);
  assert.match(fixes[2]!.title, /authentication does not stop it/);
});

test('iptables, ip6tables and nft commands run as printed in a namespace', { skip: !isRoot || !haveTools ? 'needs root, ip, iptables and nft' : false }, () => {
  execFileSync('ip', ['netns', 'add', NS]);
  nsMade = true;
  const sh = (cmd: string) => spawnSync('ip', ['netns', 'exec', NS, 'sh', '-c', cmd], { encoding: 'utf8' });
  // the table/chain the printed nft rules name (on a real host: the operator's own)
  assert.equal(sh("nft add table inet filter && nft 'add chain inet filter input { type filter hook input priority 0; }'").status, 0);
  const all: Fix[] = [
    ...fixesFor(firewallSplit(), { iface: 'eth0' }),
    ...fixesFor(firewallSplit()),
    ...firewallFixes('fe80::2', ['fe80::1'], 'ff02::12', 6, { iface: 'veth1' }),
    ...firewallFixes(null, [], null, 4),
    ...fixesFor(analyse([...series(A, 0, 10, 1), ...series(B, 0.5, 10, 1, { prio: 80, ttl: 254 })]).find((f) => f.code === 'ttl-not-255')!, { iface: 'eth0' }),
    ...fixesFor({ ...analyse([...series('fe80::1', 0, 5, 1, { ttl: 1 })]).find((f) => f.code === 'ttl-not-255')! }),
    ...fixesFor(floodFinding(), { iface: 'eth1' }),
  ];
  let ran = 0;
  for (const fx of all) {
    if (fx.tool !== 'iptables' && fx.tool !== 'nftables') continue;
    for (const c of fx.commands) {
      if (c.startsWith('nft insert') || c.startsWith('nft add rule')) {
        const chk = sh(c.replace(/^nft /, 'nft -c '));
        assert.equal(chk.status, 0, `nft -c rejected: ${c}\n${chk.stderr}`);
      }
      const r = sh(c);
      assert.equal(r.status, 0, `failed: ${c}\n${r.stderr}`);
      ran++;
    }
  }
  assert.ok(ran >= 14, `ran ${ran}`);
  const rules = sh('iptables -S INPUT; ip6tables -S INPUT; iptables -t mangle -S PREROUTING; nft list ruleset').stdout;
  assert.ok(rules.includes('-A INPUT -s 10.0.0.1/32 -i eth0 -p vrrp -j ACCEPT') || rules.includes('-A INPUT -s 10.0.0.1/32 -i eth0 -p 112 -j ACCEPT'), rules);
  assert.ok(/-A INPUT -d ff02::12\/128 -i veth1 -p (vrrp|112) -j ACCEPT/.test(rules), rules);
  assert.ok(rules.includes('iifname "eth0" ip saddr 10.0.0.1 meta l4proto vrrp accept'), rules);
  assert.ok(rules.includes('ip ttl set 255'), rules);
  assert.ok(rules.includes('ip6 hoplimit set 255'), rules);
  // the flood's allow-list: the nodes' ACCEPTs above the DROP
  const flood = sh('iptables -S INPUT').stdout.split('\n').filter((x) => x.includes('-i eth1'));
  assert.deepEqual(flood.map((x) => x.replace(/\/32/g, '').replace(/ -p 112 /, ' -p vrrp ')),
    ['-A INPUT -s 10.0.0.1 -i eth1 -p vrrp -j ACCEPT', '-A INPUT -s 10.0.0.2 -i eth1 -p vrrp -j ACCEPT', '-A INPUT -i eth1 -p vrrp -j DROP'], rules);
  // a wrong command must fail here, or the check proves nothing
  assert.notEqual(sh('nft insert rule inet filter input ip saddr 10.0.0.1 meta l4proto vrrpx accept').status, 0);
});
