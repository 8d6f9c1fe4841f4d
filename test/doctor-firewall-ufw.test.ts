// doctor's firewall half on ufw: ufw enabled for real inside a namespace (with --rootdir/--datadir on a
// scratch copy of its files, so the host's /etc/ufw is never touched), read live; the same tree read
// offline (ufw not running) must give the same verdicts, which checks how the offline reader assembles
// ufw's chains. Every printed fix is run in the namespace (ufw >= 0.36.2: `ufw allow ... proto vrrp`;
// older: the before.rules line, checked with ip(6)tables-restore --test, then `ufw reload`), after which
// checkFirewall and the kernel (real adverts from a peer namespace) both accept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFirewall, type FirewallOptions, type VrrpPath } from '../src/doctor/firewall/index.js';
import { labSkip, makeLab, NODE4, NODE6, PEER6, type Lab } from './support/firewall-lab.js';

const haveUfw = spawnSync('sh', ['-c', 'command -v ufw'], { stdio: 'ignore' }).status === 0;
const skip = labSkip() || (!haveUfw ? 'needs ufw (Debian package ufw)' : false);

const MC4: VrrpPath = { direction: 'in', family: 4, iface: 'eth0', peer: '10.0.0.1', local: NODE4, group: '224.0.0.18', instance: 'VI_1' };
const UC4: VrrpPath = { ...MC4, group: null };
const MC6: VrrpPath = { direction: 'in', family: 6, iface: 'eth0', peer: PEER6, local: NODE6, group: 'ff02::12', instance: 'VI_6' };
const OUT4: VrrpPath = { direction: 'out', family: 4, iface: 'eth0', peer: null, local: NODE4, group: '224.0.0.18', instance: 'VI_1' };

/** ufw's files as the package ships them, with our default policies, under a scratch root. */
function ufwTree(outputPolicy: 'ACCEPT' | 'DROP'): string {
  const root = mkdtempSync(join(tmpdir(), 'vwf-ufw-'));
  for (const [from, to] of [['/usr/share/ufw', 'usr/share/ufw'], ['/lib/ufw', 'lib/ufw']]) {
    mkdirSync(join(root, to), { recursive: true });
    cpSync(from, join(root, to), { recursive: true, dereference: true });
  }
  mkdirSync(join(root, 'etc/ufw'), { recursive: true });
  // the package's pristine rules files (/usr/share/ufw holds the templates /etc/ufw starts from)
  for (const f of ['before.rules', 'before6.rules', 'after.rules', 'after6.rules', 'user.rules', 'user6.rules', 'ufw.conf', 'before.init', 'after.init']) {
    cpSync(join('/usr/share/ufw', f), join(root, 'etc/ufw', f), { dereference: true });
  }
  cpSync('/etc/ufw/sysctl.conf', join(root, 'etc/ufw/sysctl.conf'));
  mkdirSync(join(root, 'etc/ufw/applications.d'));
  mkdirSync(join(root, 'etc/default'), { recursive: true });
  writeFileSync(join(root, 'etc/default/ufw'), `IPV6=yes\nDEFAULT_INPUT_POLICY="DROP"\nDEFAULT_OUTPUT_POLICY="${outputPolicy}"\n` +
    'DEFAULT_FORWARD_POLICY="DROP"\nDEFAULT_APPLICATION_POLICY="SKIP"\nMANAGE_BUILTINS=no\nIPT_SYSCTL=/etc/ufw/sysctl.conf\nIPT_MODULES=""\n');
  // ufw writes its rules files in place: a symlink left in the copy would let it write into the package's files
  const links = (readdirSync(root, { recursive: true }) as string[]).filter((f) => lstatSync(join(root, f)).isSymbolicLink());
  assert.deepEqual(links, [], 'no symlinks in the scratch ufw tree');
  return root;
}

function ufwArgs(root: string, argv: string[]): string[] {
  return ['ufw', `--rootdir=${root}`, `--datadir=${root}`, ...argv.slice(1)];
}

/** checkFirewall's runner in the node namespace, ufw pointed at the scratch root; `version` overrides `ufw version`. */
function runner(lab: Lab, root: string, version?: string): NonNullable<FirewallOptions['run']> {
  return (argv) => {
    if (argv[0] === 'firewall-cmd') return { status: null, stdout: '', stderr: 'not installed (test)' };
    if (argv[0] === 'ufw' && argv[1] === 'version' && version !== undefined) return { status: 0, stdout: `ufw ${version}\n`, stderr: '' };
    const full = argv[0] === 'ufw' ? ufwArgs(root, argv) : argv;
    const r = spawnSync('ip', ['netns', 'exec', lab.node, ...full], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

const offline: NonNullable<FirewallOptions['run']> = () => ({ status: null, stdout: '', stderr: 'not installed (test)' });

/** A printed ufw fix as it runs against the scratch root. */
function scratch(root: string, cmd: string): string {
  return cmd.replace(/\/etc\/ufw\//g, `${root}/etc/ufw/`).replace(/^ufw /, `ufw --rootdir=${root} --datadir=${root} `);
}

test('ufw enabled in a namespace: verdicts live and offline agree with each other and the kernel; every fix works', { skip }, async () => {
  const lab = makeLab();
  const root = ufwTree('DROP');
  try {
    lab.shell(`${ufwArgs(root, ['ufw', '--force', 'enable']).join(' ')} >/dev/null 2>&1`);
    const paths = [MC4, UC4, MC6, OUT4];
    const live = checkFirewall(paths, { kind: 'live' }, { root, run: runner(lab, root) });
    assert.ok(live.backends.includes('ufw 0.36.2'), live.backends.join());
    const off = checkFirewall(paths, { kind: 'live' }, { root, run: offline });
    assert.ok(off.notes.some((n) => n.startsWith('ufw is not running')), off.notes.join());
    for (const [i, v] of live.verdicts.entries()) {
      assert.equal(v.verdict, 'dropped', `${i}: ${JSON.stringify(v)}`);
      assert.equal(off.verdicts[i].verdict, v.verdict, `offline ${i}: ${JSON.stringify(off.verdicts[i])}`);
      assert.equal(v.fixes[0].tool, 'ufw');
    }
    assert.match(live.verdicts[0].decidedBy, /filter INPUT policy DROP/);
    assert.deepEqual(live.verdicts[0].fixes[0].commands, ['ufw allow in on eth0 proto vrrp from 10.0.0.1 to any']);
    assert.deepEqual(live.verdicts[3].fixes[0].commands, ['ufw allow out on eth0 proto vrrp to 224.0.0.18']);
    assert.equal(await lab.adverts(4, '224.0.0.18'), 0, 'the kernel drops it too');
    assert.match(await lab.sendFromNode(4, '224.0.0.18'), /^blocked/);

    // ufw >= 0.36.2: the ufw commands, run as printed
    for (const i of [0, 3]) for (const cmd of live.verdicts[i].fixes[0].commands) lab.shell(`${scratch(root, cmd)} >/dev/null`);
    const after = checkFirewall([MC4, UC4, OUT4], { kind: 'live' }, { root, run: runner(lab, root) });
    assert.deepEqual(after.verdicts.map((v) => v.verdict), ['accepted', 'accepted', 'accepted'], JSON.stringify(after.verdicts));
    assert.deepEqual(checkFirewall([MC4, OUT4], { kind: 'live' }, { root, run: offline }).verdicts.map((v) => v.verdict), ['accepted', 'accepted']);
    assert.ok(await lab.adverts(4, '224.0.0.18') > 0);
    assert.ok(await lab.adverts(4, NODE4) > 0);
    assert.match(await lab.sendFromNode(4, '224.0.0.18'), /^sent/);

    // an older ufw (no `proto vrrp`): the before6.rules line, then ufw reload
    const old = checkFirewall([MC6], { kind: 'live' }, { root, run: runner(lab, root, '0.36.1') }).verdicts[0];
    assert.equal(old.verdict, 'dropped');
    assert.deepEqual(old.fixes[0].commands, [
      `sed -i '0,/^COMMIT$/s//-A ufw6-before-input -i eth0 -p vrrp -s fe80::1 -j ACCEPT\\nCOMMIT/' /etc/ufw/before6.rules`, 'ufw reload']);
    lab.shell(scratch(root, old.fixes[0].commands[0]));
    lab.shell(`ip6tables-restore --test < ${root}/etc/ufw/before6.rules`);
    lab.shell(`${scratch(root, old.fixes[0].commands[1])} >/dev/null`);
    { const v = checkFirewall([MC6], { kind: 'live' }, { root, run: runner(lab, root, '0.36.1') }).verdicts[0]; assert.equal(v.verdict, 'accepted', JSON.stringify(v)); }
    assert.equal(checkFirewall([MC6], { kind: 'live' }, { root, run: offline }).verdicts[0].verdict, 'accepted');
    assert.ok(await lab.adverts(6, 'ff02::12') > 0);
  } finally {
    lab.destroy();
    rmSync(root, { recursive: true, force: true });
  }
});
