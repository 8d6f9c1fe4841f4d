// The "Vantage points" section of the text report when several captures were read together (-r a -r b):
// each capture (name, file, span, clock offset against the first, adverts, whose wire it is), then per
// source and capture how many of its adverts arrived and were lost, and when (docs/report.md).
import type { Delivery, SourceWires, VantagePoint, VantageReport } from '../analyze/vantage/model.js';
import { localTimestamp, duration, paint } from './format.js';
import { sanitize } from './sanitize.js';

function offsetText(p: VantagePoint): string {
  if (p.offsetHow === 'reference') return 'clock: the reference';
  if (p.offsetHow === 'assumed') return `clock: its own (no advert in common with ${p.offsetAgainst})`;
  // the offset is added to this capture's times: negative when its clock is ahead
  const way = p.offset <= 0 ? 'ahead of' : 'behind';
  return `clock ${Math.abs(p.offset).toFixed(6)} s ${way} ${p.offsetAgainst}'s (${p.offsetPairs} adverts both saw, 90 % within ±${duration(p.offsetSpread)})`;
}

function pointLine(p: VantagePoint): string {
  const span = p.first === null || p.last === null ? 'no frames' : `${localTimestamp(p.first, false)} → ${localTimestamp(p.last, false)} (${duration(p.last - p.first)})`;
  const owns = p.owns.length > 0 ? `wire of ${p.owns.join(', ')}` : 'no source\'s own wire';
  return `  ${sanitize(p.name)}  ${sanitize(p.file)}  ${span}  ${offsetText(p)}  ${p.adverts} adverts  ${owns}` +
    (p.problem !== null ? `  (${p.problem.kind}: read up to byte ${p.problem.offset})` : '');
}

function deliveryLine(d: Delivery, color: boolean): string {
  const who = `→ ${sanitize(d.to)}${d.toSource !== null ? ` (${d.toSource})` : ''}`;
  if (d.expected === 0) return `    ${who}  nothing expected (it did not run while these adverts were sent)`;
  if (d.lost === 0) return `    ${who}  arrived ${d.arrived} of ${d.expected}`;
  const pct = paint(color, d.lost === d.expected ? 'red' : 'yellow', `${d.lossPercent} %`);
  const runs = d.spellCount === 1 ? '1 run' : `${d.spellCount} runs`;
  const longest = d.longest === null ? '' : `, longest ${d.longest.adverts} in a row ${localTimestamp(d.longest.from, false)} → ${localTimestamp(d.longest.to, false)}`;
  return `    ${who}  arrived ${d.arrived} of ${d.expected}, lost ${d.lost} (${pct}): ${runs}${longest}`;
}

function spellLines(d: Delivery): string[] {
  if (d.spellCount <= 1) return [];
  const [a, b, c, e] = d.spellLengths;
  const out = [`      runs of 1, 2, 3, 4+ adverts: ${a}, ${b}, ${c}, ${e}`];
  const shown = d.spells.filter((s) => s.adverts > 1).slice(0, 5);
  if (shown.length > 0) out.push(`      ${shown.map((s) => `${localTimestamp(s.from, false)} (${s.adverts})`).join(', ')}${d.spellCount > shown.length ? ', …' : ''}`);
  return out;
}

function sourceLines(s: SourceWires, color: boolean): string[] {
  const vrid = s.router.slice(s.router.indexOf('/') + 1);
  const wire = s.wire !== null ? `its wire: ${sanitize(s.wire)} (${sanitize(s.wireNote)})` : `its wire: ${sanitize(s.wireNote)}`;
  const out = [`  ${s.source} (VRID ${vrid}${s.router.startsWith('v6') ? ' IPv6' : ''}, to ${s.destination}): ${s.sent} adverts; ${wire}`];
  for (const d of s.deliveries) {
    out.push(deliveryLine(d, color));
    out.push(...spellLines(d));
  }
  return out;
}

export function vantageSection(v: VantageReport, color: boolean): string[] {
  const out = [paint(color, 'bold', 'Vantage points') + ` (${v.points.length} captures read together)`];
  for (const p of v.points) out.push(pointLine(p));
  for (const s of v.sources) out.push(...sourceLines(s, color));
  if (v.sourcesLeftOut > 0) out.push(`  and ${v.sourcesLeftOut} more flows (${v.advertsLeftOut} adverts), not matched`);
  for (const n of v.notes) out.push(`  note: ${sanitize(n)}`);
  return out;
}
