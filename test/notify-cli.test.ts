// The adapters the CLI uses: startHooks (src/notify/cli.ts) and startMetrics (src/metrics/cli.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startHooks } from '../src/notify/cli.js';
import { startMetrics } from '../src/metrics/cli.js';
import { VrrpwatchError } from '../src/errors.js';
import type { AnalysisEvent, Finding } from '../src/analyze/model.js';
import { waitUntil } from './support/wait.js';

const ev: AnalysisEvent = {
  t: 100, type: 'split-brain-start', routerKey: 'v4/9', family: 4, vrid: 9, vlan: null, severity: 'critical',
  master: '10.0.0.1', previousMaster: null, advertisers: ['10.0.0.1', '10.0.0.2'], duration: null, expected: null,
  message: 'split brain',
};
const finding: Finding = {
  code: 'split-brain', severity: 'critical', routerKey: 'v4/9', vrid: 9, family: 4, title: 'split brain', evidence: [],
  cause: 'firewall-drop', fixContext: { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 },
  firstSeen: 100, lastSeen: 100, count: 1,
};

test('startHooks: findings read from the source at spawn time, fixes injected, summary line on close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-cli-'));
  const lines: string[] = [];
  let snapshots = 0;
  const source = { snapshot: () => { snapshots++; return { findings: [finding] }; } };
  const h = await startHooks([`printf '%s' "$VRRPWATCH_FIX" > "${dir}/fix"`, 'exit 4'], 5, (l) => lines.push(l), {
    fixesFor: (f) => [{ tool: 'nftables', host: f.fixContext.deafHost, title: `allow VRRP from ${f.fixContext.peers.join(' ')}`, commands: ['nft add rule ...'] }],
  });
  h.event(ev, source);
  assert.equal(snapshots, 0, 'snapshot taken inside the event callback');
  const st = await h.close();
  assert.equal(snapshots, 1, 'one snapshot for the two runs of one event');
  assert.equal(st.ok, 1);
  assert.equal(st.failed, 1);
  assert.equal(readFileSync(join(dir, 'fix'), 'utf8'), '# allow VRRP from 10.0.0.1 (on 10.0.0.2)\nnft add rule ...');
  assert.ok(lines.some((l) => /^vrrpwatch: hook: "exit 4" exited 4 for split-brain-start$/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^vrrpwatch: hooks: 2 run, 1 ok, 1 failed, 0 timed out, 0 events coalesced into 0 summaries, 0 dropped$/.test(l)), lines.join('\n'));
  rmSync(dir, { recursive: true });
});

test('startHooks: --notify-timeout is in seconds', async () => {
  const lines: string[] = [];
  const h = await startHooks(['sleep 5'], 0.2, (l) => lines.push(l));
  const t0 = Date.now();
  h.event(ev);
  const st = await h.close();
  assert.equal(st.timedOut, 1);
  assert.ok(Date.now() - t0 < 2500);
  assert.ok(lines.some((l) => /killed at its timeout \(200 ms\)/.test(l)));
});

test('startMetrics: serves, logs where, bad specs are usage errors', async () => {
  const lines: string[] = [];
  const m = await startMetrics('127.0.0.1:0', (l) => lines.push(l));
  const port = Number(/:(\d+)\/metrics$/.exec(lines[0] ?? '')?.[1]);
  assert.ok(port > 0, lines.join('\n'));
  const status = await new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/metrics' }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject).end();
  });
  assert.equal(status, 200);
  await m.close();
  await assert.rejects(startMetrics('nonsense'), (e: unknown) => e instanceof VrrpwatchError && e.kind === 'usage');
});

test('startHooks json: log lines are NDJSON with the structured fields', async () => {
  const lines: string[] = [];
  const h = await startHooks(['echo oops >&2; exit 2'], 5, (l) => lines.push(l), { json: true });
  h.event(ev);
  await h.close();
  const objs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const fail = objs.find((o) => o.kind === 'hook' && o.code === 2);
  assert.ok(fail, lines.join('\n'));
  assert.equal(fail.level, 'warn');
  assert.equal(fail.event, 'split-brain-start');
  assert.equal(fail.router, 'v4/9');
  assert.equal(fail.stderr, 'oops');
  const sum = objs.find((o) => o.kind === 'hook-summary');
  assert.equal(sum?.failed, 1);
});

test('startHooks: setLogger() takes the log lines (the dashboard, while it owns the terminal); null gives them back', async () => {
  const original: string[] = [];
  const taken: string[] = [];
  const h = await startHooks(['exit 5'], 5, (l) => original.push(l));
  h.setLogger((l) => taken.push(l));
  h.event(ev);
  await waitUntil('the hook\'s log line', () => taken.some((l) => /"exit 5" exited 5 for split-brain-start$/.test(l)));
  h.setLogger(null);
  await h.close();
  assert.ok(!original.some((l) => /exited 5/.test(l)), 'nothing went to the original while taken');
  assert.ok(original.some((l) => /^vrrpwatch: hooks: 1 run, 0 ok, 1 failed/.test(l)), `summary back on the original: ${original.join('\n')}`);
});

test('src/cli/hooks.ts: setHooksLogger() redirects every open runner (the live dashboard does not need them handed over)', async () => {
  const { startHooks: cliStart, setHooksLogger } = await import('../src/cli/hooks.js');
  const original: string[] = [];
  const taken: string[] = [];
  const h = await cliStart(['exit 6'], 5, (l) => original.push(l));
  setHooksLogger((l) => taken.push(l));
  try {
    h.event(ev);
    await waitUntil('the hook\'s log line', () => taken.some((l) => /"exit 6" exited 6/.test(l)));
  } finally {
    setHooksLogger(null);
  }
  await h.close();
  assert.ok(original.some((l) => /^vrrpwatch: hooks: 1 run/.test(l)) && !original.some((l) => /exited 6/.test(l)), original.join('\n'));
  // closed runners are forgotten: a later redirect does not reach them (a spy in place of the closed
  // runner's setLogger would be called if the registry still held it), while an open one is redirected
  let reachedClosed = 0;
  h.setLogger = () => { reachedClosed++; };
  const open = await cliStart(['exit 7'], 5, (l) => original.push(l));
  let reachedOpen = 0;
  const setOpen = open.setLogger.bind(open);
  open.setLogger = (l) => { reachedOpen++; setOpen(l); };
  setHooksLogger((l) => taken.push(`late ${l}`));
  setHooksLogger(null);
  assert.equal(reachedClosed, 0, 'a closed runner was redirected');
  assert.equal(reachedOpen, 2, 'the open runner was redirected and given back');
  await open.close();
  setHooksLogger(() => undefined);
  setHooksLogger(null);
  assert.equal(reachedOpen, 2, 'closed now, the second runner is forgotten too');
});
