// src/report, unit by unit, on hand-built snapshots: the formatting helpers, the check line (status,
// exit code, perfdata per the Monitoring Plugins guidelines), the verdict summary and the text report's
// rarer lines. Every expected value is written out: times from well-known epochs (1234567890 =
// 2009-02-13 23:31:30 UTC, 1e9 = 2001-09-09 01:46:40 UTC), durations and perfdata worked by hand.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, constants } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTimestamp, duration, familyName, interval, paint, routerName, worse, SEVERITY_RANK } from '../src/report/format.js';
import { maskSecret, sanitize } from '../src/report/sanitize.js';
import { BatchWriter } from '../src/report/out.js';
import { checkOutcome, unknownLine } from '../src/report/check.js';
import { openSplitBrain, summarize, summarizeRouter } from '../src/report/summary.js';
import { renderText, causeSentence, fixLines, CAUSE_TEXT, type SourceInfo } from '../src/report/text.js';
import { renderJson, REPORT_SCHEMA } from '../src/report/json.js';
import type { AnalysisEvent } from '../src/analyze/model.js';

import { advertiser, finding, router, snapshot, SRC, T0 } from './support/snapshots.js';

// ---------------------------------------------------------------- format.ts

test('clock: UTC wall time with microseconds, two-digit fields, with or without the date', () => {
  assert.equal(localTimestamp(T0), '2009-02-13 23:31:30.000000');
  assert.equal(localTimestamp(T0 + 0.000001), '2009-02-13 23:31:30.000001');
  assert.equal(localTimestamp(T0 + 0.25, false), '23:31:30.250000');
  assert.equal(localTimestamp(1e9 + 0.5), '2001-09-09 01:46:40.500000');
  assert.equal(localTimestamp(1e9 + 0.5, false), '01:46:40.500000');
  assert.equal(localTimestamp(0.123456), '1970-01-01 00:00:00.123456');
  assert.equal(localTimestamp(3600 * 10 + 60 * 11 + 12.999999, false), '10:11:12.999999');
  // a fraction that rounds up to a whole second carries into the seconds (nanosecond captures)
  assert.equal(localTimestamp(1234567890.9999996), '2009-02-13 23:31:31.000000');
  assert.equal(localTimestamp(3600 * 23 + 60 * 59 + 59.9999997, false), '00:00:00.000000');
  assert.equal(localTimestamp(3600 * 23 + 60 * 59 + 59.9999997), '1970-01-02 00:00:00.000000');
});

test('duration: ms below a second, s below two minutes, min below two hours, then h', () => {
  assert.equal(duration(null), '—');
  assert.equal(duration(Infinity), '—');
  assert.equal(duration(NaN), '—');
  assert.equal(duration(0), '0.000 ms');
  assert.equal(duration(0.0002), '0.200 ms');
  assert.equal(duration(0.00099), '0.990 ms');
  assert.equal(duration(0.001), '1.0 ms');
  assert.equal(duration(0.2), '200.0 ms');
  assert.equal(duration(0.9999), '999.9 ms');
  assert.equal(duration(1), '1.000 s');
  assert.equal(duration(3.69), '3.690 s');
  assert.equal(duration(119.5), '119.500 s');
  assert.equal(duration(120), '2 min 00 s');
  assert.equal(duration(125.9), '2 min 05 s');
  assert.equal(duration(610), '10 min 10 s');
  assert.equal(duration(7199), '119 min 59 s');
  assert.equal(duration(7200), '2 h 00 min');
  assert.equal(duration(7320), '2 h 02 min');
  assert.equal(duration(40000), '11 h 06 min');
  assert.equal(duration(3600 * 30 + 60 * 45), '30 h 45 min');
});

test('interval, familyName, routerName, worse, paint', () => {
  assert.equal(interval(1, 's'), '1 s');
  assert.equal(interval(100, 'cs'), '100 cs');
  assert.equal(familyName(6), 'IPv6');
  assert.equal(familyName(4), 'IPv4');
  assert.equal(familyName(null), 'IPv4');
  assert.equal(routerName({ vrid: 99, family: 4, vlan: null }), 'VRID 99');
  assert.equal(routerName({ vrid: 99, family: 6, vlan: null }), 'VRID 99 (IPv6)');
  assert.equal(routerName({ vrid: 99, family: 4, vlan: 10 }), 'VRID 99 vlan 10');
  assert.equal(routerName({ vrid: 7, family: 6, vlan: 10, vlanOuter: 100 }), 'VRID 7 (IPv6) vlan 100.10');
  assert.equal(routerName({ vrid: 7, family: 4, vlan: 0 }), 'VRID 7 vlan 0');
  assert.deepEqual(SEVERITY_RANK, { ok: 0, warning: 1, critical: 2 });
  assert.equal(worse('ok', 'warning'), 'warning');
  assert.equal(worse('warning', 'ok'), 'warning');
  assert.equal(worse('critical', 'warning'), 'critical');
  assert.equal(worse('warning', 'critical'), 'critical');
  assert.equal(worse('ok', 'ok'), 'ok');
  assert.equal(paint(false, 'red', 'x'), 'x');
  assert.equal(paint(true, 'red', 'x'), '\u001b[31mx\u001b[0m');
  assert.equal(paint(true, 'yellow', 'x'), '\u001b[33mx\u001b[0m');
  assert.equal(paint(true, 'green', 'x'), '\u001b[32mx\u001b[0m');
  assert.equal(paint(true, 'bold', 'x'), '\u001b[1mx\u001b[0m');
  assert.equal(paint(true, 'dim', 'x'), '\u001b[2mx\u001b[0m');
});

// ---------------------------------------------------------------- sanitize.ts

test('sanitize: C0, DEL and C1 become dots (every one of them), printable text stays', () => {
  assert.equal(sanitize('a\u001b[31mb\u001b[0m'), 'a.[31mb.[0m');
  assert.equal(sanitize('\u0000\u0009\n\u001f\u007f\u0080\u009f'), '.......');
  assert.equal(sanitize(' ~\u00a0é€'), ' ~\u00a0é€');
  assert.equal(sanitize('plain'), 'plain');
});

test('maskSecret: eight stars whatever the length, empty stays empty, shown only when asked (sanitised)', () => {
  assert.equal(maskSecret(null, false), null);
  assert.equal(maskSecret(null, true), null);
  assert.equal(maskSecret('', false), '');
  assert.equal(maskSecret('a', false), '********');
  assert.equal(maskSecret('secret12', false), '********');
  assert.equal(maskSecret('se\u0007cret', true), 'se.cret');
  assert.equal(maskSecret('', true), '');
});

// ---------------------------------------------------------------- out.ts

test('BatchWriter: holds lines until the limit, then writes them in one go; flush writes the rest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vw-out-'));
  try {
    const f = join(dir, 'out');
    const fd = openSync(f, 'w');
    const w = new BatchWriter(fd, 10);
    w.flush(); // nothing buffered: nothing written
    w.line('abc');            // 4 bytes with the newline
    assert.equal(readFileSync(f, 'utf8'), '');
    w.line('defg');           // 9
    assert.equal(readFileSync(f, 'utf8'), '');
    w.line('h');              // 11 >= 10: written
    assert.equal(readFileSync(f, 'utf8'), 'abc\ndefg\nh\n');
    w.line('é€');             // multi-byte text is written as UTF-8
    w.flush();
    assert.equal(readFileSync(f, 'utf8'), 'abc\ndefg\nh\né€\n');
    w.flush();
    assert.equal(readFileSync(f, 'utf8'), 'abc\ndefg\nh\né€\n');
    closeSync(fd);
    // exactly at the limit: written at once
    const fd2 = openSync(f, 'w');
    const w2 = new BatchWriter(fd2, 4);
    w2.line('abc');
    assert.equal(readFileSync(f, 'utf8'), 'abc\n');
    // the default limit is 64 KiB
    const w3 = new BatchWriter(fd2);
    w3.line('x'.repeat(65534));
    assert.equal(readFileSync(f, 'utf8').length, 4);
    w3.line('');
    assert.equal(readFileSync(f, 'utf8').length, 4 + 65536);
    closeSync(fd2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BatchWriter: a pipe whose reader went away ends quietly (EPIPE), later lines are dropped and nothing piles up; other errors throw', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vw-out-'));
  try {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const r = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const wfd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    closeSync(r);
    const w = new BatchWriter(wfd, 1 << 16);
    w.line('lost');
    w.flush();
    assert.equal(w.closed, true);
    w.line('also lost');
    w.flush();
    // nothing piles up in memory after the reader went away
    for (let i = 0; i < 1000; i++) w.line('y'.repeat(100));
    assert.equal((w as unknown as { size: number; chunks: string[] }).size, 0);
    assert.equal((w as unknown as { size: number; chunks: string[] }).chunks.length, 0);
    closeSync(wfd);
    // a closed descriptor is no closed pipe: EBADF is thrown
    const bad = new BatchWriter(wfd);
    bad.line('x');
    assert.throws(() => bad.flush(), { code: 'EBADF' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BatchWriter: a full non-blocking pipe (EAGAIN) is retried until a slow reader took everything', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vw-out-'));
  try {
    const fifo = join(dir, 'fifo');
    const out = join(dir, 'copy');
    execFileSync('mkfifo', [fifo]);
    const hold = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK); // lets the writer open without a reader
    const wfd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const reader = spawn('sh', ['-c', `sleep 0.1; cat "${fifo}" > "${out}"`], { stdio: 'ignore' });
    const exited = new Promise((res) => reader.on('exit', res));
    const w = new BatchWriter(wfd, 1 << 20);
    const line = 'y'.repeat(1023);
    for (let i = 0; i < 1024; i++) w.line(line); // 1 MiB, far more than a pipe holds: written at the last line
    closeSync(wfd);
    closeSync(hold);
    assert.equal(await exited, 0);
    const got = readFileSync(out, 'utf8');
    assert.equal(got.length, 1 << 20);
    assert.equal(got, (line + '\n').repeat(1024));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- check.ts

test('check: OK with the perfdata of one router, worked by hand', () => {
  const s = snapshot({ stats: { ...snapshot().stats, rejects: { 'bad-ttl': 2, short: 1 } } });
  const c = checkOutcome(s);
  assert.equal(c.code, 0);
  assert.equal(c.line, "VRRP OK - VRID 51: master 10.0.0.1 prio 100 | 'vrid51_masters'=1;;1;0; 'vrid51_prio'=100;;;0;255 " +
    "'vrid51_split_s'=0s;;0;0; 'vrid51_changes'=0;;;0; 'vrid51_last_fo_s'=U;;;0; 'adverts'=10c 'rejects'=3c");
  assert.deepEqual(c.long, ['[OK] VRID 51: master 10.0.0.1 prio 100']);
});

test('check: labels per family and VLAN, split-brain seconds summed, changes without the initial master, drops when live', () => {
  const sb = router({
    key: 'v6/7@vlan10', family: 6, vrid: 7, vlan: 10, state: 'split-brain', worst: 'critical', master: 'fe80::1', masterPriority: null,
    advertisers: [advertiser({ ip: 'fe80::1' }), advertiser({ ip: 'fe80::2', role: 'contender', priority: 90 }), advertiser({ ip: 'fe80::3', role: 'contender', priority: 80 })],
    splitBrains: [
      { start: T0, end: T0 + 2.5, duration: 2.5, advertisers: ['fe80::1', 'fe80::2'] },
      { start: T0 + 5, end: null, duration: 1.25, advertisers: ['fe80::1', 'fe80::2', 'fe80::3'] },
    ],
    failovers: [
      { t: T0, from: null, to: 'fe80::1', kind: 'initial', duration: null, expected: null },
      { t: T0 + 3, from: 'fe80::1', to: 'fe80::2', kind: 'failover', duration: 3.5, expected: 3.6 },
      { t: T0 + 4, from: 'fe80::2', to: 'fe80::1', kind: 'preemption', duration: 0.0125, expected: null },
    ],
  });
  const q = router({ key: 'v4/99@vlan100.10', vrid: 99, vlan: 10, vlanOuter: 100, master: null, masterPriority: null, state: 'transition',
    failovers: [{ t: T0, from: '10.0.0.9', to: '10.0.0.1', kind: 'graceful', duration: null, expected: 0.6 }] });
  const l = router({ key: 'v4/3@vlan20', vrid: 3, vlan: 20, failovers: [{ t: T0, from: '10.0.0.9', to: '10.0.0.1', kind: 'failover', duration: 4, expected: 3.6 }] });
  const stats = { ...snapshot().stats, vrrpAdverts: 1234, pcapReceived: 1300, pcapDropped: 5, pcapIfDropped: 0 };
  const c = checkOutcome(snapshot({ routers: [sb, q, l], stats, verdict: 'critical' }));
  assert.equal(c.code, 2);
  const perf = c.line.slice(c.line.indexOf(' | ') + 3);
  assert.equal(perf, [
    "'vrid7_v6_vl10_masters'=3;;1;0;", "'vrid7_v6_vl10_prio'=U;;;0;255", "'vrid7_v6_vl10_split_s'=3.750s;;0;0;",
    "'vrid7_v6_vl10_changes'=2;;;0;", "'vrid7_v6_vl10_last_fo_s'=0.013s;;;0;",
    "'vrid99_vl100-10_masters'=0;;1;0;", "'vrid99_vl100-10_prio'=U;;;0;255", "'vrid99_vl100-10_split_s'=0s;;0;0;",
    "'vrid99_vl100-10_changes'=1;;;0;", "'vrid99_vl100-10_last_fo_s'=U;;;0;",
    "'vrid3_vl20_masters'=1;;1;0;", "'vrid3_vl20_prio'=100;;;0;255", "'vrid3_vl20_split_s'=0s;;0;0;",
    "'vrid3_vl20_changes'=1;;;0;", "'vrid3_vl20_last_fo_s'=4s;;;0;",
    "'adverts'=1234c", "'rejects'=0c", "'pcap_drops'=5c",
  ].join(' '));
  assert.ok(c.line.startsWith('VRRP CRITICAL - VRID 7 (IPv6) vlan 10: split brain for 1.250 s: fe80::1 prio 100, fe80::2 prio 90, fe80::3 prio 80; '), c.line);
  assert.deepEqual(c.long.slice(-1), ['split brain on VRID 7 going on for 1.250 s']);
  assert.equal(c.long[0].slice(0, 11), '[CRITICAL] ');
  assert.equal(c.long[1], '[OK] VRID 99 vlan 100.10: no master now; 1 master change (last: graceful)');
  assert.equal(c.long[2], '[OK] VRID 3 vlan 20: master 10.0.0.1 prio 100; 1 master change (last: failover, 4.000 s)');
});

test('check: exit code from the worst severity; findings in the long output; no VRRP is UNKNOWN unless told', () => {
  const warn = checkOutcome(snapshot({ findings: [finding({ code: 'interval-mismatch', severity: 'warning', title: 'intervals differ' }),
    finding({ code: 'checksum-variant', severity: 'ok', title: 'one flavour' })] }));
  assert.equal(warn.code, 1);
  assert.ok(warn.line.startsWith('VRRP WARNING - VRID 51: master 10.0.0.1 prio 100; interval-mismatch | '), warn.line);
  assert.deepEqual(warn.long, ['[WARNING] VRID 51: master 10.0.0.1 prio 100; interval-mismatch', '[WARNING] interval-mismatch: intervals differ']);
  const crit = checkOutcome(snapshot({ findings: [finding({ code: 'no-master', title: 'nobody' })] }));
  assert.equal(crit.code, 2);
  assert.deepEqual(crit.long, ['[CRITICAL] VRID 51: master 10.0.0.1 prio 100', '[CRITICAL] no-master: nobody']);

  const none = snapshot({ routers: [], firstTime: null, stats: { ...snapshot().stats, vrrpAdverts: 0 } });
  assert.deepEqual(checkOutcome(none), { code: 3, line: "VRRP UNKNOWN - no VRRP advertisement seen | 'adverts'=0c 'rejects'=0c", long: [] });
  assert.equal(checkOutcome(none, { noVrrpIs: 2 }).line, "VRRP CRITICAL - no VRRP advertisement seen | 'adverts'=0c 'rejects'=0c");
  assert.equal(checkOutcome(none, { noVrrpIs: 2 }).code, 2);
  // an absent expected VRID is a global finding: CRITICAL with its title, not UNKNOWN
  const expected = checkOutcome(snapshot({ routers: [], findings: [finding({ code: 'expected-vrid-missing', routerKey: null, title: 'VRID 9 expected, not seen' })] }));
  assert.equal(expected.code, 2);
  assert.equal(expected.line, "VRRP CRITICAL - VRID 9 expected, not seen | 'adverts'=10c 'rejects'=0c");

  const corrupt = { kind: 'corrupt', message: 'bad block at byte 64' };
  assert.equal(checkOutcome(snapshot(), { readProblem: corrupt }).code, 1);
  assert.ok(checkOutcome(snapshot(), { readProblem: corrupt }).line.startsWith('VRRP WARNING - VRID 51: master 10.0.0.1 prio 100; capture corrupt: bad block at byte 64 | '));
  assert.equal(checkOutcome(snapshot(), { readProblem: { kind: 'truncated', message: 'cut' } }).code, 0);
  assert.equal(checkOutcome(snapshot({ verdict: 'critical' }), { readProblem: corrupt }).code, 2);
  assert.equal(checkOutcome(none, { readProblem: corrupt }).code, 3);
  assert.equal(checkOutcome(snapshot(), { readProblem: null }).code, 0);
  assert.equal(unknownLine('no such file'), 'VRRP UNKNOWN - no such file');
});

// ---------------------------------------------------------------- summary.ts

test('summary: router lines for split brain (open, ended with the capture), no master, resigned, none', () => {
  const adv2 = [advertiser(), advertiser({ ip: '10.0.0.2', role: 'contender', priority: 80 })];
  const open = router({ state: 'split-brain', advertisers: adv2,
    splitBrains: [{ start: T0, end: null, duration: 3, advertisers: ['10.0.0.1', '10.0.0.2', '10.0.0.9'] }] });
  assert.equal(summarizeRouter(open, []).text, 'VRID 51: split brain for 3.000 s: 10.0.0.1 prio 100, 10.0.0.2 prio 80, 10.0.0.9');
  const ended = router({ advertisers: adv2,
    splitBrains: [{ start: T0, end: T0 + 3, duration: 3, advertisers: ['10.0.0.1', '10.0.0.2'], endedWithCapture: true }] });
  assert.equal(summarizeRouter(ended, []).text, 'VRID 51: split brain for 3.000 s (still on when the capture ended): 10.0.0.1 prio 100, 10.0.0.2 prio 80');
  assert.equal(openSplitBrain(ended)?.duration, 3);
  const healedOnly = router({ splitBrains: [{ start: T0, end: T0 + 3, duration: 3, advertisers: ['10.0.0.1', '10.0.0.2'], endedWithCapture: false }] });
  assert.equal(openSplitBrain(healedOnly), undefined);
  assert.equal(summarizeRouter(healedOnly, []).text, 'VRID 51: master 10.0.0.1 prio 100; a split brain lasting 3.000 s in all, healed');
  const twoHealed = router({ splitBrains: [
    { start: T0, end: T0 + 3, duration: 3, advertisers: ['a', 'b'] }, { start: T0 + 5, end: T0 + 6.5, duration: 1.5, advertisers: ['a', 'b'] },
    { start: T0 + 8, end: null, duration: 1, advertisers: ['a', 'b'] }] });
  assert.equal(summarizeRouter(twoHealed, []).text, 'VRID 51: split brain for 1.000 s: a, b; 2 split brains lasting 4.500 s in all, healed');

  const nm = router({ state: 'no-master', master: null, noMasters: [
    { start: T0, end: T0 + 1, duration: 1, lastMaster: '10.0.0.3' }, { start: T0 + 2, end: null, duration: 7.25, lastMaster: '10.0.0.1' }] });
  assert.equal(summarizeRouter(nm, []).text, 'VRID 51: no master for 7.250 s (last master 10.0.0.1)');
  const nmNoLast = router({ state: 'no-master', master: null, noMasters: [{ start: T0, end: null, duration: 2, lastMaster: null }] });
  assert.equal(summarizeRouter(nmNoLast, []).text, 'VRID 51: no master for 2.000 s');
  assert.equal(summarizeRouter(router({ state: 'no-master', master: null }), []).text, 'VRID 51: no master for —');
  const past = router({ noMasters: [{ start: T0, end: T0 + 4, duration: 4, lastMaster: null }, { start: T0 + 5, end: T0 + 9, duration: 4, lastMaster: null }] });
  assert.equal(summarizeRouter(past, []).text, 'VRID 51: master 10.0.0.1 prio 100; 2 period(s) with no master');
  assert.equal(summarizeRouter(router({ state: 'resigned', master: null }), []).text, 'VRID 51: every node resigned (priority 0): keepalived stopped');
  assert.equal(summarizeRouter(router({ state: 'transition', master: null }), []).text, 'VRID 51: no master now');
});

test('summary: master changes counted without the initial one; warnings listed; severity from the router and its findings', () => {
  const r = router({ worst: 'warning', failovers: [
    { t: T0, from: null, to: '10.0.0.1', kind: 'initial', duration: null, expected: null },
    { t: T0 + 1, from: '10.0.0.1', to: '10.0.0.2', kind: 'failover', duration: 3.6, expected: 3.6 },
    { t: T0 + 2, from: '10.0.0.2', to: '10.0.0.1', kind: 'preemption', duration: 0.0005, expected: null }] });
  const fs = [finding({ code: 'interval-mismatch', severity: 'warning' }), finding({ code: 'ttl-not-255', severity: 'warning' }),
    finding({ code: 'flapping', severity: 'warning', routerKey: 'v4/52' }), finding({ code: 'checksum-variant', severity: 'ok' })];
  const s = summarizeRouter(r, fs);
  assert.equal(s.text, 'VRID 51: master 10.0.0.1 prio 100; 2 master changes (last: preemption, 0.500 ms); interval-mismatch, ttl-not-255');
  assert.equal(s.severity, 'warning');
  assert.equal(summarizeRouter(router(), [finding({ severity: 'critical' })]).severity, 'critical');
  assert.equal(summarizeRouter(router({ worst: 'critical' }), [finding({ severity: 'warning' })]).severity, 'critical');
  assert.equal(summarizeRouter(router(), [finding({ severity: 'critical', routerKey: 'v4/52' })]).severity, 'ok');
  const one = router({ failovers: [{ t: T0, from: 'a', to: 'b', kind: 'graceful', duration: null, expected: null }] });
  assert.equal(summarizeRouter(one, []).text, 'VRID 51: master 10.0.0.1 prio 100; 1 master change (last: graceful)');
});

test('summarize: label and headline (split brain first, then no master, then the worst), others counted, global findings added', () => {
  const ok1 = router();
  const ok2 = router({ key: 'v4/52', vrid: 52 });
  const warn = router({ key: 'v4/53', vrid: 53, worst: 'warning' });
  const crit = router({ key: 'v4/54', vrid: 54, worst: 'critical' });
  const nm = router({ key: 'v4/55', vrid: 55, state: 'no-master', master: null });
  const pastNm = router({ key: 'v4/56', vrid: 56, noMasters: [{ start: T0, end: T0 + 4, duration: 4, lastMaster: null }] });
  const healed = router({ key: 'v4/57', vrid: 57, splitBrains: [{ start: T0, end: T0 + 3, duration: 3, advertisers: ['a', 'b'] }] });
  const open = router({ key: 'v4/58', vrid: 58, splitBrains: [{ start: T0, end: null, duration: 2, advertisers: ['a', 'b'] }] });

  const one = summarize(snapshot({ routers: [ok1] }));
  assert.deepEqual([one.severity, one.label, one.headline], ['ok', 'OK', 'VRID 51: master 10.0.0.1 prio 100']);
  const two = summarize(snapshot({ routers: [ok1, ok2] }));
  assert.equal(two.headline, 'VRID 51: master 10.0.0.1 prio 100; 1 more virtual router');
  const w = summarize(snapshot({ routers: [ok1, warn, ok2] }));
  assert.deepEqual([w.severity, w.label, w.headline], ['warning', 'WARNING', 'VRID 53: master 10.0.0.1 prio 100; 2 more virtual routers']);
  const c = summarize(snapshot({ routers: [ok1, warn, crit] }));
  assert.deepEqual([c.severity, c.label, c.headline], ['critical', 'CRITICAL', 'VRID 54: master 10.0.0.1 prio 100; 2 more virtual routers']);
  const n = summarize(snapshot({ routers: [crit, nm] }));
  assert.deepEqual([n.label, n.headline], ['NO MASTER', 'VRID 55: no master for —; 1 more virtual router']);
  assert.equal(summarize(snapshot({ routers: [ok1, pastNm] })).label, 'NO MASTER');
  assert.equal(summarize(snapshot({ routers: [ok1, pastNm] })).headline, 'VRID 56: master 10.0.0.1 prio 100; 1 period(s) with no master; 1 more virtual router');
  const h = summarize(snapshot({ routers: [nm, healed] }));
  assert.deepEqual([h.label, h.headline], ['SPLIT BRAIN', 'VRID 57: master 10.0.0.1 prio 100; a split brain lasting 3.000 s in all, healed; 1 more virtual router']);
  const o = summarize(snapshot({ routers: [healed, open] }));
  assert.equal(o.headline, 'VRID 58: split brain for 2.000 s: a, b; 1 more virtual router');
  // the verdict alone can raise the severity
  const v = summarize(snapshot({ routers: [ok1], verdict: 'warning' }));
  assert.deepEqual([v.severity, v.label, v.headline], ['warning', 'WARNING', 'VRID 51: master 10.0.0.1 prio 100']);
  // global findings: appended to the routers' line, or the headline when there is no router
  const g = [finding({ routerKey: null, code: 'rejected-packets', severity: 'warning', title: '3 packets rejected' }),
    finding({ routerKey: null, code: 'expected-vrid-missing', severity: 'critical', title: 'VRID 9 expected, not seen' })];
  const withG = summarize(snapshot({ routers: [ok1], findings: g }));
  assert.deepEqual([withG.severity, withG.label], ['critical', 'CRITICAL']);
  assert.equal(withG.headline, 'VRID 51: master 10.0.0.1 prio 100; 3 packets rejected; VRID 9 expected, not seen');
  assert.deepEqual(withG.global, g);
  const onlyG = summarize(snapshot({ routers: [], findings: g }));
  assert.equal(onlyG.headline, '3 packets rejected');
  const nothing = summarize(snapshot({ routers: [] }));
  assert.deepEqual([nothing.severity, nothing.label, nothing.headline], ['ok', 'NO VRRP', 'no VRRP advertisement seen']);
});

// ---------------------------------------------------------------- text.ts, json.ts

test('causeSentence: every cause has its sentence; {deaf} is the deaf host or "one node"', () => {
  assert.equal(causeSentence(finding({ cause: null })), null);
  assert.equal(causeSentence(finding({ cause: 'firewall-drop', fixContext: { deafHost: '10.0.0.2', peers: [], multicast: null, family: 4 } })),
    'a firewall on 10.0.0.2 drops incoming VRRP (or the network does not deliver it there): it does not hear its peer, which hears it and answers each of its adverts');
  assert.equal(causeSentence(finding({ cause: 'firewall-reject' })),
    'a firewall on one node rejects VRRP (ICMP errors came back for the adverts it was sent)');
  assert.equal(causeSentence(finding({ cause: 'unknown' })), 'the cause could not be told from this capture');
  assert.equal(Object.keys(CAUSE_TEXT).length, 17);
});

test('fixLines: the host named once, in the title or after it', () => {
  assert.deepEqual(fixLines([
    { tool: 'iptables', host: '10.0.0.2', title: 'accept on 10.0.0.2', commands: ['a', 'b'] },
    { tool: 'keepalived', host: '10.0.0.1', title: 'lower the priority', commands: ['priority 254'] },
    { tool: 'keepalived', host: null, title: 'everywhere', commands: [] },
  ], '  '), ['  accept on 10.0.0.2:', '    a', '    b', '  lower the priority (on 10.0.0.1):', '    priority 254', '  everywhere:']);
});

test('renderText: the rarer lines (libpcap counters, a problem without a file size, odd link types, CARP, duplicates, cut frames)', () => {
  const stats = { ...snapshot().stats, rejects: { 'bad-ttl': 0, short: 2 }, carp: 3, unsupportedLinks: { 'LINKTYPE_IEEE802_11': 4, 'linktype 147': 1 },
    duplicates: 1, cutByCapture: 2, pcapReceived: 20, pcapDropped: 1, pcapIfDropped: null };
  const src: SourceInfo = { name: 'standard input', format: null, bytesRead: 50, fileSize: null, problem: { kind: 'truncated', offset: 50, message: 'cut in a record' } };
  const lines = renderText(snapshot({ stats, routers: [] }), src, { showAuth: false, color: false }).split('\n');
  assert.deepEqual(lines, [
    'NO VRRP  no VRRP advertisement seen',
    'read standard input: 12 frames, 10 VRRP adverts, 2 rejected, 2009-02-13 23:31:30.000000 → 23:31:39.000000 (9.000 s)',
    'libpcap: 20 received, 1 dropped by the kernel, 0 by the interface',
    'capture truncated: cut in a record (at byte 50); the report covers what was read',
    'not decoded: 4 frames of link type LINKTYPE_IEEE802_11, 1 frames of link type linktype 147',
    '3 OpenBSD CARP packets on protocol 112 (not VRRP) ignored',
    'rejected protocol-112 packets: short 2',
    '1 advert seen twice within 2 ms (the same frame on two interfaces, as -i any shows a bridge and its port) ignored',
    "2 VRRP frames were cut short by the capture's snapshot length and not judged (capture with -s 256 or more)",
    '',
  ]);
  const two = renderText(snapshot({ routers: [], firstTime: null, stats: { ...snapshot().stats, duplicates: 2, cutByCapture: 1, pcapDropped: 0, pcapReceived: 5, pcapIfDropped: 3 } }),
    { ...SRC, problem: { kind: 'corrupt', offset: 40, message: 'bad' } }, { showAuth: false, color: false }).split('\n');
  assert.deepEqual(two.slice(1, 6), [
    'read x.pcap (pcap): 12 frames, 10 VRRP adverts, 0 rejected',
    'libpcap: 5 received, 0 dropped by the kernel, 3 by the interface',
    'capture corrupt: bad (40 of 100 bytes read); the report covers what was read',
    '2 adverts seen twice within 2 ms (the same frame on two interfaces, as -i any shows a bridge and its port) ignored',
    "1 VRRP frame was cut short by the capture's snapshot length and not judged (capture with -s 256 or more)",
  ]);
});

test('renderText: a router section with every kind of cell, its history, periods, and the timeline limit', () => {
  const advs = [
    advertiser({ ip: '10.0.0.1', mac: null, authType: 1, authText: 'secret', measuredInterval: null, jitter: null, ttlMin: 254, ttlMax: 255,
      priorityHistory: [{ t: T0, priority: 100 }, { t: T0 + 2.5, priority: 80 }, { t: T0 + 4, priority: 100 }], lastSeen: T0 + 9.5 }),
    advertiser({ ip: '10.0.0.2', role: 'contender', priority: 90, authType: 2, authMatches: false, measuredInterval: 1.0004, jitter: null,
      destination: 'unicast', unicastPeers: ['10.0.0.1', '10.0.0.3'], advertIntervalRaw: 100, advertIntervalUnit: 'cs', version: 3 }),
    advertiser({ ip: '10.0.0.3', role: 'silent', authType: 7, destination: 'mixed', unicastPeers: ['10.0.0.1'] }),
    advertiser({ ip: '10.0.0.4', role: 'resigned', authType: null, adverts: 1234 }),
  ];
  const r = router({ vlan: 10, state: 'split-brain', worst: 'critical', virtualAddresses: [], advertisers: advs, masterDownInterval: 3.609,
    failovers: [
      { t: T0, from: null, to: '10.0.0.1', kind: 'initial', duration: null, expected: null },
      { t: T0 + 1, from: null, to: '10.0.0.2', kind: 'failover', duration: null, expected: null },
      { t: T0 + 2, from: '10.0.0.2', to: '10.0.0.1', kind: 'preemption', duration: 3.5, expected: 3.609 }],
    splitBrains: [{ start: T0 + 3, end: T0 + 4, duration: 1, advertisers: ['10.0.0.1', '10.0.0.2'] },
      { start: T0 + 5, end: T0 + 9.5, duration: 4.5, advertisers: ['10.0.0.1', '10.0.0.2'], endedWithCapture: true },
      { start: T0 + 6, end: null, duration: 3.5, advertisers: ['10.0.0.1', '10.0.0.3'] }],
    noMasters: [{ start: T0 + 0.5, end: T0 + 0.75, duration: 0.25, lastMaster: null }, { start: T0 + 9, end: null, duration: 0.5, lastMaster: null }] });
  const events: AnalysisEvent[] = [];
  for (let i = 0; i < 4; i++) {
    events.push({ t: T0 + i, type: 'priority-change', routerKey: 'v4/51', vrid: 51, family: i === 3 ? 6 : 4, message: `change ${i}\u001b` } as AnalysisEvent);
    events.push({ t: T0 + i, type: 'finding', routerKey: 'v4/51', vrid: 51, family: 4, message: 'hidden' } as AnalysisEvent);
  }
  const text = renderText(snapshot({ routers: [r], events, time: T0 + 9.5 }), SRC, { showAuth: true, color: false, maxEvents: 2 });
  const lines = text.split('\n');
  const at = lines.indexOf('VRID 51  IPv4  vlan 10  virtual —  state split-brain (worst: critical)');
  assert.ok(at > 0, text);
  assert.deepEqual(lines.slice(at + 1), [
    '  master-down interval 3.609 s',
    '  advertiser mac               prio role      interval measured          adverts ttl     auth          sent to                   last seen',
    '  10.0.0.1   —                 100  master    1 s      —                 10      254-255 simple secret multicast                 +9.500 s',
    '  10.0.0.2   52:54:00:00:00:01 90   contender 100 cs   1.000 s           10      255     ah (differs)  unicast 10.0.0.1,10.0.0.3 +9.000 s',
    '  10.0.0.3   52:54:00:00:00:01 100  silent    1 s      1.000 s ±0.200 ms 10      255     type7         mixed 10.0.0.1            +9.000 s',
    '  10.0.0.4   52:54:00:00:00:01 100  resigned  1 s      1.000 s ±0.200 ms 1234    255     v3            multicast                 +9.000 s',
    '  priority of 10.0.0.1: 100 at 23:31:30.000000 → 80 at 23:31:32.500000 → 100 at 23:31:34.000000',
    '  master changes:',
    '    23:31:31.000000  — → 10.0.0.2  failover',
    '    23:31:32.000000  10.0.0.2 → 10.0.0.1  preemption  took 3.500 s (expected 3.609 s)',
    '  split brain 23:31:33.000000 → 23:31:34.000000  1.000 s  10.0.0.1 + 10.0.0.2',
    '  split brain 23:31:35.000000 → 23:31:39.500000 (capture ended)  4.500 s  10.0.0.1 + 10.0.0.2',
    '  split brain 23:31:36.000000 → still on  3.500 s  10.0.0.1 + 10.0.0.3',
    '  no master 23:31:30.500000 → 23:31:30.750000  250.0 ms',
    '  no master 23:31:39.000000 → still on  500.0 ms',
    '',
    'Timeline (last 2 of 4)',
    '  23:31:32.000000  VRID 51   change 2.',
    '  23:31:33.000000  VRID 51/v6  change 3.',
    '',
  ]);
});

test('renderText: colour only when asked; findings sorted critical, warning, info, with evidence, cause and fixes', () => {
  const fs = [
    finding({ code: 'checksum-variant', severity: 'ok', title: 'info\u0007', evidence: ['e\u001b1'] }),
    finding({ code: 'interval-mismatch', severity: 'warning', title: 'intervals', cause: null,
      fixContext: { deafHost: null, peers: [], multicast: null, family: 4, values: { a: '1', b: '3', c: '1' } } }),
    finding({ code: 'split-brain', severity: 'critical', title: 'split', evidence: ['x', 'y'], cause: 'firewall-reject',
      fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: null, family: 4 } }),
  ];
  const o = { showAuth: false, color: true, iface: 'eth0' };
  const text = renderText(snapshot({ findings: fs, verdict: 'critical' }), SRC, o);
  const lines = text.split('\n');
  assert.equal(lines[0], '\u001b[31mCRITICAL\u001b[0m  VRID 51: master 10.0.0.1 prio 100; interval-mismatch');
  assert.equal(lines[3], '\u001b[1mVRID 51\u001b[0m  IPv4  virtual 10.0.0.100  state ok');
  const at = lines.indexOf('\u001b[1mFindings\u001b[0m');
  assert.deepEqual(lines.slice(at + 1, at + 14), [
    '\u001b[31mCRITICAL\u001b[0m  split-brain  split',
    '    - x',
    '    - y',
    '    cause: a firewall on 10.0.0.2 rejects VRRP (ICMP errors came back for the adverts it was sent)',
    '    fix:',
    '      firewalld: accept VRRP from 10.0.0.1 on 10.0.0.2:',
    `        firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="10.0.0.1" protocol value="vrrp" accept'`,
    '        firewall-cmd --reload',
    '      iptables: accept VRRP from 10.0.0.1 on 10.0.0.2 (persist with netfilter-persistent save):',
    '        iptables -I INPUT -i eth0 -p vrrp -s 10.0.0.1 -j ACCEPT',
    '      nftables: accept VRRP on 10.0.0.2 (use your table/chain from \'nft list ruleset\'; persist in /etc/nftables.conf):',
    '        nft insert rule inet filter input iifname "eth0" ip saddr 10.0.0.1 meta l4proto vrrp accept',
    '      ufw (>= 0.36.2): accept VRRP on 10.0.0.2:',
  ]);
  assert.deepEqual(lines.slice(at + 18), [
    '\u001b[33mWARNING\u001b[0m  interval-mismatch  intervals',
    '    fix:',
    '      use the same advert_int on every node of VRID 51: b differ:',
    '        advert_int 1',
    'INFO  checksum-variant  info.',
    '    - e.1',
    '',
  ]);
  // the verdict's colour: yellow for a warning, green when all is well
  assert.equal(renderText(snapshot({ verdict: 'warning' }), SRC, o).split('\n')[0], '\u001b[33mWARNING\u001b[0m  VRID 51: master 10.0.0.1 prio 100');
  assert.equal(renderText(snapshot(), SRC, o).split('\n')[0], '\u001b[32mOK\u001b[0m  VRID 51: master 10.0.0.1 prio 100');
  assert.equal(renderText(snapshot(), SRC, { ...o, color: false }).split('\n')[0], 'OK  VRID 51: master 10.0.0.1 prio 100');
});

test('renderJson: schema, tool, verdict, the auth text masked unless asked, findings with cause text and fixes for the interface', () => {
  const r = router({ advertisers: [advertiser({ authType: 1, authText: 'pw\u0001' })] });
  const f = finding({ title: 't\u0007', evidence: ['e\u001b'], cause: 'firewall-drop', fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: null, family: 4 } });
  const doc = JSON.parse(renderJson(snapshot({ routers: [r], findings: [f] }), SRC, { showAuth: false, version: '9.9.9', iface: 'eth1' }));
  assert.equal(REPORT_SCHEMA, 'vrrpwatch.report/1');
  assert.equal(doc.schema, 'vrrpwatch.report/1');
  assert.deepEqual(doc.tool, { name: 'vrrpwatch', version: '9.9.9' });
  assert.deepEqual(doc.source, SRC);
  assert.deepEqual(doc.verdict, { severity: 'critical', label: 'CRITICAL', headline: 'VRID 51: master 10.0.0.1 prio 100' });
  assert.deepEqual(doc.time, { first: T0, last: T0 + 9 });
  assert.equal(doc.routers[0].summary, 'VRID 51: master 10.0.0.1 prio 100');
  assert.equal(doc.routers[0].advertisers[0].authText, '********');
  assert.equal(doc.findings[0].title, 't.');
  assert.deepEqual(doc.findings[0].evidence, ['e.']);
  assert.equal(doc.findings[0].causeText, 'a firewall on 10.0.0.2 drops incoming VRRP (or the network does not deliver it there): it does not hear its peer, which hears it and answers each of its adverts');
  assert.equal(doc.findings[0].fixes[1].commands[0], 'iptables -I INPUT -i eth1 -p vrrp -s 10.0.0.1 -j ACCEPT');
  assert.deepEqual(doc.events, []);
  const shown = JSON.parse(renderJson(snapshot({ routers: [r], findings: [f] }), SRC, { showAuth: true, version: 'v' }));
  assert.equal(shown.routers[0].advertisers[0].authText, 'pw.');
  assert.equal(shown.findings[0].fixes[1].commands[0], 'iptables -I INPUT -p vrrp -s 10.0.0.1 -j ACCEPT');
  assert.ok(renderJson(snapshot(), SRC, { showAuth: false, version: 'v' }).endsWith('}\n'));
  assert.ok(renderJson(snapshot(), SRC, { showAuth: false, version: 'v' }).startsWith('{\n  "schema": "vrrpwatch.report/1",\n  "tool": {\n'));
});
