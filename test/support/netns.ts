// Running a command, optionally inside a network namespace the test created, for the live tests.
import { spawnSync } from 'node:child_process';

/** Runs `args` (inside namespace `ns` when given) and returns its stdout; throws with its stderr on failure. */
export function sh(args: string[], ns?: string): string {
  const full = ns !== undefined ? ['ip', 'netns', 'exec', ns, ...args] : args;
  const r = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${full.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}
