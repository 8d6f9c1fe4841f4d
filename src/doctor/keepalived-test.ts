// `keepalived -t -f FILE`: keepalived's own reading of the configuration, turned into findings with
// their file:line. Measured on Debian's 2.2.7: the messages go to stderr as "(FILE: Line N) text" or
// "(Line N) text" (the same message up to four times: the parent, VRRP and checker processes each parse
// the file); exit 0 = clean, 5 = configuration errors, 6 = scripts configured without
// enable_script_security (keepalived(8) lists these as 3/4/5: the page is off by one); a missing file
// exits 0 with "Config files missing". Commands run only through the injected runner.
import type { Loc } from './conf-lines.js';
import type { DoctorFinding } from './types.js';

export interface RunResult { status: number | null; stdout: string; stderr: string; error?: string; timedOut?: boolean }
/** Runs argv (argv[0] looked up on PATH) with a timeout; never throws (error = ENOENT etc.). */
export type Runner = (argv: string[], timeoutMs: number) => RunResult;

export interface KeepalivedTest {
  /** "2.2.7" from `keepalived -v`, null when not installed or unknown. */
  version: string | null;
  ran: boolean;
  status: number | null;
  /** Distinct messages with where they point. */
  messages: { text: string; loc: Loc | null }[];
  findings: DoctorFinding[];
}

export const MAX_MESSAGES = 50;
const TIMEOUT_MS = 10_000;

/** "(conf.d/b.conf: Line 3) text" → loc + text; a relative file name is matched against the files read. */
export function parseMessage(line: string, mainFile: string, files: string[]): { text: string; loc: Loc | null } {
  const m = /^\((?:(.+?): )?Line (\d+)\) (.*)$/.exec(line);
  if (!m) return { text: line, loc: null };
  const name = m[1];
  let file = mainFile;
  if (name !== undefined) file = files.find((f) => f === name || f.endsWith('/' + name.replace(/^\.\//, ''))) ?? name;
  return { text: m[3]!, loc: { file, line: Number(m[2]) } };
}

/** keepalived's version as a comparable triple, e.g. [2, 2, 7]. */
export function versionTriple(v: string | null): [number, number, number] | null {
  const m = v === null ? null : /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

export function keepalivedTest(run: Runner, path: string, files: string[]): KeepalivedTest {
  const v = run(['keepalived', '-v'], TIMEOUT_MS);
  const out: KeepalivedTest = { version: null, ran: false, status: null, messages: [], findings: [] };
  if (v.error !== undefined) {
    out.findings.push({
      code: 'keepalived-not-run', severity: 'ok', area: 'keepalived', instance: null,
      title: `keepalived -t not run: keepalived is not installed here (${v.error})`, evidence: [], where: null, fixes: [],
    });
    return out;
  }
  out.version = /Keepalived v(\d+\.\d+(?:\.\d+)?)/.exec(v.stdout + v.stderr)?.[1] ?? null;
  const t = run(['keepalived', '-t', '-f', path], TIMEOUT_MS);
  out.ran = true;
  out.status = t.status;
  if (t.timedOut || t.error !== undefined) {
    out.findings.push({
      code: 'keepalived-test-failed', severity: 'warning', area: 'keepalived', instance: null,
      title: `keepalived -t -f ${path} did not finish: ${t.timedOut ? `no answer in ${TIMEOUT_MS / 1000} s` : t.error}`, evidence: [], where: null, fixes: [],
    });
    return out;
  }
  const seen = new Set<string>();
  let dropped = 0;
  for (const raw of (t.stderr + '\n' + t.stdout).split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const msg = parseMessage(line, path, files);
    const key = `${msg.loc?.line ?? ''}|${msg.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (out.messages.length >= MAX_MESSAGES) { dropped++; continue; }
    out.messages.push(msg);
  }
  const who = `keepalived ${out.version ?? ''} -t`.replace('  ', ' ');
  if (t.status === 0 && out.messages.length === 0) {
    out.findings.push({ code: 'keepalived-test-ok', severity: 'ok', area: 'keepalived', instance: null, title: `${who}: configuration OK (exit 0)`, evidence: [], where: null, fixes: [] });
    return out;
  }
  const severity = t.status === 0 ? 'ok' : 'warning';
  const what = t.status === 6 ? 'scripts are configured without enable_script_security' : t.status === 0 ? 'notes' : 'configuration errors';
  for (const m of out.messages) {
    out.findings.push({
      code: t.status === 6 ? 'keepalived-script-security' : 'keepalived-test', severity, area: 'keepalived', instance: null,
      title: `${who}: ${m.text}`, evidence: [`exit ${t.status}: ${what}`], where: m.loc, fixes: [],
    });
  }
  if (dropped > 0) {
    out.findings.push({ code: 'keepalived-test', severity: 'ok', area: 'keepalived', instance: null, title: `${who}: ${dropped} more messages not shown`, evidence: [], where: null, fixes: [] });
  }
  return out;
}
