// doctor and the real `keepalived -t` (Debian's 2.2.7 here): what it prints and exits with on good and
// bad files, its messages placed at the same file:line as doctor's own reading (includes too), and
// folded into doctor's findings. keepalived -t only reads: nothing is started, no network is touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFiles, runCommand } from '../src/cli/doctor.js';
import { examineConfig } from '../src/doctor/examine.js';
import { keepalivedTest, parseMessage } from '../src/doctor/keepalived-test.js';
import { CLASSIC_MASTER, HOST } from './support/doctor.js';

const skip = spawnSync('sh', ['-c', 'command -v keepalived'], { stdio: 'ignore' }).status !== 0 ? 'needs keepalived' : undefined;

function tree(files: Record<string, string>): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vw-doctor-kt-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const examine = (path: string) => examineConfig({ configPath: path, files: nodeFiles(undefined), configId: null, host: HOST, peerPriority: null, run: runCommand });

const rootSkip = skip ?? (process.getuid?.() !== 0 ? 'needs root (a network namespace with the interface eth0)' : undefined);

test('keepalived -t on a clean file: exit 0, no message', { skip: rootSkip }, (t) => {
  // keepalived -t checks that the interface exists: give it one, in a namespace of this test's own
  const ns = `vwl-t${process.pid}-kt`;
  spawnSync('ip', ['netns', 'add', ns]);
  t.after(() => spawnSync('ip', ['netns', 'del', ns]));
  assert.equal(spawnSync('ip', ['-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1']).status, 0); // no dummy module on every kernel
  const { dir, done } = tree({ 'k.conf': CLASSIC_MASTER });
  t.after(done);
  const inNs: typeof runCommand = (argv, ms) => runCommand(['ip', 'netns', 'exec', ns, ...argv], ms);
  const r = examineConfig({ configPath: join(dir, 'k.conf'), files: nodeFiles(undefined), configId: null, host: HOST, peerPriority: null, run: inNs });
  assert.ok(!('error' in r));
  assert.match(r.keepalived!.version ?? '', /^\d+\.\d+/);
  const kt = r.findings.filter((f) => f.area === 'keepalived');
  assert.deepEqual(kt.map((f) => f.code), ['keepalived-test-ok'], JSON.stringify(kt));
  assert.equal(r.keepalived!.status, 0);
});

test('keepalived -t on a broken file: its messages, deduplicated, at doctor\'s file:line; exit 5', { skip }, (t) => {
  const { dir, done } = tree({
    'keepalived.conf': 'include conf.d/*.conf\nvrrp_instance VI_1 {\n  state MASTERX\n  bogus_keyword 5\n  virtual_router_id 51\n  virtual_ipaddress {\n    10.0.0.100/24\n  }\n}\n',
    'conf.d/a.conf': 'vrrp_instance VI_2 {\n  virtual_router_id 52\n  authentication {\n    auth_type PASS\n    auth_pass 123456789\n  }\n  virtual_ipaddress {\n    10.0.0.101/24\n  }\n}\n',
  });
  t.after(done);
  const main = join(dir, 'keepalived.conf');
  const r = examine(main);
  assert.ok(!('error' in r));
  assert.equal(r.keepalived!.status, 5);
  const texts = r.keepalived!.messages.map((m) => `${m.loc ? `${m.loc.file}:${m.loc.line}` : '-'} ${m.text}`);
  assert.ok(texts.includes(`${main}:4 Unknown keyword 'bogus_keyword'`), texts.join('\n'));
  assert.ok(texts.some((x) => x.startsWith(`${main}:3 (VI_1) unknown state 'MASTERX'`)), texts.join('\n'));
  assert.ok(texts.includes(`${join(dir, 'conf.d/a.conf')}:5 Truncating auth_pass to 8 characters`), texts.join('\n'));
  assert.equal(new Set(texts).size, texts.length, 'each message once');
  // doctor found the same line on its own: keepalived's word becomes evidence there
  const trunc = r.findings.find((f) => f.code === 'auth-pass-truncated')!;
  assert.deepEqual(trunc.where, { file: join(dir, 'conf.d/a.conf'), line: 5 });
  assert.ok(trunc.evidence.includes('keepalived -t agrees: Truncating auth_pass to 8 characters'), JSON.stringify(trunc));
  const unknown = r.findings.find((f) => f.code === 'keepalived-test' && f.title.includes('bogus_keyword'))!;
  assert.equal(unknown.severity, 'warning');
  assert.deepEqual(unknown.evidence, ['exit 5: configuration errors']);
});

test('keepalived -t: scripts without enable_script_security exit 6', { skip }, (t) => {
  const { dir, done } = tree({ 'k.conf': CLASSIC_MASTER.replace('   enable_script_security\n', '') });
  t.after(done);
  const r = examine(join(dir, 'k.conf'));
  assert.ok(!('error' in r));
  assert.equal(r.keepalived!.status, 6);
  assert.ok(r.findings.some((f) => f.code === 'keepalived-script-security' && /SECURITY VIOLATION/.test(f.title)));
});

test('keepalived not installed, or hanging: a note, never a failure', () => {
  const missing = keepalivedTest(() => ({ status: null, stdout: '', stderr: '', error: 'ENOENT' }), '/x.conf', []);
  assert.deepEqual(missing.findings.map((f) => [f.code, f.severity]), [['keepalived-not-run', 'ok']]);
  let calls = 0;
  const hanging = keepalivedTest((argv) => (calls++ === 0 ? { status: 0, stdout: 'Keepalived v2.2.7 (01/16,2022)\n', stderr: '' } : { status: null, stdout: '', stderr: '', timedOut: true }), '/x.conf', []);
  assert.equal(hanging.version, '2.2.7');
  assert.equal(hanging.findings[0]!.code, 'keepalived-test-failed');
  assert.match(hanging.findings[0]!.title, /no answer in 10 s/);
  void calls;
});

test('keepalived -t message places: "(Line N)", "(file: Line N)", relative included names', () => {
  const files = ['/etc/keepalived/keepalived.conf', '/etc/keepalived/conf.d/b.conf'];
  assert.deepEqual(parseMessage('(Line 8) Extra \'}\' found', files[0]!, files), { text: 'Extra \'}\' found', loc: { file: files[0]!, line: 8 } });
  assert.deepEqual(parseMessage('(conf.d/b.conf: Line 3) x', files[0]!, files).loc, { file: files[1]!, line: 3 });
  assert.deepEqual(parseMessage('Non-existent interface specified in configuration', files[0]!, files).loc, null);
});

test('an unreadable main configuration is an error (doctor exits UNKNOWN), an unreadable include a finding', (t) => {
  const { dir, done } = tree({ 'k.conf': 'include sub.conf\n', 'sub.conf': 'vrrp_instance X {\n}\n' });
  t.after(done);
  const r = examineConfig({ configPath: join(dir, 'nope.conf'), files: nodeFiles(undefined), configId: null, host: HOST, peerPriority: null, run: null });
  assert.ok('error' in r && /no such file/.test(r.error));
  chmodSync(join(dir, 'sub.conf'), 0o755);
  const x = examineConfig({ configPath: join(dir, 'k.conf'), files: nodeFiles(undefined), configId: null, host: HOST, peerPriority: null, run: null });
  assert.ok(!('error' in x));
  assert.ok(x.findings.some((f) => f.code === 'include-problem' && /not a regular non-executable file/.test(f.title)));
});
