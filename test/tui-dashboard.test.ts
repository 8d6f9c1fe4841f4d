// The dashboard loop on a real blessed screen over fake streams: one render tick, no snapshot when
// the feed's version did not move, no redraw when nothing visible changed, keys drive the feed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import blessed from 'blessed';
import { runDashboard, signature, colourWanted } from '../src/tui/dashboard.js';
import { demoFixes, demoSnapshot } from '../src/tui/demo-feed.js';
import type { DashboardFeed } from '../src/tui/types.js';
import { NoteBuffer } from '../src/tui/notes.js';
import { waitUntil } from './support/wait.js';

function fakeTerminal(cols: number, rows: number) {
  const input = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (b: boolean) => void };
  input.isTTY = true;
  input.setRawMode = () => {};
  let written = '';
  const output = new Writable({ write(chunk, _enc, cb) { written += chunk.toString(); cb(); } }) as Writable & { columns: number; rows: number; isTTY: boolean };
  output.columns = cols; output.rows = rows; output.isTTY = true;
  const screen = blessed.screen({ input: input as never, output: output as never, terminal: 'xterm-256color', warnings: false, smartCSR: true });
  let renders = 0;
  const orig = screen.render.bind(screen);
  screen.render = () => { renders++; orig(); };
  return { input, output, screen, renders: () => renders, written: () => written };
}

function countingFeed(sec: { v: number }) {
  const calls = { snapshot: 0, pause: 0, resume: 0, clear: 0 };
  const feed: DashboardFeed = {
    header: { source: 'test0', filter: null, mode: 'replay' },
    version: () => Math.floor(sec.v * 1000),
    snapshot: () => { calls.snapshot++; return demoSnapshot(sec.v); },
    pause: () => { calls.pause++; },
    resume: () => { calls.resume++; },
    clear: () => { calls.clear++; },
  };
  return { feed, calls };
}

function labels(screen: blessed.Widgets.Screen): string {
  return screen.children.map((c) => ((c as unknown as { _label?: { content: string } })._label?.content ?? '')).join('|');
}

test('idle feed: no snapshot, no redraw; changes redraw once per tick at most; keys work; q resolves', async () => {
  const t = fakeTerminal(160, 45);
  const sec = { v: 60 };
  const { feed, calls } = countingFeed(sec);
  let tick = null as (() => void) | null;
  let cleared = false;
  const done = runDashboard(feed, {
    showAuth: false, fixes: demoFixes, screen: t.screen, colour: false,
    setInterval: (fn) => { tick = fn; return 1; }, clearInterval: () => { cleared = true; },
  });
  for (let i = 0; i < 200 && tick === null; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(tick, 'one render tick registered');
  const afterStart = { snaps: calls.snapshot, renders: t.renders() };
  assert.equal(afterStart.renders, 1, 'first frame drawn');
  assert.match(labels(t.screen), /Advertisers v4\/51/);

  // Idle: the version does not move, so nothing is asked and nothing drawn.
  for (let i = 0; i < 200; i++) tick!();
  assert.equal(calls.snapshot, afterStart.snaps, 'no snapshot while idle');
  assert.equal(t.renders(), afterStart.renders, 'no redraw while idle');

  // A change inside the same second (version moves, visible signature does not): pulled, not drawn.
  sec.v = 60.2;
  tick!();
  assert.equal(calls.snapshot, afterStart.snaps + 1);
  assert.equal(t.renders(), afterStart.renders);
  // A visible change: drawn once.
  sec.v = 61.5;
  tick!(); tick!();
  assert.equal(t.renders(), afterStart.renders + 1);

  // Keys: down selects the next router.
  t.input.write('\x1b[B');
  await new Promise((r) => setImmediate(r));
  assert.match(labels(t.screen), /Advertisers v4\/52/);
  t.input.write('j');
  await new Promise((r) => setImmediate(r));
  assert.match(labels(t.screen), /Advertisers v6\/7/);
  t.input.write('k');
  await new Promise((r) => setImmediate(r));
  assert.match(labels(t.screen), /Advertisers v4\/52/);

  // p: paused, the feed is told, ticks pull nothing.
  t.input.write('p');
  await new Promise((r) => setImmediate(r));
  assert.equal(calls.pause, 1);
  const pausedSnaps = calls.snapshot;
  sec.v = 90;
  for (let i = 0; i < 5; i++) tick!();
  assert.equal(calls.snapshot, pausedSnaps, 'display frozen while paused');
  t.input.write('p');
  await new Promise((r) => setImmediate(r));
  assert.equal(calls.resume, 1);
  t.input.write('c');
  await new Promise((r) => setImmediate(r));
  assert.equal(calls.clear, 1);

  // Resize redraws at the new size (compact: the advertisers pane goes away).
  const before = t.renders();
  t.output.columns = 80; t.output.rows = 24;
  t.output.emit('resize');
  await waitUntil('a redraw after the resize', () => t.renders() > before, 5000, 10);
  const adv = t.screen.children.find((c) => ((c as unknown as { _label?: { content: string } })._label?.content ?? '').includes('Advertisers'));
  assert.ok(adv === undefined || (adv as blessed.Widgets.BoxElement).hidden, 'advertisers hidden at 80x24');

  t.input.write('q');
  await done;
  assert.ok(cleared, 'tick stopped on quit');
  assert.match(t.written(), /\x1b\[\?1049l/, 'alternate screen left on quit');
});

test('signature ignores sub-second clock movement but not events or states', () => {
  const a = demoSnapshot(70.1), b = demoSnapshot(70.9);
  assert.equal(signature(a), signature(b));
  assert.notEqual(signature(demoSnapshot(39)), signature(demoSnapshot(39.9 + 4)));
  const c = demoSnapshot(70.1);
  c.routers[1]!.state = 'no-master';
  assert.notEqual(signature(a), signature(c));
});

test('colour only on a TTY, not with NO_COLOR or TERM=dumb', () => {
  assert.equal(colourWanted({ TERM: 'xterm' }, true), true);
  assert.equal(colourWanted({ TERM: 'xterm' }, false), false);
  assert.equal(colourWanted({ TERM: 'xterm', NO_COLOR: '1' }, true), false);
  assert.equal(colourWanted({ TERM: 'xterm', NO_COLOR: '' }, true), true, 'empty NO_COLOR does not count (no-color.org)');
  assert.equal(colourWanted({ TERM: 'dumb' }, true), false);
});

test('a failure while drawing ends the dashboard with the error and the terminal restored', async () => {
  const t = fakeTerminal(100, 30);
  let n = 0;
  let tick = null as (() => void) | null;
  const feed: DashboardFeed = {
    header: { source: 'x', filter: null, mode: 'live' },
    snapshot: () => { if (++n > 1) throw new Error('analyzer broke'); return demoSnapshot(60); },
  };
  const done = runDashboard(feed, { showAuth: false, fixes: demoFixes, screen: t.screen, colour: false, setInterval: (fn) => { tick = fn; return 1; }, clearInterval: () => {} });
  for (let i = 0; i < 200 && tick === null; i++) await new Promise((r) => setTimeout(r, 10));
  tick!();
  await assert.rejects(done, /analyzer broke/);
  assert.match(t.written(), /\x1b\[\?1049l/, 'alternate screen left');
});

test('an abort signal (capture ended) closes the dashboard and restores the terminal', async () => {
  const t = fakeTerminal(100, 30);
  const ac = new AbortController();
  let stopped = false;
  const feed: DashboardFeed = { header: { source: 'x', filter: null, mode: 'live' }, snapshot: () => demoSnapshot(60) };
  const done = runDashboard(feed, { showAuth: false, fixes: demoFixes, screen: t.screen, colour: false, signal: ac.signal, setInterval: () => 1, clearInterval: () => { stopped = true; } });
  await waitUntil('the first frame on the alternate screen', () => t.renders() >= 1 && /\x1b\[\?1049h/.test(t.written()), 5000, 10);
  assert.doesNotMatch(t.written(), /\x1b\[\?1049l/, 'still up before the abort');
  ac.abort();
  await done;
  assert.ok(stopped);
  assert.match(t.written(), /\x1b\[\?1049l/);
});

test('f opens the full-screen fixes view; q, Esc and f close it without quitting; arrows scroll it', async () => {
  const t = fakeTerminal(140, 8);
  const feed: DashboardFeed = { header: { source: 'x', filter: 'default', mode: 'live' }, snapshot: () => demoSnapshot(70), version: () => 1 };
  let resolved = false;
  const done = runDashboard(feed, { showAuth: false, fixes: demoFixes, screen: t.screen, colour: false, setInterval: () => 1, clearInterval: () => {} })
    .then(() => { resolved = true; });
  await waitUntil('the first frame', () => t.renders() >= 1, 5000, 10);
  const view = (): blessed.Widgets.BoxElement | undefined => t.screen.children.find((c) => (c as blessed.Widgets.BoxElement).getContent?.().includes('Fixes:')) as blessed.Widgets.BoxElement | undefined;
  const open = (): boolean => { const v = view(); return v !== undefined && !v.hidden; };
  const press = async (k: string): Promise<void> => { t.input.write(k); await new Promise((r) => setImmediate(r)); };
  assert.equal(open(), false);
  for (const close of ['q', '\x1b', 'f']) {
    await press('f');
    assert.equal(open(), true, 'f opens it');
    assert.match(view()!.getContent(), /^firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="10\.0\.0\.1" protocol value="vrrp" accept'$/m);
    if (close === 'q') {
      // 8 rows: title, 6 lines, footer; j scrolls by one, k back.
      const second = (): string => view()!.getContent().split('\n')[1]!.replace(/\x1b\[[0-9;]*m/g, '');
      assert.match(second(), /^# CRIT/);
      await press('j');
      assert.match(second(), /^# cause/);
      await press('k');
      assert.match(second(), /^# CRIT/);
    }
    // the behaviour under test: a lone ESC is told from the start of a key sequence by a pause before it
    if (close === '\x1b') await new Promise((r) => setTimeout(r, 100));
    await press(close);
    // ... and after it (blessed's escape timeout): wait for the view to close
    if (close === '\x1b') await waitUntil('Esc to close the fixes view', () => !open(), 5000, 10);
    assert.equal(open(), false, `${JSON.stringify(close)} closes it`);
    assert.equal(resolved, false, 'and does not quit');
  }
  await press('q');
  await done;
  assert.equal(resolved, true, 'q on the dashboard quits');
});

test('log notes redraw the screen even when the capture is quiet, and show in the event pane', async () => {
  const t = fakeTerminal(160, 45);
  const notes = new NoteBuffer();
  let tick = null as (() => void) | null;
  const feed: DashboardFeed = {
    header: { source: 'x', filter: 'default', mode: 'live' }, snapshot: () => demoSnapshot(70), version: () => 7, notes: () => notes,
  };
  const done = runDashboard(feed, { showAuth: false, fixes: demoFixes, screen: t.screen, colour: false, setInterval: (fn) => { tick = fn; return 1; }, clearInterval: () => {} });
  for (let i = 0; i < 200 && tick === null; i++) await new Promise((r) => setTimeout(r, 10));
  const before = t.renders();
  tick!();
  assert.equal(t.renders(), before, 'nothing new: no redraw');
  notes.add(demoSnapshot(70).time, 'vrrpwatch: hook: "mail.sh" exited 1 for split-brain-start: mail: cannot send');
  tick!();
  assert.equal(t.renders(), before + 1, 'a note: one redraw');
  assert.match(labels(t.screen), /Events \(\d+, 1 log\)/);
  const ev = t.screen.children.find((c) => ((c as unknown as { _label?: { content: string } })._label?.content ?? '').includes('Events')) as blessed.Widgets.BoxElement;
  assert.match(ev.getContent(), /hook: "mail\.sh" exited 1 for split-brain-start/);
  t.input.write('q');
  await done;
});
