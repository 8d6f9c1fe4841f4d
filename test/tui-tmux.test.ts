// The dashboard as a person uses it: in a tmux pane, keys sent, the screen read back.
// Runs on a private tmux server (-S socket) that the test starts and kills itself; nothing else is touched.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import { rmSync } from 'node:fs';
import { tmuxServer } from './support/tmux.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Our own server socket, removed at the end (tmux leaves it behind after kill-server).
const SOCKET = path.join(os.tmpdir(), `tuiw-test-${process.pid}.sock`);
let haveTmux = true;
try { execFileSync('tmux', ['-V'], { stdio: 'ignore' }); } catch { haveTmux = false; }

const { tmux, screen, waitFor, waitGone, waitUntil, keys } = tmuxServer(SOCKET, 15000);
let n = 0;
function start(cols: number, rows: number, extra = '', env: string[] = []): string {
  const name = `tuiw-${process.pid}-${++n}`;
  const cmd = `cd '${ROOT}' && node --import tsx src/tui/demo-main.ts --hold split ${extra}; echo "EXIT:$?"; sleep 60`;
  tmux('new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), '-e', 'LANG=C.UTF-8', ...env.flatMap((e) => ['-e', e]), 'sh', '-c', cmd);
  return name;
}

after(() => {
  if (!haveTmux) return;
  try { tmux('kill-server'); } catch { /* already gone */ }
  rmSync(SOCKET, { force: true });
});

test('160x45: split brain with both advertisers, fix shown, selection, help, q restores the terminal', { skip: !haveTmux && 'tmux not installed' }, async () => {
  const s = start(160, 45);
  // (read once the first screen is drawn down to the alerts pane and its fix: not caught mid-draw)
  const first = await waitUntil(s, (x) => /Advertisers v4\/51/.test(x) && /firewall-cmd --permanent --add-rich-rule/.test(x) && /fix: firewalld/.test(x),
    'the first screen drawn whole: the advertisers of v4/51 and the alert with its fix');
  assert.match(first, /^│ SPLIT BRAIN /m, 'verdict first in the header');
  assert.match(first, /^│ SPLIT BRAIN +time \d\d:\d\d:\d\d \(\+1m10s\) adverts \d+ drops 0 .*filter: default/m, 'time, adverts, drops, then the filter');
  assert.match(first, /10\.0\.0\.1\s+52:54:00:00:00:01\s+master\s+100\b/, 'with its MAC');
  assert.match(first, /10\.0\.0\.2\s+52:54:00:00:00:02\s+contender\s+80\b/, 'with its MAC');
  assert.match(first, /firewall-cmd --permanent --add-rich-rule/);
  assert.match(first, /fix: firewalld: (?:allow|accept) VRRP from 10\.0\.0\.1 \(?on 10\.0\.0\.2/); // wording of src/remedy (or the demo stand-in)
  assert.doesNotMatch(first, /secret1/, 'password masked');
  assert.doesNotMatch(first, /lqq|qqk/, 'box drawing as UTF-8, not raw ACS letters');
  // On a terminal without NO_COLOR the verdict is painted (red background).
  assert.match(tmux('capture-pane', '-p', '-e', '-t', s), /\x1b\[[0-9;]*41m[^\n]*SPLIT BRAIN/);

  keys(s, 'Down');
  await waitFor(s, /Advertisers v4\/52/);
  keys(s, 'j');
  await waitFor(s, /Advertisers v6\/7/);
  keys(s, 'Up');
  await waitFor(s, /Advertisers v4\/52/);

  // f: the fixes view, each command whole on its own line (no border to select along); q closes it only.
  // The view is read once it is drawn whole (title and footer): a screen caught mid-redraw can still
  // hold a row of the dashboard. Pane borders that stay after that fail the wait.
  keys(s, 'f');
  const fixes = await waitUntil(s, (x) => /Fixes: each command whole/.test(x) && /Esc, q or f: back to the dashboard/.test(x) && !/│/.test(x),
    'the fixes view drawn whole, title and footer, with no pane borders around the commands');
  assert.match(fixes, /^firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="10\.0\.0\.1" protocol value="vrrp" accept'$/m);
  assert.match(fixes, /^firewall-cmd --reload$/m);
  keys(s, 'q');
  await waitFor(s, /Alerts \(1\) - f: fixes in full/);
  assert.doesNotMatch(screen(s), /EXIT:/, 'q closed the fixes view, not the dashboard');

  keys(s, '?');
  await waitFor(s, /pause the display/);
  keys(s, 'x');
  const closed = await waitGone(s, /pause the display/);
  assert.match(closed, /SPLIT BRAIN/);

  keys(s, 'p');
  await waitFor(s, /\[PAUSED\]/);
  keys(s, 'p');

  // Resize to 80x24: the verdict and the alert are still there.
  tmux('resize-window', '-t', s, '-x', '80', '-y', '24');
  const small = await waitFor(s, /CRIT v4\/51/);
  assert.match(small, /SPLIT BRAIN/);

  keys(s, 'q');
  const end = await waitFor(s, /EXIT:\d+/);
  assert.match(end, /EXIT:0/);
  assert.match(end, /vrrpwatch demo: verdict critical/);
  assert.doesNotMatch(end, /Virtual routers|│/, 'dashboard gone: alternate screen left');
  assert.equal(tmux('display-message', '-p', '-t', s, '#{alternate_on}').trim(), '0');
  assert.equal(tmux('display-message', '-p', '-t', s, '#{cursor_flag}').trim(), '1', 'cursor visible again');
  tmux('kill-session', '-t', s);
});

test('80x24: verdict and alerts visible; Ctrl-C quits with status 0', { skip: !haveTmux && 'tmux not installed' }, async () => {
  const s = start(80, 24, '', ['NO_COLOR=1']);
  const pane = await waitUntil(s, (x) => /CRIT v4\/51/.test(x) && /two masters for VRID 51/.test(x) && /firewall-cmd/.test(x),
    'the alert of v4/51 with its fix');
  assert.match(pane, /SPLIT BRAIN/);
  for (const line of pane.split('\n')) assert.ok([...line].length <= 80, `fits 80 columns: ${line}`);
  // NO_COLOR: no colour at all (bold/inverse are not colours).
  assert.doesNotMatch(tmux('capture-pane', '-p', '-e', '-t', s), /\x1b\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)[;m]/);
  // Enter moves the focus (without colour the focused pane's label is marked »), and back.
  keys(s, 'Enter');
  await waitFor(s, /» Alerts/);
  keys(s, 'Enter');
  await waitFor(s, /» Virtual routers/);
  keys(s, 'C-c');
  const end = await waitFor(s, /EXIT:\d+/);
  assert.match(end, /EXIT:0/);
  assert.equal(tmux('display-message', '-p', '-t', s, '#{alternate_on}').trim(), '0');
  tmux('kill-session', '-t', s);
});
