// HookRunner with real child processes (/bin/sh): env, stdin JSON, timeouts, rate limit, drain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HookRunner, hookEventName, type HookLogger, type LogLevel } from '../src/notify/hooks.js';
import type { AnalysisEvent, Finding } from '../src/analyze/model.js';
import { waitUntil } from './support/wait.js';

function ev(over: Partial<AnalysisEvent> = {}): AnalysisEvent {
  return {
    t: 1_764_000_000.25,
    type: 'split-brain-start',
    routerKey: 'v4/51',
    family: 4,
    vrid: 51,
    vlan: null,
    severity: 'critical',
    master: '10.0.0.1',
    previousMaster: '10.0.0.2',
    advertisers: ['10.0.0.1', '10.0.0.2'],
    duration: 3.5,
    expected: 3.609,
    message: 'VRID 51: 10.0.0.1 and 10.0.0.2 both advertise as master',
    ...over,
  };
}

function tmp(): string { return mkdtempSync(join(tmpdir(), 'vrrpwatch-hooks-')); }

function collect(): { logger: HookLogger; lines: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }> = [];
  return { lines, logger: (level, msg, fields) => { lines.push({ level, msg, fields }); } };
}

function sleep(ms: number): Promise<void> { return new Promise((r) => setTimeout(r, ms)); }

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

test('event names: model types map to the documented hook names', () => {
  assert.equal(hookEventName('split-brain-start'), 'split-brain-start');
  assert.equal(hookEventName('graceful-handover'), 'failover');
  assert.equal(hookEventName('preemption'), 'failover');
  assert.equal(hookEventName('priority-change'), 'priority-change');
  assert.equal(hookEventName('master-back'), 'master-back');
});

test('env vars and stdin JSON reach the hook; fix text comes from the injected remedies', async () => {
  const dir = tmp();
  const { logger } = collect();
  const finding: Finding = {
    code: 'split-brain', severity: 'critical', routerKey: 'v4/51', vrid: 51, family: 4,
    title: 'split brain', evidence: [], cause: 'firewall-drop',
    fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 },
    firstSeen: 1, lastSeen: 2, count: 1,
  };
  let asked: Finding | null = null;
  const r = new HookRunner({
    commands: [`cat > '${dir}/stdin.json'; env | grep '^VRRPWATCH_' | sort > '${dir}/env.txt'`],
    logger,
    fixesFor: (f) => { asked = f; return [{ tool: 'nft', host: '10.0.0.2', title: 'allow VRRP', commands: ['nft add rule inet filter input ip protocol vrrp accept'] }]; },
  });
  r.handle(ev({ vlan: 10 }), { findings: [finding] });
  const st = await r.drain(5000);
  assert.equal(st.ok, 1, JSON.stringify(st));
  assert.equal(asked, finding);
  const env = Object.fromEntries(readFileSync(join(dir, 'env.txt'), 'utf8').split('\n').filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(env.VRRPWATCH_EVENT, 'split-brain-start');
  assert.equal(env.VRRPWATCH_KIND, 'split-brain-start');
  assert.equal(env.VRRPWATCH_VRID, '51');
  assert.equal(env.VRRPWATCH_FAMILY, 'ipv4');
  assert.equal(env.VRRPWATCH_VLAN, '10');
  assert.equal(env.VRRPWATCH_MASTER, '10.0.0.1');
  assert.equal(env.VRRPWATCH_PREVIOUS_MASTER, '10.0.0.2');
  assert.equal(env.VRRPWATCH_ADVERTISERS, '10.0.0.1 10.0.0.2');
  assert.equal(env.VRRPWATCH_DURATION, '3.500');
  assert.equal(env.VRRPWATCH_SEVERITY, 'critical');
  assert.equal(env.VRRPWATCH_MESSAGE, 'VRID 51: 10.0.0.1 and 10.0.0.2 both advertise as master');
  assert.equal(env.VRRPWATCH_TIME, new Date(1_764_000_000_250).toISOString());
  assert.match(env.VRRPWATCH_FIX ?? '', /^# allow VRRP \(on 10\.0\.0\.2\)$/);
  const json = JSON.parse(readFileSync(join(dir, 'stdin.json'), 'utf8'));
  assert.equal(json.version, 1);
  assert.equal(json.event, 'split-brain-start');
  assert.equal(json.vrid, 51);
  assert.equal(json.vlan, 10);
  assert.deepEqual(json.advertisers, ['10.0.0.1', '10.0.0.2']);
  assert.equal(json.finding.cause, 'firewall-drop');
  assert.match(json.fix, /nft add rule inet filter input ip protocol vrrp accept/);
  rmSync(dir, { recursive: true });
});

test('handle() returns before anything is spawned; control characters never reach the env', async () => {
  const dir = tmp();
  const r = new HookRunner({ commands: [`printf '%s' "$VRRPWATCH_MESSAGE" > '${dir}/m'`], logger: () => {} });
  r.handle(ev({ message: 'evil\x1b[2J\x00text' }));
  assert.equal(r.stats().started, 0, 'spawned synchronously inside handle()');
  assert.equal(r.stats().queued, 1);
  const st = await r.drain(5000);
  assert.equal(st.ok, 1);
  assert.equal(readFileSync(join(dir, 'm'), 'utf8'), 'evil [2J text');
  rmSync(dir, { recursive: true });
});

test('a hanging hook is killed (whole process group) at its timeout and other hooks go on', async () => {
  const dir = tmp();
  const { logger, lines } = collect();
  const r = new HookRunner({
    commands: [
      // A grandchild in the background plus a shell that ignores SIGTERM: needs the group SIGKILL.
      `sleep 60 & echo $! > '${dir}/bg.'$VRRPWATCH_VRID; trap '' TERM; while :; do sleep 1; done`,
      `echo ran > '${dir}/ok.'$VRRPWATCH_VRID`,
    ],
    timeoutMs: 1500,
    limits: { maxConcurrent: 4, killGraceMs: 200 },
    logger,
  });
  const t0 = Date.now();
  for (const vrid of [1, 2, 3]) r.handle(ev({ vrid, routerKey: `v4/${vrid}` }));
  // The quick hooks finish while the hanging ones still run (well before their 1.5 s timeout).
  await waitUntil('the quick hooks to finish, the hanging ones running',
    () => [1, 2, 3].every((vrid) => existsSync(join(dir, `ok.${vrid}`))) && r.stats().running === 3, 1200, 10);
  const st = await r.drain(5000);
  const took = Date.now() - t0;
  assert.equal(st.timedOut, 3, JSON.stringify(st));
  assert.equal(st.ok, 3);
  assert.equal(st.running, 0);
  // killed at the timeout (1500 ms) after the grace (200 ms): not before, and not much later
  assert.ok(took >= 1650 && took < 4100, `took ${took} ms`);
  for (const vrid of [1, 2, 3]) {
    const pid = Number(readFileSync(join(dir, `bg.${vrid}`), 'utf8'));
    assert.ok(pid > 0, `bg.${vrid}`);
    await waitUntil(`the background sleep ${pid} to be gone with its group`, () => !alive(pid), 2000, 10);
  }
  assert.equal(lines.filter((l) => /killed at its timeout/.test(l.msg)).length, 3);
  rmSync(dir, { recursive: true });
});

test('100 events for one router in 1 s: bounded runs, the rest coalesced and counted, nothing lost', async () => {
  const dir = tmp();
  const { logger } = collect();
  // Each run records its event name, coalesced count and the router.
  const r = new HookRunner({
    commands: [`echo "$VRRPWATCH_EVENT $VRRPWATCH_ROUTER \${VRRPWATCH_COALESCED:-1}" > "${dir}/run.$$"`],
    limits: { burst: 3, refillMs: 400 },
    logger,
  });
  const t0 = Date.now();
  for (let i = 0; i < 100; i++) {
    r.handle(ev({ type: i % 2 ? 'split-brain-end' : 'split-brain-start', t: 1000 + i * 0.01 }));
    await sleep(10);   // the behaviour under test: 100 events spread over about a second
  }
  // Another router is not affected by the first one's flapping.
  r.handle(ev({ routerKey: 'v4/52', vrid: 52 }));
  const elapsed = Date.now() - t0;
  const st = await r.drain(5000);
  const runs = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8').trim().split(' '));
  const r51 = runs.filter((x) => x[1] === 'v4/51');
  const bound = 3 + Math.ceil(elapsed / 400) + 1;
  assert.ok(r51.length <= bound, `${r51.length} runs for one router > bound ${bound}`);
  assert.ok(r51.length >= 4, `only ${r51.length} runs`);
  assert.ok(r51.some((x) => x[0] === 'coalesced'), 'no summary run');
  // Every event is accounted for: run directly or folded into a summary.
  const represented = r51.reduce((n, x) => n + Number(x[2]), 0);
  assert.equal(represented, 100);
  assert.equal(st.events, 101);
  assert.equal(st.coalesced, 100 - r51.filter((x) => x[0] !== 'coalesced').length);
  assert.equal(st.summaries, r51.filter((x) => x[0] === 'coalesced').length);
  assert.equal(st.started, runs.length);
  assert.equal(st.dropped, 0);
  assert.ok(runs.some((x) => x[1] === 'v4/52' && x[0] === 'split-brain-start'));
  rmSync(dir, { recursive: true });
});

test('summary run carries the counts, the worst severity and the latest state on stdin', async () => {
  const dir = tmp();
  const r = new HookRunner({
    commands: [`cat > "${dir}/in.$$"`],
    limits: { burst: 1, refillMs: 60_000 },
    logger: () => {},
  });
  r.handle(ev({ type: 'failover', severity: 'warning' }));
  r.handle(ev({ type: 'split-brain-start', severity: 'critical', t: 1 }));
  r.handle(ev({ type: 'split-brain-end', severity: 'ok', t: 2, message: 'healed' }));
  assert.equal(r.stats().pending, 2);
  const st = await r.drain(5000); // drain runs the waiting summary despite the rate limit
  assert.equal(st.started, 2);
  const payloads = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  const sum = payloads.find((p) => p.event === 'coalesced');
  assert.ok(sum);
  assert.deepEqual(sum.coalesced, { count: 2, byEvent: { 'split-brain-start': 1, 'split-brain-end': 1 }, first: 1, last: 2, lastEvent: 'split-brain-end' });
  assert.equal(sum.severity, 'critical');
  assert.match(sum.message, /^2 events coalesced for v4\/51 .*latest: healed$/);
  rmSync(dir, { recursive: true });
});

test('failures and exit codes are counted and logged', async () => {
  const { logger, lines } = collect();
  const r = new HookRunner({
    commands: ['echo boom >&2; exit 3', 'no_such_command_vrrpwatch_test', 'kill -USR1 $$', 'true'],
    logger,
  });
  r.handle(ev());
  const st = await r.drain(5000);
  assert.equal(st.started, 4);
  assert.equal(st.failed, 3);
  assert.equal(st.ok, 1);
  const warn = lines.filter((l) => l.level === 'warn').map((l) => l.msg).join('\n');
  assert.match(warn, /exited 3 for split-brain-start: boom/);
  assert.match(warn, /exited 127/);
  assert.match(warn, /died of SIGUSR1/);
  const f = lines.find((l) => /exited 3/.test(l.msg));
  assert.equal(f?.fields?.code, 3);
});

test('a full queue coalesces instead of dropping; the concurrency cap holds', async () => {
  const dir = tmp();
  const { logger, lines } = collect();
  const r = new HookRunner({
    commands: [`echo "$VRRPWATCH_EVENT \${VRRPWATCH_COALESCED:-1}" > "${dir}/p.$$"; sleep 0.2`],
    limits: { maxConcurrent: 2, maxQueue: 3, burst: 100 },
    logger,
  });
  for (let i = 0; i < 8; i++) r.handle(ev({ routerKey: `v4/${i}`, vrid: i }));
  assert.equal(r.stats().queued, 3);
  assert.equal(r.stats().coalesced, 5);
  let maxRunning = 0;
  const probe = setInterval(() => { maxRunning = Math.max(maxRunning, r.stats().running); }, 10);
  await waitUntil('the 8 runs to finish', () => r.stats().ok + r.stats().failed + r.stats().timedOut >= 8, 10_000, 10);
  clearInterval(probe);
  const st = await r.drain(5000);
  assert.equal(maxRunning, 2);
  assert.equal(st.dropped, 0);
  assert.equal(st.ok, 8);
  const runs = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8').trim());
  assert.equal(runs.filter((x) => x === 'coalesced 1').length, 5);
  assert.equal(runs.filter((x) => x === 'split-brain-start 1').length, 3);
  assert.ok(lines.some((l) => /hook queue full \(3\)/.test(l.msg)));
  rmSync(dir, { recursive: true });
});

test('offline burst (events arrive synchronously, 40 routers, 2 commands): nothing dropped, all accounted for', async () => {
  const dir = tmp();
  const r = new HookRunner({
    commands: [`echo "$VRRPWATCH_ROUTER \${VRRPWATCH_COALESCED:-1}" > "${dir}/a.$$"`, 'true'],
    logger: () => {},
  });
  for (let i = 0; i < 40; i++) for (let k = 0; k < 10; k++) r.handle(ev({ routerKey: `v4/${i}`, vrid: i, t: k }));
  const st = await r.drain(20_000);
  assert.equal(st.dropped, 0);
  assert.equal(st.failed + st.timedOut, 0);
  const runs = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8').trim().split(' '));
  const per = new Map<string, number>();
  for (const [k, n] of runs) per.set(k, (per.get(k) ?? 0) + Number(n));
  assert.equal(per.size, 40);
  for (const [k, n] of per) assert.equal(n, 10, k);
  assert.equal(st.started, runs.length * 2);
  rmSync(dir, { recursive: true });
});

test('drain: waits for hooks, gives up at its timeout (kills, counts queued as dropped), refuses later events', async () => {
  const { logger } = collect();
  const r = new HookRunner({ commands: ['sleep 20'], timeoutMs: 60_000, limits: { maxConcurrent: 1, burst: 10 }, logger });
  r.handle(ev());
  r.handle(ev({ t: 2 }));
  await waitUntil('the first hook to run, the second to queue', () => r.stats().running === 1 && r.stats().queued === 1, 5000, 10);
  const t0 = Date.now();
  const st = await r.drain(300);
  const took = Date.now() - t0;
  assert.ok(took < 2000, `drain took ${took} ms`);
  assert.equal(st.running, 0);
  assert.equal(st.queued, 0);
  assert.equal(st.dropped, 1);
  assert.equal(st.timedOut, 1);
  r.handle(ev({ t: 3 }));
  assert.equal(r.stats().dropped, 2);
});

test('priority-change is filtered by default and can be enabled', async () => {
  const dir = tmp();
  const a = new HookRunner({ commands: [`echo x > "${dir}/a"`], logger: () => {} });
  a.handle(ev({ type: 'priority-change', ip: '10.0.0.1', fromPriority: 100, toPriority: 90 }));
  const sa = await a.drain(2000);
  assert.equal(sa.filtered, 1);
  assert.equal(sa.started, 0);
  const b = new HookRunner({ commands: [`echo "$VRRPWATCH_IP $VRRPWATCH_FROM_PRIORITY $VRRPWATCH_TO_PRIORITY" > "${dir}/b"`], events: ['priority-change'], logger: () => {} });
  b.handle(ev({ type: 'priority-change', ip: '10.0.0.1', fromPriority: 100, toPriority: 90 }));
  b.handle(ev({ type: 'failover' }));
  const sb = await b.drain(2000);
  assert.equal(sb.started, 1);
  assert.equal(sb.filtered, 1);
  assert.equal(readFileSync(join(dir, 'b'), 'utf8').trim(), '10.0.0.1 100 90');
  rmSync(dir, { recursive: true });
});

test('fields the analyzer fills in right after onEvent (findingCode, previousMaster) reach the hook', async () => {
  // src/analyze/analyzer.ts calls onEvent from emit() and sets findingCode / previousMaster afterwards.
  const dir = tmp();
  const r = new HookRunner({ commands: [`echo "$VRRPWATCH_FINDING $VRRPWATCH_PREVIOUS_MASTER" > "${dir}/o"`], logger: () => {} });
  const e = ev({ type: 'finding', previousMaster: null });
  r.handle(e);
  e.findingCode = 'auth-mismatch';
  e.previousMaster = '10.0.0.9';
  await r.drain(5000);
  assert.equal(readFileSync(join(dir, 'o'), 'utf8').trim(), 'auth-mismatch 10.0.0.9');
  rmSync(dir, { recursive: true });
});

test('stderr written after the shell exited still reaches the log; a grandchild holding stderr does not stall', async () => {
  const dir = tmp();
  const { logger, lines } = collect();
  const r = new HookRunner({
    commands: [
      '(sleep 0.1; echo late words >&2) & exit 3',
      `sleep 30 >&2 & echo $! > "${dir}/held"; exit 0`,
    ],
    logger,
  });
  const t0 = Date.now();
  r.handle(ev());
  const st = await r.drain(5000);
  const took = Date.now() - t0;
  try {
    assert.equal(st.failed, 1);
    assert.equal(st.ok, 1);
    assert.ok(lines.some((l) => /exited 3 for split-brain-start: late words$/.test(l.msg)), lines.map((l) => l.msg).join('\n'));
    assert.ok(took < 1500, `took ${took} ms`);
  } finally {
    try { process.kill(Number(readFileSync(join(dir, 'held'), 'utf8')), 'SIGKILL'); } catch { /* gone */ }
    rmSync(dir, { recursive: true });
  }
});

test('a finding event for split-brain or no-master does not run hooks (they have their own events); other findings do', async () => {
  const dir = tmp();
  const r = new HookRunner({ commands: [`echo "$VRRPWATCH_EVENT $VRRPWATCH_FINDING" >> "${dir}/runs"`], logger: () => {} });
  r.handle(ev({ type: 'split-brain-start' }));
  r.handle(ev({ type: 'finding', findingCode: 'split-brain', severity: 'critical' }));
  r.handle(ev({ type: 'no-master', routerKey: 'v4/52', vrid: 52 }));
  r.handle(ev({ type: 'finding', findingCode: 'no-master', routerKey: 'v4/52', vrid: 52 }));
  r.handle(ev({ type: 'finding', findingCode: 'auth-mismatch', routerKey: 'v4/53', vrid: 53, severity: 'warning' }));
  const st = await r.drain(5000);
  const runs = readFileSync(join(dir, 'runs'), 'utf8').trim().split('\n').map((l) => l.trim()).sort();
  assert.deepEqual(runs, ['finding auth-mismatch', 'no-master', 'split-brain-start']);
  assert.equal(st.started, 3);
  assert.equal(st.filtered, 2, 'counted as filtered (vrrpwatch_hook_filtered_events_total)');
  rmSync(dir, { recursive: true });
});
