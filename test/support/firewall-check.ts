// Runs checkFirewall where it is started (tests start it inside a network namespace with
// `ip netns exec NS node --import tsx test/support/firewall-check.ts PATHS-JSON [SOURCE-JSON] [OPTIONS-JSON]`)
// and prints the FirewallReport as JSON; a VrrpwatchError prints {"error": kind, "message": ...}.
import { checkFirewall, type FirewallOptions, type RulesetSource, type VrrpPath } from '../../src/doctor/firewall/index.js';
import { VrrpwatchError } from '../../src/errors.js';

const paths = JSON.parse(process.argv[2] ?? '[]') as VrrpPath[];
const source = JSON.parse(process.argv[3] ?? '{"kind":"live"}') as RulesetSource;
const opts = JSON.parse(process.argv[4] ?? '{}') as FirewallOptions;
try {
  process.stdout.write(JSON.stringify(checkFirewall(paths, source, opts)) + '\n');
} catch (e) {
  if (!(e instanceof VrrpwatchError)) throw e;
  process.stdout.write(JSON.stringify({ error: e.kind, message: e.message }) + '\n');
}
