// How a finding is said, in the alerts pane and the fixes view alike: its order (critical first,
// newest first), its severity word, its cause as one sentence, its remedies and their titles.
// Invariant: a remedy function that throws yields no fix, never a broken screen.
import type { Cause, Finding, Snapshot } from '../analyze/model.js';
import { maskSecret } from '../report/sanitize.js';
import type { MaskedText } from './masked-text.js';
import type { Fix } from './types.js';
import type { ViewOptions } from './view-types.js';

/** One sentence for a cause, from the finding's fix context. */
export function causeSentence(f: Finding, tx: MaskedText): string {
  const c = f.fixContext;
  const deaf = c.deafHost === null ? 'one node' : tx.t(c.deafHost);
  const peers = c.peers.length === 0 ? 'its peer' : c.peers.map((p) => tx.t(p)).join(', ');
  const values = c.configKey !== undefined && c.values !== undefined
    ? ` (${tx.t(c.configKey)}: ${Object.entries(c.values).map(([h, v]) => `${tx.t(h)}=${c.configKey === 'auth_pass' ? (maskSecret(v, false) ?? '') : tx.t(v)}`).join(', ')})`
    : '';
  const byCause: Record<Cause, string> = {
    'firewall-drop': `${deaf} does not receive VRRP from ${peers}: a firewall there drops incoming protocol 112 (or the network does not deliver it there).`,
    'firewall-reject': `${deaf} rejects VRRP from ${peers} (ICMP administratively prohibited seen): a firewall there refuses protocol 112.`,
    'firewall-stateful': `${deaf} has a stateful firewall with no VRRP rule: unicast adverts from ${peers} get in only as replies to its own, so it takes over briefly at every keepalived start.`,
    'network': `Adverts from ${peers} never reach ${deaf}'s wire: something between them (switch, VLAN, trunk, multicast filtering) drops VRRP.`,
    'network-loss': `Part of the adverts from ${peers} are lost on the way to ${deaf}: a long enough run of losses makes it take over.`,
    'host-drop': `Adverts from ${peers} reach ${deaf}'s wire, but ${deaf} drops them (firewall, rp_filter, wrong interface or socket).`,
    'auth-mismatch': `The nodes disagree on authentication, so each drops the other's adverts${values}.`,
    'interval-mismatch': `The nodes advertise different intervals, and keepalived drops adverts with another interval${values}.`,
    'version-mismatch': `The nodes speak different VRRP versions${values}.`,
    'ttl': `Adverts arrive with a TTL/hop limit below 255 (routed or rewritten), and receivers drop them.`,
    'checksum-variant': `The nodes compute the VRRPv3 checksum differently; a peer that checks it the other way drops these adverts${values}.`,
    'vip-mismatch': `The nodes advertise different virtual addresses${values}.`,
    'length-mismatch': `The nodes send adverts of different lengths (auth_hmac on one side only?): a node that expects another length drops them.`,
    'unicast-multicast-mix': `One node sends unicast and another multicast: neither listens where the other sends.`,
    'unicast-peer': `A unicast_peer list is missing or wrong, so adverts do not go to ${peers}${values}.`,
    'sender-stall': `The master stopped sending for a while and then resumed: look at load or keepalived on it.`,
    'unknown': `The cause is not visible in this capture.`,
  };
  return f.cause === null ? (values === '' ? '' : `Values seen${values}.`) : byCause[f.cause];
}

const SEVERITY_ORDER = { critical: 0, warning: 1, ok: 2 } as const;

/** Findings as the alerts pane and the fixes view list them: critical first, newest first. */
export function sortedFindings(snap: Snapshot): Finding[] {
  return snap.findings.slice().sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.lastSeen - a.lastSeen);
}

/** The word an alert starts with. */
export function severityWord(f: Finding): 'CRIT' | 'WARN' | 'INFO' {
  return f.severity === 'critical' ? 'CRIT' : f.severity === 'warning' ? 'WARN' : 'INFO';
}

/** The remedies of a finding; a remedy function that throws must not take the screen down. */
export function fixesOf(f: Finding, o: ViewOptions): Fix[] {
  try { return o.fixes(f, o.iface === undefined ? undefined : { iface: o.iface }); }
  catch { return []; }
}

/** "firewalld: accept VRRP ... on B": remedy titles usually name the tool and host already. */
export function fixTitle(fx: Fix, tx: MaskedText): string {
  const title = tx.t(fx.title);
  const tool = title.toLowerCase().startsWith(fx.tool) ? '' : `${fx.tool}: `;
  const host = fx.host === null || title.includes(fx.host) ? '' : ` (on ${tx.t(fx.host)})`;
  return `${tool}${title}${host}`;
}
