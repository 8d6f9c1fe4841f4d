// No master (docs/analysis.md §5): the master fell silent without resigning, nobody advertises, and the
// silence outlasted the silence limit (timing.ts): a no-master period opens, starting at the master's
// last advert. It closes at the first advert with priority > 0 (master-back), where the returning
// source's IP ID tells a sender that stalled from adverts lost on the way; or, open when the input
// ends, at the last packet's time. A capture that ends, or a master that resigned, is not an outage.
//
// Invariant: at most one open period (RouterState.noMaster); while it is open the router has no master
// (master null, lastMaster the silent one) until an advert closes it.
import type { NoMasterPeriod } from './model.js';
import type { FindingsBook } from './findings-book.js';
import type { RouterState } from './router-state.js';
import type { SourceState } from './source-state.js';
import { bestBackupDownInterval, silenceLimit } from './timing.js';
import { MAX_PERIODS } from './limits.js';
import { fmt } from './evidence-text.js';
import { ipIdStep } from './ip-id-step.js';

export class NoMasterWatch {
  constructor(private readonly book: FindingsBook) {}

  /** Master `m` is silent (not resigned) and nobody advertises: at `t`, has the silence outlasted the limit? */
  judgeSilence(r: RouterState, m: SourceState, t: number): void {
    const limit = silenceLimit(r, m);
    if (t - m.lastSeen <= limit) return;
    const nm: NoMasterPeriod = { start: m.lastSeen, end: null, duration: t - m.lastSeen, lastMaster: m.ip };
    r.noMaster = nm;
    if (r.noMasters.length >= MAX_PERIODS) r.noMasters.shift();
    r.noMasters.push(nm);
    r.totals.noMasters++;
    r.master = null;
    r.lastMaster = m;
    // the event says who is gone: master none, previousMaster the silent one
    const e = this.book.event(r, t, 'no-master', 'critical', t - m.lastSeen, bestBackupDownInterval(r, m),
      `no master: nothing advertised for ${fmt(t - m.lastSeen)} s since ${m.ip}'s last advert (limit ${fmt(limit)} s)`);
    e.previousMaster = m.ip;
    this.book.push(e);
    const fi = this.book.routerFinding(r, 'no-master', 'critical', t, m, null,
      `no master for VRID ${r.vrid}: adverts stopped for longer than the master-down interval`);
    fi.finding.count = r.noMasters.length;
  }

  /** `m` advertises again at `t` (priority > 0) and ends the no-master period; `prevLast` / `prevIpId`: the
   *  time and IP ID of its advert before (-1 when unknown or not `m`'s advert). The caller, the election,
   *  makes `m` the master. */
  masterBack(r: RouterState, t: number, m: SourceState, prevLast: number, prevIpId: number): void {
    const nm = r.noMaster!;
    nm.end = t;
    nm.duration = t - nm.start;
    r.totals.noMasterClosedSeconds += nm.duration;
    r.noMaster = null;
    let extra = '';
    if (prevLast >= 0 && prevIpId >= 0 && m.ipId >= 0) {
      const step = ipIdStep(prevIpId, m.ipId);
      extra = step.kind === 'stall' ? `; ${m.ip}'s IP ID went on from ${prevIpId} to ${m.ipId}: the sender stalled (no adverts were sent)`
        : step.kind === 'lost' ? `; ${m.ip}'s IP ID jumped from ${prevIpId} to ${m.ipId}: ${step.lost} adverts were sent but not seen (lost on the way)`
        : step.kind === 'restart' ? `; ${m.ip}'s IP ID restarted (${prevIpId} -> ${m.ipId}): keepalived (or the node) was restarted during the silence`
        : `; ${m.ip}'s IP ID is ${m.ipId} again, which tells nothing of the silence (a sender that keeps one IP ID)`;
      const fi = r.findings.get('no-master');
      if (fi !== undefined) {
        fi.finding.evidence.push(extra.slice(2));
        if (step.kind === 'stall') fi.finding.cause = 'sender-stall';
        else if (step.kind === 'lost') fi.finding.cause = 'network';
      }
    }
    const e = this.book.event(r, t, 'master-back', 'ok', nm.duration, null,
      `${m.ip} advertises again after ${fmt(nm.duration)} s without a master${extra}`);
    e.previousMaster = r.lastMaster?.ip ?? null;
    this.book.push(e);
  }

  /** The input ended at `t` during the no-master period: it is closed there. */
  closeAtEnd(r: RouterState, t: number): void {
    const nm = r.noMaster!;
    r.noMasterAtEnd = true;
    nm.end = t;
    nm.duration = t - nm.start;
    r.totals.noMasterClosedSeconds += nm.duration;
    r.noMaster = null;
  }
}
