// The vocabulary every part of doctor shares: a finding (what is wrong, where in keepalived.conf,
// the evidence and the fix) and the facts about this host that the cli gathers for the judges.
// Plain data only (JSON-serialisable); severities are the analyzer's ('ok' prints as INFO).
import type { Severity } from '../analyze/model.js';
import type { Fix } from '../remedy/index.js';
import type { Loc } from './conf-lines.js';

export type { Loc };

/** Where a finding comes from: the file alone, keepalived -t, the firewall, the wire, this host. */
export type DoctorArea = 'config' | 'keepalived' | 'firewall' | 'wire' | 'host';

export interface DoctorFinding {
  /** Stable code (docs/doctor.md), e.g. 'auth-pass-truncated'. */
  code: string;
  severity: Severity;
  area: DoctorArea;
  /** The vrrp_instance it concerns, null for the whole configuration. */
  instance: string | null;
  /** One line: what is wrong (or, for 'ok', what was checked and holds). */
  title: string;
  /** The facts behind it, one per line (no secrets). */
  evidence: string[];
  /** The line of keepalived.conf to change (or that says it), when there is one. */
  where: Loc | null;
  /** Paste-ready changes: keepalived.conf lines (tool 'keepalived') or firewall commands. */
  fixes: Fix[];
}

export interface HostAddress { address: string; prefix: number; family: 4 | 6 }

export interface HostInterface {
  name: string;
  /** Administratively up and with carrier (LOWER_UP). */
  up: boolean;
  multicast: boolean;
  addresses: HostAddress[];
}

/** This host as doctor sees it; interfaces null when they cannot be known (--root: another machine). */
export interface HostFacts {
  interfaces: HostInterface[] | null;
  /** Why interfaces is null, for the note. */
  interfacesNote: string | null;
}

/** A keepalived.conf line as a fix: "write this at file:line". */
export function configFix(title: string, lines: string[]): Fix {
  return { tool: 'keepalived', host: null, title, commands: lines };
}

/** "file:line" for text. */
export function at(loc: Loc | null): string {
  return loc === null ? '' : `${loc.file}:${loc.line}`;
}
