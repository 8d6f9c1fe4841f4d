// The firewall half's questions and what its answers mean here (DOCTOR-CONTRACT.md): the VRRP paths
// each vrrp_instance needs open ('in' from every unicast_peer or the multicast group, plus every source
// the wire showed; 'out' to every peer or the group), and the verdicts turned into findings: a path
// that is not accepted 'in' means "a split brain will follow the first time the peer is master", 'out'
// means "this node's adverts cannot leave: the peer will take over"; 'unknown' is a WARNING saying
// what could not be judged. A dropped 'in' path whose peer the wire shows arriving is certain.
import type { Advertiser } from '../analyze/model.js';
import { effective } from './conf-effective.js';
import type { KeepalivedConfig } from './conf-model.js';
import type { FirewallReport, PathVerdict, VrrpPath } from './firewall/index.js';
import type { DoctorFinding, HostFacts } from './types.js';

/** This node's address on an instance's path: unicast_src_ip, else the interface's first address of the family. */
function localAddress(unicastSrc: string | null, iface: string | null, family: 4 | 6, host: HostFacts): string | null {
  if (unicastSrc !== null) return unicastSrc;
  const ifc = host.interfaces?.find((i) => i.name === iface);
  const addrs = ifc?.addresses.filter((a) => a.family === family) ?? [];
  // IPv6 adverts leave from the link-local address
  return (family === 6 ? addrs.find((a) => a.address.startsWith('fe80:')) : undefined)?.address ?? addrs[0]?.address ?? null;
}

export function vrrpPaths(cfg: KeepalivedConfig, host: HostFacts, peersSeen: Map<string, Advertiser[]>): VrrpPath[] {
  const paths: VrrpPath[] = [];
  for (const inst of cfg.instances) {
    if (inst.vrid === null) continue;
    const eff = effective(inst, cfg);
    const iface = inst.iface?.value ?? '';
    const local = localAddress(inst.unicastSrcIp?.value ?? null, inst.iface?.value ?? null, eff.family, host);
    const base = { family: eff.family, iface, local, instance: inst.name };
    if (eff.unicast) {
      for (const p of inst.unicastPeers) {
        paths.push({ ...base, direction: 'in', peer: p.value, group: null });
        paths.push({ ...base, direction: 'out', peer: p.value, group: null });
      }
    } else {
      paths.push({ ...base, direction: 'in', peer: null, group: eff.group });
      paths.push({ ...base, direction: 'out', peer: null, group: eff.group });
    }
    const listed = new Set(inst.unicastPeers.map((p) => p.value));
    for (const a of peersSeen.get(inst.name) ?? []) {
      if (listed.has(a.ip) || a.ip.includes(':') !== (eff.family === 6)) continue;
      paths.push({ ...base, direction: 'in', peer: a.ip, group: a.destination === 'unicast' ? null : eff.group });
    }
  }
  return paths;
}

function pathName(p: VrrpPath): string {
  const from = p.peer ?? `any source to ${p.group}`;
  return p.direction === 'in' ? `VRRP from ${from} in on ${p.iface || 'any interface'}` : `VRRP to ${p.peer ?? p.group} out of ${p.iface || 'any interface'}`;
}

/** Findings for the verdicts; adverts the wire saw arriving make a dropped 'in' path certain. */
export function firewallFindings(report: FirewallReport, peersSeen: Map<string, Advertiser[]>, wireListened: boolean): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  // one finding per instance, direction, verdict and deciding rule (the multicast path and the wire's sources often share it)
  const groups = new Map<string, PathVerdict[]>();
  for (const v of report.verdicts) {
    const key = `${v.path.instance}|${v.path.direction}|${v.verdict}|${v.decidedBy}`;
    const g = groups.get(key);
    if (g) g.push(v); else groups.set(key, [v]);
  }
  const accepted: PathVerdict[] = [];
  for (const vs of groups.values()) {
    const v = vs[0]!;
    if (v.verdict === 'accepted') { accepted.push(...vs); continue; }
    const seen = (peersSeen.get(v.path.instance) ?? []).filter((a) => vs.some((x) => x.path.peer === a.ip || (x.path.peer === null && x.path.direction === 'in')));
    const evidence = [`decided by: ${v.decidedBy}`, ...vs.flatMap((x) => x.evidence), ...vs.slice(1).map((x) => `also: ${pathName(x.path)}`)];
    const fixes = vs.flatMap((x) => x.fixes).filter((fx, i, all) => all.findIndex((y) => y.title === fx.title && y.commands.join() === fx.commands.join()) === i)
      .map((fx) => ({ tool: fx.tool, host: null, title: fx.title, commands: fx.commands }));
    if (v.verdict === 'unknown') {
      out.push({ code: 'firewall-unknown', severity: 'warning', area: 'firewall', instance: v.path.instance,
        title: `could not judge ${pathName(v.path)}: ${v.decidedBy}`, evidence: [...new Set(vs.flatMap((x) => x.evidence))], where: null, fixes });
      continue;
    }
    const verb = v.verdict === 'rejected' ? 'rejects' : 'drops';
    if (v.path.direction === 'in') {
      const certain = seen.length > 0;
      if (certain) evidence.unshift(`the wire shows ${seen.map((a) => `${a.ip}'s adverts (${a.adverts})`).join(', ')} arriving on ${v.path.iface} — before the firewall, which ${verb} them: this node does not hear its peer`);
      else if (wireListened) evidence.push('no peer advertised while listening (it is backup, or down): the rule will bite when it is master');
      out.push({ code: 'firewall-blocks-in', severity: 'critical', area: 'firewall', instance: v.path.instance,
        title: `the firewall ${verb} ${pathName(v.path)}: ${certain ? 'this node is deaf to its peer now' : 'a split brain will follow the first time the peer is master'}`,
        evidence, where: null, fixes });
    } else {
      out.push({ code: 'firewall-blocks-out', severity: 'critical', area: 'firewall', instance: v.path.instance,
        title: `the firewall ${verb} ${pathName(v.path)}: this node's adverts cannot leave, the peer will take over (split brain)`, evidence, where: null, fixes });
    }
  }
  if (accepted.length > 0) {
    const byInstance = new Map<string, number>();
    for (const v of accepted) byInstance.set(v.path.instance, (byInstance.get(v.path.instance) ?? 0) + 1);
    for (const [inst, n] of byInstance) {
      out.push({ code: 'firewall-ok', severity: 'ok', area: 'firewall', instance: inst,
        title: `the firewall accepts ${n} VRRP path${n === 1 ? '' : 's'} of ${inst}${report.backends.length ? ` (${report.backends.join(', ')})` : ''}`,
        evidence: accepted.filter((v) => v.path.instance === inst).map((v) => `${pathName(v.path)}: ${v.decidedBy}`), where: null, fixes: [] });
    }
  }
  for (const n of report.notes.slice(0, 20)) {
    out.push({ code: 'firewall-note', severity: 'ok', area: 'firewall', instance: null, title: `firewall: ${n}`, evidence: [], where: null, fixes: [] });
  }
  return out;
}
