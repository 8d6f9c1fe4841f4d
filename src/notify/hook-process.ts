// One hook run as a process: `/bin/sh -c COMMAND` in its own process group (detached), the payload
// written to its stdin, stdout ignored, stderr kept up to a bound for the log line. Knows nothing of
// events, rate limits, the queue or the counters: it reports how the run ended, once.
// Invariants: at the timeout the whole group gets SIGTERM, then SIGKILL after a grace; a run that
// ended by a timeout (or was killed at exit) leaves nothing of its group behind; onExit is called
// exactly once per process started, even when the exit comes before the last stderr bytes or a
// background grandchild (`mail &`) holds stderr open.
import { spawn, type ChildProcess } from 'node:child_process';

/** How one run ended. */
export interface HookExit {
  code: number | null;
  signal: string | null;
  /** The process could not run (spawn error after start). */
  error: Error | null;
  /** Killed at its timeout, or by killAtExit(). */
  timedOut: boolean;
  /** Wall-clock ms from start to the end. */
  ms: number;
  /** Its stderr, trimmed, at most maxStderr characters; null when empty. */
  stderr: string | null;
}

export interface HookProcessOptions {
  shell: string;
  timeoutMs: number;
  killGraceMs: number;
  maxStderr: number;
  now: () => number;
  /** The timeout fired: called before the group is sent SIGTERM. */
  onTimeout: () => void;
  onExit: (exit: HookExit, run: HookProcess) => void;
}

export class HookProcess {
  private readonly child: ChildProcess;
  private killedAtExit = false;

  /** Starts the run; throws (nothing started) when the process cannot be spawned. */
  constructor(command: string, env: NodeJS.ProcessEnv, stdin: string, o: HookProcessOptions) {
    const child = spawn(o.shell, ['-c', command], {
      env, detached: true, stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true,
    });
    this.child = child;
    const started = o.now();
    let stderr = '';
    let timedOut = false;
    let finished = false;
    let killTimer: NodeJS.Timeout | null = null;
    const timer = setTimeout(() => {
      timedOut = true;
      o.onTimeout();
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), o.killGraceMs);
    }, o.timeoutMs);
    const finish = (code: number | null, signal: string | null, error: Error | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      // The shell may be gone while its children still hold the group: make sure nothing stays.
      if (this.killedAtExit) timedOut = true;
      if (timedOut) killGroup(child, 'SIGKILL');
      o.onExit({ code, signal, error, timedOut, ms: o.now() - started, stderr: stderr.trim() || null }, this);
    };
    // 'exit' can come before the last stderr bytes are read: wait for the pipe's end, but not for
    // long, since a background grandchild (`mail &`) may hold it open.
    let stderrEnded = child.stderr === null;
    let exitInfo: [number | null, string | null] | null = null;
    let endTimer: NodeJS.Timeout | null = null;
    const settle = (): void => {
      if (!exitInfo) return;
      if (endTimer) clearTimeout(endTimer);
      child.stderr?.destroy();
      finish(exitInfo[0], exitInfo[1], null);
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('exit', (code, signal) => {
      exitInfo = [code, signal];
      if (stderrEnded) settle();
      else endTimer = setTimeout(settle, 200);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      if (stderr.length < o.maxStderr) stderr += d.slice(0, o.maxStderr - stderr.length);
    });
    child.stderr?.on('end', () => { stderrEnded = true; settle(); });
    child.stderr?.on('error', () => { stderrEnded = true; settle(); });
    // A hook that does not read stdin and exits makes the write fail with EPIPE: harmless.
    child.stdin?.on('error', () => {});
    child.stdin?.end(stdin);
  }

  /** drain() gave up waiting: kill the whole group now; the run ends as timed out. */
  killAtExit(): void {
    this.killedAtExit = true;
    killGroup(this.child, 'SIGKILL');
  }
}

function killGroup(c: ChildProcess, sig: NodeJS.Signals): void {
  if (c.pid === undefined) return;
  try { process.kill(-c.pid, sig); } catch { /* group already gone */ }
}
