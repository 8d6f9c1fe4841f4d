// src/remedy, unit by unit: every finding code and cause that has a fix, every option that changes a
// command, with the whole Fix (tool, host, title, commands) written out. The commands are the firewall
// tools' and keepalived.conf's own syntax (iptables(8), nft(8), firewall-cmd(1), ufw(8), keepalived.conf(5));
// test/remedy.test.ts runs the iptables/nft ones in a namespace, these pin every word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixesFor, firewallFixes, type Fix } from '../src/remedy/index.js';
import type { Finding } from '../src/analyze/model.js';

const NFT_TITLE_TAIL = "(use your table/chain from 'nft list ruleset'; persist in /etc/nftables.conf)";

/** A finding with only what src/remedy reads set; the rest neutral. */
function finding(code: Finding['code'], over: Partial<Finding> = {}, ctx: Partial<Finding['fixContext']> = {}): Finding {
  return {
    code, severity: 'critical', routerKey: null, vrid: 51, family: 4, title: 't', evidence: [], cause: null,
    firstSeen: 0, lastSeen: 0, count: 1,
    ...over,
    fixContext: { deafHost: null, peers: [], multicast: null, family: 4, ...ctx },
  };
}

test('firewallFixes with nothing known: the whole protocol, on every node, IPv4', () => {
  const fixes = firewallFixes(null, [], null, null);
  assert.deepEqual(fixes, [
    { tool: 'firewalld', host: null, title: 'firewalld: accept VRRP from any source on every node',
      commands: ['firewall-cmd --permanent --add-protocol=vrrp', 'firewall-cmd --reload'] },
    { tool: 'iptables', host: null, title: 'iptables: accept VRRP on every node (persist with netfilter-persistent save)',
      commands: ['iptables -I INPUT -p vrrp -j ACCEPT'] },
    { tool: 'nftables', host: null, title: `nftables: accept VRRP on every node ${NFT_TITLE_TAIL}`,
      commands: ['nft insert rule inet filter input meta l4proto vrrp accept'] },
    { tool: 'ufw', host: null, title: 'ufw (>= 0.36.2): accept VRRP on every node',
      commands: ['ufw allow proto vrrp from any to any'] },
    { tool: 'ufw', host: null, title: 'ufw < 0.36.2: add the rule to /etc/ufw/before.rules on every node, then reload',
      commands: ["sed -i '0,/^COMMIT$/s//-A ufw-before-input -p vrrp -j ACCEPT\\nCOMMIT/' /etc/ufw/before.rules", 'ufw reload'] },
  ]);
});

test('firewallFixes, IPv6 with no peer and no group: ip6tables and before6.rules (ufw6 chain)', () => {
  const fixes = firewallFixes('fe80::2', [], null, 6, { iface: 'veth1' });
  assert.deepEqual(fixes, [
    { tool: 'firewalld', host: 'fe80::2', title: 'firewalld: accept VRRP from any source on fe80::2',
      commands: ['firewall-cmd --permanent --add-protocol=vrrp', 'firewall-cmd --reload'] },
    { tool: 'iptables', host: 'fe80::2', title: 'iptables: accept VRRP on fe80::2 (persist with netfilter-persistent save)',
      commands: ['ip6tables -I INPUT -i veth1 -p vrrp -j ACCEPT'] },
    { tool: 'nftables', host: 'fe80::2', title: `nftables: accept VRRP on fe80::2 ${NFT_TITLE_TAIL}`,
      commands: ['nft insert rule inet filter input iifname "veth1" meta l4proto vrrp accept'] },
    { tool: 'ufw', host: 'fe80::2', title: 'ufw (>= 0.36.2): accept VRRP on fe80::2',
      commands: ['ufw allow in on veth1 proto vrrp from any to any'] },
    { tool: 'ufw', host: 'fe80::2', title: 'ufw < 0.36.2: add the rule to /etc/ufw/before6.rules on fe80::2, then reload',
      commands: ["sed -i '0,/^COMMIT$/s//-A ufw6-before-input -i veth1 -p vrrp -j ACCEPT\\nCOMMIT/' /etc/ufw/before6.rules", 'ufw reload'] },
  ]);
});

test('firewallFixes, two peers and the group on a named interface: one rule per peer, titles list them', () => {
  const fixes = firewallFixes('10.0.0.2', ['10.0.0.1', '10.0.0.3'], '224.0.0.18', 4, { iface: 'eth0' });
  assert.deepEqual(fixes, [
    { tool: 'firewalld', host: '10.0.0.2', title: 'firewalld: accept VRRP from 10.0.0.1, 10.0.0.3 on 10.0.0.2',
      commands: [
        `firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="10.0.0.1" protocol value="vrrp" accept'`,
        `firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="10.0.0.3" protocol value="vrrp" accept'`,
        'firewall-cmd --reload'] },
    { tool: 'iptables', host: '10.0.0.2',
      title: 'iptables: accept VRRP to 224.0.0.18 from 10.0.0.1, 10.0.0.3 on 10.0.0.2 (persist with netfilter-persistent save)',
      commands: [
        'iptables -I INPUT -i eth0 -p vrrp -d 224.0.0.18 -j ACCEPT',
        'iptables -I INPUT -i eth0 -p vrrp -s 10.0.0.1 -j ACCEPT',
        'iptables -I INPUT -i eth0 -p vrrp -s 10.0.0.3 -j ACCEPT'] },
    { tool: 'nftables', host: '10.0.0.2', title: `nftables: accept VRRP on 10.0.0.2 ${NFT_TITLE_TAIL}`,
      commands: [
        'nft insert rule inet filter input iifname "eth0" ip daddr 224.0.0.18 meta l4proto vrrp accept',
        'nft insert rule inet filter input iifname "eth0" ip saddr 10.0.0.1 meta l4proto vrrp accept',
        'nft insert rule inet filter input iifname "eth0" ip saddr 10.0.0.3 meta l4proto vrrp accept'] },
    { tool: 'ufw', host: '10.0.0.2', title: 'ufw (>= 0.36.2): accept VRRP on 10.0.0.2',
      commands: ['ufw allow in on eth0 proto vrrp from 10.0.0.1 to any', 'ufw allow in on eth0 proto vrrp from 10.0.0.3 to any'] },
    { tool: 'ufw', host: '10.0.0.2', title: 'ufw < 0.36.2: add the rule to /etc/ufw/before.rules on 10.0.0.2, then reload',
      commands: [
        "sed -i '0,/^COMMIT$/s//-A ufw-before-input -i eth0 -p vrrp -s 10.0.0.1 -j ACCEPT\\nCOMMIT/' /etc/ufw/before.rules",
        "sed -i '0,/^COMMIT$/s//-A ufw-before-input -i eth0 -p vrrp -s 10.0.0.3 -j ACCEPT\\nCOMMIT/' /etc/ufw/before.rules",
        'ufw reload'] },
  ]);
});

test('firewallFixes: the group alone (unicast peers unknown) gets its own rule and title', () => {
  const fixes = firewallFixes(null, [], 'ff02::12', 6);
  const ipt = fixes.find((f) => f.tool === 'iptables')!;
  assert.equal(ipt.title, 'iptables: accept VRRP to ff02::12 on every node (persist with netfilter-persistent save)');
  assert.deepEqual(ipt.commands, ['ip6tables -I INPUT -p vrrp -d ff02::12 -j ACCEPT']);
  assert.deepEqual(fixes.find((f) => f.tool === 'nftables')!.commands,
    ['nft insert rule inet filter input ip6 daddr ff02::12 meta l4proto vrrp accept']);
});

test('firewallFixes: each address picks its own family; the family argument decides only for names without one', () => {
  // an IPv4 group with an IPv6 family argument is still iptables / "ip daddr"
  const mixed = firewallFixes(null, ['fe80::1'], '224.0.0.18', 6);
  assert.deepEqual(mixed.find((f) => f.tool === 'iptables')!.commands, [
    'iptables -I INPUT -p vrrp -d 224.0.0.18 -j ACCEPT',
    'ip6tables -I INPUT -p vrrp -s fe80::1 -j ACCEPT',
  ]);
  assert.deepEqual(mixed.find((f) => f.tool === 'nftables')!.commands, [
    'nft insert rule inet filter input ip daddr 224.0.0.18 meta l4proto vrrp accept',
    'nft insert rule inet filter input ip6 saddr fe80::1 meta l4proto vrrp accept',
  ]);
  // no family given: the first peer's decides (fe80::1 -> IPv6: before6.rules)
  const v6 = firewallFixes(null, ['fe80::1'], null, null);
  assert.equal(v6.at(-1)!.title, 'ufw < 0.36.2: add the rule to /etc/ufw/before6.rules on every node, then reload');
  // a host name has no family of its own: the argument's, else IPv4
  const named6 = firewallFixes(null, ['peer-a'], null, 6);
  assert.deepEqual(named6.find((f) => f.tool === 'iptables')!.commands, ['ip6tables -I INPUT -p vrrp -s peer-a -j ACCEPT']);
  assert.equal(named6[0].commands[0], `firewall-cmd --permanent --add-rich-rule='rule family="ipv6" source address="peer-a" protocol value="vrrp" accept'`);
  assert.deepEqual(named6.find((f) => f.tool === 'nftables')!.commands, ['nft insert rule inet filter input ip6 saddr peer-a meta l4proto vrrp accept']);
  const named = firewallFixes(null, ['peer-a'], null, null);
  assert.deepEqual(named.find((f) => f.tool === 'iptables')!.commands, ['iptables -I INPUT -p vrrp -s peer-a -j ACCEPT']);
  assert.equal(named.at(-1)!.commands[0], "sed -i '0,/^COMMIT$/s//-A ufw-before-input -p vrrp -s peer-a -j ACCEPT\\nCOMMIT/' /etc/ufw/before.rules");
  const named6group = firewallFixes(null, [], 'vrrp-group', 6);
  assert.deepEqual(named6group.find((f) => f.tool === 'iptables')!.commands, ['ip6tables -I INPUT -p vrrp -d vrrp-group -j ACCEPT']);
  assert.deepEqual(named6group.find((f) => f.tool === 'nftables')!.commands, ['nft insert rule inet filter input ip6 daddr vrrp-group meta l4proto vrrp accept']);
});

test('firewallFixes: an empty interface name, like none, names no interface', () => {
  for (const iface of ['', undefined]) {
    const all = firewallFixes('10.0.0.2', ['10.0.0.1'], null, 4, iface === undefined ? {} : { iface }).flatMap((f) => f.commands);
    assert.deepEqual(all, [
      `firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="10.0.0.1" protocol value="vrrp" accept'`,
      'firewall-cmd --reload',
      'iptables -I INPUT -p vrrp -s 10.0.0.1 -j ACCEPT',
      'nft insert rule inet filter input ip saddr 10.0.0.1 meta l4proto vrrp accept',
      'ufw allow proto vrrp from 10.0.0.1 to any',
      "sed -i '0,/^COMMIT$/s//-A ufw-before-input -p vrrp -s 10.0.0.1 -j ACCEPT\\nCOMMIT/' /etc/ufw/before.rules",
      'ufw reload',
    ]);
  }
});

test('shell quoting: names of address/interface characters pass raw, anything else is single-quoted without its quotes', () => {
  // fe80::1%eth0 (zone index), br-lan_1, vlan@eth0 (ip link's parent notation): all raw
  const raw = firewallFixes(null, ['fe80::1%eth0'], null, 6, { iface: 'br-lan_1' });
  assert.deepEqual(raw.find((f) => f.tool === 'iptables')!.commands, ['ip6tables -I INPUT -i br-lan_1 -p vrrp -s fe80::1%eth0 -j ACCEPT']);
  const at = firewallFixes(null, [], null, 4, { iface: 'vlan70@eth0' });
  assert.deepEqual(at.find((f) => f.tool === 'iptables')!.commands, ['iptables -I INPUT -i vlan70@eth0 -p vrrp -j ACCEPT']);
  // a space, a semicolon before or after the allowed characters, a quote inside: quoted, the quote dropped
  const q = firewallFixes(null, ["10.0.0.1 x"], "224.0.0.18;id", 4, { iface: "e'th0;rm" });
  assert.deepEqual(q.find((f) => f.tool === 'iptables')!.commands, [
    "iptables -I INPUT -i 'eth0;rm' -p vrrp -d '224.0.0.18;id' -j ACCEPT",
    "iptables -I INPUT -i 'eth0;rm' -p vrrp -s '10.0.0.1 x' -j ACCEPT",
  ]);
  const lead = firewallFixes(null, [';eth0'], null, 4, { iface: "a'b'c" });
  assert.deepEqual(lead.find((f) => f.tool === 'iptables')!.commands, ["iptables -I INPUT -i 'abc' -p vrrp -s ';eth0' -j ACCEPT"]);
});

test('fixesFor: firewall causes of a split brain, a brief dual master and a refused VRRP get firewall rules on the deaf host', () => {
  const ctx = { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 as const };
  const expected = firewallFixes('10.0.0.2', ['10.0.0.1'], '224.0.0.18', 4, { iface: 'eth0' });
  assert.equal(expected.length, 5);
  for (const cause of ['firewall-drop', 'firewall-reject'] as const) {
    assert.deepEqual(fixesFor(finding('split-brain', { cause }, ctx), { iface: 'eth0' }), expected, cause);
  }
  // no cause proven ('unknown'): no firewall rule, the two steps that tell host from network
  for (const code of ['split-brain', 'brief-dual-master'] as const) {
    const u = fixesFor(finding(code, { cause: 'unknown' }, { deafHost: code === 'split-brain' ? null : '10.0.0.2', peers: code === 'split-brain' ? ['10.0.0.1', '10.0.0.2'] : ['10.0.0.1'] }), { iface: 'eth0' });
    assert.deepEqual(u.map((f) => f.tool), ['vrrpwatch', 'vrrpwatch'], code);
    assert.deepEqual(u[0].commands, ['vrrpwatch doctor'], code);
    assert.deepEqual(u[1].commands, [`tcpdump -i eth0 -w "vrrp-$(hostname).pcap" 'vrrp or arp'`, 'vrrpwatch -r 10.0.0.1=vrrp-HOST1.pcap -r 10.0.0.2=vrrp-HOST2.pcap'], code);
    assert.ok(u[1].title.endsWith('(HOST1, HOST2: the hostnames of 10.0.0.1, 10.0.0.2)'), u[1].title);
  }
  // 'network' (several vantage points: the adverts never reach the node's wire) is no host firewall's doing
  const network = fixesFor(finding('split-brain', { cause: 'network' }, ctx), { iface: 'eth0' });
  assert.ok(network.length > 0 && network.every((f) => f.tool === 'switch'), JSON.stringify(network));
  assert.deepEqual(fixesFor(finding('brief-dual-master', {}, ctx), { iface: 'eth0' }), expected);
  assert.deepEqual(fixesFor(finding('brief-dual-master', {}, ctx)).map((f) => f.commands[0]), [
    `firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="10.0.0.1" protocol value="vrrp" accept'`,
    'iptables -I INPUT -p vrrp -d 224.0.0.18 -j ACCEPT',
    'nft insert rule inet filter input ip daddr 224.0.0.18 meta l4proto vrrp accept',
    'ufw allow proto vrrp from 10.0.0.1 to any',
    "sed -i '0,/^COMMIT$/s//-A ufw-before-input -p vrrp -s 10.0.0.1 -j ACCEPT\\nCOMMIT/' /etc/ufw/before.rules",
  ]);
  // refused (ICMP admin-prohibited): the peer's rule only, no group rule
  const refused = fixesFor(finding('vrrp-refused', { cause: 'firewall-reject' }, ctx));
  assert.deepEqual(refused.find((f) => f.tool === 'iptables')!.commands, ['iptables -I INPUT -p vrrp -s 10.0.0.1 -j ACCEPT']);
  assert.ok(refused.every((f) => f.host === '10.0.0.2'));
  assert.deepEqual(fixesFor(finding('vrrp-refused', { cause: 'firewall-drop' }, ctx)), []);
  assert.deepEqual(fixesFor(finding('vrrp-refused', { cause: null }, ctx)), []);
  // a split brain with no cause, or a cause that is not the firewall's and has no config line: nothing to paste
  assert.deepEqual(fixesFor(finding('split-brain', { cause: null }, ctx)), []);
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'firewall-stateful' }, ctx)), []);
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'sender-stall' }, ctx)), []);
  // other findings that name a deaf host still get no firewall rule
  for (const code of ['no-master', 'flapping', 'bad-checksum', 'rejected-packets', 'expected-vrid-missing'] as const) {
    assert.deepEqual(fixesFor(finding(code, { cause: 'firewall-drop' }, ctx)), [], code);
  }
});

test('fixesFor auth-mismatch: same auth_pass, or (auth_type differs) the most common type', () => {
  const pass = fixesFor(finding('auth-mismatch'));
  assert.deepEqual(pass, [{ tool: 'keepalived', host: null, title: 'set the same auth_pass on every node of VRID 51 (authentication { })',
    commands: ['auth_type PASS', 'auth_pass <the same password, at most 8 characters, on every node>'] }]);
  // a split brain caused by it: the same fix
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'auth-mismatch' })), pass);
  const typ = fixesFor(finding('auth-mismatch', {}, { configKey: 'auth_type', values: { '10.0.0.1': 'AH', '10.0.0.2': 'PASS', '10.0.0.3': 'AH' } }));
  assert.deepEqual(typ, [{ tool: 'keepalived', host: null,
    title: 'use the same authentication on every node of VRID 51 (vrrp_instance ... authentication { })',
    commands: ['auth_type AH', 'auth_pass <the same password on every node>'] }]);
  const none = fixesFor(finding('auth-mismatch', { vrid: null }, { configKey: 'auth_type', values: { a: 'none', b: 'none', c: 'PASS' } }));
  assert.deepEqual(none, [{ tool: 'keepalived', host: null,
    title: 'use the same authentication on every node (vrrp_instance ... authentication { })',
    commands: ['# remove the authentication { } block'] }]);
  // a tie between words: the first seen
  assert.deepEqual(fixesFor(finding('auth-mismatch', {}, { configKey: 'auth_type', values: { a: 'PASS', b: 'AH' } }))[0].commands[0], 'auth_type PASS');
  assert.deepEqual(fixesFor(finding('auth-mismatch', {}, { configKey: 'auth_type', values: { a: 'AH', b: 'PASS' } }))[0].commands[0], 'auth_type AH');
  // no values: PASS
  assert.deepEqual(fixesFor(finding('auth-mismatch', {}, { configKey: 'auth_type' }))[0].commands, ['auth_type PASS', 'auth_pass <the same password on every node>']);
});

test('fixesFor interval-mismatch: the most common advert_int (ties: the smallest), the others named', () => {
  const three = fixesFor(finding('interval-mismatch', {}, { configKey: 'advert_int', values: { '10.0.0.1': '1', '10.0.0.2': '3', '10.0.0.3': '1' } }));
  assert.deepEqual(three, [{ tool: 'keepalived', host: null, title: 'use the same advert_int on every node of VRID 51: 10.0.0.2 differ', commands: ['advert_int 1'] }]);
  // tie 3 vs 1: the smaller wins, whichever came first
  assert.deepEqual(fixesFor(finding('interval-mismatch', {}, { values: { a: '3', b: '1' } }))[0],
    { tool: 'keepalived', host: null, title: 'use the same advert_int on every node of VRID 51: a differ', commands: ['advert_int 1'] });
  assert.deepEqual(fixesFor(finding('interval-mismatch', {}, { values: { a: '1', b: '3' } }))[0].commands, ['advert_int 1']);
  // three-way tie: the smallest of all (numerically: 10 > 2)
  assert.deepEqual(fixesFor(finding('interval-mismatch', {}, { values: { a: '10', b: '2', c: '5' } }))[0],
    { tool: 'keepalived', host: null, title: 'use the same advert_int on every node of VRID 51: a, c differ', commands: ['advert_int 2'] });
  // a count beats a smaller value, whether the smaller comes first or last
  assert.deepEqual(fixesFor(finding('interval-mismatch', {}, { values: { a: '1', b: '4', c: '4' } }))[0].commands, ['advert_int 4']);
  assert.deepEqual(fixesFor(finding('interval-mismatch', {}, { values: { a: '4', b: '4', c: '1' } }))[0].commands, ['advert_int 4']);
  // numerically equal but written differently: the first seen
  assert.deepEqual(fixesFor(finding('interval-mismatch', {}, { values: { a: '1.0', b: '1' } }))[0].commands, ['advert_int 1.0']);
  // no values: advert_int 1, nobody named
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'interval-mismatch', vrid: null }))[0],
    { tool: 'keepalived', host: null, title: 'use the same advert_int on every node: ' + ' differ', commands: ['advert_int 1'] });
});

test('fixesFor version-mismatch: IPv6 needs VRRPv3; IPv4 the most common version', () => {
  const v4 = fixesFor(finding('version-mismatch', {}, { values: { '10.0.0.1': '2', '10.0.0.2': '3', '10.0.0.3': '3' } }));
  assert.deepEqual(v4, [{ tool: 'keepalived', host: null, title: 'use the same VRRP version on every node of VRID 51: 10.0.0.1 differ',
    commands: ["vrrp_version 3   # global_defs; or 'version 3' in the vrrp_instance"] }]);
  const v6 = fixesFor(finding('split-brain', { cause: 'version-mismatch', family: 6 }, { values: { 'fe80::1': '2', 'fe80::2': '2', 'fe80::3': '3' } }));
  assert.deepEqual(v6[0].commands, ["vrrp_version 3   # global_defs; or 'version 3' in the vrrp_instance"]);
  assert.equal(v6[0].title, 'use the same VRRP version on every node of VRID 51: fe80::1, fe80::2 differ');
  assert.deepEqual(fixesFor(finding('version-mismatch', { family: null }))[0].commands, ["vrrp_version 2   # global_defs; or 'version 2' in the vrrp_instance"]);
});

test('fixesFor checksum-variant: the old-unicast node is told to upgrade; else v3_checksum_as_v2; nothing when only one flavour', () => {
  assert.deepEqual(fixesFor(finding('checksum-variant', { severity: 'ok' }, { values: { a: 'old-unicast', b: 'standard' } })), []);
  const one = fixesFor(finding('checksum-variant', { severity: 'warning' }, { values: { '10.0.0.1': 'standard', '10.0.0.2': 'old-unicast' } }));
  assert.deepEqual(one, [{ tool: 'keepalived', host: '10.0.0.2',
    title: '10.0.0.2 computes the old keepalived (<= 1.3.6) unicast checksum of VRID 51: upgrade keepalived there; ' +
      "on the newer nodes keep the automatic detection (no 'old_unicast_checksum never')",
    commands: ['# on the newer nodes, in the vrrp_instance: remove  old_unicast_checksum never'] }]);
  const two = fixesFor(finding('split-brain', { cause: 'checksum-variant', vrid: null }, { values: { a: 'old-unicast', b: 'standard', c: 'old-unicast' } }));
  assert.equal(two[0].host, null);
  assert.equal(two[0].title, "a, c compute the old keepalived (<= 1.3.6) unicast checksum: upgrade keepalived there; on the newer nodes keep the automatic detection (no 'old_unicast_checksum never')");
  const asV2 = fixesFor(finding('checksum-variant', {}, { values: { '10.0.0.1': 'standard', '10.0.0.2': 'as-v2' } }));
  assert.deepEqual(asV2, [{ tool: 'keepalived', host: '10.0.0.1',
    title: 'compute the VRRPv3 checksum the same way on every node of VRID 51: v3_checksum_as_v2 on the keepalived nodes (keepalived >= 2.2.8), ' +
      "or the other side's IPv4 pseudo-header option",
    commands: ['v3_checksum_as_v2'] }]);
  assert.equal(fixesFor(finding('checksum-variant', {}, { values: { a: 'standard', b: 'standard', c: 'as-v2' } }))[0].host, null);
  assert.equal(fixesFor(finding('checksum-variant'))[0].host, null);
});

test('fixesFor TTL: IPv4 iptables and nft mangle workarounds, IPv6 nft hop limit; the interface when known', () => {
  const v4 = fixesFor(finding('ttl-not-255'), { iface: 'eth1' });
  assert.deepEqual(v4, [
    { tool: 'iptables', host: null,
      title: 'workaround on each receiving node: restore TTL 255 on VRRP before keepalived checks it (better: keep the adverts on one L2 segment)',
      commands: ['iptables -t mangle -I PREROUTING -i eth1 -p vrrp -j TTL --ttl-set 255'] },
    { tool: 'nftables', host: null, title: 'the same workaround with nftables',
      commands: ['nft add table ip vrrpfix',
        "nft 'add chain ip vrrpfix prerouting { type filter hook prerouting priority -150; }'",
        'nft add rule ip vrrpfix prerouting iifname "eth1" meta l4proto vrrp ip ttl set 255'] },
  ]);
  // a split brain caused by it, interface unknown, family unknown (IPv4)
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'ttl', family: null })).flatMap((f) => f.commands), [
    'iptables -t mangle -I PREROUTING -p vrrp -j TTL --ttl-set 255',
    'nft add table ip vrrpfix',
    "nft 'add chain ip vrrpfix prerouting { type filter hook prerouting priority -150; }'",
    'nft add rule ip vrrpfix prerouting meta l4proto vrrp ip ttl set 255',
  ]);
  assert.deepEqual(fixesFor(finding('ttl-not-255', { family: 6 }), { iface: "x y" }), [
    { tool: 'nftables', host: null,
      title: 'workaround on each receiving node: restore hop limit 255 on VRRP (better: keep the adverts on one L2 segment)',
      commands: ['nft add table ip6 vrrpfix',
        "nft 'add chain ip6 vrrpfix prerouting { type filter hook prerouting priority -150; }'",
        `nft add rule ip6 vrrpfix prerouting iifname "'x y'" meta l4proto vrrp ip6 hoplimit set 255`] },
  ]);
  assert.equal(fixesFor(finding('ttl-not-255', { family: 6 }))[0].commands[2], 'nft add rule ip6 vrrpfix prerouting meta l4proto vrrp ip6 hoplimit set 255');
  assert.equal(fixesFor(finding('ttl-not-255'), { iface: "a;b" })[0].commands[0], "iptables -t mangle -I PREROUTING -i 'a;b' -p vrrp -j TTL --ttl-set 255");
});

test('fixesFor unicast-multicast-mix: each multicast node gets the unicast config naming every other node', () => {
  const fixes = fixesFor(finding('unicast-multicast-mix', {}, {
    values: { '10.0.0.1': 'unicast_peer 10.0.0.2', '10.0.0.2': 'multicast', '10.0.0.3': 'multicast', '10.0.0.4': 'unicast_peer 10.0.0.1' },
  }));
  assert.deepEqual(fixes, [
    { tool: 'keepalived', host: '10.0.0.2',
      title: '10.0.0.2 sends multicast while 10.0.0.1, 10.0.0.4 use unicast: configure the unicast peers on 10.0.0.2 of VRID 51',
      commands: ['unicast_src_ip 10.0.0.2', 'unicast_peer { 10.0.0.1 10.0.0.4 10.0.0.3 }'] },
    { tool: 'keepalived', host: '10.0.0.3',
      title: '10.0.0.3 sends multicast while 10.0.0.1, 10.0.0.4 use unicast: configure the unicast peers on 10.0.0.3 of VRID 51',
      commands: ['unicast_src_ip 10.0.0.3', 'unicast_peer { 10.0.0.1 10.0.0.4 10.0.0.2 }'] },
  ]);
  // values that are neither: ignored; a host name needing quotes is quoted
  const odd = fixesFor(finding('split-brain', { cause: 'unicast-multicast-mix', vrid: null }, { values: { 'a b': 'multicast', c: 'unicast_peer', d: 'unknown', e: 'xunicast_peer' } }));
  assert.deepEqual(odd, [{ tool: 'keepalived', host: 'a b',
    title: 'a b sends multicast while c use unicast: configure the unicast peers on a b',
    commands: ["unicast_src_ip 'a b'", 'unicast_peer { c }'] }]);
  assert.deepEqual(fixesFor(finding('unicast-multicast-mix')), []);
});

test('fixesFor unicast-peer: the sender adds the deaf host; nothing without both', () => {
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'unicast-peer' }, { deafHost: '10.0.0.2', peers: ['10.0.0.1', '10.0.0.3'] })), [
    { tool: 'keepalived', host: '10.0.0.1', title: '10.0.0.1 does not send its adverts to 10.0.0.2: add it to unicast_peer of VRID 51',
      commands: ['unicast_peer { 10.0.0.2 }'] },
  ]);
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'unicast-peer' }, { deafHost: 'b;c', peers: ['a'] }))[0].commands, ["unicast_peer { 'b;c' }"]);
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'unicast-peer' }, { deafHost: '10.0.0.2', peers: [] })), []);
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'unicast-peer' }, { deafHost: null, peers: ['10.0.0.1'] })), []);
});

test('fixesFor vip-mismatch and vrid-collision: both readings, the likelier first, with each host\'s list; the same lists everywhere: only another VRID', () => {
  const values = { '10.0.0.1': '10.0.0.100', '10.0.0.2': '', '10.0.0.3': '10.0.0.100 10.0.0.101' };
  const lists = '10.0.0.1: 10.0.0.100; 10.0.0.2: (none); 10.0.0.3: 10.0.0.100 10.0.0.101';
  const same: Fix = { tool: 'keepalived', host: null, title: '', commands: ['virtual_ipaddress { <the same addresses on every node> }'] };
  const vrid: Fix = { tool: 'keepalived', host: null, title: '', commands: ['virtual_router_id <an unused VRID>'] };
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'vip-mismatch' }, { values })), [
    { ...same, title: `if these nodes are one cluster: give every node the same virtual_ipaddress list of VRID 51 (${lists})` },
    { ...vrid, title: 'if they are two clusters: give one of them an unused VRID (1-255) on all its nodes' },
  ]);
  assert.deepEqual(fixesFor(finding('vrid-collision', { vrid: 7, cause: 'vip-mismatch' }, { values })), [
    { ...vrid, title: 'if another cluster uses VRID 7 on this segment: give one cluster an unused VRID (1-255) on all its nodes' },
    { ...same, title: `if these nodes are one cluster: give every node the same virtual_ipaddress list (${lists})` },
  ]);
  assert.deepEqual(fixesFor(finding('vrid-collision', { vrid: null, cause: 'vip-mismatch' })).map((f) => f.title), [
    'if another cluster uses VRID ? on this segment: give one cluster an unused VRID (1-255) on all its nodes',
    'if these nodes are one cluster: give every node the same virtual_ipaddress list ()',
  ]);
  // three or more nodes with the same lists (no cause): aligning the lists fixes nothing
  assert.deepEqual(fixesFor(finding('vrid-collision', { vrid: 7 })), [
    { ...vrid, title: 'if another cluster uses VRID 7 on this segment: give one cluster an unused VRID (1-255) on all its nodes' },
  ]);
});

test('fixesFor length-mismatch, priority-255-conflict, weight-too-small', () => {
  assert.deepEqual(fixesFor(finding('split-brain', { cause: 'length-mismatch' })), [{ tool: 'keepalived', host: null,
    title: 'send adverts of one length on every node of VRID 51: the same auth_hmac setting everywhere (keepalived >= 2.4 on all nodes before enabling it), or none',
    commands: ['# in the vrrp_instance, on every node or on none:', 'auth_hmac { ... }'] }]);
  assert.deepEqual(fixesFor(finding('length-mismatch', { vrid: null }))[0].title,
    'send adverts of one length on every node: the same auth_hmac setting everywhere (keepalived >= 2.4 on all nodes before enabling it), or none');
  assert.deepEqual(fixesFor(finding('priority-255-conflict')), [{ tool: 'keepalived', host: null,
    title: 'only the address owner may use priority 255: lower it on the other nodes', commands: ['priority 254'] }]);
  assert.deepEqual(fixesFor(finding('weight-too-small', {}, { values: { '10.0.0.1': '21', '10.0.0.2': '5' } })), [{ tool: 'keepalived', host: '10.0.0.1',
    title: 'the track_script weight must take the master below its backup of VRID 51', commands: ['track_script { <script> weight -21 }'] }]);
  assert.deepEqual(fixesFor(finding('weight-too-small', { vrid: null })), [{ tool: 'keepalived', host: null,
    title: 'the track_script weight must take the master below its backup', commands: ['track_script { <script> weight -<gap + 1> }'] }]);
  assert.deepEqual(fixesFor(finding('weight-too-small', {}, { values: {} }))[0].commands, ['track_script { <script> weight -<gap + 1> }']);
  assert.equal(fixesFor(finding('weight-too-small', {}, { values: {} }))[0].host, null);
});
