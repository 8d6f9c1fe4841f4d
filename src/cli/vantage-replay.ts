// `vrrpwatch -r a -r b [...] --tui [--speed N]`: the captures read together, replayed through the dashboard.
// The keep pass merges them as the report does (src/cli/vantage.ts) and keeps the first copy of every
// VRRP, ARP and ICMP frame on the common clock; the replay's analyzer gets the vantage points' evidence
// (where the adverts arrived, from the whole captures) for the split brain's cause, and the summary after the
// screen is the report with its "Vantage points" section.
import { addLossFindings } from '../analyze/vantage/vantage-findings.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { vantageSection } from '../report/vantage-text.js';
import { useColor, type OfflineOptions } from './common.js';
import { vantageInputs } from './read-args.js';
import { MAX_FRAMES, replayFrames } from './replay.js';
import { keepVantage, vantageProblemLines } from './vantage.js';
import { VERSION } from './version.js';

export async function runVantageReplay(o: OfflineOptions): Promise<number> {
  const inputs = vantageInputs(o.read!);
  const { kept, view, source, problems } = keepVantage(inputs, MAX_FRAMES);
  const vantage = view.report;
  return replayFrames({
    label: source.name, frames: kept, full: kept.length >= MAX_FRAMES, wires: view,
    decorate: (s) => addLossFindings(s, vantage),
    summary: (snap) => (o.json
      ? renderJson(snap, source, { showAuth: o.showAuth, version: VERSION, vantage })
      : renderText(snap, source, { showAuth: o.showAuth, color: useColor(o, 1), vantageSection: vantageSection(vantage, useColor(o, 1)) })),
    problems: vantageProblemLines({ problems }),
  }, o);
}
