// The dashboard's view model on its own: (Snapshot, UiState) -> pane text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot } from '../src/analyze/model.js';
import { demoFixes, demoSnapshot, DEMO_T0 } from '../src/tui/demo-feed.js';
import { buildView, continuedLines, fit, moveSelection, overallState, type ViewModel } from '../src/tui/view-model.js';
import { clean, escapeTags, stripTags } from '../src/tui/sanitize.js';
import { computeGeometry, inner } from '../src/tui/geometry.js';
import type { UiState } from '../src/tui/types.js';
import { analyzeFile } from '../src/cli/offline.js';
import { fixesFor } from '../src/remedy/index.js';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const SPLIT = 70;
const HEALED = 130;

function ui(p: Partial<UiState> = {}): UiState {
  return {
    selectedKey: null, showAuth: false, paused: false, help: false, focus: 'routers', fixesView: false, fixesScroll: 0,
    colour: false, unicode: true, clearedAt: null, cols: 160, rows: 45, alertsScroll: 0, eventsScroll: 0, ...p,
  };
}
const vo = { fixes: demoFixes, source: 'eth0', filter: null, mode: 'live' as const };

const PANES = ['routers', 'advertisers', 'chart', 'failovers', 'alerts', 'events'] as const;
/** Every line the screen would show, tags removed. */
function allText(vm: ViewModel): string {
  const out = [stripTags(vm.header.line)];
  for (const p of PANES) if (vm.geometry[p].visible) out.push(vm[p].title, ...vm[p].lines.map(stripTags));
  return out.join('\n');
}
function rawText(vm: ViewModel): string {
  const out = [vm.header.line];
  for (const p of PANES) out.push(vm[p].title, ...vm[p].lines);
  return out.join('\n');
}

test('split brain: header, router state, both advertisers with their priorities', () => {
  const vm = buildView(demoSnapshot(SPLIT), ui(), vo);
  assert.equal(vm.header.state, 'SPLIT BRAIN');
  assert.equal(vm.header.tone, 'crit');
  assert.match(stripTags(vm.header.line), /^ SPLIT BRAIN /);
  const routerRow = vm.routers.lines.map(stripTags).find((l) => /^v4\s+51\b/.test(l));
  assert.ok(routerRow, 'router v4/51 listed');
  
  assert.match(routerRow, /SPLIT BRAIN\s+10\.0\.0\.1\s+100\s+2\b/, 'master, its priority and two advertisers');
  const adv = vm.advertisers.lines.map(stripTags);
  assert.match(adv.find((l) => l.startsWith('10.0.0.1 '))!, /\bmaster\s+100\b/);
  assert.match(adv.find((l) => l.startsWith('10.0.0.2 '))!, /\bcontender\s+80\b/);
  // Failover history: measured next to expected.
  const fo = vm.failovers.lines.map(stripTags).find((l) => l.includes('failover'))!;
  assert.match(fo, /10\.0\.0\.1\s+10\.0\.0\.2\s+3\.71s\s+3\.69s/);
  // Chart: both series with their priorities.
  assert.deepEqual(vm.chart.series.map((s) => [s.title, s.y]), [['10.0.0.1', [100]], ['10.0.0.2', [80]]]);
  assert.match(stripTags(vm.chart.lines[0]!), /10\.0\.0\.1 100 .* 10\.0\.0\.2 80/);
});

test('healthy and healed are not SPLIT BRAIN; healed remembers the earlier split brain', () => {
  assert.equal(buildView(demoSnapshot(10), ui(), vo).header.state, 'OK');
  const healed = buildView(demoSnapshot(HEALED), ui(), vo);
  assert.equal(healed.header.state, 'OK');
  assert.match(stripTags(healed.header.line), /split brain earlier/);
  const s = demoSnapshot(SPLIT);
  s.routers[0]!.state = 'no-master';
  assert.equal(overallState(s).state, 'NO MASTER');
  const empty: Snapshot = { ...demoSnapshot(1), routers: [], findings: [], events: [], verdict: 'ok' };
  assert.equal(overallState(empty).state, 'NO VRRP SEEN');
});

test('firewall fix shown with the cause; the fixes view only while open', () => {
  const on = allText(buildView(demoSnapshot(SPLIT), ui(), { ...vo, iface: 'eth1' }));
  assert.match(on, /cause: 10\.0\.0\.2 does not receive VRRP from 10\.0\.0\.1: a firewall/);
  assert.match(on, /fix: firewalld: allow VRRP from 10\.0\.0\.1 \(on 10\.0\.0\.2\)/);
  assert.match(on, /firewall-cmd --permanent --add-rich-rule='rule family="ipv4"/);
  assert.match(on, /iptables -I INPUT -i eth1 -p vrrp -s 10\.0\.0\.1 -j ACCEPT/, 'iface passed to fixes');
  assert.equal(buildView(demoSnapshot(SPLIT), ui(), vo).fixes, null);
  assert.ok(buildView(demoSnapshot(SPLIT), ui({ fixesView: true }), vo).fixes !== null);
  // A remedy function that throws does not take the screen down.
  const bad = buildView(demoSnapshot(SPLIT), ui(), { ...vo, fixes: () => { throw new Error('boom'); } });
  assert.match(allText(bad), /two masters for VRID 51/);
});

test('auth text masked everywhere unless showAuth', () => {
  const s = demoSnapshot(SPLIT);
  s.findings[0]!.evidence.push("10.0.0.2 uses auth_pass 'secret1'");
  s.findings[0]!.title += ' (auth secret1)';
  const masked = allText(buildView(s, ui({ cols: 200, rows: 60 }), vo));
  assert.doesNotMatch(masked, /secret1/);
  assert.match(masked, /pass:\*{7}/);
  const shown = allText(buildView(s, ui({ cols: 200, rows: 60, showAuth: true }), vo));
  assert.match(shown, /pass:secret1/);
  assert.match(shown, /\(auth secret1\)/);
});

test('escape sequences and control characters from packets never reach the screen', () => {
  const s = demoSnapshot(SPLIT);
  const evil = 'pw\u001b[2J\u001b]0;owned\u0007\u009b31m\u0000\u0085x';
  const a = s.routers[0]!.advertisers[1]!;
  a.authText = evil;
  a.mac = '52:54\u001b[1;31m:00';
  s.findings[0]!.title = `title \u001bc reset ${evil}`;
  s.events.push({ ...s.events[0]!, t: s.time, message: `event\u001b[?1049l ${evil}` });
  s.routers[0]!.virtualAddresses.push('10.9.9.9\u001b[5m');
  for (const showAuth of [false, true]) {
    const vm = buildView(s, ui({ showAuth, cols: 220, rows: 60 }), vo);
    const raw = rawText(vm);
    // eslint-disable-next-line no-control-regex
    for (const line of raw.split('\n')) assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f]/, 'no control character at all');
    // Not from the password (shown escaped with --show-auth, below): nothing left of any sequence.
    assert.doesNotMatch(raw, /\[\?1049l|\[1;31m|\[5m/, 'no remnant of a sequence');
    if (!showAuth) assert.doesNotMatch(raw, /\[2J|\]0;owned/, 'no remnant of a sequence');
  }
  // --show-auth: the password is shown with its escape characters visible, not silently dropped.
  const shown = allText(buildView(s, ui({ showAuth: true, cols: 220, rows: 60 }), vo));
  assert.match(shown, /pass:pw\\x1b\[2J/);
  assert.match(shown, /title +reset pw\\x1b\[2J\\x1b\]0;owned\\x07\\x9b31m\\x00\\x85x/, 'also where it appears in free text');
  assert.equal(clean('a\u001b[31mred\u001b[0m'), 'ared');
  assert.equal(clean('tab\there'), 'tab.here');
});

test('blessed tags in packet text are escaped, not interpreted', () => {
  const s = demoSnapshot(SPLIT);
  s.findings[0]!.title = '{red-bg}{blink}fake{/blink} alert {/red-bg}';
  s.events.push({ ...s.events[0]!, t: s.time, message: 'msg {bold}x{/bold}' });
  const vm = buildView(s, ui(), vo);
  const raw = rawText(vm);
  assert.doesNotMatch(raw, /\{red-bg\}|\{blink\}|\{bold\}x/);
  assert.match(raw, /\{open\}red-bg\{close\}/);
  assert.match(allText(vm), /\{red-bg\}\{blink\}fake/, 'shown literally');
  assert.equal(escapeTags('{a}'), '{open}a{close}');
});

test('80 columns: every line fits its pane, the verdict and alerts stay visible', () => {
  const s = demoSnapshot(SPLIT);
  s.routers[2]!.master = '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff';
  s.routers[2]!.virtualAddresses = Array.from({ length: 8 }, (_, i) => `2001:db8:1234:5678::${i}`);
  for (const [cols, rows] of [[80, 24], [100, 30], [160, 45], [60, 20]] as const) {
    const vm = buildView(s, ui({ cols, rows }), vo);
    const g = vm.geometry;
    assert.ok(stripTags(vm.header.line).length <= cols - 2, `header fits ${cols}`);
    assert.match(stripTags(vm.header.line), /SPLIT BRAIN/);
    assert.ok(g.alerts.visible && g.routers.visible);
    assert.ok(g.alerts.height >= 6, `alerts have room at ${cols}x${rows}`);
    for (const p of PANES) {
      const b = g[p];
      if (!b.visible) continue;
      assert.ok(b.left + b.width <= cols && b.top + b.height <= rows, `${p} inside ${cols}x${rows}`);
      const w = inner(b).width;
      for (const l of vm[p].lines) assert.ok(stripTags(l).length <= w, `${p} line fits ${w} at ${cols}: ${stripTags(l)}`);
    }
  }
  const small = buildView(s, ui({ cols: 80, rows: 24 }), vo);
  assert.equal(small.geometry.compact, true);
  assert.equal(small.geometry.advertisers.visible, false);
  const alerts = small.alerts.lines.map(stripTags).join('\n');
  assert.match(alerts, /CRIT v4\/51 two masters/);
  assert.match(alerts, /firewall-cmd/);
  // The long IPv6 virtual addresses were cut, with a mark.
  assert.ok(small.routers.lines.map(stripTags).some((l) => l.endsWith('…')));
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('abc', 4), 'abc');
});

test('selection moves by key, clamps at the ends, and picks the advertisers shown', () => {
  const s = demoSnapshot(SPLIT);
  assert.equal(moveSelection(s, null, 1), 'v4/52');
  assert.equal(moveSelection(s, 'v4/52', 1), 'v6/7');
  assert.equal(moveSelection(s, 'v6/7', 1), 'v6/7');
  assert.equal(moveSelection(s, 'v4/51', -1), 'v4/51');
  const vm = buildView(s, ui({ selectedKey: 'v4/52' }), vo);
  assert.equal(vm.routers.selected, 1);
  assert.match(vm.advertisers.title, /v4\/52/);
  assert.match(vm.routers.lines[2]!, /^\{inverse\}/);
  // Priority step (vrrp_script weight) of v4/52 shows as two levels in its chart.
  assert.deepEqual(vm.chart.series[0]!.y, [150, 130]);
  const plot = vm.chart.lines.slice(1, -1).map(stripTags);
  assert.ok(plot.filter((l) => l.includes('●')).length >= 2, 'marks on two rows');
});

test('colour only when asked: no colour tags with colour off', () => {
  const off = rawText(buildView(demoSnapshot(SPLIT), ui({ colour: false }), vo));
  assert.doesNotMatch(off, /-fg\}|-bg\}/);
  const on = rawText(buildView(demoSnapshot(SPLIT), ui({ colour: true }), vo));
  assert.match(on, /\{red-bg\}/);
});

test('event log: newest last, with times, scrolls back', () => {
  const s = demoSnapshot(SPLIT);
  const vm = buildView(s, ui(), vo);
  const ev = vm.events.lines.map(stripTags);
  assert.match(ev[ev.length - 1]!, /^\d\d:\d\d:\d\d\.\d{3} v4\/51 split brain/);
  // All fit: nothing to scroll.
  assert.equal(buildView(s, ui({ eventsScroll: 3 }), vo).events.scroll, 0);
  const base = s.events[s.events.length - 1]!;
  for (let i = 0; i < 40; i++) s.events.push({ ...base, t: s.time + i, message: `event number ${i}` });
  const vm2 = buildView(s, ui(), vo);
  assert.match(stripTags(vm2.events.lines[vm2.events.lines.length - 1]!), /event number 39$/);
  const back = buildView(s, ui({ eventsScroll: 1 }), vo);
  assert.match(stripTags(back.events.lines[back.events.lines.length - 1]!), /event number 38$/);
  assert.match(back.events.title, /1 newer below/);
  const top = buildView(s, ui({ eventsScroll: 10_000 }), vo);
  assert.match(stripTags(top.events.lines[0]!), /v4\/51 10\.0\.0\.1 is master/, 'clamped at the oldest');
  assert.ok(s.time > DEMO_T0);
});

test('geometry: compact below 120x36, full above', () => {
  assert.equal(computeGeometry(80, 24, 3).compact, true);
  assert.equal(computeGeometry(160, 45, 3).compact, false);
  assert.equal(computeGeometry(160, 45, 3).chart.visible, true);
});

test('clear (c): older events, failovers and findings go; what is still wrong stays', () => {
  const healed = demoSnapshot(HEALED);
  const vm = buildView(healed, ui({ clearedAt: healed.time - 1 }), vo);
  assert.equal(vm.events.lines.length, 0);
  assert.equal(vm.alerts.count, 0);
  assert.match(allText(vm), /No problem found/);
  assert.doesNotMatch(stripTags(vm.header.line), /earlier/);
  assert.match(vm.failovers.lines.map(stripTags).join('\n'), /No failover seen/);
  // During the split brain its finding survives a clear.
  const split = demoSnapshot(SPLIT);
  const vs = buildView(split, ui({ clearedAt: split.time }), vo);
  assert.equal(vs.header.state, 'SPLIT BRAIN');
  assert.match(allText(vs), /two masters for VRID 51/);
  // The snapshot itself is not changed.
  assert.ok(healed.events.length > 0);
});

test('an alert that is over says when it was last seen', () => {
  const healed = allText(buildView(demoSnapshot(HEALED), ui(), vo));
  assert.match(healed, /two masters for VRID 51[\s\S]*\[last seen \d\d:\d\d:\d\d\]/);
  const split = allText(buildView(demoSnapshot(SPLIT), ui(), vo));
  assert.doesNotMatch(split, /last seen/);
  // Still going on: never "last seen", even when the analyzer's lastSeen is the detection time.
  const s = demoSnapshot(SPLIT);
  s.findings[0]!.lastSeen = s.findings[0]!.firstSeen;
  assert.doesNotMatch(allText(buildView(s, ui(), vo)), /last seen/);
});

test('alerts longer than their pane say so and scroll', () => {
  const s = demoSnapshot(SPLIT);
  const many = (f: Parameters<typeof demoFixes>[0]) => [...demoFixes(f), ...demoFixes(f), ...demoFixes(f)];
  const vm = buildView(s, ui({ cols: 80, rows: 24 }), { ...vo, fixes: many });
  const h = inner(vm.geometry.alerts).height;
  assert.equal(vm.alerts.lines.length, h);
  assert.match(vm.alerts.title, /more below/);
  const scrolled = buildView(s, ui({ cols: 80, rows: 24, alertsScroll: 1000 }), { ...vo, fixes: many });
  assert.equal(scrolled.alerts.lines.length, h, 'scrolling stops at the last page');
  assert.doesNotMatch(scrolled.alerts.title, /more below/);
  assert.match(stripTags(scrolled.alerts.lines[h - 1]!), /iptables -I INPUT/);
});

test('replay: a split brain that healed before the end is still the headline', () => {
  const vm = buildView(demoSnapshot(HEALED), ui(), { ...vo, mode: 'replay' });
  assert.equal(vm.header.state, 'SPLIT BRAIN, HEALED');
  assert.equal(vm.header.tone, 'crit');
  assert.equal(buildView(demoSnapshot(10), ui(), { ...vo, mode: 'replay' }).header.state, 'OK');
});

test('many routers: the selected one stays in view', () => {
  const s = demoSnapshot(SPLIT);
  const base = s.routers[1]!;
  for (let i = 0; i < 40; i++) s.routers.push({ ...base, key: `v4/${100 + i}`, vrid: 100 + i });
  const vm = buildView(s, ui({ selectedKey: 'v4/139' }), vo);
  const h = inner(vm.geometry.routers).height;
  assert.ok(vm.routers.lines.length <= h);
  const sel = vm.routers.lines.find((l) => l.startsWith('{inverse}'));
  assert.ok(sel !== undefined && /^v4\s+139\b/.test(stripTags(sel)), 'selected row shown');
});

// ---------------------------------------------------------------------------------------------
// The real thing: the lab's firewall-drop split brain through the real analyzer and the real remedies
// (src/remedy fixesFor), not the demo's stand-ins.
const LAB = fileURLToPath(new URL('../pcaps/lab/splitbrain-firewall-drop.pcap', import.meta.url));
function labSnapshot(): Snapshot {
  return analyzeFile(LAB, { expectVrid: [] }, null, null).analyzer.snapshot();
}
const real = { fixes: fixesFor, source: 'interface eth0', filter: 'default', mode: 'live' as const, iface: 'eth0' };
/** Every fix command the remedies give for the capture's findings (with -i eth0). */
function realCommands(s: Snapshot): string[] {
  const out: string[] = [];
  for (const f of s.findings) for (const fx of fixesFor(f, { iface: 'eth0' })) out.push(...fx.commands);
  return out;
}

test('real capture, real remedies: each fix command whole on one line of the fixes view; one line each in the alerts pane', () => {
  const s = labSnapshot();
  const cmds = realCommands(s);
  assert.ok(cmds.length >= 6, `remedies for the firewall drop: ${cmds.join(' | ')}`);
  assert.ok(cmds.some((c) => c.length > 70), 'some commands are longer than the alerts pane is wide');
  const vm = buildView(s, ui({ fixesView: true }), real);
  assert.ok(vm.fixes !== null);
  const lines = vm.fixes.lines.map(stripTags);
  for (const c of cmds) assert.ok(lines.includes(c), `whole on one line: ${c}\n${lines.join('\n')}`);
  assert.match(stripTags(vm.fixes.title), /each command whole/);
  assert.match(stripTags(vm.fixes.footer), /Esc, q or f/);
  // The alerts pane (two columns at 160x45): a command is one line, whole or cut with '…', never
  // continued on the next line (which would paste as two broken commands).
  const alerts = buildView(s, ui(), real).alerts;
  assert.match(alerts.title, /f: fixes in full/);
  const al = alerts.lines.map(stripTags).map((l) => l.trim());
  for (const c of cmds) {
    const i = al.findIndex((l) => l === c || (l.endsWith('…') && c.startsWith(l.slice(0, -1))));
    assert.ok(i >= 0, `one line: ${c}\n${al.join('\n')}`);
    if (al[i] !== c) assert.ok(!c.slice(al[i]!.length - 1).startsWith(al[i + 1] ?? '\u0000'), `not wrapped: ${c}`);
  }
  // Narrow (80x24): commands wider than the screen are continued where they can be, cut (and said in the
  // title) where a single quoted word is wider than the screen: the firewalld rich rule here.
  const narrow = buildView(s, ui({ cols: 80, rows: 24, fixesView: true }), real).fixes!;
  const nl = narrow.lines.map(stripTags);
  assert.ok(nl.every((l) => l.length <= 80));
  const uncut = cmds.filter((c) => continuedLines(c, 80) !== null);
  assert.ok(uncut.some((c) => c.length > 80), 'some command is continued at 80 columns');
  assert.match(stripTags(narrow.title), new RegExp(`^ Fixes: ${cmds.length - uncut.length} command\\(s\\) cut`));
  assert.ok(cmds.length - uncut.length >= 1, 'the rich rule cannot be broken at 80 columns');
  for (const c of uncut.filter((x) => x.length > 80)) {
    const cl = continuedLines(c, 80)!;
    const at = nl.indexOf(cl[0]!);
    assert.ok(at >= 0 && cl.every((l, i) => nl[at + i] === l), `continued on consecutive lines: ${c}\n${nl.join('\n')}`);
  }
  // Scrolls, clamped.
  const scrolled = buildView(s, ui({ cols: 80, rows: 10, fixesView: true, fixesScroll: 1000 }), real).fixes!;
  assert.ok(scrolled.scroll > 0 && scrolled.lines.length === 8);
  assert.equal(stripTags(scrolled.lines[scrolled.lines.length - 1]!), fit(cmds[cmds.length - 1]!, 80));
});

/** What bash makes of a script: every simple command's words, NUL-separated, none run (PATH points
 *  nowhere and the not-found handler prints the words instead). Refuses redirections and expansions. */
function shellWords(script: string): string {
  assert.doesNotMatch(script, /[<>`]|\$\(/, 'no redirection or command substitution in a fix command');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-s'], {
    input: `command_not_found_handle() { printf '%s\\0' "$@"; printf '\\n'; }\nPATH=/nonexistent-vrrpwatch-test\n${script}\n`,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('fixes view: a command wider than the terminal is continued with \\, and bash reads the same words', () => {
  const cmds = [...realCommands(labSnapshot()),
    `sed -i '0,/^COMMIT$/s//-A ufw6-before-input -p vrrp -s fe80::6c32:7ff:fe08:3bb1 -j ACCEPT\\nCOMMIT/' /etc/ufw/before6.rules`,
    'nft insert rule inet filter input ip6 saddr fe80::6c32:7ff:fe08:3bb1 meta l4proto vrrp accept && nft list ruleset',
    `echo "a \\"quoted\\" word with spaces" 'and single ones' plain\\ escaped-space more words to make it long enough`];
  let continued = 0;
  for (const width of [40, 60, 80, 100]) {
    for (const c of cmds) {
      const lines = continuedLines(c, width);
      if (lines === null) {
        // only when some word, quotes and all, cannot fit on a continued line of its own
        assert.ok(c.split(/ (?=(?:[^'"]|'[^']*'|"[^"]*")*$)/).some((w) => w.length + 6 > width), `${width}: ${c}`);
        continue;
      }
      assert.ok(lines.every((l) => l.length <= width), lines.join('\n'));
      if (lines.length > 1) continued++;
      lines.slice(0, -1).forEach((l) => assert.ok(l.endsWith(' \\'), l));
      assert.equal(shellWords(lines.join('\n')), shellWords(c), `${width}:\n${lines.join('\n')}`);
    }
  }
  assert.ok(continued >= 10, `continued ${continued}`);
  assert.deepEqual(continuedLines('short', 80), ['short']);
  assert.equal(continuedLines(`x '${'y'.repeat(100)} z'`, 80), null, 'a quoted word is never broken');
  assert.equal(continuedLines(`x 'unbalanced ${'y '.repeat(50)}`, 80), null);
});

test('real capture, live header: state, time, adverts and drops first; the default filter by name, a user\'s cut', () => {
  const s = labSnapshot();
  s.stats.pcapDropped = 0;
  for (const cols of [160, 100]) {
    const h = stripTags(buildView(s, ui({ cols }), real).header.line);
    assert.match(h, /^ SPLIT BRAIN +time \d\d:\d\d:\d\d \(\+15\.69s\) adverts 31 drops 0 /, `at ${cols}: ${h}`);
    assert.doesNotMatch(h, /proto 112|icmp/, 'the built-in BPF expression is not printed');
  }
  assert.match(stripTags(buildView(s, ui(), real).header.line), /live interface eth0 filter: default routers 1/);
  const long = 'vrrp and (host 10.99.0.1 or host 10.99.0.2 or host 10.99.0.3 or host 10.99.0.4)';
  const h = stripTags(buildView(s, ui(), { ...real, filter: long }).header.line);
  assert.match(h, /adverts 31 drops 0 .*filter: vrrp and \(host 10\.99\.0\.1 or host 10\.99\.… routers 1/);
  assert.ok(!h.includes(long));
});

test('real capture at 160x45: the MAC column stays; DEST/AUTH give way first', () => {
  const s = labSnapshot();
  const adv = buildView(s, ui(), real).advertisers.lines.map(stripTags);
  assert.match(adv[0]!, /^ADVERTISER +MAC +ROLE +PRI/);
  for (const a of s.routers[0]!.advertisers) assert.ok(adv.some((l) => l.startsWith(a.ip) && l.includes(a.mac!)), `${a.ip} ${a.mac}\n${adv.join('\n')}`);
  assert.doesNotMatch(adv[0]!, /DEST/);
  // Wide enough for everything: nothing dropped.
  assert.match(buildView(s, ui({ cols: 240, rows: 60 }), real).advertisers.lines.map(stripTags)[0]!, /MAC.*TTL +AUTH +DEST +HOLDS$/);
  // Room for one of TTL and AUTH: AUTH goes first, unless it is flagged (auth differs): evidence stays; the
  // addresses each MAC claimed (HOLDS) stay
  assert.match(buildView(s, ui({ cols: 170 }), real).advertisers.lines.map(stripTags)[0]!, /LAST +TTL +HOLDS$/);
  s.routers[0]!.advertisers[1]!.authMatches = false;
  assert.match(buildView(s, ui({ cols: 180 }), real).advertisers.lines.map(stripTags)[0]!, /LAST +AUTH +HOLDS$/);
});

test('who holds the VIP: the HOLDS column, a MAC that claims without advertising, the probe in the title', () => {
  const s = analyzeFile(fileURLToPath(new URL('../pcaps/lab/vipconflict-adverts-dropped.pcap', import.meta.url)), { expectVrid: [] }, null, null).analyzer.snapshot();
  const v = buildView(s, ui(), real);
  const adv = v.advertisers.lines.map(stripTags);
  assert.match(adv[0]!, /HOLDS$/);
  assert.match(adv[1]!, /^10\.99\.0\.2 .* 10\.99\.0\.100\*$/);
  const other = s.routers[0]!.ownership.vips[0]!.claimers.find((c) => c.advertiser === null)!;
  assert.ok(adv.some((l) => l.startsWith('(no advert)') && l.includes(other.mac) && /claims .* 10\.99\.0\.100$/.test(l)), adv.join('\n'));
  // a probe's latest round shows in the pane's title
  s.routers[0]!.ownership.vips[0]!.probe = { sent: 3, answers: 4, roundsWithTwoOrMore: 1, rounds: [{ t: 1, macs: ['a', 'b'], answers: 2 }], counting: null };
  assert.match(buildView(s, ui(), real).advertisers.title, /; probe 10\.99\.0\.100: 2 MACs$/);
});

test('log notes (hook failures) show in the event pane in time order, and go with c', () => {
  const s = labSnapshot();
  const t = s.events[1]!.t + 0.001;
  const notes = [{ t, text: 'vrrpwatch: hook: "/etc/vrrpwatch/mail.sh" exited 1 for new-master: mail: cannot send' }];
  const vm = buildView(s, ui(), real, notes);
  const ev = vm.events.lines.map(stripTags);
  const i = ev.findIndex((l) => /hook: "\/etc\/vrrpwatch\/mail\.sh" exited 1/.test(l));
  assert.equal(i, 2, ev.join('\n'));
  assert.match(vm.events.title, /1 log/);
  const cleared = buildView(s, ui({ clearedAt: t }), real, notes).events;
  assert.ok(cleared.lines.length > 0 && !cleared.lines.some((l) => l.includes('hook:')));
});
