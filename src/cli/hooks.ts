// --notify: the hook runner with the remedies injected (so a hook gets VRRPWATCH_FIX).
import { fixesFor } from '../remedy/index.js';
import { startHooks as start, type Hooks } from '../notify/cli.js';

export type { Hooks };

export function startHooks(commands: string[], timeoutSeconds: number, log: (line: string) => void, json = false): Promise<Hooks> {
  return start(commands, timeoutSeconds, log, { fixesFor: (f) => fixesFor(f), json });
}
