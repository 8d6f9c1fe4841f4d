// Entry point: parse options, run one mode, map typed errors to one line and an exit code.
// Heavy parts (libpcap binding, dashboard, metrics) are imported lazily, only by the modes that use them.
import { Command, CommanderError, Option } from 'commander';
import { isIP } from 'node:net';
import { VrrpwatchError } from '../errors.js';
import { VERSION } from './version.js';
import { runOffline } from './offline.js';
import { runCheck } from './check.js';
import { probeUsage, type CheckOptions, type OfflineOptions } from './common.js';
import { unknownLine } from '../report/check.js';
import { CHECK_HELP_AFTER, DOCTOR_HELP_AFTER, MAIN_HELP_AFTER } from './help.js';

/** Exit codes of the main command (the check command uses the monitoring-plugin codes). */
export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

const int = (name: string, min: number, max: number) => (v: string): number => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new VrrpwatchError('usage', `${name} must be a whole number from ${min} to ${max}, not '${v}'`);
  return n;
};
const positive = (name: string, unit: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new VrrpwatchError('usage', `${name} must be a positive number${unit}, not '${v}'`);
  return n;
};
const seconds = (name: string) => positive(name, ' of seconds');
const collect = <T>(parse: (v: string) => T) => (v: string, prev: T[] = []): T[] => [...prev, parse(v)];
/** --probe-vip [seconds]: true (the default interval) without a value. */
const probeInterval = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0.5 || n > 3600) throw new VrrpwatchError('usage', `--probe-vip takes an interval from 0.5 to 3600 seconds, not '${v}'`);
  return n;
};
const vipAddress = (v: string): string => {
  if (isIP(v) === 0 || v.includes('%')) throw new VrrpwatchError('usage', `--vip takes an IPv4 or IPv6 address, not '${v}'`);
  return v;
};

function debugWanted(argv: string[]): boolean {
  return argv.includes('--debug');
}

function oneLine(e: unknown): string {
  if (e instanceof VrrpwatchError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'EPIPE') return '';
  return `internal error: ${err && err.message ? err.message : String(e)} (run with --debug for details)`;
}

/** Defaults of options whose default is not a value a user would choose (off, none, sized automatically):
 *  set here rather than in the option, where commander would print "(default: false)" in --help. */
const sharedDefaults = () => ({ bufferSize: 0, expectVrid: [] as number[], showAuth: false, debug: false, vip: [] as string[] });
const mainDefaults = () => ({ ...sharedDefaults(), adverts: false, eventsOnly: false, json: false, notify: [] as string[] });
const checkDefaults = () => ({ ...sharedDefaults(), quiet: false });

function sharedOptions(cmd: Command): Command {
  return cmd
    .option('-r, --read <file>', 'read a pcap or pcapng capture (- for standard input); repeat it for captures taken at ' +
      'several places, read together (NAME=FILE names one)', collect(String))
    .option('-i, --interface <iface>', 'capture live on this interface (any for all)')
    .option('-p, --no-promiscuous-mode', 'do not put the interface into promiscuous mode')
    .option('-s, --snapshot-length <bytes>', 'bytes captured per packet', int('snapshot length', 64, 262144), 512)
    .option('-B, --buffer-size <KiB>', 'kernel capture buffer in KiB (default: room for ~8192 packets of the snapshot length, 2-32 MiB)',
      int('buffer size', 0, 2097151))
    .option('-f, --filter <expr>', 'BPF filter replacing the default (all VRRP, ICMP errors, ARP)')
    .option('--expect-vrid <vrid>', 'a VRID that must be present (repeatable)', collect(int('VRID', 1, 255)))
    .option('--max-routers <n>', 'virtual routers tracked at most; more are counted as a flood', int('max routers', 1, 65536), 1024)
    .option('--max-sources <n>', 'sources tracked per virtual router at most; more are counted as a flood', int('max sources', 2, 1024), 16)
    .option('--probe-vip [seconds]', 'live: every SECONDS (5 when not given) ask who answers for each virtual address ' +
      '(ARP probe / neighbour solicitation): two MACs = split brain. Sends only when given', probeInterval)
    .option('--vip <addr>', 'with --probe-vip: also probe this address (repeatable)', collect(vipAddress))
    .option('--show-auth', 'show VRRPv2 plain-text passwords instead of masking them')
    .option('--debug', 'show stack traces of internal errors');
}

export function buildProgram(): Command {
  const program = new Command('vrrpwatch');
  program
    .description('Tell from the wire whether a keepalived/VRRP cluster is healthy or in split brain, why, ' +
      'and what fixes it: live on an interface (-i), from a capture (-r), or as a monitoring check (check).')
    .version(VERSION, '-V, --version')
    .argument('[expression...]', 'BPF filter expression, as in tcpdump (same as -f)')
    .allowExcessArguments(false)
    .enablePositionalOptions();
  sharedOptions(program)
    .option('-w, --write <file>', 'live: also write the captured packets to a pcap file')
    .option('-c, --count <n>', 'stop after this many adverts', int('count', 1, Number.MAX_SAFE_INTEGER))
    .option('-D, --list-interfaces', 'list the interfaces that can be captured on')
    .option('-Z, --relinquish-privileges <user>', 'live: drop privileges to this user once the capture is open')
    .option('-n', 'accepted for tcpdump habits (vrrpwatch never resolves names)')
    .option('-l', 'accepted for tcpdump habits (lines are always flushed)')
    .option('-e', 'per-advert lines: show the source MAC and VLAN')
    .option('--adverts', 'print one line per advert (with --json: one JSON object per line)')
    .option('--events-only', 'live line mode: print the events, not every advert (service mode, journald)')
    .option('--json', 'JSON output (report document; NDJSON for per-advert and live lines)')
    .option('--tui', 'open the dashboard (default for -i on a terminal; with -r: replay the capture)')
    .option('--no-tui', 'never open the dashboard: print lines')
    .option('--speed <factor>', 'with -r --tui: replay at this speed (default: as fast as possible)', positive('speed', ''))
    .option('--notify <cmd>', 'run this command for each event (repeatable; details in VRRPWATCH_* variables)', collect(String))
    .option('--notify-timeout <seconds>', 'kill a hook that runs longer than this', seconds('notify timeout'), 10)
    .option('--metrics <[addr:]port>', 'live (-i): serve Prometheus metrics on this address (e.g. 127.0.0.1:9810)')
    .addOption(new Option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)'))
    .addHelpText('after', MAIN_HELP_AFTER)
    .action(async (expression: string[], opts: Record<string, unknown>) => {
      const o = { ...mainDefaults(), ...opts } as unknown as OfflineOptions;
      if (expression.length > 0) {
        if (o.filter) throw new VrrpwatchError('usage', 'give the filter either with -f or as a trailing expression, not both');
        o.filter = expression.join(' ');
      }
      if (o.listInterfaces) {
        const { listInterfacesCommand } = await import('./live.js');
        process.exitCode = await listInterfacesCommand();
        return;
      }
      if (o.read !== undefined && o.interface !== undefined) throw new VrrpwatchError('usage', 'use either -r FILE or -i IFACE, not both');
      if (o.speed !== undefined && (o.read === undefined || o.tui !== true)) {
        throw new VrrpwatchError('usage', '--speed paces a replay in the dashboard: use it with -r FILE --tui');
      }
      if (o.metrics !== undefined && o.read !== undefined) {
        throw new VrrpwatchError('usage', '--metrics serves a live capture (-i IFACE); for the numbers of a capture file use -r FILE --json');
      }
      if (o.eventsOnly && o.read !== undefined) {
        throw new VrrpwatchError('usage', '--events-only applies to live line mode (-i IFACE --no-tui); a capture\'s events are in its report');
      }
      if (o.read !== undefined) {
        process.exitCode = await runOffline(o);
        return;
      }
      if (o.interface !== undefined) {
        probeUsage(o);
        const { runLive } = await import('./live.js');
        process.exitCode = await runLive(o);
        return;
      }
      throw new VrrpwatchError('usage', 'nothing to do: give -i IFACE (live), -r FILE (capture file), -D, or see --help');
    });

  const check = sharedOptions(new Command('check'))
    .summary('one-shot check for Nagios/Icinga/cron: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN')
    .description('One-shot check for Nagios/Icinga/cron: one status line with perfdata, and the exit code.\n' +
      'Here -t is the listening time limit and -v the verbosity, as in monitoring plugins.')
    .option('-t, --timeout <seconds>', 'live: listen at most this long', seconds('timeout'), 10)
    .option('-q, --quiet', 'print nothing when the result is OK (for cron)')
    .option('-v, --verbose', 'long output: one line per virtual router and finding', (_v: string, prev: number) => prev + 1, 0)
    .argument('[expression...]', 'BPF filter expression, as in tcpdump (same as -f)')
    .allowExcessArguments(false)
    .addHelpText('after', CHECK_HELP_AFTER)
    .action(async (expression: string[], opts: Record<string, unknown>) => {
      const o = { ...checkDefaults(), ...opts } as unknown as CheckOptions;
      if (expression.length > 0) {
        if (o.filter) throw new VrrpwatchError('usage', 'give the filter either with -f or as a trailing expression, not both');
        o.filter = expression.join(' ');
      }
      process.exitCode = await runCheck(o);
    });
  program.addCommand(check);

  const doctor = new Command('doctor')
    .summary('review this node\'s keepalived.conf and firewall (and with -i the peers\' adverts) before a split brain')
    .description('Run on a keepalived node: this keepalived.conf, the firewall and (with -i) the peers\' adverts, judged together.')
    .option('--config <file>', 'keepalived configuration (default /etc/keepalived/keepalived.conf, under --root when given)')
    .option('--ruleset <file>', 'judge this saved ruleset (iptables-save, nft list ruleset, nft -j list ruleset) instead of the one in force')
    .option('-i, --interface <iface>', 'also listen here and compare the peers\' adverts with this configuration')
    .option('-t, --timeout <seconds>', 'with -i: listen this long', seconds('timeout'), 10)
    .option('--peer-priority <n>', 'the peer\'s priority, for the weight margin when the wire does not show it', int('peer priority', 1, 255))
    .option('--root <dir>', 'read the configuration and /etc files under this directory (a copy of another node, a sosreport)')
    .option('--json', 'a versioned JSON document (vrrpwatch.doctor/1)')
    .addOption(new Option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)'))
    .option('--debug', 'show stack traces of internal errors')
    .allowExcessArguments(false)
    .addHelpText('after', DOCTOR_HELP_AFTER)
    .action(async (opts: Record<string, unknown>) => {
      const { runDoctor } = await import('./doctor.js');
      const o = { json: false, debug: false, ...opts };
      process.exitCode = await runDoctor(o as unknown as import('./doctor.js').DoctorOptions);
    });
  program.addCommand(doctor);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const isCheck = argv[2] === 'check';
  const isDoctor = argv[2] === 'doctor';
  const program = buildProgram();
  const silence = { writeErr: () => undefined, writeOut: (s: string) => process.stdout.write(s) };
  program.exitOverride().configureOutput(silence);
  for (const c of program.commands) c.exitOverride().configureOutput(silence);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        process.exitCode = 0;
        return;
      }
      const msg = e.message.replace(/^error: /, '');
      if (isDoctor) return doctorFail(`${msg} (see vrrpwatch doctor --help)`, argv);
      fail(isCheck, `${msg} (see vrrpwatch${isCheck ? ' check' : ''} --help)`, 'usage');
      return;
    }
    if (debugWanted(argv) && !(e instanceof VrrpwatchError)) console.error(e);
    const msg = oneLine(e);
    if (msg === '') return;
    if (isDoctor) return doctorFail(msg, argv);
    fail(isCheck, msg, e instanceof VrrpwatchError ? e.kind : 'internal');
  }
}

/** doctor cannot run (bad arguments, unreadable configuration or ruleset, no capture): UNKNOWN, exit 3, as check. */
async function doctorFail(message: string, argv: string[]): Promise<void> {
  const { doctorUnknown } = await import('./doctor.js');
  process.stdout.write(doctorUnknown(message, argv.includes('--json')));
  process.exitCode = 3;
}

function fail(isCheck: boolean, message: string, kind: string): void {
  if (isCheck) {
    // Monitoring plugins report on stdout, and a check that cannot run is UNKNOWN.
    process.stdout.write(unknownLine(message) + '\n');
    process.exitCode = 3;
  } else {
    process.stderr.write(`vrrpwatch: ${message}\n`);
    process.exitCode = kind === 'usage' ? EXIT.usage : EXIT.error;
  }
}
