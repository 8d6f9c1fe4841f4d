// --notify: the hook runner with the remedies injected (so a hook gets VRRPWATCH_FIX).
import { fixesFor } from '../remedy/index.js';
import { startHooks as start, type Hooks } from '../notify/cli.js';

export type { Hooks };

// The hooks this process started and has not closed: the dashboard redirects their log lines while it
// owns the terminal (setHooksLogger), without the capture code having to hand them over.
const open = new Set<Hooks>();

export async function startHooks(commands: string[], timeoutSeconds: number, log: (line: string) => void, json = false): Promise<Hooks> {
  const h = await start(commands, timeoutSeconds, log, { fixesFor: (f) => fixesFor(f), json });
  open.add(h);
  const close = h.close.bind(h);
  h.close = async (timeoutMs?: number) => { try { return await close(timeoutMs); } finally { open.delete(h); } };
  return h;
}

/** Sends the log lines of every open hook runner to `log`; null: back to where each was started with. */
export function setHooksLogger(log: ((line: string) => void) | null): void {
  for (const h of open) h.setLogger(log);
}
