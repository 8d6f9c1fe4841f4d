// doctor's judgement of the configuration, in one call: read keepalived.conf (with its includes),
// judge it alone, run `keepalived -t` through the injected runner and fold its messages into the
// findings that point at the same line. The wire and the firewall are added by the caller (they need
// a capture and the ruleset). Pure apart from the injected file view and runner.
import type { ConfigFiles } from './conf-files.js';
import { readConfigLines } from './conf-lines.js';
import { buildModel, type KeepalivedConfig } from './conf-model.js';
import { judgeConfig } from './findings-config.js';
import { keepalivedTest, type KeepalivedTest, type Runner } from './keepalived-test.js';
import type { DoctorFinding, HostFacts } from './types.js';

export interface ExamineInput {
  /** The main file as keepalived sees it (absolute). */
  configPath: string;
  files: ConfigFiles;
  configId: string | null;
  host: HostFacts;
  peerPriority: number | null;
  /** null: keepalived -t is not run; `skipReason` says why. */
  run: Runner | null;
  skipReason?: string;
}

export type ExamineResult =
  | { error: string }
  | { config: KeepalivedConfig; findings: DoctorFinding[]; keepalived: KeepalivedTest | null };

const sameLoc = (a: DoctorFinding['where'], b: DoctorFinding['where']): boolean =>
  a !== null && b !== null && a.line === b.line && a.file === b.file;

/** keepalived -t messages that point at a line a finding already names become that finding's evidence. */
export function mergeKeepalived(config: DoctorFinding[], kt: DoctorFinding[]): DoctorFinding[] {
  const rest: DoctorFinding[] = [];
  for (const k of kt) {
    const target = k.where ? config.find((c) => sameLoc(c.where, k.where)) : undefined;
    if (target) target.evidence.push(`keepalived -t agrees: ${k.title.replace(/^keepalived[^:]*-t: /, '')}`);
    else rest.push(k);
  }
  return [...config, ...rest];
}

export function examineConfig(input: ExamineInput): ExamineResult {
  const read = readConfigLines(input.configPath, input.files, { configId: input.configId });
  if (read.mainError !== null) return { error: read.mainError };
  const config = buildModel(read);
  const findings = judgeConfig(config, input.host, { peerPriority: input.peerPriority });
  if (input.host.interfacesNote) {
    findings.push({ code: 'interfaces-not-checked', severity: 'ok', area: 'host', instance: null, title: input.host.interfacesNote, evidence: [], where: null, fixes: [] });
  }
  if (input.peerPriority === null && config.instances.some((i) => i.trackScripts.length + i.trackInterfaces.length > 0)) {
    findings.push({ code: 'weights-not-judged', severity: 'ok', area: 'config', instance: null,
      title: 'tracking weights judged only against a peer priority: give --peer-priority N, or -i IFACE to see the peer\'s', evidence: [], where: null, fixes: [] });
  }
  let keepalived: KeepalivedTest | null = null;
  if (input.run !== null) {
    keepalived = keepalivedTest(input.run, input.files.display ? input.files.display(input.configPath) : input.configPath, config.files);
    return { config, findings: mergeKeepalived(findings, keepalived.findings), keepalived };
  }
  findings.push({ code: 'keepalived-not-run', severity: 'ok', area: 'keepalived', instance: null, title: `keepalived -t not run: ${input.skipReason ?? 'not asked'}`, evidence: [], where: null, fixes: [] });
  return { config, findings, keepalived };
}
