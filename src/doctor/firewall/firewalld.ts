// firewalld's configuration as a zone model: which zones exist, their target, interfaces, sources,
// services (with each service's protocols), protocols and rich rules; the policies towards HOST; the
// default zone; the version. Running firewalld is asked (`firewall-cmd --state`, `--version`,
// `--get-default-zone`, `--list-all-zones`, `--list-all-policies`: the runtime configuration); otherwise
// the XML is read under the root directory — zones and policies from usr/lib/firewalld overridden by
// etc/firewalld, `DefaultZone` and `FirewallBackend` from etc/firewalld/firewalld.conf, and interface →
// zone from the zone files, NetworkManager keyfiles (`zone=`) and ifcfg files (`ZONE=`). Service
// definitions always come from the XML (`firewall-cmd --info-service` for one not found there).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Run } from './found.js';
import { childrenNamed, parseXml, type XmlElement } from './xml.js';

export interface RichRule {
  family: 4 | 6 | null;
  priority: number;
  source: { address: string | null; other: string | null; invert: boolean } | null;
  destination: { address: string | null; invert: boolean } | null;
  /** What the rule is about: a service, a protocol, something VRRP never is (port, icmp ...), or nothing. */
  element: { kind: 'service' | 'protocol' | 'other' | 'none'; value: string };
  action: 'accept' | 'drop' | 'reject' | 'none';
  text: string;
}

export interface Zone {
  name: string;
  target: string;
  interfaces: string[];
  sources: string[];
  services: string[];
  protocols: string[];
  rules: RichRule[];
}

/** A policy (firewalld >= 1.0) that applies to traffic to this host (egress zone HOST). */
export interface Policy {
  name: string;
  priority: number;
  target: string;
  /** 'ANY' or zone names. */
  ingress: string[];
  services: string[];
  protocols: string[];
  rules: RichRule[];
}

export interface FirewalldModel {
  running: boolean;
  version: string | null;
  backend: string;
  defaultZone: string;
  zones: Map<string, Zone>;
  /** Policies whose egress zone is HOST (the others never see an advert to this node). */
  policies: Policy[];
  /** Service name → the protocols it opens (ports do not matter to VRRP). */
  services: Map<string, string[]>;
  notes: string[];
}

function readText(path: string): string | null {
  try { return readFileSync(path, 'utf8'); } catch { return null; }
}

function xmlFiles(dirs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of dirs) {
    let names: string[] = [];
    try { names = readdirSync(d).filter((n) => n.endsWith('.xml')); } catch { continue; }
    for (const n of names) out.set(n.slice(0, -4), join(d, n));   // later dirs (etc) override earlier (usr/lib)
  }
  return out;
}

/** Parses one rich rule as firewalld prints it (`rule family="ipv4" source address="10.0.0.2" protocol value="vrrp" accept`). */
export function parseRichRule(text: string): RichRule {
  const attr = (s: string, name: string): string | null => new RegExp(`\\b${name}="([^"]*)"`).exec(s)?.[1] ?? null;
  const head = /^rule((?:\s+\w+="[^"]*")*)/.exec(text.trim())?.[1] ?? '';
  const fam = attr(head, 'family');
  const src = /\bsource\s+(NOT\s+)?((?:\w+="[^"]*"\s*)+)/i.exec(text);
  const dst = /\bdestination\s+(NOT\s+)?((?:\w+="[^"]*"\s*)+)/i.exec(text);
  let element: RichRule['element'] = { kind: 'none', value: '' };
  const svc = /\bservice\s+name="([^"]*)"/.exec(text);
  const proto = /\bprotocol\s+value="([^"]*)"/.exec(text);
  if (svc !== null) element = { kind: 'service', value: svc[1] };
  else if (proto !== null) element = { kind: 'protocol', value: proto[1] };
  else if (/\b(port|source-port|icmp-block|icmp-type|masquerade|forward-port|tcp-mss-clamp)\b/.test(text.replace(/"[^"]*"/g, '""'))) {
    element = { kind: 'other', value: /\b(port|source-port|icmp-block|icmp-type|masquerade|forward-port|tcp-mss-clamp)\b/.exec(text.replace(/"[^"]*"/g, '""'))![1] };
  }
  const bare = text.replace(/"[^"]*"/g, '""');
  const action = /\baccept\b/.test(bare) ? 'accept' : /\bdrop\b/.test(bare) ? 'drop' : /\breject\b/.test(bare) ? 'reject' : 'none';
  return {
    family: fam === 'ipv4' ? 4 : fam === 'ipv6' ? 6 : null,
    priority: Number(attr(head, 'priority') ?? 0),
    source: src === null ? null : { address: attr(src[2], 'address'), other: attr(src[2], 'ipset') ?? attr(src[2], 'mac'), invert: src[1] !== undefined || attr(src[2], 'invert') === 'True' },
    destination: dst === null ? null : { address: attr(dst[2], 'address') ?? attr(dst[2], 'ipset'), invert: dst[1] !== undefined || attr(dst[2], 'invert') === 'True' },
    element, action, text: text.trim(),
  };
}

/** A rich rule element of a zone XML, in firewalld's own text form, parsed. */
function richFromXml(r: XmlElement): RichRule {
  const q = (k: string, v: string | undefined) => (v !== undefined ? ` ${k}="${v}"` : '');
  let text = `rule${q('priority', r.attrs.priority)}${q('family', r.attrs.family)}`;
  for (const c of r.children) {
    if (c.name === 'source' || c.name === 'destination') {
      const not = c.attrs.invert === 'True' || c.attrs.invert === 'true' ? ' NOT' : '';
      text += ` ${c.name}${not}${q('address', c.attrs.address)}${q('ipset', c.attrs.ipset)}${q('mac', c.attrs.mac)}`;
    } else if (c.name === 'service') text += ` service${q('name', c.attrs.name)}`;
    else if (c.name === 'protocol') text += ` protocol${q('value', c.attrs.value)}`;
    else if (c.name === 'port' || c.name === 'source-port') text += ` ${c.name}${q('port', c.attrs.port)}${q('protocol', c.attrs.protocol)}`;
    else if (['accept', 'drop', 'reject'].includes(c.name)) text += ` ${c.name}${q('type', c.attrs.type)}`;
    else if (c.name === 'log' || c.name === 'audit' || c.name === 'mark') text += ` ${c.name}`;
    else text += ` ${c.name}${q('name', c.attrs.name)}`;
  }
  return parseRichRule(text);
}

function zoneFromXml(name: string, el: XmlElement): Zone {
  return {
    name,
    target: el.attrs.target ?? 'default',
    interfaces: childrenNamed(el, 'interface').map((i) => i.attrs.name ?? '').filter((s) => s !== ''),
    sources: childrenNamed(el, 'source').map((s) => s.attrs.address ?? (s.attrs.ipset !== undefined ? `ipset:${s.attrs.ipset}` : `mac:${s.attrs.mac ?? ''}`)),
    services: childrenNamed(el, 'service').map((s) => s.attrs.name ?? ''),
    protocols: childrenNamed(el, 'protocol').map((p) => p.attrs.value ?? ''),
    rules: childrenNamed(el, 'rule').map(richFromXml),
  };
}

function policyFromXml(name: string, el: XmlElement): Policy | null {
  const egress = childrenNamed(el, 'egress-zone').map((z) => z.attrs.name ?? '');
  if (!egress.includes('HOST')) return null;
  const z = zoneFromXml(name, el);
  return { name, priority: Number(el.attrs.priority ?? -1), target: el.attrs.target ?? 'CONTINUE',
    ingress: childrenNamed(el, 'ingress-zone').map((i) => i.attrs.name ?? ''), services: z.services, protocols: z.protocols, rules: z.rules };
}

/** Parses `firewall-cmd --list-all-policies` output (the policies towards HOST). */
export function parseListAllPolicies(text: string): Policy[] {
  type Listed = Policy & { egress: string[] };
  const out: Listed[] = [];
  let p: Listed | null = null;
  let inRich = false;
  const flush = () => { if (p !== null && p.egress.includes('HOST')) out.push(p); };
  for (const line of text.split('\n')) {
    const head = /^(\S+)(\s+\(.*\))?\s*$/.exec(line);
    if (head !== null) { flush(); p = { name: head[1], priority: -1, target: 'CONTINUE', ingress: [], egress: [], services: [], protocols: [], rules: [] }; inRich = false; continue; }
    if (p === null) continue;
    const kv = /^\s+([\w -]+):\s*(.*)$/.exec(line);
    if (kv !== null && !/^\s+rule\b/.test(line)) {
      const [k, v] = [kv[1].trim(), kv[2].trim()];
      const list = v === '' ? [] : v.split(/\s+/);
      inRich = k === 'rich rules';
      if (k === 'priority') p.priority = Number(v);
      else if (k === 'target') p.target = v;
      else if (k === 'ingress-zones') p.ingress = list;
      else if (k === 'egress-zones') p.egress = list;
      else if (k === 'services') p.services = list;
      else if (k === 'protocols') p.protocols = list;
      continue;
    }
    if (inRich && line.trim().startsWith('rule')) p.rules.push(parseRichRule(line.trim()));
  }
  flush();
  return out.map(({ egress, ...rest }) => { void egress; return rest; });
}

/** Interface → zone assignments NetworkManager makes (keyfiles and ifcfg files). */
function networkManagerZones(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const kdir = join(root, 'etc/NetworkManager/system-connections');
  for (const n of safeList(kdir)) {
    const t = readText(join(kdir, n)) ?? '';
    const iface = /^interface-name=(.+)$/m.exec(t)?.[1]?.trim();
    const zone = /^zone=(.+)$/m.exec(t)?.[1]?.trim();
    if (iface !== undefined && zone !== undefined && zone !== '') out.set(iface, zone);
  }
  const idir = join(root, 'etc/sysconfig/network-scripts');
  for (const n of safeList(idir).filter((x) => x.startsWith('ifcfg-'))) {
    const t = readText(join(idir, n)) ?? '';
    const unq = (s: string | undefined) => s?.trim().replace(/^["']|["']$/g, '');
    const iface = unq(/^DEVICE=(.+)$/m.exec(t)?.[1]) ?? n.slice(6);
    const zone = unq(/^ZONE=(.+)$/m.exec(t)?.[1]);
    if (zone !== undefined && zone !== '') out.set(iface, zone);
  }
  return out;
}

function safeList(d: string): string[] {
  try { return readdirSync(d); } catch { return []; }
}

function servicesFrom(root: string, notes: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, file] of xmlFiles([join(root, 'usr/lib/firewalld/services'), join(root, 'etc/firewalld/services')])) {
    try {
      const el = parseXml(readText(file) ?? '');
      out.set(name, childrenNamed(el, 'protocol').map((p) => p.attrs.value ?? ''));
    } catch (e) { notes.push(`firewalld service ${file}: ${(e as Error).message}`); }
  }
  return out;
}

/** Parses `firewall-cmd --list-all-zones` output. */
export function parseListAllZones(text: string): Zone[] {
  const zones: Zone[] = [];
  let z: Zone | null = null;
  let inRich = false;
  for (const line of text.split('\n')) {
    const head = /^(\S+)(\s+\(.*\))?\s*$/.exec(line);
    if (head !== null) { z = { name: head[1], target: 'default', interfaces: [], sources: [], services: [], protocols: [], rules: [] }; zones.push(z); inRich = false; continue; }
    if (z === null) continue;
    const kv = /^\s+([\w -]+):\s*(.*)$/.exec(line);
    if (kv !== null && !/^\s+rule\b/.test(line)) {
      const [k, v] = [kv[1].trim(), kv[2].trim()];
      const list = v === '' ? [] : v.split(/\s+/);
      inRich = k === 'rich rules';
      if (k === 'target') z.target = v;
      else if (k === 'interfaces') z.interfaces = list;
      else if (k === 'sources') z.sources = list;
      else if (k === 'services') z.services = list;
      else if (k === 'protocols') z.protocols = list;
      continue;
    }
    if (inRich && line.trim().startsWith('rule')) z.rules.push(parseRichRule(line.trim()));
  }
  return zones;
}

/** The firewalld configuration here, or null when firewalld is neither running nor configured. */
export function readFirewalld(run: Run, root: string): FirewalldModel | null {
  const notes: string[] = [];
  const state = run(['firewall-cmd', '--state']);
  const running = state.status === 0 && state.stdout.trim() === 'running';
  const conf = readText(join(root, 'etc/firewalld/firewalld.conf'));
  const zoneFiles = xmlFiles([join(root, 'usr/lib/firewalld/zones'), join(root, 'etc/firewalld/zones')]);
  if (!running && conf === null && zoneFiles.size === 0) return null;
  const v = run(['firewall-cmd', '--version']);
  const version = v.status === 0 && /^\d+(\.\d+)*$/.test(v.stdout.trim()) ? v.stdout.trim() : null;
  const backend = /^FirewallBackend=(\w+)/m.exec(conf ?? '')?.[1] ?? 'nftables';
  const services = servicesFrom(root, notes);
  const zones = new Map<string, Zone>();
  let policies: Policy[] = [];
  let defaultZone = /^DefaultZone=(\S+)/m.exec(conf ?? '')?.[1] ?? 'public';
  if (running) {
    const d = run(['firewall-cmd', '--get-default-zone']);
    if (d.status === 0 && d.stdout.trim() !== '') defaultZone = d.stdout.trim();
    const all = run(['firewall-cmd', '--list-all-zones']);
    if (all.status === 0) for (const z of parseListAllZones(all.stdout)) zones.set(z.name, z);
    else notes.push(`firewall-cmd --list-all-zones failed: ${all.stderr.trim().split('\n')[0] ?? ''}`);
    const pol = run(['firewall-cmd', '--list-all-policies']);
    if (pol.status === 0) policies = parseListAllPolicies(pol.stdout);
    for (const z of [...zones.values(), ...policies]) {
      for (const s of z.services) {
        if (services.has(s)) continue;
        const info = run(['firewall-cmd', `--info-service=${s}`]);
        const protos = /^\s*protocols:\s*(.*)$/m.exec(info.stdout)?.[1]?.trim();
        if (info.status === 0) services.set(s, protos !== undefined && protos !== '' ? protos.split(/\s+/) : []);
      }
    }
  } else {
    for (const [name, file] of zoneFiles) {
      try { zones.set(name, zoneFromXml(name, parseXml(readText(file) ?? ''))); } catch (e) {
        notes.push(`firewalld zone ${file}: ${(e as Error).message}`);
      }
    }
    for (const [name, file] of xmlFiles([join(root, 'usr/lib/firewalld/policies'), join(root, 'etc/firewalld/policies')])) {
      try {
        const p = policyFromXml(name, parseXml(readText(file) ?? ''));
        if (p !== null) policies.push(p);
      } catch (e) { notes.push(`firewalld policy ${file}: ${(e as Error).message}`); }
    }
    for (const [iface, zone] of networkManagerZones(root)) {
      const z = zones.get(zone);
      if (z === undefined) { notes.push(`NetworkManager puts ${iface} in zone ${zone}, which does not exist`); continue; }
      for (const other of zones.values()) other.interfaces = other.interfaces.filter((i) => i !== iface);
      z.interfaces.push(iface);
    }
  }
  if (!zones.has(defaultZone)) notes.push(`firewalld's default zone ${defaultZone} was not found`);
  return { running, version, backend, defaultZone, zones, policies, services, notes };
}

/** Is firewalld's configuration present under root (installed)? */
export function firewalldInstalled(root: string): boolean {
  return existsSync(join(root, 'etc/firewalld')) || existsSync(join(root, 'usr/lib/firewalld/zones'));
}
