// doctor, the configuration half without any process: keepalived.conf read as keepalived reads it
// (comments, quotes, braces, includes with globs, @id lines, $definitions), syntax errors with their
// file:line, and every finding from the file alone, each shown firing and not firing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandBraces, globPattern, resolveInclude } from '../src/doctor/conf-files.js';
import { decomment, readConfigLines, splitBraces } from '../src/doctor/conf-lines.js';
import { buildModel } from '../src/doctor/conf-model.js';
import { effective } from '../src/doctor/conf-effective.js';
import { CLASSIC_MASTER, codes, judge, memFiles, model } from './support/doctor.js';

const MAIN = '/etc/keepalived/keepalived.conf';

test('the classic MASTER with a vrrp_script checking nginx reads into the model with a line per value', () => {
  const cfg = model({ [MAIN]: CLASSIC_MASTER });
  assert.equal(cfg.instances.length, 1);
  const i = cfg.instances[0]!;
  assert.equal(i.name, 'VI_1');
  assert.deepEqual([i.iface?.value, i.vrid?.value, i.state?.value, i.priority?.value, i.advertInt?.value], ['eth0', 51, 'MASTER', 100, 1]);
  assert.deepEqual(i.priority?.loc, { file: MAIN, line: 20 });
  assert.equal(i.auth?.pass?.value, 's3cret');
  assert.equal(i.auth?.pass?.loc.line, 24);
  assert.deepEqual(i.vips.map((v) => [v.address, v.prefix, v.loc.line]), [['192.168.1.100', 24, 27]]);
  assert.deepEqual(i.trackScripts.map((t) => [t.name, t.weight, t.loc.line]), [['chk_nginx', null, 30]]);
  assert.equal(cfg.scripts[0]!.weight?.value, -10);
  assert.equal(cfg.scripts[0]!.weight?.loc.line, 11);
  assert.equal(cfg.global.enableScriptSecurity?.line, 4);
  const e = effective(i, cfg);
  assert.deepEqual([e.family, e.version, e.authType, e.authPass, e.group, e.unicast], [4, 2, 1, 's3cret', '224.0.0.18', false]);
  assert.deepEqual(cfg.problems, []);
  assert.deepEqual(judge(CLASSIC_MASTER).filter((f) => f.severity !== 'ok'), []);
});

test('comments start anywhere outside double quotes; \\# is literal; blanks trimmed', () => {
  assert.equal(decomment('   state MASTER   # the master').text, 'state MASTER');
  assert.equal(decomment('auth_pass "a#b!c" ! note').text, 'auth_pass "a#b!c"');
  assert.equal(decomment('script /bin/echo \\#hash').text, 'script /bin/echo #hash');
  assert.equal(decomment('! whole line').text, '');
  assert.equal(decomment('auth_pass "open').unterminated, true);
});

test('every brace becomes a line of its own, as keepalived\'s read_line splits them', () => {
  assert.deepEqual(splitBraces('vrrp_instance VI_1 { state MASTER }'), ['vrrp_instance VI_1', '{', 'state MASTER', '}']);
  assert.deepEqual(splitBraces('}}'), ['}', '}']);
  assert.deepEqual(splitBraces('script "echo {x}" {'), ['script "echo {x}"', '{']);
  const cfg = model({ [MAIN]: 'vrrp_instance VI_1 { interface eth0\nvirtual_router_id 7\nvirtual_ipaddress { 10.0.0.1/24 } }\n' });
  assert.equal(cfg.instances[0]!.vrid?.value, 7);
  assert.deepEqual(cfg.instances[0]!.vips.map((v) => v.address), ['10.0.0.1']);
  assert.deepEqual(cfg.problems, []);
});

test('quoted values keep their blanks and comment characters', () => {
  const cfg = model({ [MAIN]: 'vrrp_instance VI_1 {\n authentication {\n  auth_type PASS\n  auth_pass "a b#c"\n }\n}\n' });
  assert.equal(cfg.instances[0]!.auth?.pass?.value, 'a b#c');
});

test('include: relative to the including file, globs sorted, braces, nested, no match and loops reported', () => {
  const files = {
    [MAIN]: 'include conf.d/*.conf\ninclude extra/{b,a}.conf\ninclude missing/*.conf\n',
    '/etc/keepalived/conf.d/20-second.conf': 'vrrp_instance SECOND {\n virtual_router_id 2\n}\n',
    '/etc/keepalived/conf.d/10-first.conf': 'vrrp_instance FIRST {\n virtual_router_id 1\n include ../nested/vips.inc\n}\n',
    '/etc/keepalived/conf.d/.hidden.conf': 'vrrp_instance HIDDEN {\n}\n',
    '/etc/keepalived/nested/vips.inc': 'virtual_ipaddress {\n 10.0.0.9/24\n}\n',
    '/etc/keepalived/extra/a.conf': 'vrrp_instance A {\n}\n',
    '/etc/keepalived/extra/b.conf': 'vrrp_instance B {\n include b.conf\n}\n',
  };
  const cfg = model(files);
  assert.deepEqual(cfg.instances.map((i) => i.name), ['FIRST', 'SECOND', 'B', 'A']);
  const first = cfg.instances[0]!;
  assert.deepEqual(first.vips.map((v) => [v.address, v.loc.file, v.loc.line]), [['10.0.0.9', '/etc/keepalived/nested/vips.inc', 2]]);
  const msgs = cfg.problems.map((p) => `${p.kind} ${p.loc?.file}:${p.loc?.line} ${p.message}`);
  assert.ok(msgs.some((m) => m.startsWith(`include ${MAIN}:3 include missing/*.conf matches no file`)), msgs.join('\n'));
  assert.ok(msgs.some((m) => m.includes('/etc/keepalived/extra/b.conf:2 include loop')), msgs.join('\n'));
  assert.deepEqual(expandBraces('a{b,c{d,e}}f'), ['abf', 'acdf', 'acef']);
  assert.equal(resolveInclude('../x.conf', '/etc/keepalived/conf.d/y.conf'), '/etc/keepalived/x.conf');
  assert.deepEqual(globPattern('/etc/keepalived/conf.d/?0-*.conf', memFiles(files)).matches,
    ['/etc/keepalived/conf.d/10-first.conf', '/etc/keepalived/conf.d/20-second.conf']);
});

test('an executable included file is skipped, as keepalived skips it', () => {
  const files = { [MAIN]: 'include x.conf\n', '/etc/keepalived/x.conf': 'vrrp_instance X {\n}\n' };
  const cfg = buildModel(readConfigLines(MAIN, memFiles(files, ['/etc/keepalived/x.conf'])));
  assert.equal(cfg.instances.length, 0);
  assert.match(cfg.problems[0]!.message, /not a regular non-executable file/);
});

test('@id lines follow the config id; $definitions are substituted (multi-line ones too)', () => {
  const text = [
    '$PRIO=150',
    '$VIPS=virtual_ipaddress { \\',
    '  10.1.1.1/24 \\',
    '}',
    'vrrp_instance VI_1 {',
    '@lb1 priority $PRIO',
    '@lb2 priority 50',
    '@^lb1 state BACKUP',
    ' ${VIPS}',
    '}',
  ].join('\n');
  const on1 = model({ [MAIN]: text }, MAIN, 'lb1').instances[0]!;
  assert.equal(on1.priority?.value, 150);
  assert.equal(on1.state, null);
  assert.deepEqual(on1.vips.map((v) => v.address), ['10.1.1.1']);
  const on2 = model({ [MAIN]: text }, MAIN, 'lb2').instances[0]!;
  assert.equal(on2.priority?.value, 50);
  assert.equal(on2.state?.value, 'BACKUP');
});

test('syntax errors are findings with the file:line keepalived would name', () => {
  const missing = judge('vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 5\n');
  const m = missing.find((f) => f.code === 'config-syntax')!;
  assert.equal(m.severity, 'critical');
  assert.equal(m.where?.line, 1);
  assert.match(m.title, /never closed/);
  const extra = judge('vrrp_instance VI_1 {\n virtual_router_id 5\n}\n}\n').find((f) => f.code === 'config-syntax')!;
  assert.equal(extra.where?.line, 4);
  assert.match(extra.title, /extra '}'/);
  const quote = judge('vrrp_instance VI_1 {\n auth_pass "abc\n}\n').find((f) => f.code === 'config-syntax')!;
  assert.equal(quote.where?.line, 2);
  const noBrace = judge('vrrp_instance VI_1\n state MASTER\n').find((f) => f.code === 'config-syntax')!;
  assert.match(noBrace.title, /'\{' missing/);
});

test('unknown keywords are kept and ignored, never fatal', () => {
  const cfg = model({ [MAIN]: 'frobnicate 3\nvrrp_instance VI_1 {\n new_feature { a b }\n interface eth0\n virtual_router_id 9\n}\n' });
  assert.equal(cfg.instances[0]!.vrid?.value, 9);
  assert.deepEqual(cfg.problems, []);
});

const inst = (body: string, head = ''): string => `${head}vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n${body}\n virtual_ipaddress {\n  192.168.1.100/24\n }\n}\n`;

test('auth_pass longer than 8 characters: keepalived uses the first 8', () => {
  const long = judge(inst(' authentication {\n  auth_type PASS\n  auth_pass 123456789\n }'));
  const f = long.find((x) => x.code === 'auth-pass-truncated')!;
  assert.equal(f.where?.line, 6);
  assert.ok(!JSON.stringify(f).includes('123456789'), 'the password is never printed');
  assert.ok(!codes(judge(inst(' authentication {\n  auth_type PASS\n  auth_pass 12345678\n }'))).includes('auth-pass-truncated'));
});

test('vrrp_strict with authentication, unicast, preempt_delay, state MASTER', () => {
  const strict = 'global_defs {\n vrrp_strict\n}\n';
  const auth = judge(inst(' authentication {\n  auth_type PASS\n  auth_pass abc\n }', strict));
  assert.equal(auth.find((f) => f.code === 'strict-ignores-auth')?.where?.line, 7);
  assert.ok(!codes(judge(inst(' authentication {\n  auth_type PASS\n  auth_pass abc\n }'))).includes('strict-ignores-auth'));
  const uni = judge(inst(' unicast_peer {\n  192.168.1.12\n }', strict)).find((f) => f.code === 'strict-unicast')!;
  assert.equal(uni.severity, 'critical');
  assert.ok(!codes(judge(inst(' unicast_peer {\n  192.168.1.12\n }'))).includes('strict-unicast'));
  assert.ok(codes(judge(inst(' state BACKUP\n preempt_delay 10', strict))).includes('strict-preempt-delay'));
  assert.ok(!codes(judge(inst(' state BACKUP\n preempt_delay 10'))).includes('strict-preempt-delay'));
  assert.ok(codes(judge(inst(' state MASTER', strict))).includes('strict-master-not-owner'));
  assert.ok(!codes(judge(inst(' state MASTER\n priority 255', strict))).includes('strict-master-not-owner'));
});

test('nopreempt (and preempt_delay) with state MASTER', () => {
  const f = judge(inst(' state MASTER\n nopreempt')).find((x) => x.code === 'nopreempt-with-master')!;
  assert.equal(f.where?.line, 4);
  assert.deepEqual(f.fixes[0]!.commands, ['state BACKUP']);
  assert.ok(!codes(judge(inst(' state BACKUP\n nopreempt'))).includes('nopreempt-with-master'));
  assert.ok(!codes(judge(inst(' state MASTER\n nopreempt\n preempt'))).includes('nopreempt-with-master'), 'a later preempt wins');
  assert.ok(codes(judge(inst(' state MASTER\n preempt_delay 5'))).includes('preempt-delay-with-master'));
});

test('weight margin against --peer-priority: 100 − 10 = 90 stays above 80; −30 moves it', () => {
  const small = judge(CLASSIC_MASTER, { peerPriority: 80 }).find((f) => f.code === 'weight-too-small')!;
  assert.equal(small.title, 'track_script chk_nginx weight -10: 100 \u2212 10 = 90 stays above the peer\'s 80: a failed check will not move the VIP');
  assert.equal(small.where?.line, 11, 'the weight line of vrrp_script chk_nginx');
  assert.deepEqual(small.fixes[0]!.commands, ['weight -21']);
  const ok = judge(CLASSIC_MASTER.replace('weight -10', 'weight -30'), { peerPriority: 80 }).find((f) => f.code === 'weight-ok')!;
  assert.match(ok.title, /100 \u2212 30 = 70 below the peer's 80: failover works/);
  assert.equal(judge(CLASSIC_MASTER.replace('weight -10', 'weight -20'), { peerPriority: 80 }).find((f) => f.code === 'weight-too-small')?.title.includes('ties'), true);
  assert.ok(!codes(judge(CLASSIC_MASTER)).includes('weight-too-small'), 'no peer priority, no judgement');
  const inGroup = judge(CLASSIC_MASTER + 'vrrp_sync_group G {\n group {\n  VI_1\n }\n}\n', { peerPriority: 80 });
  assert.ok(codes(inGroup).includes('sync-group-zeroes-weights'));
  assert.ok(!codes(inGroup).includes('weight-too-small'), 'keepalived zeroes weights in sync groups: FAULT moves the VIP');
  const owner = judge(CLASSIC_MASTER.replace('priority 100', 'priority 255'), { peerPriority: 80 });
  assert.ok(codes(owner).includes('owner-ignores-weights'));
});

test('priorities: both 255, a tie', () => {
  assert.equal(judge(inst(' priority 255'), { peerPriority: 255 }).find((f) => f.code === 'both-priority-255')?.severity, 'critical');
  assert.ok(!codes(judge(inst(' priority 255'), { peerPriority: 200 })).includes('both-priority-255'));
  assert.ok(codes(judge(inst(' priority 90'), { peerPriority: 90 })).includes('priority-tie'));
});

test('a VIP without a prefix length: the fix takes the prefix of the interface\'s subnet', () => {
  const f = judge(inst('').replace('192.168.1.100/24', '192.168.1.100 label eth0:1')).find((x) => x.code === 'vip-no-prefix')!;
  assert.deepEqual(f.fixes[0]!.commands, ['192.168.1.100/24 label eth0:1']);
  assert.match(f.evidence[0]!, /eth0 has 192\.168\.1\.11\/24/);
  assert.ok(!codes(judge(inst(''))).includes('vip-no-prefix'));
});

test('an interface that does not exist here; not judged without host facts', () => {
  const f = judge(inst('').replace('interface eth0', 'interface eth9')).find((x) => x.code === 'interface-missing')!;
  assert.equal(f.severity, 'critical');
  assert.deepEqual(f.fixes[0]!.commands, ['interface eth0']);
  assert.ok(!codes(judge(inst(''))).includes('interface-missing'));
  assert.ok(!codes(judge(inst('').replace('interface eth0', 'interface eth9'), { host: { interfaces: null, interfacesNote: 'x' } })).includes('interface-missing'));
});

test('IPv6 next to IPv4: ignored in virtual_ipaddress; an IPv6 first VIP makes the instance v3', () => {
  const mixed = judge(inst('').replace('192.168.1.100/24', '192.168.1.100/24\n  fd00::100/64'));
  assert.equal(mixed.find((f) => f.code === 'vip-family-ignored')?.where?.line, 7);
  const v6 = judge(inst(' version 2').replace('192.168.1.100/24', 'fd00::100/64'));
  assert.ok(codes(v6).includes('ipv6-forces-v3'));
  assert.ok(!codes(judge(inst('').replace('192.168.1.100/24', 'fd00::100/64'))).includes('ipv6-forces-v3'));
});

test('the same VRID twice on one interface and group; unicast peers and source addresses', () => {
  const two = inst('') + inst('').replace('VI_1', 'VI_2');
  assert.equal(judge(two).find((f) => f.code === 'vrid-duplicate')?.instance, 'VI_2');
  assert.ok(!codes(judge(inst('') + inst('').replace('VI_1', 'VI_2').replace('virtual_router_id 51', 'virtual_router_id 52'))).includes('vrid-duplicate'));
  assert.ok(codes(judge(inst(' unicast_src_ip 192.168.1.99\n unicast_peer {\n  192.168.1.12\n }'))).includes('unicast-src-not-local'));
  assert.ok(!codes(judge(inst(' unicast_src_ip 192.168.1.11\n unicast_peer {\n  192.168.1.12\n }'))).includes('unicast-src-not-local'));
  assert.ok(codes(judge(inst(' unicast_peer {\n  192.168.1.11\n }'))).includes('unicast-peer-self'));
});

test('a track_script naming no vrrp_script', () => {
  assert.ok(codes(judge(inst(' track_script {\n  chk_gone\n }'))).includes('track-script-missing'));
  assert.ok(!codes(judge(CLASSIC_MASTER)).includes('track-script-missing'));
});

test('unicast and IPv6 configurations: what keepalived runs', () => {
  const uni = model({ [MAIN]: CLASSIC_MASTER.replace('    advert_int 1\n', '    advert_int 1\n    unicast_src_ip 192.168.1.11\n    unicast_peer {\n        192.168.1.12 min_ttl 250\n        192.168.1.13\n    }\n') });
  const u = uni.instances[0]!;
  assert.deepEqual(u.unicastPeers.map((p) => [p.value, p.loc.line]), [['192.168.1.12', 24], ['192.168.1.13', 25]]);
  assert.deepEqual([effective(u, uni).unicast, effective(u, uni).group], [true, null]);
  const v6text = 'global_defs {\n vrrp_version 2\n}\nvrrp_instance V6 {\n interface eth0\n virtual_router_id 7\n authentication {\n  auth_type PASS\n  auth_pass abc\n }\n virtual_ipaddress {\n  fd00::100/64\n }\n virtual_ipaddress_excluded {\n  192.168.1.50/24\n }\n}\n';
  const v6 = model({ [MAIN]: v6text });
  const e = effective(v6.instances[0]!, v6);
  assert.deepEqual([e.family, e.version, e.authType, e.group], [6, 3, 0, 'ff02::12'], 'IPv6 forces VRRPv3, which has no authentication');
  assert.deepEqual(v6.instances[0]!.excluded.map((a) => a.address), ['192.168.1.50']);
  assert.ok(!codes(judge(v6text)).includes('vip-family-ignored'), 'the excluded block may mix families');
});

test('an interface that is down; an instance without VRID; a tracked interface that does not exist', () => {
  const down = { interfaces: [{ name: 'eth0', up: false, multicast: true, addresses: [] }], interfacesNote: null };
  assert.ok(codes(judge(inst(''), { host: down })).includes('interface-down'));
  assert.ok(!codes(judge(inst(''))).includes('interface-down'));
  assert.equal(judge(inst('').replace(' virtual_router_id 51\n', '')).find((f) => f.code === 'no-virtual-router-id')?.severity, 'critical');
  assert.ok(!codes(judge(inst(''))).includes('no-virtual-router-id'));
  assert.equal(judge(inst('').replace('virtual_router_id 51', 'virtual_router_id 300')).find((f) => f.code === 'config-value')?.where?.line, 3);
  assert.ok(codes(judge(inst(' track_interface {\n  eth7 weight -20\n }'))).includes('track-interface-missing'));
  assert.ok(!codes(judge(inst(' track_interface {\n  eth0 weight -20\n }'))).includes('track-interface-missing'));
});

test('hostile configurations never throw: random bytes, deep braces, huge patterns', () => {
  let seed = 7;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const alphabet = '{}"\'#!\\@$~ \t\n;abcdefgh0123456789./*?[],=-';
  for (let n = 0; n < 300; n++) {
    let text = '';
    const len = Math.floor(rnd() * 400);
    for (let i = 0; i < len; i++) text += rnd() < 0.05 ? String.fromCharCode(Math.floor(rnd() * 256)) : alphabet[Math.floor(rnd() * alphabet.length)];
    const words = ['vrrp_instance X {', 'include *', 'virtual_ipaddress {', 'track_script {', 'unicast_peer {', '$A=$A$A', '@x '];
    text = words[n % words.length] + '\n' + text;
    assert.doesNotThrow(() => judge(text, { peerPriority: 80 }), text);
  }
  const deep = '{'.repeat(100_000) + '\n' + '}'.repeat(50_000);
  assert.ok(codes(judge(deep)).includes('config-syntax'));
  assert.doesNotThrow(() => judge(`include ${'{a,b}'.repeat(5000)}\ninclude ${'*a'.repeat(200)}\n`));
  assert.ok(judge('$X=$X $X\nvrrp_instance $X {\n}\n').some((f) => f.code === 'config-limit'), 'a definition naming itself stops at a bound');
});
