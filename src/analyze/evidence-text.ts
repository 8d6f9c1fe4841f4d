// How numbers and times read in evidence lines, titles and event messages. Pure text functions, no wall
// clock and no time zone (UTC only): the analyzer's output depends on the packets alone.

/** A number with at most `digits` decimals, without trailing zeros. */
export function fmt(x: number, digits = 3): string {
  return Number(x.toFixed(digits)).toString();
}

/** Packet time as UTC wall clock "HH:MM:SS.mmm UTC", from t alone (no time zone); `dated`: with the UTC date
 *  first ("2026-11-28 12:00:01.000 UTC"), for input that spans more than a day (SPAN_WITH_DATES). */
export function utcClock(t: number, dated = false): string {
  const msTotal = Math.round(t * 1000);
  const day = ((msTotal % 86400000) + 86400000) % 86400000;
  const h = Math.floor(day / 3600000), m = Math.floor(day / 60000) % 60, s = Math.floor(day / 1000) % 60, f = day % 1000;
  const date = dated ? new Date(msTotal - day).toISOString().slice(0, 10) + ' ' : '';
  return `${date}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}.${f < 10 ? '00' : f < 100 ? '0' : ''}${f} UTC`;
}

/** Input spanning more than this many seconds prints dates with its times. */
export const SPAN_WITH_DATES = 86400;

/** "at T" for one moment, "from T1 to T2" for a range. */
export function rangeText(first: number, last: number, dated = false): string {
  return last - first < 0.0005 ? `at ${utcClock(first, dated)}` : `from ${utcClock(first, dated)} to ${utcClock(last, dated)}`;
}

/** Seconds as milliseconds, two decimals below 10 ms, one above. */
export function ms(x: number): string {
  return x < 0.01 ? fmt(x * 1000, 2) + ' ms' : fmt(x * 1000, 1) + ' ms';
}

/** What a source's advert length says (SourceState.trailerBytes). */
export function trailerText(n: number): string {
  if (n === -8) return 'no authentication data (8 bytes short of a VRRPv2 advert)';
  if (n === 28) return '28 bytes after the VRRP message (the keepalived >= 2.4 auth_hmac trailer)';
  if (n > 0) return `${n} bytes after the VRRP message`;
  return 'the exact VRRP length';
}

/** The VRRP multicast group of an address family, as text. */
export function vrrpGroup(family: number): string {
  return family === 6 ? 'ff02::12' : '224.0.0.18';
}

/** The line after a list kept to its first `kept` entries: how many more of `what` (singular) were counted. */
export function notKeptText(n: number, what: string, kept: number): string {
  return `and ${n} more ${what}${n === 1 ? '' : 's'} after those, not kept (the first ${kept} are)`;
}
