// The firewalld and ufw fixes of src/remedy run as printed, on scratch configurations, never on the host's:
// - firewalld: `firewall-cmd --permanent ...` becomes `firewall-offline-cmd --system-config SCRATCH ...`
//   (firewalld's own switch for another configuration directory), run in a private mount namespace where
//   /etc/firewalld is mounted read-only; the zone XML it writes must accept VRRP from the peer.
// - ufw >= 0.36.2: `ufw allow ... proto vrrp ...` with ufw's --rootdir/--datadir on a scratch copy of its
//   files, in private mount and network namespaces (ufw probes iptables as root); the user.rules it writes
//   are loaded by iptables-restore --test, then for real in a namespace of their own, and listed.
// - ufw < 0.36.2: the printed sed on copies of the package's before.rules/before6.rules, loaded the same way.
// (iptables and nft fixes: test/remedy.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firewallFixes, type Fix } from '../src/remedy/index.js';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const root = process.getuid?.() === 0;
const need = (tools: string[]): string | false => (!root ? 'needs root (mount and network namespaces)'
  : tools.find((t) => !has(t)) !== undefined ? `needs ${tools.join(', ')} (Debian packages firewalld, ufw, iptables, util-linux)` : false);

/** The fixes for the split brains the analyzer names: the deaf host B hears nothing from A (IPv4, on eth0),
 *  the same over IPv6 without an interface, and no peer known. */
const CASES: Array<{ what: string; fixes: Fix[]; peer: string | null; family: 4 | 6; iface: string | null }> = [
  { what: 'IPv4 peer on eth0', fixes: firewallFixes('10.0.0.2', ['10.0.0.1'], '224.0.0.18', 4, { iface: 'eth0' }), peer: '10.0.0.1', family: 4, iface: 'eth0' },
  { what: 'IPv6 peer', fixes: firewallFixes('fe80::2', ['fe80::1'], 'ff02::12', 6), peer: 'fe80::1', family: 6, iface: null },
  { what: 'no peer known', fixes: firewallFixes(null, [], null, 4), peer: null, family: 4, iface: null },
];
const commandsOf = (fixes: Fix[], title: RegExp): string[] => {
  const f = fixes.filter((x) => title.test(x.title));
  assert.equal(f.length, 1, `one fix titled ${title}: ${fixes.map((x) => x.title).join(' | ')}`);
  return f[0]!.commands;
};

/** A digest of every file (name, mode, content) below the host's configuration directories: unchanged by a test. */
function hostDigest(dirs: string[]): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    if (statSync(d).isFile()) { h.update(`${d} ${statSync(d).mode} `).update(readFileSync(d)); return; }
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(`${p} ${statSync(p).mode} `).update(readFileSync(p));
    }
  };
  dirs.forEach(walk);
  return h.digest('hex');
}

function sh(script: string, input?: string): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', input, timeout: 60_000 });
  assert.equal(r.error, undefined, `${script}: ${r.error}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The rules of a firewalld zone file, read by Python's XML parser (firewalld is Python: it is there). */
function zoneRules(file: string): { protocols: string[]; rules: Array<{ family: string | null; source: string | null; protocol: string | null; action: string | null }> } {
  const py = `import json, sys, xml.etree.ElementTree as ET
z = ET.parse(sys.argv[1]).getroot()
acts = ('accept', 'reject', 'drop', 'mark')
print(json.dumps({'protocols': [p.get('value') for p in z.findall('protocol')],
  'rules': [{'family': r.get('family'), 'source': (r.find('source').get('address') if r.find('source') is not None else None),
             'protocol': (r.find('protocol').get('value') if r.find('protocol') is not None else None),
             'action': next((a for a in acts if r.find(a) is not None), None)} for r in z.findall('rule')]}))`;
  const r = spawnSync('python3', ['-c', py, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ReturnType<typeof zoneRules>;
}

test('firewalld: the printed commands, applied by firewall-offline-cmd to a scratch configuration, make the zone accept VRRP from the peer',
  { skip: need(['firewall-offline-cmd', 'unshare', 'mount', 'python3']) }, () => {
  const host = hostDigest(['/etc/firewalld']);
  for (const c of CASES) {
    const dir = mkdtempSync(join(tmpdir(), 'vw-firewalld-'));
    try {
      if (existsSync('/etc/firewalld/firewalld.conf')) cpSync('/etc/firewalld/firewalld.conf', join(dir, 'firewalld.conf'));
      const cmds = commandsOf(c.fixes, /^firewalld: /);
      assert.equal(cmds.at(-1), 'firewall-cmd --reload', 'the permanent configuration is loaded at the end');
      const offline = cmds.slice(0, -1).map((cmd) => {
        assert.match(cmd, /^firewall-cmd --permanent /, cmd);
        return cmd.replace(/^firewall-cmd --permanent /, `firewall-offline-cmd --system-config ${q(dir)} `);
      });
      // the host's /etc/firewalld read-only for the run, in a mount namespace of its own: a write there fails
      const r = sh(`unshare -m sh -c ${q(`set -e; mount -o bind,ro /etc/firewalld /etc/firewalld; ${offline.join('; ')}; ` +
        `firewall-offline-cmd --system-config ${q(dir)} --check-config; firewall-offline-cmd --system-config ${q(dir)} --get-default-zone`)}`);
      assert.equal(r.status, 0, `${c.what}: ${offline.join('; ')}\n${r.out}`);
      const zone = r.out.trim().split('\n').at(-1)!;
      const z = zoneRules(join(dir, 'zones', `${zone}.xml`));
      if (c.peer === null) {
        assert.ok(z.protocols.includes('vrrp'), `${c.what}: the ${zone} zone accepts the protocol: ${JSON.stringify(z)}`);
      } else {
        assert.deepEqual(z.rules.filter((x) => x.protocol === 'vrrp'),
          [{ family: `ipv${c.family}`, source: c.peer, protocol: 'vrrp', action: 'accept' }], `${c.what}: ${JSON.stringify(z)}`);
        assert.ok(!z.protocols.includes('vrrp'), `${c.what}: only the peer, not every source`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.equal(hostDigest(['/etc/firewalld']), host, 'the host\'s /etc/firewalld is untouched');
});

/** `ufw --version` as [major, minor, patch]. */
function ufwVersion(): number[] {
  const m = /ufw (\d+)\.(\d+)(?:\.(\d+))?/.exec(spawnSync('ufw', ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [0, 0, 0];
}
const ufwNew = (): boolean => { const [a, b, c] = ufwVersion(); return a! > 0 || b! > 36 || (b === 36 && c! >= 2); };

/** Loads rules with iptables-restore (or ip6tables-restore) in a network namespace of their own: --test
 *  first, then for real (after creating the chains ufw's own start script makes, `made`); returns what
 *  `iptables -S CHAIN` lists there. */
function loadAndList(family: 4 | 6, rules: string, chain: string, made: string[] = []): string {
  const ipt = family === 6 ? 'ip6tables' : 'iptables';
  const t = sh(`unshare -n ${ipt}-restore --test`, rules);
  assert.equal(t.status, 0, `${ipt}-restore --test: ${t.out}\n${rules}`);
  const r = sh(`unshare -n sh -c ${q(`${made.map((m) => `${ipt} -N ${m} && `).join('')}${ipt}-restore --noflush && ${ipt} -S ${chain}`)}`, rules);
  assert.equal(r.status, 0, r.out);
  return r.out;
}
/** The rule `iptables -S` lists for VRRP accepted from `peer` (on `iface`). */
const listed = (chain: string, family: 4 | 6, peer: string | null, iface: string | null): RegExp =>
  new RegExp(`^-A ${chain}${peer !== null ? ` -s ${peer.replace(/\./g, '\\.')}/${family === 6 ? 128 : 32}` : ''}${iface !== null ? ` -i ${iface}` : ''} -p (vrrp|112) -j ACCEPT$`, 'm');

test('ufw >= 0.36.2: `ufw allow ... proto vrrp`, run on a scratch copy of ufw\'s files, writes user rules that iptables-restore loads',
  { skip: need(['ufw', 'unshare', 'mount', 'iptables-restore', 'ip6tables-restore']) || (!ufwNew() && `ufw ${ufwVersion().join('.')} knows no proto vrrp`) }, () => {
  const host = hostDigest(['/etc/ufw', '/lib/ufw', '/etc/default/ufw']);
  for (const c of CASES) {
    const dir = mkdtempSync(join(tmpdir(), 'vw-ufw-'));
    try {
      // ufw's --rootdir/--datadir: its configuration (/etc/ufw, /etc/default/ufw) and its scripts (/lib/ufw) under dir
      mkdirSync(join(dir, 'etc/default'), { recursive: true });
      mkdirSync(join(dir, 'lib'), { recursive: true });
      cpSync('/etc/ufw', join(dir, 'etc/ufw'), { recursive: true });
      cpSync('/etc/default/ufw', join(dir, 'etc/default/ufw'));
      cpSync('/lib/ufw', join(dir, 'lib/ufw'), { recursive: true });
      const cmds = commandsOf(c.fixes, /^ufw \(>= 0\.36\.2\)/);
      const scratch = cmds.map((cmd) => {
        assert.match(cmd, /^ufw allow /, cmd);
        return cmd.replace(/^ufw /, `ufw --rootdir=${q(dir)} --datadir=${q(dir)} `);
      });
      // private mount namespace (the host's /etc/ufw and /lib/ufw read-only) and network namespace (ufw runs
      // iptables to learn the kernel's capabilities); ufw is disabled in the copy, so it only writes user rules
      const r = sh(`unshare -m -n sh -c ${q(`set -e; for d in /etc/ufw /lib/ufw; do mount -o bind,ro $d $d; done; ${scratch.join('; ')}`)}`);
      assert.equal(r.status, 0, `${c.what}: ${scratch.join('; ')}\n${r.out}`);
      assert.match(r.out, /Rules updated/);
      const file = join(dir, 'etc/ufw', c.family === 6 ? 'user6.rules' : 'user.rules');
      const chain = c.family === 6 ? 'ufw6-user-input' : 'ufw-user-input';
      const out = loadAndList(c.family, readFileSync(file, 'utf8'), chain);
      assert.match(out, listed(chain, c.family, c.peer, c.iface), `${c.what}:\n${out}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.equal(hostDigest(['/etc/ufw', '/lib/ufw', '/etc/default/ufw']), host, 'the host\'s ufw files are untouched');
});

test('ufw < 0.36.2: the printed sed, run on copies of the package\'s before.rules / before6.rules, leaves rules iptables-restore loads',
  { skip: need(['unshare', 'iptables-restore', 'ip6tables-restore', 'sed']) || (!existsSync('/usr/share/ufw/before.rules') && 'needs ufw\'s before.rules (Debian package ufw)') }, () => {
  for (const c of CASES) {
    const dir = mkdtempSync(join(tmpdir(), 'vw-ufw-old-'));
    try {
      const name = c.family === 6 ? 'before6.rules' : 'before.rules';
      const file = join(dir, name);
      cpSync(join('/usr/share/ufw', name), file);
      const cmds = commandsOf(c.fixes, /^ufw < 0\.36\.2/);
      assert.equal(cmds.at(-1), 'ufw reload');
      for (const cmd of cmds.slice(0, -1)) {
        assert.ok(cmd.endsWith(` /etc/ufw/${name}`), cmd);
        const r = sh(cmd.replace(` /etc/ufw/${name}`, ` ${q(file)}`));
        assert.equal(r.status, 0, `${cmd}\n${r.out}`);
      }
      const rules = readFileSync(file, 'utf8');
      assert.equal(rules.split('\n').filter((l) => l === 'COMMIT').length, 1, 'still one COMMIT');
      const chain = c.family === 6 ? 'ufw6-before-input' : 'ufw-before-input';
      // before.rules jumps to ufw[6]-logging-deny, which ufw's start script (ufw-init) creates
      const out = loadAndList(c.family, rules, chain, [c.family === 6 ? 'ufw6-logging-deny' : 'ufw-logging-deny']);
      assert.match(out, listed(chain, c.family, c.peer, c.iface), `${c.what}:\n${out}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
