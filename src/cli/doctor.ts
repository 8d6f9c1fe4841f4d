// `vrrpwatch doctor`: gathers what the judges in src/doctor need — keepalived.conf and its includes
// (under --root when given), this host's interfaces (`ip -j addr`, else /sys/class/net), `keepalived -t`,
// the firewall ruleset (live or --ruleset FILE, through src/doctor/firewall), and with -i a live
// capture of -t seconds — then prints the verdict and the findings. Exit codes as `check`: 0 OK,
// 1 WARNING, 2 CRITICAL, 3 UNKNOWN (configuration unreadable, bad arguments, capture impossible).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { VrrpwatchError } from '../errors.js';
import type { Snapshot } from '../analyze/model.js';
import type { ConfigFiles } from '../doctor/conf-files.js';
import { examineConfig } from '../doctor/examine.js';
import { checkFirewall, type RulesetSource } from '../doctor/firewall/index.js';
import type { Runner } from '../doctor/keepalived-test.js';
import { versionTriple } from '../doctor/keepalived-test.js';
import { firewallFindings, vrrpPaths } from '../doctor/paths.js';
import { DOCTOR_SCHEMA, renderDoctorJson, renderDoctorText, verdictOf, type DoctorFacts } from '../doctor/report.js';
import type { DoctorFinding, HostFacts, HostInterface } from '../doctor/types.js';
import { judgeWire } from '../doctor/wire.js';
import { VERSION } from './version.js';

export interface DoctorOptions {
  config?: string;
  ruleset?: string;
  interface?: string;
  timeout: number;
  json: boolean;
  peerPriority?: number;
  root?: string;
  color?: boolean;
  debug?: boolean;
}

export const DEFAULT_CONFIG = '/etc/keepalived/keepalived.conf';
const MAX_FILE = 4 << 20;

/** Runs a command with a timeout; never throws. */
export const runCommand: Runner = (argv, timeoutMs) => {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 8 << 20 });
  const err = r.error as NodeJS.ErrnoException | undefined;
  if (err && err.code !== 'ETIMEDOUT') return { status: null, stdout: '', stderr: '', error: err.code ?? err.message };
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: err?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM' };
};

/** The file system as keepalived on the node would see it: absolute paths under --root when given. */
export function nodeFiles(root: string | undefined): ConfigFiles {
  const real = (p: string): string => (root !== undefined && !p.startsWith(root + '/') ? join(root, p) : p);
  return {
    read(p) {
      try {
        const st = statSync(real(p));
        if (st.size > MAX_FILE) return { error: `larger than ${MAX_FILE >> 20} MiB` };
        return { text: readFileSync(real(p), 'utf8') };
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        return { error: err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message };
      }
    },
    list(d) {
      try { return readdirSync(real(d)); } catch { return null; }
    },
    kind(p) {
      try {
        const st = statSync(real(p));
        if (st.isDirectory()) return 'dir';
        if (!st.isFile()) return 'other';
        return (st.mode & 0o111) !== 0 ? 'executable' : 'file';
      } catch {
        return null;
      }
    },
    display: real,
  };
}

interface IpAddrJson { ifname?: string; flags?: string[]; addr_info?: { family?: string; local?: string; prefixlen?: number }[] }

/** This host's interfaces: `ip -j addr show`, else the names in /sys/class/net (state unknown). */
export function hostInterfaces(run: Runner): HostInterface[] | null {
  const r = run(['ip', '-j', 'addr', 'show'], 5000);
  if (r.status === 0) {
    try {
      const list = JSON.parse(r.stdout) as IpAddrJson[];
      return list.filter((l) => typeof l.ifname === 'string').map((l) => ({
        name: l.ifname!,
        up: (l.flags ?? []).includes('UP') && ((l.flags ?? []).includes('LOWER_UP') || l.ifname === 'lo'),
        multicast: (l.flags ?? []).includes('MULTICAST'),
        addresses: (l.addr_info ?? []).filter((a) => (a.family === 'inet' || a.family === 'inet6') && typeof a.local === 'string')
          .map((a) => ({ address: a.local!, prefix: a.prefixlen ?? (a.family === 'inet6' ? 128 : 32), family: a.family === 'inet6' ? 6 as const : 4 as const })),
      }));
    } catch { /* fall through */ }
  }
  try {
    return readdirSync('/sys/class/net').map((name) => ({ name, up: true, multicast: true, addresses: [] }));
  } catch {
    return null;
  }
}

async function listen(o: DoctorOptions): Promise<Snapshot> {
  const { startLive } = await import('./live.js');
  const run = startLive({ interface: o.interface, snapshotLength: 512, promiscuousMode: true, bufferSize: 0, expectVrid: [] }, null, null, () => undefined);
  if (!o.json) process.stderr.write(`vrrpwatch doctor: listening on ${o.interface} for ${o.timeout} s\n`);
  const timer = setTimeout(() => run.stop(), o.timeout * 1000);
  const stop = (): void => run.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await run.done;
  clearTimeout(timer);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (run.error) throw run.error;
  run.analyzer.tick(Date.now() / 1000);
  run.analyzer.finish();
  return run.analyzer.snapshot();
}

export async function runDoctor(o: DoctorOptions): Promise<number> {
  const root = o.root !== undefined ? resolve(o.root) : undefined;
  if (root !== undefined) {
    try { if (!statSync(root).isDirectory()) throw new Error(); } catch { throw new VrrpwatchError('usage', `--root ${o.root}: not a directory`); }
  }
  const files = nodeFiles(root);
  let configPath = DEFAULT_CONFIG;
  if (o.config !== undefined) {
    const abs = isAbsolute(o.config) ? o.config : resolve(o.config);
    configPath = root !== undefined && abs.startsWith(root + '/') ? abs.slice(root.length) : abs;
  }
  const all = hostInterfaces(runCommand);
  const host: HostFacts = root !== undefined
    ? { interfaces: null, interfacesNote: `interfaces not checked: under --root ${o.root} the configuration is another machine's` }
    : { interfaces: all, interfacesNote: all === null ? 'interfaces not checked: neither `ip -j addr` nor /sys/class/net could be read' : null };
  const examined = examineConfig({
    configPath, files, configId: hostname().split('.')[0] ?? null, host, peerPriority: o.peerPriority ?? null,
    run: root === undefined ? runCommand : null,
    skipReason: root !== undefined ? `under --root its interface checks would be this host's` : undefined,
  });
  if ('error' in examined) throw new VrrpwatchError('input', examined.error);
  const { config, keepalived } = examined;
  const findings: DoctorFinding[] = examined.findings;
  const facts: DoctorFacts = {
    configPath: files.display!(configPath), config, firewall: null, wire: null,
    keepalived: keepalived ? { version: keepalived.version, ran: keepalived.ran, status: keepalived.status } : null,
  };

  let peersSeen = new Map<string, import('../analyze/model.js').Advertiser[]>();
  if (o.interface !== undefined) {
    const snap = await listen(o);
    const local = (all ?? []).flatMap((i) => i.addresses.map((a) => a.address));
    const wire = judgeWire(config, { snapshot: snap, iface: o.interface, seconds: o.timeout, localAddresses: local, keepalivedVersion: versionTriple(keepalived?.version ?? null) });
    peersSeen = wire.peersSeen;
    // the wire showed the peers' priorities: the weights are judged against those
    if ([...peersSeen.values()].some((l) => l.length > 0)) findings.splice(0, findings.length, ...findings.filter((f) => f.code !== 'weights-not-judged'));
    findings.push(...wire.findings);
    facts.wire = { iface: o.interface, seconds: o.timeout, adverts: snap.stats.vrrpAdverts, sources: new Set(snap.routers.flatMap((r) => r.advertisers.map((a) => a.ip))).size };
  }

  const source: RulesetSource = o.ruleset !== undefined ? { kind: 'file', path: resolve(o.ruleset) } : { kind: 'live' };
  const fw = checkFirewall(vrrpPaths(config, { interfaces: all, interfacesNote: null }, peersSeen), source, root !== undefined ? { root } : {});
  findings.push(...firewallFindings(fw, peersSeen, o.interface !== undefined));
  facts.firewall = { source: o.ruleset !== undefined ? `ruleset ${o.ruleset}` : root !== undefined ? 'ruleset in force on this host' : 'ruleset in force', backends: fw.backends };
  if (root !== undefined && o.ruleset === undefined) {
    findings.push({ code: 'firewall-note', severity: 'ok', area: 'firewall', instance: null, evidence: [], where: null, fixes: [],
      title: `firewall: under --root the kernel ruleset judged is this host's, not the node's (firewalld and ufw files were read under ${o.root}); give --ruleset FILE with the node's saved ruleset` });
  }

  const color = o.color !== false && process.stdout.isTTY === true && !process.env.NO_COLOR;
  process.stdout.write(o.json ? renderDoctorJson(facts, findings, VERSION) : renderDoctorText(facts, findings, { color }));
  return verdictOf(findings).exitCode;
}

/** What doctor prints when it cannot run at all (exit 3): one line, or a JSON verdict with --json. */
export function doctorUnknown(message: string, json: boolean): string {
  if (json) {
    return JSON.stringify({ schema: DOCTOR_SCHEMA, tool: { name: 'vrrpwatch', version: VERSION }, verdict: { severity: 'unknown', label: 'UNKNOWN', headline: message, exitCode: 3 }, findings: [], omitted: 0 }) + '\n';
  }
  return `UNKNOWN  doctor: ${message}\n`;
}
