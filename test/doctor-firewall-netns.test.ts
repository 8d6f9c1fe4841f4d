// doctor's firewall verdicts against the kernel: each ruleset is loaded into a namespace of its own (nft,
// iptables-legacy-restore, iptables-nft-restore), checkFirewall reads it there (live) and from the saved
// file (--ruleset), real VRRP adverts are sent from a peer namespace and counted after netfilter, and every
// fix printed for a path that is not accepted is run as printed in the namespace — after which
// checkFirewall says accepted and the kernel delivers the adverts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFirewall, type PathVerdict, type VrrpPath } from '../src/doctor/firewall/index.js';
import { labSkip, makeLab, NODE4, NODE6, PEER6, type Lab } from './support/firewall-lab.js';

const FIX = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'doctor-firewall');
const skip = labSkip();
const EMPTY_ROOT = fileURLToPath(new URL('./fixtures/doctor-firewall/empty-root', import.meta.url));

type Kind = 'mc4' | 'mc4any' | 'uc4' | 'mc6' | 'out4';

function path(kind: Kind, peer4: string): VrrpPath {
  switch (kind) {
    case 'mc4': return { direction: 'in', family: 4, iface: 'eth0', peer: peer4, local: NODE4, group: '224.0.0.18', instance: 'VI_1' };
    case 'mc4any': return { direction: 'in', family: 4, iface: 'eth0', peer: null, local: NODE4, group: '224.0.0.18', instance: 'VI_1' };
    case 'uc4': return { direction: 'in', family: 4, iface: 'eth0', peer: peer4, local: NODE4, group: null, instance: 'VI_U' };
    case 'mc6': return { direction: 'in', family: 6, iface: 'eth0', peer: PEER6, local: NODE6, group: 'ff02::12', instance: 'VI_6' };
    case 'out4': return { direction: 'out', family: 4, iface: 'eth0', peer: null, local: NODE4, group: '224.0.0.18', instance: 'VI_1' };
  }
}

/** Does the kernel let this path through? */
async function kernelAccepts(lab: Lab, kind: Kind): Promise<boolean> {
  if (kind === 'out4') return (await lab.sendFromNode(4, '224.0.0.18')).startsWith('sent');
  const n = kind === 'mc6' ? await lab.adverts(6, 'ff02::12') : await lab.adverts(4, kind === 'uc4' ? NODE4 : '224.0.0.18');
  return n > 0;
}

interface Case {
  name: string;
  file: string;
  load: 'nft' | 'iptables-legacy' | 'iptables-nft' | 'ip6tables-nft';
  peer4?: string;
  expect: Partial<Record<Kind, PathVerdict['verdict']>>;
  /** A piece of decidedBy per kind, to prove the right rule decided. */
  by?: Partial<Record<Kind, string>>;
  /** A piece the first fix command must contain, per kind. */
  fix?: Partial<Record<Kind, string>>;
}

const CASES: Case[] = [
  { name: 'Debian default nftables.conf accepts everything', file: 'debian-default.nft', load: 'nft',
    expect: { mc4: 'accepted', uc4: 'accepted', mc6: 'accepted', out4: 'accepted' } },
  { name: 'nft "drop all inbound except ssh"', file: 'ssh-only.nft', load: 'nft',
    expect: { mc4: 'dropped', uc4: 'dropped', mc6: 'dropped', out4: 'accepted' },
    by: { mc4: 'nftables inet filter input policy drop' },
    fix: { mc4: `nft 'add rule inet filter input iifname "eth0" ip saddr 10.0.0.1 meta l4proto vrrp accept'`, mc6: 'ip6 saddr fe80::1' } },
  { name: 'iptables-legacy "drop all inbound except ssh"', file: 'ssh-only.iptables', load: 'iptables-legacy',
    expect: { mc4: 'dropped', uc4: 'dropped', out4: 'accepted' },
    by: { uc4: 'iptables-legacy filter INPUT policy DROP' },
    fix: { mc4: 'iptables-legacy -A INPUT -i eth0 -p vrrp -s 10.0.0.1 -j ACCEPT' } },
  { name: 'iptables-nft: only ESTABLISHED,RELATED (multicast and the first unicast advert dropped)', file: 'established-only.iptables', load: 'iptables-nft',
    expect: { mc4: 'dropped', mc4any: 'dropped', uc4: 'dropped', out4: 'accepted' },
    by: { mc4: 'iptables-nft filter INPUT policy DROP' },
    fix: { mc4any: 'iptables -A INPUT -i eth0 -p vrrp -d 224.0.0.18 -j ACCEPT' } },
  { name: 'ip6tables-nft: only ESTABLISHED,RELATED', file: 'established-only.ip6tables', load: 'ip6tables-nft',
    expect: { mc6: 'dropped' }, fix: { mc6: 'ip6tables -A INPUT -i eth0 -p vrrp -s fe80::1 -j ACCEPT' } },
  { name: 'docker-style nat and filter chains leave INPUT open', file: 'docker.iptables', load: 'iptables-legacy',
    expect: { mc4: 'accepted', uc4: 'accepted', out4: 'accepted' } },
  { name: 'user chains with jumps, returns and a goto: a known peer is accepted', file: 'user-chains.iptables', load: 'iptables-legacy',
    expect: { mc4: 'accepted', uc4: 'accepted' }, by: { uc4: 'iptables-legacy filter peers rule 2: -A peers -s 10.0.0.0/30 -j ACCEPT' } },
  { name: 'user chains: another peer falls through to the rejecting chain; any source cannot be judged', file: 'user-chains.iptables', load: 'iptables-legacy', peer4: '10.0.0.9',
    expect: { mc4: 'rejected', uc4: 'rejected', mc4any: 'unknown' },
    by: { uc4: 'iptables-legacy filter reject-rest rule 2: -A reject-rest -j REJECT --reject-with icmp-admin-prohibited' },
    fix: { uc4: 'iptables-legacy -I INPUT 4 -i eth0 -p vrrp -s 10.0.0.9 -j ACCEPT' } },
  { name: 'two nft tables on input: accept in one, drop in the other = dropped', file: 'two-tables.nft', load: 'nft',
    expect: { mc4: 'dropped', uc4: 'dropped', mc6: 'accepted' },
    by: { mc4: 'nftables ip lockdown input policy drop' }, fix: { mc4: `nft 'add rule ip lockdown input iifname "eth0"` } },
  { name: 'nft named interval set, verdict maps, a chain that returns: known peer accepted', file: 'sets-vmap.nft', load: 'nft',
    expect: { mc4: 'accepted', uc4: 'accepted' }, by: { uc4: 'nftables inet filter peers rule 1' } },
  { name: 'nft sets: unknown peer rejected before the final reject gets its fix', file: 'sets-vmap.nft', load: 'nft', peer4: '10.0.0.9',
    expect: { mc4: 'rejected', uc4: 'rejected', mc4any: 'unknown' }, fix: { uc4: `nft 'insert rule inet filter input position ` } },
  { name: 'nft output policy drop stops this node\'s adverts', file: 'output-drop.nft', load: 'nft',
    expect: { out4: 'dropped', mc4: 'accepted' }, by: { out4: 'nftables inet filter output policy drop' },
    fix: { out4: `nft 'add rule inet filter output oifname "eth0" ip daddr 224.0.0.18 meta l4proto vrrp accept'` } },
];

function load(lab: Lab, c: Case): void {
  const f = join(FIX, c.file);
  if (c.load === 'nft') lab.shell(`nft -f ${f}`);
  else if (c.load === 'iptables-legacy') lab.shell(`iptables-legacy-restore < ${f}`);
  else if (c.load === 'iptables-nft') lab.shell(`iptables-nft-restore < ${f}`);
  else lab.shell(`ip6tables-nft-restore < ${f}`);
}

for (const c of CASES) {
  test(`firewall in a namespace: ${c.name}`, { skip }, async () => {
    const lab = makeLab(c.peer4);
    try {
      load(lab, c);
      const kinds = Object.keys(c.expect) as Kind[];
      const paths = kinds.map((k) => path(k, lab.peer4));
      const live = checkFirewall(paths, { kind: 'live' }, { run: lab.run, root: EMPTY_ROOT });
      const fromFile = checkFirewall(paths, { kind: 'file', path: join(FIX, c.file) }, { root: EMPTY_ROOT });
      for (const [i, k] of kinds.entries()) {
        const v = live.verdicts[i];
        assert.equal(v.verdict, c.expect[k], `${k} live: ${JSON.stringify(v)}`);
        const fv = fromFile.verdicts[i];
        if (!fv.decidedBy.startsWith('the ruleset read holds no')) assert.equal(fv.verdict, c.expect[k], `${k} from file: ${JSON.stringify(fv)}`);
        if (c.by?.[k] !== undefined) assert.ok(v.decidedBy.includes(c.by[k]!), `${k} decidedBy: ${v.decidedBy}`);
        if (c.fix?.[k] !== undefined) assert.ok(v.fixes[0]?.commands[0]?.includes(c.fix[k]!), `${k} fix: ${JSON.stringify(v.fixes)}`);
        if (v.verdict === 'accepted') assert.deepEqual(v.fixes, []);
        else assert.ok(v.fixes.length > 0, `${k}: a fix for ${v.verdict}`);
        // the kernel agrees (an 'unknown' path is one the model cannot tell: nothing to compare)
        if (v.verdict !== 'unknown') assert.equal(await kernelAccepts(lab, k), v.verdict === 'accepted', `${k}: kernel vs ${v.verdict}`);
      }
      // every fix printed, run as printed, makes its path accepted by the model and by the kernel
      for (const [i, k] of kinds.entries()) {
        const v = live.verdicts[i];
        if (v.verdict === 'accepted' || k === 'mc4any') continue;
        for (const f of v.fixes) for (const cmd of f.commands) if (!cmd.startsWith('#')) lab.shell(cmd);
        const again = checkFirewall([paths[i]], { kind: 'live' }, { run: lab.run, root: EMPTY_ROOT });
        assert.equal(again.verdicts[0].verdict, 'accepted', `${k} after the fix: ${JSON.stringify(again.verdicts[0])}`);
        assert.equal(await kernelAccepts(lab, k), true, `${k}: the kernel after the fix`);
      }
    } finally { lab.destroy(); }
  });
}
