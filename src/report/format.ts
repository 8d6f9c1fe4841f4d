// Small formatting helpers shared by the text report, the check line and the per-advert lines.
import type { Family, Router, Severity } from '../analyze/model.js';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** Local wall-clock time of a packet timestamp, with microseconds: "2026-11-28 12:00:01.000123". */
export function localTimestamp(t: number, withDate = true): string {
  // the fraction rounds to whole microseconds; one that rounds up to a whole second carries into it
  let whole = Math.floor(t);
  let micros = Math.round((t - whole) * 1e6);
  if (micros === 1e6) { whole += 1; micros = 0; }
  const d = new Date(whole * 1000);
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(micros).padStart(6, '0')}`;
  if (!withDate) return time;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${time}`;
}

/** "3.690 s", "0.2 ms", "2 min 05 s", "1 h 02 min". */
export function duration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  if (s < 0.001) return `${(s * 1000).toFixed(3)} ms`;
  if (s < 1) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 120) return `${s.toFixed(3)} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min ${pad2(Math.floor(s % 60))} s`;
  return `${Math.floor(s / 3600)} h ${pad2(Math.floor((s % 3600) / 60))} min`;
}

/** An advertised interval in the unit of its version: "1 s" (v2) or "100 cs" (v3). */
export function interval(raw: number, unit: 's' | 'cs'): string {
  return `${raw} ${unit}`;
}

export function familyName(f: Family | null): string {
  return f === 6 ? 'IPv6' : 'IPv4';
}

/** "VRID 99" / "VRID 99 (IPv6)" / "VRID 99 vlan 10": the name an operator recognises. */
export function routerName(r: Pick<Router, 'vrid' | 'family' | 'vlan' | 'vlanOuter'>): string {
  let s = `VRID ${r.vrid}`;
  if (r.family === 6) s += ' (IPv6)';
  if (r.vlan !== null) s += r.vlanOuter !== undefined ? ` vlan ${r.vlanOuter}.${r.vlan}` : ` vlan ${r.vlan}`;
  return s;
}

export const SEVERITY_RANK: Record<Severity, number> = { ok: 0, warning: 1, critical: 2 };

export function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** ANSI colour, only when asked (TTY and no NO_COLOR: decided by the caller once). */
export function paint(on: boolean, code: 'red' | 'yellow' | 'green' | 'bold' | 'dim', text: string): string {
  if (!on) return text;
  const c = { red: 31, yellow: 33, green: 32, bold: 1, dim: 2 }[code];
  return `\u001b[${c}m${text}\u001b[0m`;
}
