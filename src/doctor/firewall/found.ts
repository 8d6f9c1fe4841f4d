// What the readers hand to the evaluation: the rulesets in force, what enforces them (for the report),
// what could not be read, and what the fixes need to know about the host. Also the default command
// runner (a timeout, output capped), so readers never spawn processes any other way.
import { spawnSync } from 'node:child_process';
import type { FirewallOptions } from './contract.js';
import type { FixContext } from './fixes.js';
import type { Ruleset } from './model.js';

export interface Found {
  rulesets: Ruleset[];
  backends: string[];
  notes: string[];
  fix: FixContext;
  /** Families the source speaks for (an iptables-save file holds one family's rules only). */
  families: (4 | 6)[];
  /** Why nothing could be read (no tool, no permission): every verdict is then 'unknown'. */
  unreadable: string | null;
}

export type Run = NonNullable<FirewallOptions['run']>;

const TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

/** Runs a command with a timeout; a missing program answers status null. */
export const defaultRun: Run = (argv) => {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error !== undefined) return { status: null, stdout: r.stdout ?? '', stderr: r.error.message };
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** A fix context for a ruleset seen away from its host (a file): plain command names, no persistence file. */
export function plainFixContext(): FixContext {
  return {
    iptablesCommand: (_backend, family) => (family === 4 ? 'iptables' : 'ip6tables'),
    iptablesPersistFile: () => null,
    firewalld: null,
    ufwVersion: null,
  };
}
