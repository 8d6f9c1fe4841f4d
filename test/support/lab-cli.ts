// The CLI as the lab verdict tests (test/lab-verdicts*.test.ts) run it, as a user does: `vrrpwatch -r FILE
// --json` (docs/json-report.md) and the exit code of `vrrpwatch check -r FILE`; readers of its report; and
// verdictTests(), which makes a verdict file's tests and notes the captures they test (lab-captures.ts
// says why).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { A, B, CAPTURES_BY_VERDICT_FILE, DIR, MS5 } from './lab-captures.js';
import { adverts, last, t0 } from './lab-capture-reader.js';

export interface Advertiser {
  ip: string; role: string; priority: number; priorityHistory: { t: number; priority: number }[]; version: number;
  advertInterval: number | null; advertIntervalRaw: number; advertIntervalUnit: string; adverts: number;
  destination: string; unicastPeers: string[]; ttlMin: number; ttlMax: number;
}
export interface VipView {
  address: string; claimers: { mac: string; advertiser: string | null; claims: Record<string, number>; first: number; last: number }[];
  lastTold: { mac: string; advertiser: string | null; t: number; kind: string } | null; stale: boolean;
}
export interface Router {
  key: string; family: number; vrid: number; state: string; worst: string; master: string | null; masterPriority: number | null;
  virtualAddresses: string[];
  ownership: { judged: boolean; note: string | null; vips: VipView[] };
  advertisers: Advertiser[];
  failovers: { t: number; from: string | null; to: string; kind: string; duration: number | null; expected: number | null }[];
  splitBrains: { start: number; end: number | null; duration: number; advertisers: string[] }[];
  noMasters: { start: number; end: number | null; duration: number; lastMaster: string | null }[];
}
export interface Finding {
  code: string; severity: string; routerKey: string; cause: string | null; evidence: string[];
  fixContext: { deafHost: string | null; peers: string[]; multicast: string | null; family: number; configKey?: string; values?: Record<string, string> };
  fixes: { tool: string; host: string | null; title: string; commands: string[] }[];
}
export interface Report {
  schema: string; verdict: { severity: string; label: string; headline: string }; time: { first: number; last: number };
  stats: { vrrpAdverts: number; icmpErrors: number; arp: number; rejects: Record<string, number> };
  routers: Router[]; findings: Finding[]; events: unknown[];
}

export const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };
const reportCache = new Map<string, Report>();
export function report(name: string): Report {
  const hit = reportCache.get(name);
  if (hit) return hit;
  const r = spawnSync('bin/vrrpwatch', ['-r', `${DIR}/${name}.pcap`, '--json'], { env, encoding: 'utf8' });
  assert.ok(r.status !== null, `killed by ${r.signal}: ${r.stderr}`);
  assert.ok(r.stdout.length > 0, `no JSON for ${name}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as Report;
  assert.equal(j.schema, 'vrrpwatch.report/1');
  reportCache.set(name, j);
  return j;
}
export function checkExit(name: string): number {
  const r = spawnSync('bin/vrrpwatch', ['check', '-r', `${DIR}/${name}.pcap`], { env, encoding: 'utf8' });
  assert.ok(r.status !== null, `check killed by ${r.signal}`);
  return r.status;
}
/** The only router of the capture. */
export function router(name: string): Router {
  const j = report(name);
  assert.equal(j.routers.length, 1, `${name}: routers ${j.routers.map((r) => r.key).join(', ')}`);
  return j.routers[0];
}
export const adv = (r: Router, ip: string): Advertiser => {
  const a = r.advertisers.find((x) => x.ip === ip);
  assert.ok(a, `no advertiser ${ip} in ${r.advertisers.map((x) => x.ip).join(', ')}`);
  return a;
};
export const finding = (name: string, code: string): Finding => {
  const f = report(name).findings.find((x) => x.code === code);
  assert.ok(f, `${name}: no ${code} finding (have: ${report(name).findings.map((x) => `${x.code}/${x.cause}`).join(', ')})`);
  return f;
};
export const noFinding = (name: string, code: string) =>
  assert.ok(!report(name).findings.some((x) => x.code === code), `${name}: unexpected ${code} finding`);
export function near(actual: number | null | undefined, want: number, eps: number, what: string): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - want) <= eps,
    `${what}: expected ${want} ± ${eps}, got ${actual}${typeof actual === 'number' ? ` (off by ${(actual - want).toFixed(6)})` : ''}`);
}
/** Changes of master after the first one (the 'initial' entry is the first master seen). */
export const changes = (r: Router) => r.failovers.filter((f) => f.kind !== 'initial');
export const prios = (a: Advertiser) => a.priorityHistory.map((p) => p.priority);

export function oneMasterNoEvent(name: string, master: string): void {
  const r = router(name);
  assert.equal(r.state, 'ok');
  assert.equal(r.master, master);
  assert.deepEqual(changes(r), []);
  assert.deepEqual(r.splitBrains, []);
  assert.deepEqual(r.noMasters, []);
  assert.equal(report(name).verdict.severity, 'ok');
  assert.equal(checkExit(name), 0);
}

/** A split brain from `start` (s since the epoch, from the packets) that is still on when the capture ends. */
export function splitToTheEnd(name: string, start: number, both = true): Router {
  const r = router(name);
  assert.equal(r.state, 'split-brain');
  assert.equal(r.splitBrains.length, 1, JSON.stringify(r.splitBrains));
  const sb = r.splitBrains[0];
  near(sb.start, start, MS5, `${name}: split brain start (${(start - t0(name)).toFixed(3)} s into the capture)`);
  // still on: either open (null) or closed only by the end of the capture (last advert)
  if (sb.end !== null) near(sb.end, last(adverts(name)).t, MS5, `${name}: split brain end = end of the adverts`);
  if (both) assert.deepEqual([...sb.advertisers].sort(), [A, B], 'both nodes are in the split brain');
  const f = finding(name, 'split-brain');
  assert.equal(f.severity, 'critical');
  assert.equal(report(name).verdict.severity, 'critical');
  assert.equal(checkExit(name), 2);
  return r;
}
export const vip = (name: string): VipView => {
  const v = router(name).ownership.vips.find((x) => x.address === '10.99.0.100');
  assert.ok(v, `${name}: 10.99.0.100 is followed`);
  return v;
};

/** The tests of one verdict file (`verdictTests(import.meta.url)`): lab() and labCheck() note the captures
 *  they test, and the file ends with testsItsCaptures(), the test that those are its list in
 *  lab-captures.ts. One set per file, not per process: files loaded in one process stay apart.
 *
 *  Tests marked `todo` state the true expectation where the current analyzer is known to be wrong;
 *  node:test runs them and reports them as todo without failing the suite. */
export function verdictTests(fileUrl: string) {
  const file = basename(fileURLToPath(fileUrl));
  const listed = CAPTURES_BY_VERDICT_FILE[file];
  assert.ok(listed, `${file} has no list of captures in test/support/lab-captures.ts`);
  const tested = new Set<string>();
  function lab(name: string, fn: () => void, opts: { todo?: string } = {}): void {
    tested.add(name);
    test(`${name}: ${opts.todo ? 'true expectation' : 'what the lab knows'}`, opts, fn);
  }
  function labCheck(name: string, what: string, fn: () => void): void {
    tested.add(name);
    test(`${name}: ${what}`, fn);
  }
  function testsItsCaptures(): void {
    test(`the captures tested here are those test/support/lab-captures.ts lists for ${file}`, () => {
      assert.deepEqual(listed.filter((f) => !tested.has(f)), [], 'listed for this file but not tested in it');
      assert.deepEqual([...tested].filter((f) => !listed.includes(f)), [], 'tested in this file but not listed for it');
    });
  }
  return { lab, labCheck, testsItsCaptures };
}
