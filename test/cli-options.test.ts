// Options of the command line, run as a user runs them, each checked for its effect: --show-auth (the
// password, and only with it), -e (MAC and VLAN, as tcpdump -e reads them), check -q (silent when OK, the
// same line otherwise), colours on a terminal (forced with script(1)) and never with NO_COLOR, --no-color,
// TERM=dumb or a pipe, --debug (the stack trace of an internal error, injected: there is no natural one),
// and the bounds of -s and -B. The live effect of -s, -B, -p and -f: test/live-options.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve('bin/vrrpwatch');
const plainEnv = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };
const run = (args: string[], env: NodeJS.ProcessEnv = plainEnv): SpawnSyncReturns<string> =>
  spawnSync(BIN, args, { env, encoding: 'utf8' });
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

const tmp = mkdtempSync(join(tmpdir(), 'vrrpwatch-opts-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const HEALTHY = 'pcaps/lab/healthy.pcap';            // VRRPv2, simple auth, one router
const SPLIT = 'pcaps/lab/splitbrain-firewall-drop.pcap';
const VLANS = 'pcaps/edge/vlan-qinq.pcap';           // 802.1Q, 802.1ad and 0x9100 tags

/** The simple-auth passwords of a capture, as tcpdump -v prints them (not our decoder). */
function tcpdumpPasswords(file: string): string[] {
  const r = spawnSync('tcpdump', ['-r', file, '-nn', '-v', 'vrrp'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return [...new Set([...r.stdout.matchAll(/auth "([^"]*)"/g)].map((m) => m[1]!))];
}

test('--show-auth: the clear password appears in every output with it, in none without it', { skip: has('tcpdump') ? false : 'needs tcpdump' }, () => {
  const [pass, ...more] = tcpdumpPasswords(HEALTHY);
  assert.ok(pass !== undefined && pass.length >= 4 && more.length === 0, `one password in the capture: ${pass}`);
  const outputs: string[][] = [['-r', HEALTHY], ['-r', HEALTHY, '--json'], ['-r', HEALTHY, '--adverts'], ['-r', HEALTHY, '--adverts', '--json']];
  for (const args of outputs) {
    const shown = run([...args, '--show-auth']);
    assert.equal(shown.status, 0, shown.stderr);
    assert.ok(shown.stdout.includes(pass), `${args.join(' ')} --show-auth: the password is shown`);
    assert.ok(!shown.stdout.includes('********'), `${args.join(' ')} --show-auth: nothing masked`);
    const masked = run(args);
    assert.equal(masked.status, 0, masked.stderr);
    assert.ok(!(masked.stdout + masked.stderr).includes(pass), `${args.join(' ')}: the password leaked`);
    assert.ok(masked.stdout.includes('********'), `${args.join(' ')}: the masked password is there`);
    // masking is the only difference
    assert.equal(shown.stdout.split(pass).join('********'), masked.stdout, `${args.join(' ')}: only the password differs`);
  }
  const chk = run(['check', '-r', HEALTHY, '-v', '--show-auth']);
  assert.ok(!chk.stdout.includes(pass), 'the check line never carries a password');
});

/** Source MAC and innermost VLAN of each VRRP frame, as `tcpdump -e` reads them. */
function tcpdumpLinks(file: string): Array<{ mac: string; vlan: number | null }> {
  const r = spawnSync('tcpdump', ['-r', file, '-nn', '-e'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').filter((l) => l.includes('VRRPv')).map((l) => {
    const vlans = [...l.matchAll(/vlan (\d+), p \d/g)].map((m) => Number(m[1]));
    return { mac: /^\S+ (\S+) > /.exec(l)![1]!, vlan: vlans.length ? vlans.at(-1)! : null };
  });
}

test('-e: per-advert lines carry the source MAC and the VLAN, as tcpdump -e reads them; without -e neither', { skip: has('tcpdump') ? false : 'needs tcpdump' }, () => {
  for (const file of [VLANS, HEALTHY]) {
    const want = tcpdumpLinks(file);
    assert.ok(want.length >= 3, `${file}: ${want.length} adverts for tcpdump`);
    const r = run(['-r', file, '--adverts', '-e']);
    assert.equal(r.status, 0, r.stderr);
    const got = r.stdout.trim().split('\n').filter((l) => l.includes('VRRPv')).map((l) => {
      const m = /^\S+ \S+ ([0-9a-f]{2}(?::[0-9a-f]{2}){5}) (?:vlan (\d+) )?IP6? /.exec(l);
      assert.ok(m, `no MAC after the timestamp: ${l}`);
      return { mac: m[1]!, vlan: m[2] !== undefined ? Number(m[2]) : null };
    });
    assert.deepEqual(got, want, file);
    const plain = run(['-r', file, '--adverts']);
    assert.ok(plain.stdout.trim().split('\n').every((l) => !/[0-9a-f]{2}(:[0-9a-f]{2}){5}| vlan \d+ IP/.test(l)), `${file}: no MAC or VLAN without -e`);
  }
});

test('check -q: nothing at all when OK (also with -v); otherwise the same output and code as without -q', () => {
  const ok = run(['check', '-r', HEALTHY, '-q']);
  assert.deepEqual([ok.status, ok.stdout, ok.stderr], [0, '', '']);
  const okv = run(['check', '-r', HEALTHY, '-q', '-v']);
  assert.deepEqual([okv.status, okv.stdout, okv.stderr], [0, '', '']);
  assert.match(run(['check', '-r', HEALTHY]).stdout, /^VRRP OK - /, 'without -q the OK line is printed');
  for (const [file, code, label] of [
    ['pcaps/edge/unicast-checksums.pcap', 1, 'WARNING'], [SPLIT, 2, 'CRITICAL'], ['pcaps/edge/not-a-capture.pcap', 3, 'UNKNOWN'],
  ] as const) {
    const q = run(['check', '-r', file, '-q']);
    const loud = run(['check', '-r', file]);
    assert.equal(q.status, code, `${file}: ${q.stdout}`);
    assert.match(q.stdout, new RegExp(`^VRRP ${label} - [^\\n]+\\n$`), file);
    assert.deepEqual([q.status, q.stdout, q.stderr], [loud.status, loud.stdout, loud.stderr], `${file}: -q changes nothing when not OK`);
  }
});

const ANSI = /\u001b\[[0-9;]*m/;
/** Runs vrrpwatch on a pseudo-terminal (script(1)), with `env` in the command's environment. */
function onTerminal(args: string[], env: Record<string, string>): string {
  const cmd = ['env', '-u', 'NO_COLOR', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, TZ: 'UTC' }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.error, undefined);
  assert.equal(r.status, 0, r.stdout);
  return r.stdout.replace(/\r\n/g, '\n');
}

test('colours: on a terminal, and only there; NO_COLOR, --no-color and TERM=dumb turn them off; the text is the same', { skip: has('script') ? false : 'needs script (util-linux)' }, () => {
  const coloured = onTerminal(['-r', SPLIT], { TERM: 'xterm-256color' });
  assert.match(coloured, ANSI, 'a terminal gets colours');
  assert.ok(coloured.includes('\u001b[31mSPLIT BRAIN\u001b[0m'), 'the verdict in red');
  const plain = run(['-r', SPLIT], { ...process.env, TZ: 'UTC', NO_COLOR: '' });
  assert.equal(plain.status, 0);
  assert.doesNotMatch(plain.stdout, ANSI, 'a pipe gets none');
  assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), plain.stdout, 'colours are all that differs');
  for (const [what, env, extra] of [
    ['NO_COLOR=1', { TERM: 'xterm-256color', NO_COLOR: '1' }, []],
    ['--no-color', { TERM: 'xterm-256color' }, ['--no-color']],
    ['TERM=dumb', { TERM: 'dumb' }, []],
  ] as const) {
    const out = onTerminal(['-r', SPLIT, ...extra], env);
    assert.doesNotMatch(out, ANSI, `${what}: no colours on a terminal`);
    assert.equal(out, plain.stdout, `${what}: the same text`);
  }
});

test('--debug: an internal error (injected) is one line without it, a stack trace with it', () => {
  // There is no internal error to provoke from outside: a preloaded module makes the write of the report fail.
  const inject = join(tmp, 'inject-fault.mjs');
  writeFileSync(inject, `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const real = fs.writeSync;
fs.writeSync = function (fd, ...rest) { if (fd === 1) throw new TypeError('injected fault'); return real.call(this, fd, ...rest); };
syncBuiltinESMExports();
`);
  const withFault = (args: string[]): SpawnSyncReturns<string> =>
    spawnSync(process.execPath, ['--import', inject, BIN, ...args], { env: plainEnv, encoding: 'utf8' });
  const quiet = withFault(['-r', HEALTHY]);
  assert.equal(quiet.status, 1);
  assert.equal(quiet.stderr, 'vrrpwatch: internal error: injected fault (run with --debug for details)\n');
  const loud = withFault(['-r', HEALTHY, '--debug']);
  assert.equal(loud.status, 1);
  assert.match(loud.stderr, /TypeError: injected fault\n(\s+at .+\n)+/, 'the stack trace');
  assert.match(loud.stderr, /\s+at .*dist\/src\/report\/out\.js:\d+/, 'it names where the error came from');
  assert.match(loud.stderr, /vrrpwatch: internal error: injected fault/, 'and the one line');
});

test('-s and -B: out-of-range values are usage errors (one line, exit 2), for the main command and check', () => {
  for (const [opt, bad, msg] of [
    ['-s', '63', /snapshot length must be a whole number from 64 to 262144, not '63'/],
    ['-s', '262145', /snapshot length must be a whole number from 64 to 262144/],
    ['-s', 'big', /snapshot length must be a whole number/],
    ['-B', '2097152', /buffer size must be a whole number from 0 to 2097151, not '2097152'/],
    ['-B', '-1', /buffer size must be a whole number from 0 to 2097151|option '-B, --buffer-size <KiB>' argument missing/],
    ['-B', '4k', /buffer size must be a whole number from 0 to 2097151, not '4k'/],
  ] as const) {
    const r = run(['-i', 'lo', opt, bad]);
    assert.equal(r.status, 2, `${opt} ${bad}: ${r.stderr}`);
    assert.match(r.stderr, msg);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    const c = run(['check', '-i', 'lo', opt, bad]);
    assert.equal(c.status, 3, `check ${opt} ${bad}: ${c.stdout}`);
    assert.match(c.stdout, /^VRRP UNKNOWN - /);
  }
});
