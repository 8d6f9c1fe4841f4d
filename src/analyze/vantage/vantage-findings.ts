// The finding several vantage points add: 'advert-loss' (warning) — a source's adverts do not all reach
// another node's wire, told with the loss rate and its runs. Not a separate story: when a split brain or a
// brief dual master of the router already names that direction as its cause (network, network-loss,
// host-drop), that finding tells it and no advert-loss finding is added. Deliveries to a capture whose node cannot be told
// (or an observer) stay in the vantage-point section. Pure: it adds to a snapshot and raises its verdict.
import type { Finding, Severity, Snapshot } from '../model.js';
import { utcClock, fmt, vrrpGroup } from '../evidence-text.js';
import type { VantageReport } from './model.js';

/** Loss below this share (percent) of a direction's adverts, in runs of one advert, is not a finding. */
const LOSS_FINDING_PERCENT = 1;

const RANK: Record<Severity, number> = { ok: 0, warning: 1, critical: 2 };

export function addLossFindings(s: Snapshot, v: VantageReport): Snapshot {
  for (const src of v.sources) {
    for (const d of src.deliveries) {
      if (d.lost === 0 || d.lossPercent === null) continue;
      if (d.lossPercent < LOSS_FINDING_PERCENT && (d.longest?.adverts ?? 0) < 2) continue;
      const family = src.router.startsWith('v6') ? 6 : 4;
      const vrid = Number(src.router.slice(src.router.indexOf('/') + 1));
      const router = s.routers.find((r) => r.family === family && r.vrid === vrid) ?? null;
      const told = s.findings.some((f) => (f.code === 'split-brain' || f.code === 'brief-dual-master') && f.vrid === vrid && f.family === family &&
        (f.cause === 'network' || f.cause === 'network-loss' || f.cause === 'host-drop') && f.fixContext.deafHost === d.toSource && f.fixContext.peers.includes(src.source));
      if (told) continue;
      const where = d.toSource !== null ? `${d.toSource}'s wire (${d.to})` : d.to;
      const ev = [`${d.arrived} of ${d.expected} adverts ${src.source} sent while ${d.to} ran reached ${where}: ${fmt(d.lossPercent, 1)} % lost` +
        (src.wire !== null ? ` (all ${src.sent} were seen on ${src.source}'s own wire, ${src.wire})` : '')];
      if (d.longest !== null) ev.push(`${d.spellCount} run${d.spellCount === 1 ? '' : 's'} of lost adverts; the longest: ${d.longest.adverts} in a row from ${utcClock(d.longest.from)} to ${utcClock(d.longest.to)}`);
      const [one, two, three, more] = d.spellLengths;
      ev.push(`runs of 1, 2, 3 and 4 or more adverts: ${one}, ${two}, ${three}, ${more} (a backup takes over after about 3 intervals without an advert)`);
      if (d.dualExpected > 0) ev.push(`while another source advertised too: ${d.dualArrived} of ${d.dualExpected} arrived`);
      const f: Finding = {
        code: 'advert-loss', severity: 'warning', routerKey: router?.key ?? null, vrid, family,
        title: `${fmt(d.lossPercent, 1)} % of ${src.source}'s adverts are lost on the way to ${d.toSource ?? `the capture ${d.to}`}`,
        evidence: ev, cause: 'network-loss',
        fixContext: { deafHost: d.toSource, peers: [src.source], multicast: src.destination === vrrpGroup(family) ? src.destination : null, family },
        firstSeen: d.spells.length > 0 ? d.spells[0].from : 0, lastSeen: d.longest?.to ?? 0, count: d.spellCount,
      };
      s.findings.push(f);
      if (RANK[s.verdict] < RANK.warning) s.verdict = 'warning';
    }
  }
  return s;
}
