// What keepalived actually runs from a vrrp_instance, after its defaults and silent corrections
// (keepalived/vrrp/vrrp.c vrrp_complete_instance(), keepalived.conf(5)): the address family from the
// first address, VRRPv3 for IPv6, authentication dropped in v3 and in strict mode, the first 8 bytes
// of auth_pass, tracking weights zeroed in sync groups. The judges compare these, never the raw text.
import type { Instance, KeepalivedConfig, Tracker } from './conf-model.js';

export interface Effective {
  family: 4 | 6;
  version: 2 | 3;
  strict: boolean;
  /** 0 none, 1 PASS, 2 AH (v2 only). */
  authType: 0 | 1 | 2;
  /** The 8 bytes keepalived sends (latin1, cut at the first NUL), null without PASS. Never printed. */
  authPass: string | null;
  /** Seconds. */
  interval: number;
  priority: number;
  state: 'MASTER' | 'BACKUP';
  nopreempt: boolean;
  unicast: boolean;
  /** The multicast group adverts go to, null for unicast. */
  group: string | null;
}

export const DEFAULT_PRIORITY = 100;

/** Address family keepalived deduces: the first VIP, else unicast_src_ip, else the first peer; IPv4 by default. */
export function familyOf(inst: Instance): 4 | 6 {
  if (inst.vips.length > 0) return inst.vips[0]!.family;
  const src = inst.unicastSrcIp?.value ?? inst.unicastPeers[0]?.value;
  return src !== undefined && src.includes(':') ? 6 : 4;
}

export function passBytes(pass: string): string {
  const b = Buffer.from(pass, 'utf8').subarray(0, 8);
  const nul = b.indexOf(0);
  return (nul >= 0 ? b.subarray(0, nul) : b).toString('latin1');
}

export function effective(inst: Instance, cfg: KeepalivedConfig): Effective {
  const family = familyOf(inst);
  const version: 2 | 3 = family === 6 ? 3 : ((inst.version?.value ?? cfg.global.vrrpVersion?.value ?? 2) === 3 ? 3 : 2);
  const strict = inst.strictMode?.value ?? cfg.global.vrrpStrict?.value ?? false;
  const t = inst.auth?.type?.value;
  let authType: 0 | 1 | 2 = t === 'PASS' ? 1 : t === 'AH' ? 2 : 0;
  if (version === 3 || strict) authType = 0;
  const pass = authType === 1 && inst.auth?.pass ? passBytes(inst.auth.pass.value) : null;
  const unicast = inst.unicastPeers.length > 0;
  return {
    family, version, strict, authType, authPass: pass,
    interval: inst.advertInt?.value ?? 1,
    priority: inst.priority?.value ?? DEFAULT_PRIORITY,
    state: inst.state?.value === 'MASTER' ? 'MASTER' : 'BACKUP',
    nopreempt: inst.nopreempt?.value ?? false,
    unicast,
    group: unicast ? null : inst.mcastDstIp?.value ?? (family === 6 ? 'ff02::12' : '224.0.0.18'),
  };
}

export interface TrackerWeight {
  tracker: Tracker;
  /** The weight keepalived applies (0 = a failure puts the instance in FAULT). */
  weight: number;
  reverse: boolean;
  /** Why the weight is what it is, e.g. "from vrrp_script chk_nginx" / "zeroed: sync group G1". */
  source: string;
  /** The line that sets the weight (the track line, the vrrp_script's weight line, or the vrrp_script). */
  weightLoc: import('./conf-lines.js').Loc;
  /** The tracked vrrp_script does not exist (keepalived ignores the entry). */
  missing: boolean;
}

/** Every tracker of an instance with the weight keepalived uses. */
export function trackerWeights(inst: Instance, cfg: KeepalivedConfig): TrackerWeight[] {
  const group = inst.syncGroup !== null ? cfg.syncGroups.find((g) => g.name === inst.syncGroup) : undefined;
  const zeroed = group !== undefined && !group.trackingWeight;
  const out: TrackerWeight[] = [];
  for (const t of [...inst.trackScripts, ...inst.trackInterfaces]) {
    if (t.kind === 'interface') {
      out.push({ tracker: t, weight: zeroed ? 0 : t.weight ?? 0, reverse: t.reverse, source: zeroed && t.weight ? `zeroed: sync group ${group!.name}` : 'track_interface', weightLoc: t.loc, missing: false });
      continue;
    }
    const s = cfg.scripts.find((x) => x.name === t.name);
    const written = t.weight ?? s?.weight?.value ?? 0;
    out.push({
      tracker: t,
      weight: zeroed ? 0 : written,
      reverse: t.reverse || (t.weight === null && (s?.reverse ?? false)),
      source: zeroed && written !== 0 ? `zeroed by keepalived: sync group ${group!.name}` : t.weight !== null ? 'track_script line' : s?.weight ? `vrrp_script ${t.name}` : 'default 0',
      weightLoc: t.weight !== null ? t.loc : s?.weight?.loc ?? s?.loc ?? t.loc,
      missing: s === undefined,
    });
  }
  return out;
}
