// The shipped mail hook (docs/examples/vrrpwatch-mail.sh) run by HookRunner against a fake `mail`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HookRunner } from '../src/notify/hooks.js';
import type { AnalysisEvent } from '../src/analyze/model.js';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'examples', 'vrrpwatch-mail.sh');

function fakeMail(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-mail-'));
  // Records its arguments (one per line) and the body it is given.
  writeFileSync(join(dir, 'mail'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/args"\ncat > "${dir}/body"\n`);
  chmodSync(join(dir, 'mail'), 0o755);
  return { dir, env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, VRRPWATCH_MAIL_TO: 'ops@example.org' } };
}

const sb: AnalysisEvent = {
  t: 1_764_000_000, type: 'split-brain-start', routerKey: 'v4/51@vlan10', family: 4, vrid: 51, vlan: 10,
  severity: 'critical', master: '10.0.0.1', previousMaster: null, advertisers: ['10.0.0.1', '10.0.0.2'],
  duration: null, expected: null, message: 'VRID 51: 10.0.0.1 and 10.0.0.2 both advertise as master',
};

test('mail hook: subject and body carry the event, the fix and the JSON', async () => {
  const { dir, env } = fakeMail();
  const r = new HookRunner({ commands: [script], env, logger: () => {} });
  r.handle(sb, { fixText: '# allow VRRP from 10.0.0.1 (on 10.0.0.2)\nnft add rule inet filter input ip saddr 10.0.0.1 ip protocol vrrp accept' });
  const st = await r.drain(10_000);
  assert.equal(st.ok, 1, JSON.stringify(st));
  const args = readFileSync(join(dir, 'args'), 'utf8').split('\n');
  assert.equal(args[0], '-s');
  assert.match(args[1], /^\[vrrpwatch\] critical: VRID 51 \(ipv4 vlan 10\) on \S+: SPLIT BRAIN: 10\.0\.0\.1 10\.0\.0\.2 all advertise as master$/);
  assert.equal(args[2], 'ops@example.org');
  const body = readFileSync(join(dir, 'body'), 'utf8');
  assert.match(body, /^VRID 51: 10\.0\.0\.1 and 10\.0\.0\.2 both advertise as master$/m);
  assert.match(body, /^Advertising now: +10\.0\.0\.1 10\.0\.0\.2$/m);
  assert.match(body, /^ {4}nft add rule inet filter input ip saddr 10\.0\.0\.1 ip protocol vrrp accept$/m);
  const json = JSON.parse(body.slice(body.indexOf('Event as JSON:\n') + 15));
  assert.equal(json.event, 'split-brain-start');
  assert.equal(json.routerKey, 'v4/51@vlan10');
  rmSync(dir, { recursive: true });
});

test('mail hook: VRRPWATCH_MAIL_SKIP skips events', async () => {
  const { dir, env } = fakeMail();
  const r = new HookRunner({ commands: [script], env: { ...env, VRRPWATCH_MAIL_SKIP: 'new-master finding' }, logger: () => {} });
  r.handle({ ...sb, type: 'new-master' });
  const st = await r.drain(10_000);
  assert.equal(st.ok, 1);
  assert.equal(existsSync(join(dir, 'args')), false);
  rmSync(dir, { recursive: true });
});

test('mail hook: capabilities are dropped when setpriv works, and mail still goes out when it cannot', async () => {
  for (const works of [true, false]) {
    const { dir, env } = fakeMail();
    // A fake setpriv: records that it ran, and either execs the rest (after `--`) or fails like EPERM.
    writeFileSync(join(dir, 'setpriv'), works
      ? `#!/bin/sh\necho ran >> "${dir}/setpriv.log"\nwhile [ "$1" != "--" ]; do shift; done; shift\nexec "$@"\n`
      : `#!/bin/sh\necho "setpriv: capset failed: Operation not permitted" >&2\nexit 1\n`);
    chmodSync(join(dir, 'setpriv'), 0o755);
    const logs: string[] = [];
    const r = new HookRunner({ commands: [script], env, logger: (_l, m) => { logs.push(m); } });
    r.handle(sb);
    const st = await r.drain(10_000);
    assert.equal(st.ok, 1, `${works}: ${JSON.stringify(st)} ${logs.join('\n')}`);
    assert.ok(existsSync(join(dir, 'body')), `no mail when setpriv ${works ? 'works' : 'fails'}`);
    if (works) assert.equal(readFileSync(join(dir, 'setpriv.log'), 'utf8'), 'ran\nran\n'); // probe + exec
    rmSync(dir, { recursive: true });
  }
});
