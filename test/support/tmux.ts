// Driving a tmux server of the test's own (its socket), as a person would: read the pane, wait for text,
// press keys. Used by the dashboard tests.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

export interface TmuxServer {
  /** Runs a tmux command on this server; returns its stdout. */
  tmux(...args: string[]): string;
  /** The visible text of a session's pane. */
  screen(session: string): string;
  keys(session: string, ...k: string[]): void;
  /** The screen once it matches `re` (fails the test after `ms`). */
  waitFor(session: string, re: RegExp, ms?: number): Promise<string>;
  /** The screen once it no longer matches `re`. */
  waitGone(session: string, re: RegExp, ms?: number): Promise<string>;
  /** The screen once `want` holds for it; `what` names the awaited screen in the failure. */
  waitUntil(session: string, want: (text: string) => boolean, what: string, ms?: number): Promise<string>;
}

export function tmuxServer(socket: string, defaultWaitMs: number): TmuxServer {
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  const screen = (s: string): string => tmux('capture-pane', '-p', '-t', s);
  const until = async (s: string, want: (text: string) => boolean, ms: number, what: string): Promise<string> => {
    const end = Date.now() + ms;
    let last = '';
    while (Date.now() < end) {
      last = screen(s);
      if (want(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    return assert.fail(`timed out waiting for ${what} in:\n${last}`);
  };
  return {
    tmux,
    screen,
    keys: (s, ...k) => { tmux('send-keys', '-t', s, ...k); },
    waitFor: (s, re, ms = defaultWaitMs) => until(s, (x) => re.test(x), ms, String(re)),
    waitGone: (s, re, ms = defaultWaitMs) => until(s, (x) => !re.test(x), ms, `${re} to go`),
    waitUntil: (s, want, what, ms = defaultWaitMs) => until(s, want, ms, what),
  };
}
