// doctor -i against real keepalived peers in network namespaces (the lab of test/support/lab.ts): node
// a advertises with one configuration, doctor runs inside node b's namespace with b's keepalived.conf
// (`ip netns exec <b> node bin/vrrpwatch doctor -i eth0 --config b.conf -t 4`). Matching settings say
// OK; each mismatch that makes keepalived drop the other's adverts is CRITICAL with b's line to change;
// another cluster on the VRID is a collision; the weight margin uses the priority a really advertises;
// a firewall dropping VRRP on b while the wire shows a's adverts arriving is certain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KeepalivedOptions, type Lab, type LabNode } from './support/lab.js';
import { LiveLab, liveLabSkipReason, PASS, sleep, VRRPWATCH } from './support/live-lab.js';

const skip = liveLabSkipReason();

interface DoctorDoc {
  verdict: { label: string; exitCode: number; headline: string };
  findings: { code: string; severity: string; title: string; where: { file: string; line: number } | null; evidence: string[]; fixes: { title: string; commands: string[] }[] }[];
  wire: { adverts: number; sources: number } | null;
}

/** (Re)start keepalived on a node and wait until it has entered MASTER state (it then advertises). */
async function master(lab: Lab, node: LabNode, opts: KeepalivedOptions | { conf: string }): Promise<void> {
  await lab.stop(node, 'SIGKILL');
  const before = lab.log(node).split('Entering MASTER STATE').length;
  await lab.keepalived(node, opts);
  for (let i = 0; i < 100 && lab.log(node).split('Entering MASTER STATE').length === before; i++) await sleep(100);
  assert.ok(lab.log(node).split('Entering MASTER STATE').length > before, `keepalived on ${node} never became master: ${lab.log(node).slice(-400)}`);
}

/** b's keepalived.conf as a file; doctor reads it inside b's namespace. */
function bConf(lab: Lab, opts: KeepalivedOptions = {}, edit: (s: string) => string = (s) => s): string {
  const file = join(lab.dir, 'b-doctor.conf');
  writeFileSync(file, edit(lab.config('b', { state: 'BACKUP', priority: 80, ...opts })));
  return file;
}

async function doctor(lab: Lab, node: LabNode, conf: string, extra: string[] = []): Promise<{ code: number | null; doc: DoctorDoc; raw: string }> {
  const r = await lab.run(node, process.execPath, [VRRPWATCH, 'doctor', '-i', 'eth0', '--config', conf, '-t', '4', '--json', ...extra], false, 60_000);
  let doc: DoctorDoc;
  try { doc = JSON.parse(r.stdout) as DoctorDoc; } catch { throw new Error(`doctor printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`); }
  return { code: r.code, doc, raw: r.stdout + r.stderr };
}

const find = (d: DoctorDoc, code: string) => d.findings.filter((f) => f.code === code);
const lineOf = (conf: string, text: string): number => {
  const lines = readFileSync(conf, 'utf8').split('\n') as string[];
  return lines.findIndex((l) => l.trim().startsWith(text)) + 1;
};

test('doctor -i against real keepalived peers', { skip, timeout: 600_000 }, async (t) => {
  const lab = new LiveLab();
  t.after(() => lab.teardown());

  await t.test('matching configuration: OK (b runs keepalived as backup, a is master)', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100 });
    const conf = bConf(lab);
    await lab.keepalived('b', { conf: readFileSync(conf, 'utf8') });
    await sleep(1500);
    const { code, doc } = await doctor(lab, 'b', conf);
    assert.equal(code, 0, JSON.stringify(doc.findings.filter((f) => f.severity !== 'ok'), null, 1));
    assert.equal(doc.verdict.label, 'OK');
    assert.equal(find(doc, 'wire-match').length, 1);
    assert.match(find(doc, 'wire-match')[0]!.title, /10\.99\.0\.1 \(priority 100\)/);
    assert.ok(doc.wire!.adverts >= 3);
    await lab.stop('b', 'SIGKILL');
  });

  await t.test('unicast pair with matching peers: OK', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100, unicast: true });
    const { code, doc } = await doctor(lab, 'b', bConf(lab, { unicast: true }));
    assert.equal(code, 0, JSON.stringify(doc.findings.filter((f) => f.severity !== 'ok'), null, 1));
    assert.equal(find(doc, 'wire-match').length, 1);
  });

  await t.test('IPv6 pair (VRRPv3) with matching settings: OK', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100, family: 6 });
    const { code, doc } = await doctor(lab, 'b', bConf(lab, { family: 6 }));
    assert.equal(code, 0, JSON.stringify(doc.findings.filter((f) => f.severity !== 'ok'), null, 1));
    assert.equal(find(doc, 'wire-match').length, 1);
  });

  await t.test('split brain now (both run, passwords differ): this node\'s own adverts and the peer\'s', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100, pass: 'otherpw2' });
    const conf = bConf(lab);
    // doctor listens from b's start: a advertises, b rejects it and becomes master too (a 2.2 master that
    // rejects adverts may then go quiet on the wire, so the capture must see the overlap begin)
    await lab.keepalived('b', { conf: readFileSync(conf, 'utf8') });
    const { code, doc } = await doctor(lab, 'b', conf, ['-t', '8']);
    await lab.stop('b', 'SIGKILL');
    assert.equal(code, 2);
    assert.match(find(doc, 'wire-split-brain')[0]!.title, /this node and 10\.99\.0\.1 both advertise VRID 99/);
    assert.equal(find(doc, 'wire-auth-mismatch').length, 1);
    assert.equal(find(doc, 'wire-own-differs').length, 0, 'b runs the file doctor reads');
  });

  await t.test('auth_pass differs: CRITICAL at b\'s auth_pass line, no password printed', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100, pass: 'otherpw2' });
    const conf = bConf(lab);
    const { code, doc, raw } = await doctor(lab, 'b', conf);
    assert.equal(code, 2);
    const f = find(doc, 'wire-auth-mismatch')[0]!;
    assert.equal(f.severity, 'critical');
    assert.equal(f.where?.line, lineOf(conf, 'auth_pass'));
    assert.ok(!raw.includes('otherpw2') && !raw.includes(PASS), 'passwords are compared, never printed');
  });

  await t.test('advert_int differs (v2): CRITICAL with the line to write', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100, interval: 2 });
    const conf = bConf(lab);
    const { code, doc } = await doctor(lab, 'b', conf);
    assert.equal(code, 2);
    const f = find(doc, 'wire-interval-mismatch')[0]!;
    assert.equal(f.where?.line, lineOf(conf, 'advert_int'));
    assert.deepEqual(f.fixes[0]!.commands, ['advert_int 2']);
  });

  await t.test('VRRP version differs: CRITICAL', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100, version: 3 });
    const { code, doc } = await doctor(lab, 'b', bConf(lab));
    assert.equal(code, 2);
    assert.deepEqual(find(doc, 'wire-version-mismatch')[0]!.fixes[0]!.commands, ['version 3']);
  });

  await t.test('a VIP more on the peer: CRITICAL (keepalived 2.2.7 drops adverts with another address list)', async () => {
    const text = lab.config('a', { state: 'MASTER', priority: 100 }).replace('10.99.0.100/24', '10.99.0.100/24\n    10.99.0.101/24');
    await master(lab, 'a', { conf: text });
    const conf = bConf(lab);
    const { code, doc } = await doctor(lab, 'b', conf);
    assert.equal(code, 2);
    const f = find(doc, 'wire-vip-mismatch')[0]!;
    assert.equal(f.severity, 'critical');
    assert.equal(f.where?.line, lineOf(conf, 'virtual_ipaddress'));
    assert.match(f.title, /10\.99\.0\.1 announces 10\.99\.0\.100, 10\.99\.0\.101/);
  });

  await t.test('another cluster on the same VRID (other VIPs): collision', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100, vip: '10.99.0.200/24', pass: 'othernet' });
    const { code, doc } = await doctor(lab, 'b', bConf(lab));
    assert.equal(code, 2);
    const f = find(doc, 'vrid-collision')[0]!;
    assert.match(f.title, /10\.99\.0\.1 advertises VRID 99 for 10\.99\.0\.200/);
    assert.equal(find(doc, 'wire-auth-mismatch').length, 0, 'a collision is not also judged as a misconfigured peer');
    assert.match(f.fixes[0]!.commands[0]!, /^virtual_router_id \d+$/);
  });

  await t.test('the peer unicasts, this node multicasts: CRITICAL', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100, unicast: true });
    const { doc } = await doctor(lab, 'b', bConf(lab));
    const f = find(doc, 'wire-unicast-multicast')[0]!;
    assert.equal(f.severity, 'critical');
    assert.deepEqual(f.fixes[0]!.commands, ['unicast_peer {', '    10.99.0.1', '}']);
  });

  await t.test('the peer runs the VRID over IPv6 (VRRPv3), this node over IPv4: CRITICAL', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100, family: 6 });
    const { doc } = await doctor(lab, 'b', bConf(lab));
    assert.equal(find(doc, 'wire-family-mismatch')[0]?.severity, 'critical');
  });

  await t.test('multicast adverts arriving with TTL 254: CRITICAL', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100 });
    await lab.run('a', 'iptables', ['-w', '-t', 'mangle', '-A', 'POSTROUTING', '-p', 'vrrp', '-j', 'TTL', '--ttl-set', '254'], true);
    const { doc } = await doctor(lab, 'b', bConf(lab));
    await lab.run('a', 'iptables', ['-w', '-t', 'mangle', '-F', 'POSTROUTING'], true);
    assert.match(find(doc, 'wire-ttl')[0]!.title, /TTL 254/);
  });

  await t.test('weight margin with the priority the backup really advertises (doctor on a, b master at 80)', async () => {
    await lab.stop('a', 'SIGKILL');
    await master(lab, 'b', { state: 'BACKUP', priority: 80 });
    const aConf = join(lab.dir, 'a-doctor.conf');
    writeFileSync(aConf, lab.config('a', { state: 'MASTER', priority: 100, weight: -10 }));
    const small = await doctor(lab, 'a', aConf);
    const f = find(small.doc, 'weight-too-small')[0]!;
    assert.equal(f.title, 'track_script chk_lab weight -10: 100 \u2212 10 = 90 stays above 10.99.0.2\'s 80: a failed check will not move the VIP');
    assert.deepEqual(f.fixes[0]!.commands, ['weight -21']);
    writeFileSync(aConf, lab.config('a', { state: 'MASTER', priority: 100, weight: -30 }));
    const ok = await doctor(lab, 'a', aConf);
    assert.match(find(ok.doc, 'weight-ok')[0]!.title, /100 \u2212 30 = 70 below 10\.99\.0\.2's 80: failover works/);
    await lab.stop('b', 'SIGKILL');
  });

  await t.test('a firewall on b drops VRRP while the wire shows a\'s adverts arriving: certain', async () => {
    await master(lab, 'a', { state: 'MASTER', priority: 100 });
    await lab.fwDrop('b');
    const conf = bConf(lab);
    const { code, doc } = await doctor(lab, 'b', conf);
    assert.equal(code, 2);
    const f = find(doc, 'firewall-blocks-in')[0]!;
    assert.match(f.title, /drops VRRP from .* this node is deaf to its peer now/);
    assert.match(f.evidence[0]!, /the wire shows 10\.99\.0\.1's adverts \(\d+\) arriving on eth0/);
    // the printed fix, pasted in b's namespace, and doctor again: OK
    const fix = f.fixes.find((x) => x.commands.some((c) => c.startsWith('iptables ')))!;
    assert.ok(fix, JSON.stringify(f.fixes));
    for (const c of fix.commands.filter((x) => !x.startsWith('#'))) await lab.run('b', 'sh', ['-c', c], true);
    const again = await doctor(lab, 'b', conf);
    await lab.fwClear('b');
    assert.equal(again.code, 0, JSON.stringify(again.doc.findings.filter((x) => x.severity !== 'ok'), null, 1));
    assert.ok(find(again.doc, 'firewall-ok').length > 0);
  });
});
