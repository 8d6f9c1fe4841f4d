// The REAL command line (bin/vrrpwatch, compiled by `npm run build`) driving the dashboard in a tmux pane,
// as an operator would: replaying the keepalived split-brain capture from the lab, a public capture
// with several virtual routers, keys sent, the screen read back. Private tmux server (-S socket, unique
// session names), killed and removed at the end. No traffic is sent anywhere.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Analyzer } from '../src/analyze/analyzer.js';
import { analyzeFile } from '../src/cli/offline.js';
import { fixesFor } from '../src/remedy/index.js';
import { tmuxServer } from './support/tmux.js';
import { sharedDir } from './support/captures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/vrrpwatch');
const SPLIT = path.join(ROOT, 'pcaps/lab/splitbrain-firewall-drop.pcap');
const SOCKET = path.join(os.tmpdir(), `tuicli-test-${process.pid}.sock`);

const SHARED = sharedDir();
const MULTI = SHARED ? path.join(SHARED, 'public-pcaps/tcpdump-tests/vrrp.pcap') : null;

let haveTmux = true;
try { execFileSync('tmux', ['-V'], { stdio: 'ignore' }); } catch { haveTmux = false; }
const built = existsSync(path.join(ROOT, 'dist/src/cli/main.js'));
const skip = !haveTmux ? 'tmux not installed' : !built ? 'not built: npm run build' : false;

const { tmux, screen, waitFor, waitUntil, keys } = tmuxServer(SOCKET, 20000);
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
let n = 0;
/** Runs `bin/vrrpwatch ARGS` in a new pane; afterwards the pane shows EXIT:<status> and stays. */
function start(cols: number, rows: number, args: string[], env: string[] = [], stdin = '', post = ''): string {
  const name = `tuicli-${process.pid}-${++n}`;
  // trap with a command (not ''): the shell survives Ctrl-C, the child gets the default SIGINT.
  // env goes on the command line: tmux sets TERM in the pane itself, over `new-session -e TERM=...`.
  const cmd = `trap 'true' INT; cd ${q(ROOT)} && ${stdin}env ${env.map(q).join(' ')} ${q(BIN)} ${args.map(q).join(' ')}; echo "EXIT:$?"; ${post}sleep 120`;
  tmux('new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), '-e', 'LANG=C.UTF-8', 'sh', '-c', cmd);
  return name;
}
/** The fixes view once it is drawn down to its footer (the last row) and every one of `lines` is a whole
 *  line of it (or the last screen at the timeout): tmux may be read while it is still drawing. */
async function waitForFixesView(s: string, lines: string[], ms = 5000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    last = screen(s);
    const have = new Set(last.split('\n').map((l) => l.trimEnd()));
    if (/Esc, q or f: back to the dashboard/.test(last) && lines.every((l) => have.has(l))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}
const advertisersTitle = (pane: string): string => /Advertisers (v[46]\/\d+)/.exec(pane)?.[1] ?? '';

after(() => {
  if (!haveTmux) return;
  try { tmux('kill-server'); } catch { /* none started or already gone */ }
  rmSync(SOCKET, { force: true });
});

/** The capture as the real analyzer sees it, and the real remedies' commands for its findings. */
const LAB = analyzeFile(SPLIT, { expectVrid: [] }, null, null).analyzer.snapshot();
const MAC = (ip: string): string => LAB.routers[0]!.advertisers.find((a) => a.ip === ip)!.mac!;
function commands(iface?: string): string[] {
  return LAB.findings.flatMap((f) => fixesFor(f, iface === undefined ? {} : { iface })).flatMap((fx) => fx.commands);
}

/** The split-brain screen: verdict, both advertisers with their MACs and priorities, the firewall fix. */
const SPLIT_BRAIN_SCREEN: [RegExp, string][] = [
  [/^│ SPLIT BRAIN /m, 'verdict first in the header'],
  [new RegExp(`10\\.99\\.0\\.1\\s+${MAC('10.99.0.1')}\\s+master\\s+100\\b`), 'MAC shown at 160x45'],
  [new RegExp(`10\\.99\\.0\\.2\\s+${MAC('10.99.0.2')}\\s+contender\\s+80\\b`), 'the contender with its MAC'],
  [/fix: firewalld: accept VRRP from 10\.99\.0\.1 on 10\.99\.0\.2/, 'the fix'],
  [/firewall-cmd --permanent --add-rich-rule/, 'its firewalld command'],
  [/iptables -I INPUT -p vrrp/, 'its iptables command'],
];
function assertSplitBrain(pane: string): void {
  for (const [re, what] of SPLIT_BRAIN_SCREEN) assert.match(pane, re, what);
}
/** The screen once it shows the whole split brain (a screen read mid-draw can lack its lower panes). */
function waitForSplitBrain(s: string, ms?: number): Promise<string> {
  return waitUntil(s, (x) => SPLIT_BRAIN_SCREEN.every(([re]) => re.test(x)), 'the split brain drawn whole: verdict, both advertisers, the fix', ms);
}

/** q: status 0, alternate screen left, cursor back, then the report printed on the normal screen. */
async function quitAndCheck(s: string): Promise<string> {
  keys(s, 'q');
  const end = await waitFor(s, /EXIT:\d+/);
  assert.match(end, /EXIT:0/);
  assert.equal(tmux('display-message', '-p', '-t', s, '#{alternate_on}').trim(), '0', 'alternate screen left');
  assert.equal(tmux('display-message', '-p', '-t', s, '#{cursor_flag}').trim(), '1', 'cursor visible again');
  assert.doesNotMatch(end, /Virtual routers|│/, 'no dashboard left on the screen');
  // the whole history: the report may be longer than the pane
  return tmux('capture-pane', '-p', '-J', '-S', '-', '-t', s);
}

test('-r split-brain capture --tui: SPLIT BRAIN, both advertisers, the firewall fix; q exits 0 and prints the summary', { skip }, async () => {
  const s = start(160, 45, ['-r', SPLIT, '--tui']);
  const pane = await waitForSplitBrain(s);
  assert.match(pane, /replay .*splitbrain-firewall-drop\.pcap/);
  assert.doesNotMatch(pane, /lqq|qqk/, 'box drawing as UTF-8, not raw ACS letters');
  const end = await quitAndCheck(s);
  // The summary after the dashboard: the same report as without --tui.
  assert.match(end, /SPLIT BRAIN\s+VRID 99: split brain/);
  assert.match(end, /read .*splitbrain-firewall-drop\.pcap \(pcap\): \d+ frames, 31 VRRP adverts/);
  assert.match(end, /firewall-cmd --reload/);
  tmux('kill-session', '-t', s);
});

test('-r FILE --tui --json: after q, the JSON report (as -r FILE --json prints it), not the text one', { skip }, async () => {
  const s = start(160, 45, ['-r', SPLIT, '--tui', '--json']);
  await waitFor(s, /Advertisers v4\/99/);
  await quitAndCheck(s);
  // The whole pane history: the document is longer than the screen.
  const all = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', s);
  const text = all.slice(all.indexOf('{'), all.lastIndexOf('}') + 1);
  const doc = JSON.parse(text) as { schema: string; verdict: { severity: string }; routers: Array<{ vrid: number }> };
  assert.equal(doc.schema, 'vrrpwatch.report/1');
  assert.equal(doc.verdict.severity, 'critical');
  assert.deepEqual(doc.routers.map((r) => r.vrid), [99]);
  tmux('kill-session', '-t', s);
});

test('-r split-brain capture --tui --speed 20: paced replay reaches the split brain', { skip }, async () => {
  const s = start(160, 45, ['-r', SPLIT, '--tui', '--speed', '20']);
  const first = await waitFor(s, /at 20x/);
  // The capture lasts 15.7 s: at 20x it is not all there at the first frame drawn.
  assert.doesNotMatch(first, /adverts 31 /, 'paced: not everything at once');
  const pane = await waitUntil(s, (x) => /adverts 31 /.test(x) && SPLIT_BRAIN_SCREEN.every(([re]) => re.test(x)), 'all 31 adverts and the split brain drawn whole', 15000);
  assertSplitBrain(pane);
  // the frames after the last advert: the replay clock in the header reaches the capture's end (+15.69 s; shown rounded, so from +15.70)
  await waitFor(s, /time \S+ \(\+(?:15\.[7-9]\d|1[6-9]\.\d\d|[2-9]\d\.\d\d|\d{3,}\.\d\d)s\)/, 10000);
  const end = await quitAndCheck(s);
  assert.match(end, /SPLIT BRAIN\s+VRID 99/);
  assert.doesNotMatch(end, /replay stopped/, 'replayed to the end');
  tmux('kill-session', '-t', s);
});

test('--speed 1, quit early: the summary says the replay stopped before the end', { skip }, async () => {
  const s = start(160, 45, ['-r', SPLIT, '--tui', '--speed', '1']);
  await waitFor(s, /Advertisers v4\/99/);
  const end = await quitAndCheck(s);
  assert.match(end, /replay stopped after \d+ of \d+ VRRP-related frames/);
  tmux('kill-session', '-t', s);
});

test('several virtual routers: Down / j move the selection (advertisers pane title changes), Up back', { skip: skip || (MULTI === null && 'shared/ not found') }, async () => {
  const s = start(160, 45, ['-r', MULTI!, '--tui']);
  const pane = await waitFor(s, /Virtual routers \(5\)/);
  const t0 = advertisersTitle(pane);
  assert.equal(t0, 'v4/42');
  keys(s, 'Down');
  const t1 = advertisersTitle(await waitFor(s, /Advertisers v4\/43/));
  keys(s, 'j');
  const t2 = advertisersTitle(await waitFor(s, /Advertisers v4\/44/));
  assert.deepEqual([t0, t1, t2], ['v4/42', 'v4/43', 'v4/44']);
  keys(s, 'Up');
  await waitFor(s, /Advertisers v4\/43/);
  keys(s, 'k');
  await waitFor(s, /Advertisers v4\/42/);
  await quitAndCheck(s);
  tmux('kill-session', '-t', s);
});

test('-r - --tui (capture on stdin): keys read from the terminal, q quits, terminal back in cooked mode', { skip }, async () => {
  const s = start(160, 45, ['-r', '-', '--tui'], [], `cat ${q(SPLIT)} | `, `stty -a | grep -o -- '-\\?icanon'; `);
  await waitFor(s, /Advertisers v4\/99/);
  const end = await quitAndCheck(s);
  assert.match(end, /read - \(pcap\): \d+ frames, 31 VRRP adverts/);
  const cooked = await waitFor(s, /^-?icanon$/m);
  assert.match(cooked, /^icanon$/m, 'canonical mode restored');
  tmux('kill-session', '-t', s);
});

test('80x24 pane: the verdict and the split-brain alert still show; Ctrl-C quits with 0', { skip }, async () => {
  const s = start(80, 24, ['-r', SPLIT, '--tui']);
  const pane = await waitUntil(s, (x) => /CRIT v4\/99/.test(x) && /split brain on VRID 99/.test(x), 'the split-brain alert');
  assert.match(pane, /SPLIT BRAIN/);
  for (const line of pane.split('\n')) assert.ok([...line].length <= 80, `fits 80 columns: ${line}`);
  keys(s, 'C-c');
  const end = await waitFor(s, /EXIT:\d+/);
  assert.match(end, /EXIT:0/);
  assert.equal(tmux('display-message', '-p', '-t', s, '#{alternate_on}').trim(), '0');
  tmux('kill-session', '-t', s);
});

test('-r --tui with TERM=dumb, or --no-tui after --tui: report lines, no dashboard', { skip }, async () => {
  for (const [args, env] of [[['-r', SPLIT, '--tui'], ['TERM=dumb']], [['-r', SPLIT, '--tui', '--no-tui'], []]] as const) {
    const s = start(160, 45, [...args], [...env]);
    await waitFor(s, /EXIT:\d+/);
    const end = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', s); // the report is longer than the pane
    assert.match(end, /EXIT:0/, `${args.join(' ')} ${env.join(' ')}`);
    assert.match(end, /^SPLIT BRAIN\s+VRID 99/m);
    assert.match(end, /firewall-cmd --reload/);
    assert.doesNotMatch(end, /Virtual routers|[│┌└]/, 'no dashboard');
    assert.equal(tmux('display-message', '-p', '-t', s, '#{alternate_on}').trim(), '0');
    tmux('kill-session', '-t', s);
  }
});

test('-r --tui when stdout is not a terminal: the report, status 0, a note on stderr', { skip: built ? false : 'not built' }, () => {
  const r = spawnSync(process.execPath, [BIN, '-r', SPLIT, '--tui'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^SPLIT BRAIN\s+VRID 99/);
  assert.doesNotMatch(r.stdout, /\x1b\[\?1049h|[│┌]/, 'no alternate screen, no boxes');
  assert.match(r.stderr, /--tui needs a terminal/);
});

// Live (-i lo, listening only: nothing is sent): needs root and the libpcap binding.
const canLive = existsSync(path.join(ROOT, 'native/build/Release/vrrpcap.node')) && process.getuid?.() === 0;
test('live -i lo with TERM=dumb or --no-tui: the listening line, no dashboard; without them, the dashboard', { skip: skip || (!canLive && 'needs root and the libpcap binding (npm run build:native)') }, async () => {
  for (const [args, env, dash] of [[['-i', 'lo'], ['TERM=dumb'], false], [['-i', 'lo', '--no-tui'], [], false], [['-i', 'lo'], [], true]] as const) {
    const s = start(100, 30, [...args], [...env]);
    if (dash) {
      await waitFor(s, /NO VRRP SEEN\s+time \d\d:\d\d:\d\d adverts 0 drops 0 live interface lo filter: default/);
      keys(s, 'q');
    } else {
      const pane = await waitFor(s, /listening on lo/);
      assert.doesNotMatch(pane, /[│┌└]/, 'no dashboard');
      keys(s, 'C-c');
    }
    const end = await waitFor(s, /EXIT:\d+/);
    assert.match(end, /EXIT:0/, `${args.join(' ')} ${env.join(' ')}`);
    assert.match(end, /read interface lo: \d+ frames/, 'summary printed at the end');
    assert.equal(tmux('display-message', '-p', '-t', s, '#{alternate_on}').trim(), '0');
    tmux('kill-session', '-t', s);
  }
});

test('Analyzer.changeCount (the feeds\' version()): moves with a frame and a new whole second, not within one', () => {
  const a = new Analyzer();
  a.tick(100.1);
  const v0 = a.changeCount;
  a.tick(100.6);
  assert.equal(a.changeCount, v0, 'same second, nothing new: the render tick can skip snapshot()');
  a.tick(101.0);
  assert.notEqual(a.changeCount, v0);
  const v1 = a.changeCount;
  a.packet({ kind: 0, frameLen: 60, tsSec: 101, tsNsec: 0 } as never);
  assert.notEqual(a.changeCount, v1, 'a frame moves it');
  const v2 = a.changeCount;
  a.setCaptureCounters(10, 3, 0);
  assert.notEqual(a.changeCount, v2, 'drops move it');
  const v3 = a.changeCount;
  a.finish();
  assert.notEqual(a.changeCount, v3, 'finish moves it');
});

test('f: every fix command of the capture whole on one line of the screen (real remedies); q closes the view, q again quits', { skip }, async () => {
  const s = start(160, 45, ['-r', SPLIT, '--tui']);
  const cmds = commands();
  assert.ok(cmds.length >= 6 && cmds.some((c) => c.length > 70), cmds.join('\n'));
  // The two-column dashboard: commands are single lines, cut with '…' where the pane is narrow.
  const dash = await waitForSplitBrain(s);
  assert.match(dash, /Alerts \(1\) - f: fixes in full/);
  assert.match(dash, /│ {4}firewall-cmd --permanent --add-rich-rule='rule family="ipv4" [^│]*…│/);
  keys(s, 'f');
  await waitFor(s, /Fixes: each command whole/);
  const view = await waitForFixesView(s, cmds);
  const lines = view.split('\n').map((l) => l.trimEnd());
  for (const c of cmds) assert.ok(lines.includes(c), `whole, alone on a line: ${c}\n${view}`);
  assert.doesNotMatch(view, /[│┌└]/, 'nothing of the other panes on those lines');
  keys(s, 'q');
  await waitFor(s, /Alerts \(1\) - f: fixes in full/);
  assert.doesNotMatch(screen(s), /EXIT:/);
  await quitAndCheck(s);
  tmux('kill-session', '-t', s);
});

test('f at 100 columns: the 117-column rich rule continues on a second line; copied off the screen, bash reads the same words', { skip }, async () => {
  const s = start(100, 45, ['-r', SPLIT, '--tui']);
  await waitFor(s, /Alerts \(1\) - f: fixes in full/);
  keys(s, 'f');
  const rule = commands().find((c) => c.startsWith('firewall-cmd --permanent --add-rich-rule='))!;
  assert.ok(rule.length > 100, rule);
  const view = await waitFor(s, /^ {4}--add-rich-rule='rule family="ipv4"/m);
  assert.match(view, /^ Fixes: each command whole \(a long one continued with \\\)/);
  const lines = view.split('\n').map((l) => l.trimEnd());
  const i = lines.indexOf('firewall-cmd --permanent \\');
  assert.ok(i >= 0, view);
  // what a mouse selection of the two lines pastes, through bash without running anything
  const words = (script: string): string => spawnSync('bash', ['--norc', '--noprofile', '-s'], {
    input: `command_not_found_handle() { printf '%s\\0' "$@"; }\nPATH=/nonexistent-vrrpwatch-test\n${script}\n`, encoding: 'utf8',
  }).stdout;
  assert.equal(words(lines.slice(i, i + 2).join('\n')), words(rule));
  assert.ok(lines.every((l) => l.length <= 100));
  keys(s, 'q');
  await waitFor(s, /Alerts \(1\)/);
  await quitAndCheck(s);
  tmux('kill-session', '-t', s);
});

test('-r FILE --tui --notify: hooks run for the replayed events; their log lines go to the event pane, then to stderr', { skip }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tuicli-hooks-'));
  try {
    const hook = `cat > "${dir}/$VRRPWATCH_EVENT.$$.json"`;
    const s = start(160, 45, ['-r', SPLIT, '--tui', '--notify', hook, '--notify', 'false']);
    const pane = await waitFor(s, /hook: "false" exited 1 for split-brain-start/);
    // Inside the event pane (its border on both sides), not written over the screen.
    assert.match(pane, /│\d\d:\d\d:\d\d\.\d{3} hook: "false" exited 1 for split-brain-st[^│]*│$/m);
    assert.doesNotMatch(pane, /^vrrpwatch: hook/m, 'no raw log line on the screen');
    const end = await quitAndCheck(s);
    const files = readdirSync(dir);
    const of = (ev: string): string[] => files.filter((f) => f.startsWith(`${ev}.`));
    assert.equal(of('split-brain-start').length, 1, files.join(' '));
    assert.equal(of('new-master').length, 1, files.join(' '));
    // The split brain's own finding event is not a second notification of the same incident.
    const findings = of('finding').map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { findingCode: string });
    assert.deepEqual(findings.filter((f) => f.findingCode === 'split-brain' || f.findingCode === 'no-master'), []);
    const all = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', s);
    assert.match(all, /^vrrpwatch: hook: "false" exited 1 for split-brain-start$/m, 'printed after the screen closed');
    assert.match(end, /hooks: \d+ run, \d+ ok, \d+ failed/);
    tmux('kill-session', '-t', s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-r FILE --metrics: a usage error, not silently ignored', { skip: built ? false : 'not built' }, () => {
  const r = spawnSync(process.execPath, [BIN, '-r', SPLIT, '--metrics', '127.0.0.1:0'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^vrrpwatch: --metrics serves a live capture \(-i IFACE\)/);
  assert.equal(r.stdout, '');
});

// Live, in a network namespace of our own (its loopback only), the capture replayed into it at 4x.
const hasNetTools = spawnSync('tcpreplay', ['-V']).status === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
const NS = `vwtuicli-${process.pid}`;
let nsMade = false;
after(() => { if (nsMade) spawnSync('ip', ['netns', 'del', NS]); });
test('live -i lo (own netns) with --notify: header shows time, adverts, drops and "filter: default"; hook log lines in the event pane', { skip: skip || (!canLive && 'needs root and the libpcap binding') || (!hasNetTools && 'needs tcpreplay and ip netns'), timeout: 60_000 }, async () => {
  assert.equal(spawnSync('ip', ['netns', 'add', NS]).status, 0);
  nsMade = true;
  assert.equal(spawnSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']).status, 0);
  const s = start(160, 45, ['-i', 'lo', '--notify', 'false'], [], `ip netns exec ${NS} `);
  await waitFor(s, /NO VRRP SEEN\s+time/);
  const r = spawnSync('ip', ['netns', 'exec', NS, 'tcpreplay', '-q', '-x', '4', '-i', 'lo', SPLIT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const pane = await waitFor(s, /adverts 31 [\s\S]*exited 1 for split-brain-start/);
  const header = pane.split('\n')[1]!;
  assert.match(header, /^│ [A-Z ,]+ {1,2}time \d\d:\d\d:\d\d \(\+\d+\.\d\ds\) adverts 31 drops 0 .*live interface lo filter: default routers 1 /, header);
  assert.doesNotMatch(pane, /proto 112/, 'the built-in BPF expression is not printed');
  assert.match(pane, /│\d\d:\d\d:\d\d\.\d{3} hook: "false" exited 1 for new-master[^│]*│$/m, 'in the event pane');
  assert.doesNotMatch(pane, /^vrrpwatch: hook/m, 'not written over the screen');
  // Live remedies name the interface; each command is one line in the fixes view.
  keys(s, 'f');
  await waitFor(s, /Fixes: each command whole/);
  const view = await waitForFixesView(s, commands('lo'));
  const lines = view.split('\n').map((l) => l.trimEnd());
  for (const c of commands('lo')) assert.ok(lines.includes(c), `whole: ${c}\n${view}`);
  keys(s, 'Escape');
  await waitFor(s, /Alerts \(\d+\) - f: fixes in full/);
  await quitAndCheck(s);
  const all = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', s);
  assert.match(all, /^vrrpwatch: hook: "false" exited 1 for new-master$/m, 'printed once the terminal is back');
  tmux('kill-session', '-t', s);
});
