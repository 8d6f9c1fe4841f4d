// Waiting for what a test expects (a line, a file, an address, a process's end) instead of sleeping a
// fixed time: as fast as the machine allows, and a generous bound that fails the test when it never comes.
import assert from 'node:assert/strict';

/** Resolves with the first truthy value `probe` returns (polled every `everyMs`); fails the test, naming
 *  `what`, when none came within `ms`. */
export async function waitUntil<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 10_000, everyMs = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > end) return assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
