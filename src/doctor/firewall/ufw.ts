// ufw: whether it is active and its version (`ufw status verbose`, `ufw version`), and — when it is not
// running here (a configuration tree under --root) — the iptables ruleset it would load, assembled the way
// ufw does (ufw-init / backend_iptables.py, checked against a real `ufw enable` in a test): INPUT/OUTPUT
// with the policies of /etc/default/ufw jump to ufw-before-*, ufw-after-*, ufw-reject-*, ufw-track-*;
// before.rules' filter section, then ufw-before-input → ufw-user-input (user.rules), then after.rules.
// Active ufw is read from the kernel (iptables-save), which is the truth; this file only names it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Run } from './found.js';
import { readIptablesSave } from './iptables-save.js';
import type { Ruleset } from './model.js';

export interface UfwState {
  active: boolean;
  version: string | null;
  /** ENABLED=yes in /etc/ufw/ufw.conf under the root (starts at boot). */
  enabled: boolean;
  /** The rulesets assembled from the files (IPv4, and IPv6 when IPV6=yes); empty when ufw's files are missing. */
  offline: Ruleset[];
  notes: string[];
}

function read(path: string): string | null {
  try { return readFileSync(path, 'utf8'); } catch { return null; }
}

/** The *filter section of a ufw rules file: its chain declarations and rules. */
function filterSection(text: string | null): string[] {
  if (text === null) return [];
  const out: string[] = [];
  let inFilter = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) { inFilter = line === '*filter'; continue; }
    if (line === 'COMMIT') { inFilter = false; continue; }
    if (inFilter && (line.startsWith(':') || line.startsWith('-A '))) out.push(line);
  }
  return out;
}

function policy(defaults: string, key: string, fallback: string): string {
  const v = new RegExp(`^${key}="?(\\w+)"?`, 'm').exec(defaults)?.[1]?.toUpperCase() ?? fallback;
  return v === 'REJECT' ? 'DROP' : v;   // ufw turns a REJECT policy into DROP plus a reject rule in ufw-reject-input
}

/** The iptables-save text ufw would load for one family, from its files under `dir` (…/etc/ufw). */
export function assemble(dir: string, defaults: string, family: 4 | 6): string {
  const p = family === 4 ? 'ufw' : 'ufw6';
  const sfx = family === 4 ? '' : '6';
  const lines = [
    ...filterSection(read(join(dir, `before${sfx}.rules`))),
    `-A ${p}-before-input -j ${p}-user-input`,
    `-A ${p}-before-output -j ${p}-user-output`,
    ...filterSection(read(join(dir, `user${sfx}.rules`))),
    ...filterSection(read(join(dir, `after${sfx}.rules`))),
  ];
  const inPolicy = policy(defaults, 'DEFAULT_INPUT_POLICY', 'DROP');
  if (/^DEFAULT_INPUT_POLICY="?REJECT/im.test(defaults)) lines.push(`-A ${p}-reject-input -j REJECT`);
  const chains = new Set<string>();
  for (const l of lines) {
    const m = /^-A (\S+)/.exec(l);
    if (m !== null) chains.add(m[1]);
    const j = /-[jg] (ufw6?-\S+)/.exec(l);
    if (j !== null) chains.add(j[1]);
    const d = /^:(\S+)/.exec(l);
    if (d !== null) chains.add(d[1]);
  }
  const hooks: string[] = [];
  for (const [builtin, low] of [['INPUT', 'input'], ['OUTPUT', 'output']]) {
    for (const stage of ['before-logging', 'before', 'after', 'after-logging', 'reject', 'track']) {
      chains.add(`${p}-${stage}-${low}`);
      hooks.push(`-A ${builtin} -j ${p}-${stage}-${low}`);
    }
  }
  const decl = [...chains].filter((c) => c !== 'INPUT' && c !== 'OUTPUT').map((c) => `:${c} - [0:0]`);
  return ['*filter', `:INPUT ${inPolicy} [0:0]`, `:OUTPUT ${policy(defaults, 'DEFAULT_OUTPUT_POLICY', 'ACCEPT')} [0:0]`,
    ...decl, ...hooks, ...lines.filter((l) => l.startsWith('-A ')), 'COMMIT', ''].join('\n');
}

export function readUfw(run: Run, root: string): UfwState | null {
  const notes: string[] = [];
  const conf = read(join(root, 'etc/ufw/ufw.conf'));
  const st = run(['ufw', 'status', 'verbose']);
  if (st.status === null && conf === null) return null;
  const active = st.status === 0 && /^Status: active/m.test(st.stdout);
  const v = run(['ufw', 'version']);
  const version = /^ufw (\d+(?:\.\d+)*)/m.exec(v.stdout)?.[1] ?? null;
  const enabled = /^ENABLED=yes/m.test(conf ?? '');
  const offline: Ruleset[] = [];
  if (!active && conf !== null) {
    const defaults = read(join(root, 'etc/default/ufw')) ?? '';
    const dir = join(root, 'etc/ufw');
    if (read(join(dir, 'before.rules')) === null) notes.push(`ufw: ${join(dir, 'before.rules')} is missing`);
    offline.push(readIptablesSave(assemble(dir, defaults, 4), 4, `ufw${version !== null ? ' ' + version : ''} (not running: its configuration)`));
    if (!/^IPV6=no/m.test(defaults)) offline.push(readIptablesSave(assemble(dir, defaults, 6), 6, `ufw${version !== null ? ' ' + version : ''} (not running: its configuration)`));
    for (const r of offline) for (const b of r.base) b.where.tool = 'ufw';
  }
  return { active, version, enabled, offline, notes };
}
