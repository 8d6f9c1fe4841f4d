// One story per split brain (issue: the whole truth of a split brain): a short split brain ended by
// resigning names every source that advertised as master and takes its cause from the mismatch between
// them (no firewall fix); a master whose priority falls with no backup heard; repeated facts as one line;
// dates once the input spans more than a day.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../src/analyze/analyzer.js';
import type { Snapshot } from '../src/analyze/model.js';
import type { PacketRecord } from '../src/decode/packet.js';
import { fixesFor } from '../src/remedy/index.js';
import { renderText } from '../src/report/text.js';
import { build, series, type AdvertSpec } from './support/records.js';

// the text report prints local time: the expected dates are UTC
process.env.TZ = 'UTC';

const A = '10.0.0.1', B = '10.0.0.2';

function run(recs: PacketRecord[]): Snapshot {
  const an = new Analyzer();
  for (const r of recs) an.packet(r);
  an.finish();
  return an.snapshot();
}
const finding = (s: Snapshot, code: string) => s.findings.find((f) => f.code === code);

test('a short split brain ended by resigning: both sources named, cause interval-mismatch, no firewall fix', () => {
  // A (1 s) master; B (2 s) becomes master too at 3.6 (it drops A's adverts), A's timer restarts on B's advert;
  // B resigns at 7.0, after the split brain had lasted past 1.5 × 2 s but before B's window ran out
  const specs: AdvertSpec[] = [
    ...series(A, 0, 3.5, 1), ...series(A, 4.6, 20, 1),
    { t: 3.6, src: B, prio: 80, interval: 2 }, { t: 7.0, src: B, prio: 0, interval: 2 },
  ];
  const s = run(build(specs));
  const r = s.routers[0];
  assert.equal(r.splitBrains.length, 1);
  assert.deepEqual(r.splitBrains[0].advertisers, [A, B]);
  const f = finding(s, 'split-brain')!;
  assert.equal(f.cause, 'interval-mismatch');
  assert.match(f.title, /10\.0\.0\.1 prio 100, 10\.0\.0\.2 prio 80/);
  assert.ok(f.evidence.includes('10.0.0.1 advertises every 1 s, 10.0.0.2 every 2 s: VRRPv2 drops adverts with another interval'), f.evidence.join('\n'));
  const fixes = fixesFor(f);
  assert.ok(fixes.length > 0 && fixes.every((x) => x.tool === 'keepalived'), JSON.stringify(fixes.map((x) => x.tool)));
  assert.ok(s.events.some((e) => e.type === 'split-brain-start' && e.message.startsWith('split brain: 2 sources advertising VRID 99 at once (10.0.0.1 prio 100, 10.0.0.2 prio 80)')));
});

test('a master whose priority falls with no backup heard: tracked-check-failed; not when a backup takes over', () => {
  const s = run(build([...series(A, 0, 4, 1), ...series(A, 4, 20, 1, { prio: 90 })]));
  const f = finding(s, 'tracked-check-failed')!;
  assert.equal(f.severity, 'warning');
  assert.equal(f.evidence[0], '10.0.0.1 advertised priority 100 -> 90 at 00:00:04.000 UTC, and stayed master: a tracked check (vrrp_script, ' +
    'track_interface, track_file) failed on the master, or its priority was lowered');
  assert.match(f.evidence[1], /whether the weight \(10\) is enough for a failover cannot be told: it is when a backup's priority is above 90/);
  // the weight was enough: B (80) takes over 3.688 s after A's last priority-100 advert
  const fo = run(build([...series(A, 0, 4, 1), ...series(A, 4, 7, 1, { prio: 70 }), ...series(B, 6.688, 20, 1, { prio: 80 })]));
  assert.equal(finding(fo, 'tracked-check-failed'), undefined);
  // a backup known and still below: weight-too-small, as before
  const wt = run(build([...series(B, 0, 3, 1, { prio: 80 }), ...series(A, 3.5, 8, 1), ...series(A, 8, 20, 1, { prio: 90 })]));
  assert.ok(finding(wt, 'weight-too-small'));
  assert.equal(finding(wt, 'tracked-check-failed'), undefined);
});

test('a silenced master going quiet again and again is one line with the count and the range', () => {
  // B rejects A's adverts (different auth) and speaks once every few seconds while A keeps advertising
  const specs: AdvertSpec[] = [...series(A, 0, 40, 1)];
  for (const t of [3.5, 9.5, 15.5, 21.5, 27.5]) specs.push({ t, src: B, prio: 80, auth: 'other' });
  const f = finding(run(build(specs)), 'split-brain')!;
  const quiet = f.evidence.filter((l) => l.startsWith('10.0.0.2 advertised as master, then'));
  assert.equal(quiet.length, 1, f.evidence.join('\n'));
  // quiet from each advert to the next (6 s), the last to the end (39 s): 6-11.5 s, 35.5 s in all
  assert.match(quiet[0], /^10\.0\.0\.2 advertised as master, then went quiet 5 times from 00:00:03\.500 UTC to the end \(6-11\.5 s each, 35\.5 s in all\) without resigning/);
  // twice or less: one line per spell, with its end
  const two: AdvertSpec[] = [...series(A, 0, 20, 1)];
  for (const t of [3.5, 9.5]) two.push({ t, src: B, prio: 80, auth: 'other' });
  const lines = finding(run(build(two)), 'split-brain')!.evidence.filter((l) => l.startsWith('10.0.0.2 advertised as master, then'));
  assert.deepEqual(lines.map((l) => l.replace(/ without resigning.*/, '')), [
    '10.0.0.2 advertised as master, then sent nothing from 00:00:03.500 UTC to 00:00:09.500 UTC (6 s)',
    '10.0.0.2 advertised as master, then sent nothing from 00:00:09.500 UTC to the end (9.5 s)',
  ]);
});

test('a silenced master quiet more often than the spells kept: the first 64 as they were, the rest counted', () => {
  // B speaks every 6 s, 70 times: 70 quiet spells; the first 64 are kept, the 64th ends at B's 65th advert
  const specs: AdvertSpec[] = [...series(A, 0, 430, 1)];
  for (let i = 0; i < 70; i++) specs.push({ t: 3.5 + 6 * i, src: B, prio: 80, auth: 'other' });
  const f = finding(run(build(specs)), 'split-brain')!;
  const quiet = f.evidence.filter((l) => l.startsWith('10.0.0.2 advertised as master, then'));
  assert.equal(quiet.length, 1, f.evidence.join('\n'));
  // 3.5 + 6 × 64 = 387.5 s: 00:06:27.500; later adverts do not move the last kept spell's end
  assert.match(quiet[0], /^10\.0\.0\.2 advertised as master, then went quiet 64 times from 00:00:03\.500 UTC to 00:06:27\.500 UTC \(6 s each, 384 s in all\)/);
  assert.ok(f.evidence.includes('and 6 more quiet spells after those, not kept (the first 64 are)'), f.evidence.join('\n'));
});

test('input spanning more than a day prints dates in the report, the timeline and the evidence', () => {
  const day = 86400;
  const specs: AdvertSpec[] = [...series(A, 1000, 1010, 1), ...series(A, day + 2000, day + 2020, 1), ...series(B, day + 2005, day + 2020, 1, { prio: 80 })];
  const s = run(build(specs));
  const text = renderText(s, { name: 'x', format: 'pcap', bytesRead: null, fileSize: null, problem: null }, { showAuth: false, color: false });
  assert.match(text, /split brain 1970-01-02 \d\d:\d\d:\d\d\.\d{6} → 1970-01-02/);
  assert.match(text, /\n {2}1970-01-02 \d\d:\d\d:\d\d\.\d{6} {2}VRID 99 /);
  assert.ok(finding(s, 'no-master')!.evidence.length > 0);
  assert.ok(s.events.some((e) => /since 1970-01-02 00:33:25\.000 UTC/.test(e.message)), s.events.map((e) => e.message).join('\n'));
  // a short capture: clock times only
  const short = run(build(series(A, 1000, 1010, 1)));
  const t2 = renderText(short, { name: 'x', format: 'pcap', bytesRead: null, fileSize: null, problem: null }, { showAuth: false, color: false });
  assert.doesNotMatch(t2.split('\n').slice(2).join('\n'), /1970-01-01/);
});
