// The ruleset in force on this host. nftables and iptables-nft from `nft -j list ruleset` (rule text from
// `nft -a list ruleset`; iptables-nft tables re-read from iptables-nft-save / ip6tables-nft-save, which
// show the xt matches nft cannot), legacy iptables from iptables-legacy-save / ip6tables-legacy-save (or
// iptables-save where `iptables -V` says legacy), firewalld and ufw named as the tools that made them.
// Running firewalld (nftables backend) is evaluated from its zone model instead of its own nft table, so
// verdicts and fixes speak of zones. firewalld or ufw that is configured but not running is evaluated from
// its files only when no kernel ruleset could be read (an offline --root tree); otherwise it is a note.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { firewalldRuleset, firewalldFixInfo, firewalldLabel } from './firewalld-rules.js';
import { readFirewalld } from './firewalld.js';
import type { Found, Run } from './found.js';
import { readIptablesSave, sections } from './iptables-save.js';
import type { Json } from './nft-expr.js';
import { readNftJson, rulesFromListing } from './nft-json.js';
import type { Ruleset } from './model.js';
import { readUfw } from './ufw.js';

function firstLine(s: string): string { return s.trim().split('\n')[0] ?? ''; }

/** iptables-save output of one variant and family, or null when the command is missing or fails. */
function saveOf(run: Run, cmd: string, family: 4 | 6, backend: string, notes: string[]): Ruleset[] | null {
  const r = run([cmd]);
  if (r.status === null) return null;
  if (r.status !== 0) { notes.push(`${cmd} failed: ${firstLine(r.stderr)}`); return null; }
  return sections(r.stdout, { family, backend }).map((s) => readIptablesSave(s.text, family, backend)).filter((x) => x.chains.size > 0);
}

export function readLive(run: Run, root: string): Found {
  const notes: string[] = [];
  const rulesets: Ruleset[] = [];
  let kernelRead = false;
  let offlineModel = false;
  const fw = readFirewalld(run, root);
  const fwNft = fw !== null && fw.running && fw.backend === 'nftables';
  // nftables (and iptables-nft)
  const nj = run(['nft', '-j', 'list', 'ruleset']);
  if (nj.status === 0) {
    kernelRead = true;
    let doc: Json = null;
    try { doc = JSON.parse(nj.stdout) as Json; } catch { notes.push('nft -j list ruleset gave output that is not JSON'); }
    const listing = run(['nft', '-a', 'list', 'ruleset']);
    const texts = listing.status === 0 ? rulesFromListing(listing.stdout) : undefined;
    const skipFw = (f: string, t: string) => fwNft && t === 'firewalld' && ['inet', 'ip', 'ip6'].includes(f);
    let r = readNftJson(doc, { texts, skip: skipFw });
    if (r.iptablesNftTables.length > 0) {
      const ipt = [...(saveOf(run, 'iptables-nft-save', 4, 'iptables-nft', notes) ?? []), ...(saveOf(run, 'ip6tables-nft-save', 6, 'ip6tables-nft', notes) ?? [])];
      if (ipt.length > 0) {
        const names = new Set(r.iptablesNftTables);
        r = readNftJson(doc, { texts, skip: (f, t) => skipFw(f, t) || names.has(`${f} ${t}`) });
        rulesets.push(...ipt);
      } else notes.push(`tables ${r.iptablesNftTables.join(', ')} are iptables-nft's and iptables-nft-save could not be run: rules with xt matches are not understood`);
    }
    rulesets.unshift(...r.rulesets);
    notes.push(...r.notes);
  } else if (nj.status === null) notes.push('nft is not installed: nftables rules (and iptables-nft) were not read');
  else notes.push(`nft -j list ruleset failed (run doctor as root to read the firewall): ${firstLine(nj.stderr)}`);
  // legacy iptables
  const variant = /\((nf_tables|legacy)\)/.exec(run(['iptables', '-V']).stdout)?.[1] ?? null;
  for (const family of [4, 6] as const) {
    const base = family === 4 ? 'iptables' : 'ip6tables';
    let legacy = saveOf(run, `${base}-legacy-save`, family, `${base}-legacy`, notes);
    if (legacy === null && variant === 'legacy') legacy = saveOf(run, `${base}-save`, family, `${base}-legacy`, notes);
    if (legacy !== null) { kernelRead = true; rulesets.push(...legacy.filter((x) => x.base.some((b) => b.chain.rules.length > 0 || b.chain.policy === 'drop'))); }
  }
  // firewalld
  const backends: string[] = [];
  if (fw !== null) {
    notes.push(...fw.notes);
    if (fw.running || !kernelRead) {
      if (fw.running && fw.backend !== 'nftables') {
        // iptables backend: firewalld's chains are in the iptables filter table; its model speaks for them
        for (const r of rulesets) if (r.chains.has('filter INPUT_ZONES')) r.base = r.base.filter((b) => b.where.table !== 'filter');
      }
      rulesets.push(firewalldRuleset(fw));
      offlineModel ||= !fw.running;
      if (!fw.running) notes.push(`firewalld is not running: the configuration under ${root} was evaluated`);
    } else notes.push('firewalld is installed but not running: its zones were not evaluated (the kernel ruleset was)');
  }
  // ufw
  const ufw = readUfw(run, root);
  if (ufw !== null) {
    notes.push(...ufw.notes);
    if (ufw.active) {
      for (const r of rulesets) {
        if (![...r.chains.keys()].some((k) => /^filter ufw6?-/.test(k))) continue;
        for (const b of r.base) if (b.where.table === 'filter') b.where.tool = 'ufw';
      }
      backends.push(`ufw${ufw.version !== null ? ' ' + ufw.version : ''}`);
    } else if (!kernelRead && ufw.enabled) {
      rulesets.push(...ufw.offline);
      offlineModel = true;
      notes.push(`ufw is not running: the configuration under ${root} was evaluated`);
    } else if (ufw.enabled) notes.push('ufw is enabled but not active: its rules were not evaluated (the kernel ruleset was)');
  }
  for (const r of rulesets) if (!backends.includes(r.backend)) backends.push(r.backend);
  if (fw !== null && fw.running && !backends.includes(firewalldLabel(fw))) backends.push(firewalldLabel(fw));
  const file = (name: string) => (existsSync(join(root, name)) ? join('/', name) : null);
  return {
    rulesets,
    backends: backends.filter((b, i) => backends.indexOf(b) === i),
    notes,
    families: [4, 6],
    unreadable: kernelRead || offlineModel || (fw?.running ?? false) ? null : `the firewall in force could not be read (${notes.filter((n) => /not installed|failed/.test(n)).join('; ') || 'no nft or iptables'})`,
    fix: {
      iptablesCommand: (backend, family) => {
        const base = family === 4 ? 'iptables' : 'ip6tables';
        const kind = backend.endsWith('-nft') ? 'nf_tables' : backend.endsWith('-legacy') ? 'legacy' : null;
        return kind === null || kind === variant ? base : `${base}-${kind === 'nf_tables' ? 'nft' : 'legacy'}`;
      },
      iptablesPersistFile: (family) => (family === 4 ? file('etc/iptables/rules.v4') ?? file('etc/sysconfig/iptables')
        : file('etc/iptables/rules.v6') ?? file('etc/sysconfig/ip6tables')),
      firewalld: fw !== null ? firewalldFixInfo(fw) : null,
      ufwVersion: ufw?.version ?? null,
    },
  };
}
