// Runs the dashboard over the demo feed: `node --import tsx src/tui/demo-main.ts [--hold healthy|split|healed] [--speed N]`.
// Used by the tmux test and to look at the dashboard before the capture pipeline is wired.
import { runDashboard } from './dashboard.js';
import { demoFeed, demoFixes, type DemoPhase } from './demo-feed.js';
import type { FixesFn } from './types.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const hold = opt('--hold') as DemoPhase | undefined;
const speed = opt('--speed');

// The real remedies when they are in the tree, the demo's stand-in otherwise.
let fixes: FixesFn = demoFixes;
try {
  const spec = '../remedy/index.js';
  const m = (await import(spec)) as { fixesFor?: FixesFn };
  if (typeof m.fixesFor === 'function') fixes = m.fixesFor;
} catch { /* not merged yet */ }

const feed = demoFeed({ ...(hold === undefined ? {} : { hold }), ...(speed === undefined ? {} : { speed: Number(speed) }) });
await runDashboard(feed, { showAuth: args.includes('--show-auth'), fixes, iface: 'demo0' });
const s = feed.snapshot();
process.stdout.write(`vrrpwatch demo: verdict ${s.verdict}, ${s.routers.length} virtual routers, ${s.findings.length} findings\n`);
