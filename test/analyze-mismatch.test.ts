// Split brains from rejected adverts (configuration mismatch, TTL) in the real keepalived captures of
// pcaps/lab (MANIFEST.md): the split-brain finding names the mismatch and its keepalived.conf line, lists
// both masters, says "went quiet" only of a node that really sent nothing, and prints readable times.
// Read through the pipeline (src/capture/file.ts + src/decode + Analyzer), as the CLI does. Also: every
// event is complete when onEvent sees it (live NDJSON), and a start-up race is a transition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCaptureFile } from '../src/capture/file.js';
import { Pipeline } from '../src/pipeline.js';
import { Analyzer, utcClock } from '../src/analyze/analyzer.js';
import { fixesFor } from '../src/remedy/index.js';
import { Kind } from '../src/decode/index.js';
import type { AnalysisEvent, Snapshot } from '../src/analyze/model.js';
import type { PacketRecord } from '../src/decode/packet.js';

const A = '10.99.0.1';
const B = '10.99.0.2';

interface Run { snap: Snapshot; live: string[]; adverts: { t: number; src: string }[] }
function run(name: string): Run {
  const an = new Analyzer();
  const live: string[] = [];
  an.onEvent = (e: AnalysisEvent) => live.push(JSON.stringify(e));
  const adverts: { t: number; src: string }[] = [];
  const pipe = new Pipeline(an, (p: PacketRecord) => {
    if (p.kind === Kind.Advert) adverts.push({ t: p.tsSec + p.tsNsec / 1e9, src: p.srcText() });
  });
  readCaptureFile(`pcaps/lab/${name}.pcap`, pipe);
  an.finish();
  return { snap: an.snapshot(), live, adverts };
}

interface Case { name: string; cause: string; key: string | null; values?: Record<string, string>; line: RegExp | null; silent: string[] }
const CASES: Case[] = [
  { name: 'splitbrain-interval-mismatch', cause: 'interval-mismatch', key: 'advert_int', values: { [A]: '1', [B]: '2' }, line: /^advert_int 1$/, silent: [B] },
  { name: 'splitbrain-version-mismatch', cause: 'version-mismatch', key: 'vrrp_version', values: { [A]: '2', [B]: '3' }, line: /^vrrp_version 2\b/, silent: [B] },
  { name: 'splitbrain-auth-mismatch', cause: 'auth-mismatch', key: 'auth_pass', line: /^auth_pass /, silent: [B] },
  { name: 'splitbrain-vip-mismatch', cause: 'vip-mismatch', key: 'virtual_ipaddress', values: { [A]: '10.99.0.100', [B]: '10.99.0.101' }, line: /virtual_ipaddress/, silent: [A, B] },
  { name: 'splitbrain-ttl-254', cause: 'ttl', key: null, line: null, silent: [B] },
];

/** "HH:MM:SS.mmm UTC" back to seconds of the day. */
function sod(s: string): number {
  const m = /^(\d\d):(\d\d):(\d\d)\.(\d\d\d) UTC$/.exec(s);
  assert.ok(m, `not a clock time: ${s}`);
  return +m[1] * 3600 + +m[2] * 60 + +m[3] + +m[4] / 1000;
}

for (const c of CASES) {
  test(`${c.name}: split brain of both masters, cause ${c.cause}, fixed in keepalived.conf`, () => {
    const { snap, adverts } = run(c.name);
    const r = snap.routers[0];
    assert.equal(r.splitBrains.length, 1, JSON.stringify(r.splitBrains));
    assert.deepEqual(r.splitBrains[0].advertisers, [A, B], 'the active master first, then the other');
    const f = snap.findings.find((x) => x.code === 'split-brain')!;
    assert.ok(f, 'split-brain finding');
    assert.equal(f.cause, c.cause);
    assert.match(f.title, /10\.99\.0\.1 prio 100, 10\.99\.0\.2 prio 80/);
    if (c.key !== null) assert.equal(f.fixContext.configKey, c.key);
    if (c.values) assert.deepEqual(f.fixContext.values, c.values);
    assert.equal(f.fixContext.deafHost, null);
    const fixes = fixesFor(f);
    const cmds = fixes.flatMap((x) => x.commands);
    assert.ok(!cmds.some((x) => /^(iptables|ip6tables|nft|firewall-cmd|ufw) /.test(x)) || c.cause === 'ttl',
      `a config mismatch is not fixed in the firewall:\n${cmds.join('\n')}`);
    if (c.line !== null) assert.ok(cmds.some((x) => c.line!.test(x)), cmds.join('\n'));
    assert.ok(!f.evidence.some((l) => l.includes('configurations agree')), f.evidence.join('\n'));
    assert.ok(!f.evidence.some((l) => /t=\d/.test(l)), 'no raw epoch seconds in the evidence');

    // every "went quiet" claim is true of the packets: that node sent nothing in the interval it names
    const quiet = f.evidence.filter((l) => l.includes(' sent nothing from '));
    const who = quiet.map((l) => l.split(' ')[0]);
    assert.deepEqual([...new Set(who)].sort(), c.silent, quiet.join('\n'));
    const day = Math.floor(adverts[0].t / 86400) * 86400;
    for (const l of quiet) {
      const m = /^(\S+) advertised as master, then sent nothing from (\d\d:\d\d:\d\d\.\d\d\d UTC) to (?:(\d\d:\d\d:\d\d\.\d\d\d UTC)|the end)/.exec(l);
      assert.ok(m, l);
      const from = day + sod(m[2]);
      const to = m[3] !== undefined ? day + sod(m[3]) : Infinity;
      const mine = adverts.filter((x) => x.src === m[1]);
      assert.ok(mine.some((x) => Math.abs(x.t - from) < 0.0006), `${m[1]} advertised at ${m[2]}`);
      const inside = mine.filter((x) => x.t > from + 0.0006 && x.t < to - 0.0006);
      assert.deepEqual(inside.map((x) => utcClock(x.t)), [], `${m[1]} did advertise inside the quiet spell: ${l}`);
      if (m[3] !== undefined) assert.ok(mine.some((x) => Math.abs(x.t - to) < 0.0006), `${m[1]} spoke again at ${m[3]}`);
    }
    // the node that kept advertising is never called quiet in the interval case (regression)
    if (c.name === 'splitbrain-interval-mismatch') {
      const ev = snap.events.find((e) => e.type === 'split-brain-start')!;
      assert.match(ev.message, /^split brain: 10\.99\.0\.2 became master too but is silenced/);
    }
  });
}

test('utcClock(): UTC HH:MM:SS.mmm from the packet time alone', () => {
  assert.equal(utcClock(1795870806.2897), '13:00:06.290 UTC'); // TZ=UTC date -d @1795870806: 13:00:06
  assert.equal(utcClock(0), '00:00:00.000 UTC');
  assert.equal(utcClock(86399.9996), '00:00:00.000 UTC');
  assert.equal(utcClock(3661.007), '01:01:01.007 UTC');
});

test('events are complete when onEvent sees them (live NDJSON = the snapshot history)', () => {
  let failovers = 0, prio = 0, findings = 0;
  for (const n of ['failover-crash', 'failover-graceful', 'preemption', 'weight-failover', 'weight-too-small', 'splitbrain-heals',
    'splitbrain-interval-mismatch', 'splitbrain-ttl-254']) {
    const { snap, live } = run(n);
    assert.deepEqual(live, snap.events.map((e) => JSON.stringify(e)), n);
    for (const e of snap.events) {
      if (e.type === 'failover' || e.type === 'preemption' || e.type === 'graceful-handover') {
        failovers++;
        assert.notEqual(e.previousMaster, null, `${n}: ${e.message}`);
      }
      if (e.type === 'priority-change') {
        prio++;
        assert.ok(e.ip && typeof e.fromPriority === 'number' && typeof e.toPriority === 'number', JSON.stringify(e));
      }
      if (e.type === 'finding') {
        findings++;
        assert.ok(e.findingCode, JSON.stringify(e));
      }
    }
  }
  assert.ok(failovers >= 4 && prio >= 2 && findings >= 3, `${failovers} ${prio} ${findings}`);
});
