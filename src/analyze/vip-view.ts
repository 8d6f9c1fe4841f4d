// What the snapshot shows of who holds the virtual addresses (Router.ownership, Snapshot.unlistedVips): per
// address every MAC that claimed it (kinds, first/last time, the advertiser that sends from it), the MAC the
// neighbours were last told, whether that is stale, and the active probe's rounds. Built on demand from
// vip-ownership.ts (once per UI tick or at the end), never per frame; everything returned is a copy.
import type { ClaimKindName, ProbeRound, VipClaimer, VipOwnershipView, VipView } from './model.js';
import type { Round } from './vip-probes.js';
import type { RouterState } from './router-state.js';
import { macText } from '../decode/text.js';
import { CLAIM_KIND_NAMES, isVirtualMac, sourceOfMac, type MacClaim, type VipOwnership, type VipState } from './vip-ownership.js';
import { notJudgedText } from './vip-evidence.js';

function claimerView(r: RouterState | null, c: MacClaim): VipClaimer {
  const claims: Partial<Record<ClaimKindName, number>> = {};
  for (let k = 0; k < CLAIM_KIND_NAMES.length; k++) if (c.counts[k] > 0) claims[CLAIM_KIND_NAMES[k]] = c.counts[k];
  const s = r !== null ? sourceOfMac(r, c.macHi, c.macLo) : null;
  return {
    mac: macText(c.macHi, c.macLo), advertiser: s?.ip ?? null, virtualMac: r !== null && isVirtualMac(r, c.macHi, c.macLo),
    claims, first: c.first, last: c.last,
  };
}

function roundView(k: Round): ProbeRound {
  return { t: k.t, macs: k.macs.map((m) => macText(m[0], m[1])), answers: k.answers };
}

/** One address as the outputs see it. */
export function vipView(r: RouterState | null, v: VipState): VipView {
  const told = v.told;
  const p = v.probe;
  return {
    address: v.text,
    claimers: v.macs.filter((c) => c.total > 0).map((c) => claimerView(r, c)),
    claimersLeftOut: v.macsReplaced,
    lastTold: told === null ? null : {
      mac: macText(told.macHi, told.macLo), advertiser: r !== null ? sourceOfMac(r, told.macHi, told.macLo)?.ip ?? null : null,
      t: v.toldAt, kind: CLAIM_KIND_NAMES[v.toldKind],
    },
    stale: v.stale !== null,
    probe: p === null ? null : {
      sent: p.sent, answers: p.answers, roundsWithTwoOrMore: p.roundsWithTwoOrMore,
      rounds: p.rounds.map(roundView),
      counting: p.open !== null ? roundView(p.open) : null,
    },
  };
}

/** Router `r`'s addresses and whether this capture can tell who holds them. */
export function ownershipView(r: RouterState, vips: VipOwnership): VipOwnershipView {
  const judged = vips.judged(r.family);
  return { judged, note: judged ? null : notJudgedText(r.family), vips: vips.forRouter(r).map((v) => vipView(r, v)) };
}

/** Addresses named by --vip that no advert lists. */
export function unlistedView(vips: VipOwnership): VipView[] {
  return vips.tracked.filter((v) => v.router === null).map((v) => vipView(null, v));
}
