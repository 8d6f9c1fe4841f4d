// What one hook run receives: the hook event name for the analyzer's event, the JSON payload written
// to its stdin and the VRRPWATCH_* variables added to its environment (docs/notify.md, "Payload" and
// "Environment"), and the remedies as text for VRRPWATCH_FIX. Pure functions, no process handling.
// Invariants: environment values never hold NUL or control characters (a newline only in the fix
// text); a coalesced summary carries its counts, the latest event and the highest severity folded in.
import type { AnalysisEvent, EventType, Finding } from '../analyze/model.js';
import type { CoalescedEvents, FixLike, HookEventName, HookPayload } from './hook-types.js';

/** Maps the analyzer's event type to the hook event name (docs/notify.md, "Event names"). */
export function hookEventName(t: EventType): HookEventName {
  switch (t) {
    case 'graceful-handover':
    case 'preemption':
      return 'failover'; // the master changed; VRRPWATCH_KIND tells how
    default:
      return t;
  }
}

/** The payload and the environment of one run; `summary` for a coalesced run. */
export function hookInput(event: AnalysisEvent, name: HookEventName, finding: Finding | null, fix: string | null,
                          baseEnv: NodeJS.ProcessEnv, summary: CoalescedEvents | null): { payload: HookPayload; env: NodeJS.ProcessEnv } {
  const payload: HookPayload = {
    ...event,
    version: 1,
    event: name,
    time: isoTime(event.t),
    fix,
    finding,
  };
  const env: NodeJS.ProcessEnv = { ...baseEnv, ...hookEnv(event, name, fix) };
  if (summary) {
    const p = summary;
    const lastEvent = hookEventName(p.latest.type);
    payload.coalesced = { count: p.count, byEvent: p.byEvent, first: p.first, last: p.latest.t, lastEvent };
    payload.severity = p.severity;
    const counts = Object.entries(p.byEvent).map(([k, v]) => `${k}=${v}`).join(' ');
    payload.message = `${p.count} events coalesced for ${event.routerKey} (${counts}); latest: ${event.message}`;
    env.VRRPWATCH_SEVERITY = p.severity;
    env.VRRPWATCH_MESSAGE = clean(payload.message);
    env.VRRPWATCH_COALESCED = String(p.count);
    env.VRRPWATCH_COALESCED_EVENTS = counts;
    env.VRRPWATCH_LAST_EVENT = lastEvent;
  }
  return { payload, env };
}

/** Remedies as VRRPWATCH_FIX shows them: per fix a '# title (on host)' line, then its commands. */
export function fixesAsText(fixes: FixLike[]): string | null {
  if (fixes.length === 0) return null;
  return fixes.map((x) => `# ${x.title}${x.host && !x.title.includes(x.host) ? ` (on ${x.host})` : ''}\n${x.commands.join('\n')}`).join('\n\n');
}

/** The VRRPWATCH_* variables for one event (docs/notify.md, "Environment"). */
export function hookEnv(e: AnalysisEvent, name: HookEventName, fix: string | null): Record<string, string> {
  const env: Record<string, string> = {
    VRRPWATCH_EVENT: name,
    VRRPWATCH_KIND: e.type,
    VRRPWATCH_ROUTER: clean(e.routerKey),
    VRRPWATCH_VRID: String(e.vrid),
    VRRPWATCH_FAMILY: e.family === 6 ? 'ipv6' : 'ipv4',
    VRRPWATCH_VLAN: e.vlan === null ? '' : String(e.vlan),
    VRRPWATCH_MASTER: clean(e.master ?? ''),
    VRRPWATCH_PREVIOUS_MASTER: clean(e.previousMaster ?? ''),
    VRRPWATCH_ADVERTISERS: clean(e.advertisers.join(' ')),
    VRRPWATCH_DURATION: e.duration === null ? '' : e.duration.toFixed(3),
    VRRPWATCH_EXPECTED: e.expected === null ? '' : e.expected.toFixed(3),
    VRRPWATCH_SEVERITY: e.severity,
    VRRPWATCH_MESSAGE: clean(e.message),
    VRRPWATCH_FIX: fix === null ? '' : cleanMultiline(fix),
    VRRPWATCH_TIME: isoTime(e.t),
    VRRPWATCH_TIMESTAMP: e.t.toFixed(6),
    VRRPWATCH_FINDING: e.findingCode ?? '',
  };
  if (e.type === 'priority-change') {
    env.VRRPWATCH_IP = clean(e.ip ?? '');
    env.VRRPWATCH_FROM_PRIORITY = e.fromPriority === undefined ? '' : String(e.fromPriority);
    env.VRRPWATCH_TO_PRIORITY = e.toPriority === undefined ? '' : String(e.toPriority);
  }
  return env;
}

function isoTime(t: number): string {
  const d = new Date(t * 1000);
  return Number.isFinite(d.getTime()) ? d.toISOString() : '';
}

// Environment strings may not hold NUL, and a terminal/mail body should not get control characters.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f]/g;
function clean(s: string): string { return s.replace(CONTROL_CHARACTERS, ' '); }
function cleanMultiline(s: string): string { return s.replace(CONTROL_BUT_NEWLINE, ' '); }
