// The weight margin: can a failed track_script / track_interface move this node's priority past the
// other node's? Shared by the file-only judge (--peer-priority N) and the wire judge (the priority a
// peer really advertises). Numbers follow keepalived.conf(5): a negative weight is subtracted while the
// check fails, a positive one added while it succeeds, weight 0 puts the instance in FAULT (it stops
// advertising: failover works), priority 255 is never changed by tracking, an effective priority
// stays within 1..254. 'reverse' trackers are named, not judged.
import type { Severity } from '../analyze/model.js';
import type { Effective, TrackerWeight } from './conf-effective.js';
import { at, configFix, type DoctorFinding } from './types.js';

export interface MarginInput {
  instance: string;
  eff: Effective;
  priorityLoc: import('./conf-lines.js').Loc | null;
  weights: TrackerWeight[];
  /** The other node's priority and how we know it: "the backup's" / "10.0.0.2's (seen on the wire)". */
  other: number;
  otherName: string;
  area: DoctorFinding['area'];
}

const clamp = (p: number): number => Math.max(1, Math.min(254, p));
const signed = (w: number): string => (w > 0 ? `+${w}` : String(w));
const minus = '\u2212';

/** One finding per weighted tracker of an instance that should be master (priority above the other's). */
export function weightMargin(m: MarginInput): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const p = m.eff.priority;
  const judged = m.weights.filter((w) => !w.missing && w.weight !== 0);
  if (judged.length === 0) return out;
  if (p === 255) {
    out.push({
      code: 'owner-ignores-weights', severity: 'warning', area: m.area, instance: m.instance,
      title: `priority 255 (address owner) is never lowered by tracking: a failed ${judged.map((w) => w.tracker.name).join(', ')} will not move the VIP`,
      evidence: judged.map((w) => `track_${w.tracker.kind} ${w.tracker.name} weight ${signed(w.weight)} (${at(w.tracker.loc)})`),
      where: m.priorityLoc,
      fixes: [configFix(`give this node a priority below 255 (at ${at(m.priorityLoc)}), e.g.`, [`priority 254`])],
    });
    return out;
  }
  const healthy = clamp(p + judged.filter((w) => w.weight > 0 && !w.reverse).reduce((s, w) => s + w.weight, 0));
  if (healthy <= m.other) return out; // this node is not the preferred master: nothing of its own moves the VIP
  for (const w of judged) {
    const kind = `track_${w.tracker.kind} ${w.tracker.name} weight ${signed(w.weight)}`;
    if (w.reverse) {
      out.push({
        code: 'weight-reverse', severity: 'ok', area: m.area, instance: m.instance,
        title: `${kind} reverse: not judged (the priority moves when the check succeeds)`,
        evidence: [], where: w.tracker.loc, fixes: [],
      });
      continue;
    }
    const failed = clamp(healthy - Math.abs(w.weight));
    const arithmetic = w.weight < 0
      ? `${healthy} ${minus} ${-w.weight} = ${failed}`
      : `${healthy} while it succeeds, ${failed} when it fails`;
    let severity: Severity;
    let verdict: string;
    if (failed > m.other) {
      severity = 'warning';
      verdict = `stays above ${m.otherName} ${m.other}: a failed check will not move the VIP`;
    } else if (failed === m.other) {
      severity = 'warning';
      verdict = `ties with ${m.otherName} ${m.other}: the node with the higher IP address wins, so failover depends on addressing`;
    } else {
      severity = 'ok';
      verdict = `below ${m.otherName} ${m.other}: failover works`;
    }
    const need = healthy - m.other + 1;
    out.push({
      code: severity === 'ok' ? 'weight-ok' : 'weight-too-small', severity, area: m.area, instance: m.instance,
      title: `${kind}: ${arithmetic} ${verdict}`,
      evidence: [`weight from ${w.source} (${at(w.weightLoc)}); this node's priority ${p}${healthy !== p ? `, ${healthy} with its positive weights` : ''}`],
      where: w.weightLoc,
      fixes: severity === 'ok' ? [] : [configFix(
        `make the failure pull the priority below ${m.other} (at ${at(w.weightLoc)})`,
        [w.weightLoc === w.tracker.loc ? `${w.tracker.name} weight -${need}` : `weight -${need}`],
      )],
    });
  }
  return out;
}

/** This node is the backup and sees the master's advertised priority: the master's own trackers are not
 *  visible, so the margin is given for the case that it tracks the same checks with the same weights as
 *  this node (the usual symmetric configuration), and said so. */
export function mirroredMargin(m: MarginInput & { peerIp: string }): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const own = clamp(m.eff.priority + m.weights.filter((w) => !w.missing && w.weight > 0 && !w.reverse).reduce((s, w) => s + w.weight, 0));
  if (m.eff.priority === 255 || m.other <= own) return out;
  for (const w of m.weights.filter((x) => !x.missing && x.weight !== 0 && !x.reverse)) {
    const failed = clamp(m.other - Math.abs(w.weight));
    const kind = `track_${w.tracker.kind} ${w.tracker.name} weight ${signed(w.weight)}`;
    const severity: Severity = failed >= own ? 'warning' : 'ok';
    const verdict = failed > own ? `stays above this node's ${own}: a failed check there will not move the VIP`
      : failed === own ? `ties with this node's ${own}: the higher IP address wins` : `falls below this node's ${own}: failover works`;
    out.push({
      code: severity === 'ok' ? 'weight-ok' : 'weight-too-small', severity, area: m.area, instance: m.instance,
      title: `if ${m.peerIp} tracks ${w.tracker.name} with weight ${signed(w.weight)} as this node does: ${m.other} ${minus} ${Math.abs(w.weight)} = ${failed} ${verdict}`,
      evidence: [`${m.peerIp} advertises priority ${m.other} (seen on the wire); its own keepalived.conf is not visible from here`],
      where: w.weightLoc,
      fixes: severity === 'ok' ? [] : [{ tool: 'keepalived', host: m.peerIp, title: `on ${m.peerIp} (and here, to keep the nodes alike), make the failure pull the priority below ${own}`,
        commands: [w.weightLoc === w.tracker.loc ? `${w.tracker.name} weight -${m.other - own + 1}` : `weight -${m.other - own + 1}`] }],
    });
  }
  return out;
}
