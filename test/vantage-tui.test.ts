// `-r a -r b -r c --tui`: the captures of the lab's network-drop scenario (pcaps/lab/vantage-network-drop-*,
// captured on A, B and C at once) replayed merged through the dashboard, in a tmux pane of a private server,
// as an operator would: the split brain with both masters, the cause the vantage points make certain
// (network, not B's firewall) with its switch-side checks, and after q the report with its Vantage points
// section. No traffic is sent anywhere.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import { existsSync, rmSync } from 'node:fs';
import { tmuxServer } from './support/tmux.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/vrrpwatch');
const SOCKET = path.join(os.tmpdir(), `vantage-tui-${process.pid}.sock`);
let haveTmux = true;
try { execFileSync('tmux', ['-V'], { stdio: 'ignore' }); } catch { haveTmux = false; }
const skip = !haveTmux ? 'tmux not installed' : !existsSync(path.join(ROOT, 'dist/src/cli/main.js')) ? 'not built: npm run build' : false;
const { tmux, waitFor, waitUntil, keys } = tmuxServer(SOCKET, 20000);
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

after(() => {
  if (!haveTmux) return;
  try { tmux('kill-server'); } catch { /* already gone */ }
  rmSync(SOCKET, { force: true });
});

test('-r a -r b -r c --tui: the merged replay shows the split brain, cause network with switch checks; q prints the Vantage points', { skip }, async () => {
  const args = ['a', 'b', 'c'].flatMap((n) => ['-r', `${n}=pcaps/lab/vantage-network-drop-${n}.pcap`]);
  const name = `vantage-tui-${process.pid}`;
  const cmd = `trap 'true' INT; cd ${q(ROOT)} && env TZ=UTC ${q(BIN)} ${args.map(q).join(' ')} --tui; echo "EXIT:$?"; sleep 120`;
  tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '45', '-e', 'LANG=C.UTF-8', 'sh', '-c', cmd);
  // read once drawn down to the contender and the alert's switch fix (not mid-draw, where a missing
  // firewall fix would prove nothing)
  const pane = await waitUntil(name, (x) => /10\.99\.0\.2\s+\S+\s+contender\s+80\b/.test(x) && /fix: switch: /.test(x),
    'both advertisers and the alert with its switch fix');
  assert.match(pane, /SPLIT BRAIN/);
  assert.match(pane, /replay 3 captures \(a, b, c\)/);
  assert.match(pane, /10\.99\.0\.1\s+\S+\s+master\s+100\b/);
  assert.doesNotMatch(pane, /firewall-cmd/, 'not a firewall fix: the captures show the network drops the adverts');
  // the fixes view: the switch-side checks
  keys(name, 'f');
  const fixes = await waitUntil(name, (x) => /Fixes: each command whole/.test(x) && /Esc, q or f: back to the dashboard/.test(x), 'the fixes view drawn whole');
  assert.match(fixes, /show ip igmp snooping querier/);
  keys(name, 'q');
  keys(name, 'q');
  const end = await waitFor(name, /EXIT:0/);
  assert.match(end, /Vantage points \(3 captures read together\)|cause: the network does not deliver the adverts to 10\.99\.0\.2/);
  const all = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', name);
  assert.match(all, /Vantage points \(3 captures read together\)/);
  assert.match(all, /→ b \(10\.99\.0\.2\)\s+arrived 3 of 20, lost 17/);
  tmux('kill-session', '-t', name);
});
