// doctor's firewall half without namespaces: ruleset files told apart by content (and unreadable ones
// as one 'input' error), the evaluation's handling of rules it cannot judge (unknown only when they could
// change the verdict), conntrack facts (NEW first advert, notrack, the unicast ESTABLISHED case), what live
// reading says when nothing can be read, and address matching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFirewall, type PathVerdict, type VrrpPath } from '../src/doctor/firewall/index.js';
import { addressIn, parseAddress } from '../src/doctor/firewall/address.js';
import { VrrpwatchError } from '../src/errors.js';

const FIX = fileURLToPath(new URL('./fixtures/doctor-firewall/', import.meta.url));
const EMPTY_ROOT = join(FIX, 'empty-root');
const nftSkip = spawnSync('sh', ['-c', 'command -v nft && command -v unshare && unshare --net true'], { stdio: 'ignore' }).status !== 0
  ? 'needs nft and unshare --net (nft text is read by nft in a throwaway namespace)' : false;

const MC: VrrpPath = { direction: 'in', family: 4, iface: 'eth0', peer: '10.0.0.1', local: '10.0.0.2', group: '224.0.0.18', instance: 'VI_1' };
const ANY: VrrpPath = { ...MC, peer: null };
const UC: VrrpPath = { ...MC, group: null };
const V6: VrrpPath = { direction: 'in', family: 6, iface: 'eth0', peer: 'fe80::1', local: null, group: 'ff02::12', instance: 'VI_6' };
const OUT: VrrpPath = { direction: 'out', family: 4, iface: 'eth0', peer: null, local: '10.0.0.2', group: '224.0.0.18', instance: 'VI_1' };

const dir = mkdtempSync(join(tmpdir(), 'vwf-fwfile-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const p = join(dir, `r${n++}`);
  writeFileSync(p, text);
  return p;
}
function judge(paths: VrrpPath[], text: string): PathVerdict[] {
  return checkFirewall(paths, { kind: 'file', path: file(text) }, { root: EMPTY_ROOT }).verdicts;
}
function inputError(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof VrrpwatchError && e.kind === 'input' && re.test(e.message) && !e.message.includes('\n'));
}
const ipt = (...rules: string[]) => `*filter\n:INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:peers - [0:0]\n${rules.join('\n')}\nCOMMIT\n`;

test('ruleset files: an unreadable or unrecognisable file is one input error line', () => {
  inputError(() => checkFirewall([MC], { kind: 'file', path: join(dir, 'missing') }), /cannot read ruleset file .*missing: ENOENT/);
  inputError(() => checkFirewall([MC], { kind: 'file', path: dir }), /cannot read ruleset file .*: EISDIR/);
  inputError(() => checkFirewall([MC], { kind: 'file', path: file('hello world\n') }), /is not iptables-save, ip6tables-save, `nft list ruleset` or `nft -j list ruleset` output/);
  inputError(() => checkFirewall([MC], { kind: 'file', path: file('{"nftables": [') }), /is not valid JSON/);
  inputError(() => checkFirewall([MC], { kind: 'file', path: file('{"rules": []}') }), /not `nft -j list ruleset` output/);
});

test('ruleset files: nft -j JSON, and nft text read by nft itself, give the same verdicts', { skip: nftSkip }, () => {
  const fromJson = checkFirewall([MC, V6, OUT], { kind: 'file', path: join(FIX, 'ssh-only.nft.json') }).verdicts;
  const fromText = checkFirewall([MC, V6, OUT], { kind: 'file', path: join(FIX, 'ssh-only.nft') }).verdicts;
  assert.deepEqual(fromJson.map((v) => v.verdict), ['dropped', 'dropped', 'accepted']);
  assert.deepEqual(fromText.map((v) => v.verdict), fromJson.map((v) => v.verdict));
  // the text carries nft's own rule text; JSON alone is rendered from the expressions
  assert.equal(fromText[0].decidedBy, 'nftables inet filter input policy drop');
  assert.match(fromText[0].fixes[0].commands[1], /^# persist: .*\/etc\/nftables\.conf, table inet filter, chain input\)/);
  inputError(() => checkFirewall([MC], { kind: 'file', path: file('table inet t {\n chain c {\n  type filter hook input priority 0;\n  ip protocl vrrp drop\n }\n}\n') }),
    /nft text\): nft cannot load it: .*[Ee]rror/);
});

test('nft text: includes resolve from the file\'s directory; interfaces named by index need not exist here', { skip: nftSkip }, () => {
  const sub = mkdtempSync(join(dir, 'inc-'));
  writeFileSync(join(sub, 'vrrp.nft'), 'define VRRP_IF = bond0\n');
  writeFileSync(join(sub, 'main.nft'), 'flush ruleset\ninclude "./vrrp.nft"\ntable filter {\n chain input {\n  type filter hook input priority 0; policy drop;\n' +
    '  iif $VRRP_IF ip protocol vrrp accept\n  iif "lo" accept\n }\n}\n');
  const [bond, eth] = checkFirewall([{ ...MC, iface: 'bond0' }, MC], { kind: 'file', path: join(sub, 'main.nft') }).verdicts;
  assert.equal(bond.verdict, 'accepted');
  assert.match(bond.decidedBy, /^nftables ip filter input rule 1 \(handle \d+\): iif "bond0" ip protocol vrrp accept$/);
  assert.equal(eth.verdict, 'dropped', 'a table without a family is ip');
});

test('ruleset files: an iptables-save file speaks for its family only; two dumps in one file for both', () => {
  const v4only = judge([MC, V6], ipt('-A INPUT -p vrrp -j ACCEPT'));
  assert.equal(v4only[0].verdict, 'accepted');
  assert.equal(v4only[1].verdict, 'unknown');
  assert.match(v4only[1].decidedBy, /holds no IPv6 rules/);
  const both = judge([MC, V6], `# Generated by iptables-save v1.8.9 on x\n${ipt('-A INPUT -p vrrp -j ACCEPT')}# Generated by ip6tables-save v1.8.9 on x\n${ipt('-A INPUT -p tcp -j ACCEPT')}`);
  assert.deepEqual(both.map((v) => v.verdict), ['accepted', 'dropped']);
  assert.match(both[1].decidedBy, /^ip6tables filter INPUT policy DROP$/);
  assert.deepEqual(both[1].fixes[0].commands[0], 'ip6tables -A INPUT -i eth0 -p vrrp -s fe80::1 -j ACCEPT');
});

test('a rule not understood makes the verdict unknown only when it could change it', () => {
  // an ipset lookup deciding between accept and the DROP policy: cannot be judged
  const [set] = judge([MC], ipt('-A INPUT -m set --match-set vrrp_peers src -j ACCEPT'));
  assert.equal(set.verdict, 'unknown');
  assert.match(set.decidedBy, /cannot judge: filter INPUT rule 1: -A INPUT -m set --match-set vrrp_peers src -j ACCEPT|cannot judge: .*-m set --match-set vrrp_peers src -j ACCEPT/);
  assert.ok(set.evidence.some((e) => e.startsWith('accepted if ') && e.includes('--match-set')));
  assert.ok(set.evidence.some((e) => e.startsWith('dropped if none of them matches')));
  assert.equal(set.fixes[0].commands[0], 'iptables -A INPUT -i eth0 -p vrrp -s 10.0.0.1 -j ACCEPT', 'the fix makes it accepted either way');
  // the same uncertainty between two drops changes nothing
  const [u32] = judge([MC], ipt('-A INPUT -m u32 --u32 "0>>22&0x3C@0=0x1" -j DROP'));
  assert.equal(u32.verdict, 'dropped');
  assert.equal(u32.decidedBy, 'iptables filter INPUT policy DROP');
  assert.ok(u32.evidence.some((e) => e.startsWith('may or may not match (the verdict is the same either way)') && e.includes('-m u32')));
  // after an accept, an unknown rule is never reached
  const [late] = judge([MC], ipt('-A INPUT -p vrrp -j ACCEPT', '-A INPUT -m set --match-set x src -j DROP'));
  assert.equal(late.verdict, 'accepted');
  assert.deepEqual(late.evidence.filter((e) => e.includes('match-set')), []);
  // a verdict handed to user space
  const [queued] = judge([MC], ipt('-A INPUT -p vrrp -j NFQUEUE --queue-num 3'));
  assert.equal(queued.verdict, 'unknown');
  assert.match(queued.decidedBy, /NFQUEUE/);
});

test('hundreds of jumps that may or may not happen (kube-proxy style) are no fork when the chains decide nothing for VRRP', () => {
  const decl: string[] = [];
  const rules: string[] = [];
  for (let c = 0; c < 300; c++) {
    decl.push(`:KUBE-SVC-${c} - [0:0]`);
    rules.push(`-A INPUT -m set --match-set kube${c} dst -j KUBE-SVC-${c}`);
    for (let r = 0; r < 20; r++) rules.push(`-A KUBE-SVC-${c} -s 10.${c % 250}.${r}.0/24 -p tcp -m tcp --dport ${1000 + r} -j ACCEPT`);
  }
  rules.push('-A KUBE-SVC-7 -p vrrp -j DROP');
  const text = `*filter\n:INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n${decl.join('\n')}\n${rules.join('\n')}\nCOMMIT\n`;
  const [mc] = judge([MC], text);
  // 299 jumps are inert; the one into KUBE-SVC-7 could drop VRRP, but so does the policy: the same verdict
  assert.equal(mc.verdict, 'dropped');
  assert.equal(mc.decidedBy, 'iptables filter INPUT policy DROP');
  assert.deepEqual(mc.evidence.filter((e) => e.includes('KUBE-SVC')).length, 1);
});

test('a multicast path from any source: rules on the source address cannot be judged, a peer seen on the wire can', () => {
  const rules = ipt('-A INPUT -s 10.0.0.0/30 -p vrrp -j ACCEPT');
  const [any, known, other] = judge([ANY, MC, { ...MC, peer: '10.0.0.9' }], rules);
  assert.equal(any.verdict, 'unknown');
  assert.equal(known.verdict, 'accepted');
  assert.equal(other.verdict, 'dropped');
});

test('conntrack: the first advert is NEW; notrack makes it UNTRACKED; unicast is accepted as ESTABLISHED only later', () => {
  const est = '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT';
  const [mc, uc] = judge([MC, UC], ipt(est));
  assert.equal(mc.verdict, 'dropped');
  assert.ok(!mc.evidence.some((e) => e.includes('ESTABLISHED')), 'multicast never matches a reply');
  assert.equal(uc.verdict, 'dropped');
  assert.ok(uc.evidence.some((e) => e.startsWith('accepted once conntrack has an entry (ESTABLISHED')), uc.evidence.join('\n'));
  const raw = '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p vrrp -j CT --notrack\nCOMMIT\n';
  assert.equal(judge([MC], raw + ipt('-A INPUT -m state --state NEW -p vrrp -j ACCEPT'))[0].verdict, 'dropped');
  assert.equal(judge([MC], raw + ipt('-A INPUT -m state --state UNTRACKED -j ACCEPT'))[0].verdict, 'accepted');
  assert.equal(judge([MC], ipt('-A INPUT -m state --state NEW -p vrrp -j ACCEPT'))[0].verdict, 'accepted');
});

test('marks, pkttype, addrtype, interfaces with wildcards, negations and goto', () => {
  const r = ipt(
    '-A INPUT -m mark --mark 0x1 -j DROP',
    '-A INPUT ! -i eth+ -j DROP',
    '-A INPUT -m pkttype ! --pkt-type multicast -g peers',
    '-A INPUT -m addrtype --dst-type MULTICAST -p 112 -j ACCEPT',
    '-A peers -s 10.0.0.1 -j ACCEPT',
  );
  const [mc, uc, uc9, br] = judge([MC, UC, { ...UC, peer: '10.0.0.9' }, { ...MC, iface: 'br0' }], r);
  assert.equal(mc.verdict, 'accepted');
  assert.match(mc.decidedBy, /rule 4: .*--dst-type MULTICAST/);
  assert.equal(uc.verdict, 'accepted');
  assert.match(uc.decidedBy, /filter peers rule 1/);
  assert.equal(uc9.verdict, 'dropped', 'the goto\'d chain ends: the base chain\'s policy decides');
  assert.equal(uc9.decidedBy, 'iptables filter INPUT policy DROP');
  assert.equal(uc9.fixes[0].commands[0], 'iptables -A INPUT -i eth0 -p vrrp -s 10.0.0.9 -j ACCEPT', 'the policy decided: the rule goes at the end');
  assert.equal(br.verdict, 'dropped');
  assert.match(br.decidedBy, /rule 2: -A INPUT ! -i eth\+ -j DROP/);
  assert.equal(br.fixes[0].commands[0], 'iptables -I INPUT 2 -i br0 -p vrrp -s 10.0.0.1 -j ACCEPT');
  const [noIface] = judge([{ ...MC, iface: '' }], r);
  assert.equal(noIface.verdict, 'unknown', 'no interface named: a rule on the interface cannot be judged');
  assert.equal(noIface.fixes[0].commands[0], 'iptables -I INPUT 2 -p vrrp -s 10.0.0.1 -j ACCEPT', 'and the fix names none');
});

test('this node\'s adverts: OUTPUT and POSTROUTING are judged, with -o and the destination', () => {
  const r = '*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -p tcp --sport 22 -j ACCEPT\nCOMMIT\n' +
    '*mangle\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -d 224.0.0.18 -o eth1 -j DROP\nCOMMIT\n';
  const [out, out1, inn] = judge([OUT, { ...OUT, iface: 'eth1' }, MC], r);
  assert.equal(out.verdict, 'dropped');
  assert.equal(out.fixes[0].commands[0], 'iptables -A OUTPUT -o eth0 -p vrrp -d 224.0.0.18 -j ACCEPT');
  assert.equal(out1.verdict, 'dropped');
  assert.deepEqual(out1.fixes.map((f) => f.commands[0]), ['iptables -A OUTPUT -o eth1 -p vrrp -d 224.0.0.18 -j ACCEPT',
    'iptables -t mangle -I POSTROUTING 1 -o eth1 -p vrrp -d 224.0.0.18 -j ACCEPT'], 'a drop in a second chain gets its own fix');
  assert.equal(inn.verdict, 'accepted');
});

test('nft JSON of iptables-nft tables: xt matches are not understood, and the note says where to look', () => {
  const r = checkFirewall([MC, UC], { kind: 'file', path: join(FIX, 'iptables-nft-xt.json') });
  assert.ok(r.backends.includes('iptables-nft'), r.backends.join());
  assert.ok(r.notes.some((n) => n.includes('iptables-nft') && n.includes('iptables-nft-save')), r.notes.join());
  assert.equal(r.verdicts[0].verdict, 'unknown');
  assert.match(r.verdicts[0].decidedBy, /xt match conntrack/);
});

test('live: nothing readable (no nft, no iptables, not root) is unknown with the reason, never "accepted"', () => {
  const none = checkFirewall([MC], { kind: 'live' }, { root: EMPTY_ROOT, run: () => ({ status: null, stdout: '', stderr: 'ENOENT' }) });
  assert.equal(none.verdicts[0].verdict, 'unknown');
  assert.match(none.verdicts[0].decidedBy, /could not be read .*nft is not installed/);
  const denied = checkFirewall([MC], { kind: 'live' }, { root: EMPTY_ROOT,
    run: (argv) => (argv[0] === 'nft' ? { status: 1, stdout: '', stderr: 'Operation not permitted (you must be root)\n' } : { status: null, stdout: '', stderr: '' }) });
  assert.equal(denied.verdicts[0].verdict, 'unknown');
  assert.match(denied.notes.join('\n'), /run doctor as root/);
});

test('addresses: prefixes, netmasks, ranges, IPv6 forms', () => {
  const a = parseAddress('10.0.0.5')!;
  assert.equal(addressIn(a, '10.0.0.0/30'), false);
  assert.equal(addressIn(a, '10.0.0.4/30'), true);
  assert.equal(addressIn(a, '10.0.0.0/255.255.255.248'), true);
  assert.equal(addressIn(a, '10.0.0.1-10.0.0.9'), true);
  assert.equal(addressIn(a, 'fe80::/10'), null);
  const b = parseAddress('fe80::1%eth0')!;
  assert.equal(addressIn(b, 'fe80::/10'), true);
  assert.equal(addressIn(b, 'fe80:0:0:0:0:0:0:1'), true);
  assert.equal(addressIn(parseAddress('::ffff:10.0.0.1')!, '::ffff:10.0.0.0/120'), true);
  assert.equal(parseAddress('1::2::3'), null);
  assert.equal(parseAddress('10.0.0.256'), null);
});
