// The README's quick start is what CI runs: its two commands (set up and analyse a capture; run the tests)
// are .ci/run's, word for word (CI adds VRRPWATCH_NO_SKIP=1 to the second), and they need no sudo, so that
// they work in a root shell on a fresh Debian, which has none (scripts/setup.sh uses sudo itself when not root).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

test('the README\'s quick start commands are the ones .ci/run runs', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('\n## Quick start'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'a sh block in the quick start');
  const commands = block[1]!.trim().split('\n');
  assert.equal(commands.length, 2, block[1]);
  const [setUp, tests] = commands as [string, string];
  for (const c of commands) assert.doesNotMatch(c, /\bsudo\b/, 'a root shell on a fresh Debian has no sudo');
  assert.match(setUp, /^bash scripts\/setup\.sh && \.\/bin\/vrrpwatch -r (pcaps\/\S+\.pcap)$/);
  assert.ok(existsSync(/-r (\S+)$/.exec(setUp)![1]!), 'the capture it analyses is in the repository');
  assert.equal(tests, 'npm test');
  const ci = readFileSync('.ci/run', 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  assert.ok(ci.includes(setUp), `.ci/run runs '${setUp}'`);
  assert.ok(ci.includes(`VRRPWATCH_NO_SKIP=1 ${tests}`), `.ci/run runs '${tests}' with VRRPWATCH_NO_SKIP=1`);
  assert.ok(ci.indexOf(setUp) < ci.indexOf(`VRRPWATCH_NO_SKIP=1 ${tests}`), 'set up first');
});

test('the README installs the npm package before it sets up a clone, and names where each file lands', () => {
  const readme = readFileSync('README.md', 'utf8');
  const install = readme.indexOf('\n## Install\n');
  assert.ok(install > 0 && install < readme.indexOf('\n## Quick start'), 'Install comes before the quick start');
  const section = readme.slice(install, readme.indexOf('\n## ', install + 1));
  for (const s of ['npm install -g', 'vrrpwatch.service', 'alerts.yml', '/etc/systemd/system/', 'share/man/man1', 'libpcap-dev']) {
    assert.ok(section.includes(s), `the Install section mentions ${s}`);
  }
});
