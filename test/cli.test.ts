// The command line as a user meets it: bad input gets one clear line and the right exit code,
// never a stack trace, and what was analysed before a corruption is still reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };
const run = (args: string[], input?: Buffer) =>
  spawnSync('bin/vrrpwatch', args, { env, encoding: 'utf8', input });

const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-cli-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at |Error:|node:internal/, `stack trace leaked:\n${s}`);
const oneLine = (s: string) => assert.equal(s.trimEnd().split('\n').length, 1, `expected one line, got:\n${s}`);

/** A real capture shipped in pcaps/lab (recorded from keepalived). */
function sample(): string {
  const files = readdirSync('pcaps/lab').filter((f) => f.endsWith('.pcap')).sort();
  assert.ok(files.includes('splitbrain-firewall-drop.pcap'), 'pcaps/lab/splitbrain-firewall-drop.pcap missing');
  return 'pcaps/lab/splitbrain-firewall-drop.pcap';
}

test('unknown option: one line on stderr, exit 2', () => {
  const r = run(['-r', 'x.pcap', '--bogus']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^vrrpwatch: unknown option '--bogus'/);
  oneLine(r.stderr); noStack(r.stderr);
});

test('check with an unknown option is UNKNOWN (3) on stdout', () => {
  const r = run(['check', '--bogus']);
  assert.equal(r.status, 3);
  assert.match(r.stdout, /^VRRP UNKNOWN - unknown option '--bogus'/);
  oneLine(r.stdout);
});

test('nothing to do is a usage error', () => {
  const r = run([]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /nothing to do/);
});

test('--speed without --tui is a usage error, not silently ignored', () => {
  const r = run(['-r', sample(), '--speed', '5']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--speed .* -r FILE --tui/);
  assert.equal(r.stdout, '', 'no report: the user asked for something else');
  oneLine(r.stderr); noStack(r.stderr);
});

test('missing file: one line, exit 1; check says UNKNOWN, exit 3', () => {
  const r = run(['-r', join(tmp, 'nope.pcap')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nope\.pcap/);
  oneLine(r.stderr); noStack(r.stderr);
  const c = run(['check', '-r', join(tmp, 'nope.pcap')]);
  assert.equal(c.status, 3);
  assert.match(c.stdout, /^VRRP UNKNOWN - .*nope\.pcap/);
});

test('a file that is not a capture: one line, exit 1', () => {
  const f = join(tmp, 'notes.txt');
  writeFileSync(f, 'keepalived.conf is not a capture\n'.repeat(10));
  const r = run(['-r', f]);
  assert.equal(r.status, 1);
  oneLine(r.stderr); noStack(r.stderr);
  assert.match(r.stderr, /not a (pcap|capture)/i);
});

test('truncated capture: the report of what was read, then one line on stderr, exit 1', () => {
  const whole = readFileSync(sample());
  const cut = join(tmp, 'cut.pcap');
  writeFileSync(cut, whole.subarray(0, whole.length - 7));
  const full = run(['-r', sample()]);
  const r = run(['-r', cut]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /SPLIT BRAIN/, 'the analysis of the frames before the cut is reported');
  assert.match(r.stderr, /truncat/i);
  oneLine(r.stderr); noStack(r.stderr);
  // Everything but the last frame was analysed: the frame count is one less than the full file's.
  const frames = (s: string) => Number(/(\d+) frames/.exec(s)![1]);
  assert.equal(frames(r.stdout), frames(full.stdout) - 1);
});

test('capture from standard input (-r -) gives the same verdict as the file', () => {
  const r = run(['-r', '-'], readFileSync(sample()));
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^SPLIT BRAIN/);
});

test('-c stops after N adverts', () => {
  const r = run(['-r', sample(), '--adverts', '-c', '3']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trimEnd().split('\n').filter((l) => l.includes('VRRPv')).length, 3);
});

test('--adverts --json: one JSON object per line with the documented fields', () => {
  const r = run(['-r', sample(), '--adverts', '--json']);
  assert.equal(r.status, 0);
  const objs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const adverts = objs.filter((o) => o.kind === 'advert');
  assert.ok(adverts.length > 5);
  for (const k of ['ts', 'src', 'dst', 'srcMac', 'vlan', 'ttl', 'version', 'type', 'vrid', 'priority', 'count', 'authType', 'interval', 'checksum', 'addresses']) {
    assert.ok(k in adverts[0]!, `field ${k} missing`);
  }
  assert.equal(typeof adverts[0]!.ts, 'number');
  assert.ok(Array.isArray(adverts[0]!.addresses));
  assert.equal(adverts[0]!.vrid, 99);
  // passwords are masked unless --show-auth
  assert.ok(adverts.every((o) => o.authText === null || /^\*+$/.test(String(o.authText))));
});

/** Runs a bash pipeline (pipefail on) and returns the exit status of each of its commands
 *  (PIPESTATUS, printed last on stderr), its stdout, the rest of its stderr and how long it took. */
function pipeline(script: string, limitMs = 30_000): { statuses: number[]; stdout: string; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${script}; echo "PIPESTATUS \${PIPESTATUS[*]}" >&2`],
    { env, encoding: 'utf8', timeout: limitMs, killSignal: 'SIGKILL' });
  const ms = Date.now() - t0;
  assert.equal(r.error, undefined, `the pipeline did not end within ${limitMs} ms`);
  const m = /PIPESTATUS ([\d ]+)\n$/.exec(r.stderr);
  assert.ok(m, `no PIPESTATUS line in: ${r.stderr}`);
  return { statuses: m[1]!.split(' ').map(Number), stdout: r.stdout, stderr: r.stderr.slice(0, m.index), ms };
}

/** A script writing the sample capture's records over and over, later and later, to stdout: `rounds` times
 *  (for ever without it). It ends quietly when its reader goes away. */
function repeater(): string {
  const gen = join(tmp, 'repeat.mjs');
  writeFileSync(gen, `import { readFileSync, writeSync } from 'node:fs';
const b = readFileSync(${JSON.stringify(sample())});
const rounds = process.argv[2] ? Number(process.argv[2]) : Infinity;
const recs = [];
for (let o = 24; o + 16 <= b.length;) { const n = b.readUInt32LE(o + 8); recs.push(b.subarray(o, o + 16 + n)); o += 16 + n; }
const put = (x) => { try { writeSync(1, x); } catch { process.exit(0); } };
put(b.subarray(0, 24));
for (let round = 0; round < rounds; round++) for (const r of recs) { const c = Buffer.from(r); c.writeUInt32LE(c.readUInt32LE(0) + round * 100, 0); put(c); }
`);
  return gen;
}

test('a closed pipe ends quietly: | head -1 on a capture file, vrrpwatch exits 0 with nothing on stderr', () => {
  // a file whose advert lines are far more than a pipe holds, so that the writes after head has gone fail
  const big = join(tmp, 'big.pcap');
  assert.equal(spawnSync('sh', ['-c', `node ${repeater()} 300 > ${big}`]).status, 0);
  const r = pipeline(`bin/vrrpwatch -r ${big} --adverts 2>"${tmp}/pipe.err" | head -1`);
  assert.deepEqual(r.statuses, [0, 0], 'vrrpwatch (first) and head both succeed');
  assert.match(r.stdout, /^\S+ .*VRRPv2.*\n$/, 'head got one advert line');
  assert.equal(readFileSync(join(tmp, 'pipe.err'), 'utf8'), '', 'vrrpwatch said nothing');
  const all = spawnSync('sh', ['-c', `bin/vrrpwatch -r ${big} --adverts | wc -c`], { env, encoding: 'utf8' });
  assert.ok(Number(all.stdout) > 1 << 20, `the whole output (${all.stdout.trim()} bytes) is larger than a pipe's buffer`);
});

test('a closed pipe ends quietly and promptly with an endless capture on standard input (-r - | head -1)', () => {
  const r = pipeline(`node ${repeater()} | timeout -k 2 20 bin/vrrpwatch -r - --adverts 2>"${tmp}/endless.err" | head -1`);
  assert.equal(r.statuses[1], 0, `vrrpwatch's status (124: still running after 20 s, it did not notice the closed pipe): ${r.statuses.join(' ')}`);
  assert.equal(r.statuses[2], 0);
  assert.match(r.stdout, /VRRPv2/);
  assert.equal(readFileSync(join(tmp, 'endless.err'), 'utf8'), '', 'vrrpwatch said nothing');
  assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
});

test('--version and --help', () => {
  const v = run(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+/);
  const h = run(['--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /-r, --read/);
  const ch = run(['check', '--help']);
  assert.equal(ch.status, 0);
  assert.match(ch.stdout, /WARNING/);
});

/** An option's line in --help: its flags, then its description (continued on the indented lines below). */
function helpEntry(help: string, flags: string): string {
  const lines = help.split('\n');
  const at = lines.findIndex((l) => l.trimStart().startsWith(`${flags} `));
  assert.ok(at >= 0, `${flags} not in --help`);
  const indent = lines[at]!.length - lines[at]!.trimStart().length;
  let text = lines[at]!;
  for (let i = at + 1; i < lines.length && /^\s+/.exec(lines[i]!)![0].length > indent + 2 && lines[i]!.trim() !== ''; i++) text += ` ${lines[i]!.trim()}`;
  return text.replace(/\s+/g, ' ');
}

test('--help at 80 columns: defaults only where a user would set them, exit codes, examples', () => {
  for (const [args, shown, codes] of [
    [['--help'], { '-s, --snapshot-length <bytes>': '512', '--max-routers <n>': '1024', '--max-sources <n>': '16', '--notify-timeout <seconds>': '10' },
      ['0  analysed', '1  the capture', '2  bad arguments']],
    [['check', '--help'], { '-s, --snapshot-length <bytes>': '512', '--max-routers <n>': '1024', '--max-sources <n>': '16', '-t, --timeout <seconds>': '10' },
      ['0  OK', '1  WARNING', '2  CRITICAL', '3  UNKNOWN']],
  ] as const) {
    const h = run([...args]);
    assert.equal(h.status, 0);
    assert.equal(h.stderr, '');
    for (const line of h.stdout.split('\n')) assert.ok(line.length <= 80, `wider than 80 columns: '${line}'`);
    assert.doesNotMatch(h.stdout, /\(default: (false|true|\[\]|0|"")\)/, 'a default nobody would type is noise');
    for (const [flags, value] of Object.entries(shown)) assert.match(helpEntry(h.stdout, flags), new RegExp(`\\(default: ${value}\\)$`));
    const defaults = h.stdout.match(/\(default: \d+\)/g) ?? [];
    assert.equal(defaults.length, Object.keys(shown).length, `only ${Object.keys(shown).join(', ')} show a default value`);
    assert.match(helpEntry(h.stdout, '-B, --buffer-size <KiB>'), /\(default: room for ~8192 packets/);
    const status = h.stdout.slice(h.stdout.indexOf('\nExit status'));
    for (const c of codes) assert.ok(status.includes(`\n  ${c}`), `exit code '${c}' listed`);
    const examples = h.stdout.slice(h.stdout.indexOf('\nExamples:\n'));
    assert.ok(examples.length > 12, 'an Examples section');
    assert.ok(examples.split('\n').filter((l) => l.startsWith('  vrrpwatch ')).length >= 3, examples);
    assert.match(h.stdout.trimEnd(), /More in 'man vrrpwatch'\.$/);
  }
});

test('every example in --help parses (a typo there would teach it)', () => {
  for (const args of [['--help'], ['check', '--help']]) {
    const examples = run(args).stdout.split('\nExamples:\n')[1]!;
    for (const line of examples.split('\n').filter((l) => l.startsWith('  vrrpwatch '))) {
      const argv = line.trim().split(/\s{2,}/)[0]!.split(' ').slice(1);
      // -i enp0s3 cannot capture here; replace the interface by a missing file: the options are what is checked
      const i = argv.indexOf('-i');
      if (i >= 0) argv.splice(i, 2, '-r', join(tmp, 'absent.pcap'));
      const r = run(argv.map((a) => (a === 'vrrp.pcap' ? join(tmp, 'absent.pcap') : a)));
      const out = r.stdout + r.stderr;
      assert.doesNotMatch(out, /unknown option|unknown command|too many arguments|must be|use either/i, `${line.trim()}: ${out}`);
    }
  }
});
