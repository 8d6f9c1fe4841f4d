// Proves test/support/lab.ts against real keepalived: a healthy pair comes up, the observer sees
// adverts from exactly one master (VRID 99, priority 100) within 5 s, and teardown leaves no namespace.
import { test } from 'node:test';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startLab, labSkipReason, listNamespaces, pidAlive, LAB_IPV4, type Lab } from './support/lab.js';
import { waitUntil } from './support/wait.js';

const skip = labSkipReason();

interface Advert {
  t: number;
  src: string;
  vrid: number;
  prio: number;
}

// tcpdump -tt -nn line: "1764334532.161674 IP 10.99.0.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 99, prio 100, ..."
const ADVERT = /^(\d+\.\d+) IP (\S+) > \S+: VRRPv\d, Advertisement, vrid (\d+), prio (\d+)/;

function parseAdverts(text: string): Advert[] {
  const out: Advert[] = [];
  for (const line of text.split('\n')) {
    const m = ADVERT.exec(line);
    if (m) out.push({ t: Number(m[1]), src: m[2]!, vrid: Number(m[3]), prio: Number(m[4]) });
  }
  return out;
}

test('parseAdverts reads tcpdump VRRP lines and ignores the rest', () => {
  const adverts = parseAdverts(
    '1764334532.161674 IP 10.99.0.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 99, prio 100, authtype simple, intvl 1s, length 20\n' +
      '1764334533.160628 ARP, Request who-has 10.99.0.100 (ff:ff:ff:ff:ff:ff) tell 10.99.0.100, length 28\n',
  );
  assert.deepEqual(adverts, [{ t: 1764334532.161674, src: '10.99.0.1', vrid: 99, prio: 100 }]);
});

test('healthy keepalived pair: one master seen by the observer, clean teardown', { skip, timeout: 60_000 }, async (t) => {
  let lab: Lab | undefined = await startLab();
  t.after(() => lab?.teardown());
  const prefix = lab.id;
  assert.equal(listNamespaces(prefix).length, 4, 'switch + a, b, c namespaces exist');

  // observer c: line-buffered tcpdump with epoch timestamps
  const dump = lab.exec('c', 'tcpdump', ['-i', 'eth0', '-l', '-tt', '-nn', 'vrrp'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let err = '';
  dump.stdout!.setEncoding('utf8').on('data', (d: string) => (text += d));
  dump.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  await waitUntil('tcpdump listening', () => err.includes('listening on'), 5000);
  assert.match(err, /listening on eth0/);

  // and a pcap on the same interface through the harness
  const pcap = join(lab.dir, 'observer.pcap');
  const cap = await lab.capture('c', pcap);

  const started = Date.now() / 1000;
  await lab.keepalived('a', { state: 'MASTER', priority: 100 });
  await lab.keepalived('b', { state: 'BACKUP', priority: 80 });
  const bStarted = Date.now() / 1000;

  // the first advert within 5 s; then 5 adverts of A after B started: longer than B's Master_Down_Interval
  // (3.69 s), so a B that did not hear A would have advertised among them
  await waitUntil('the first advert', () => parseAdverts(text).length > 0, 5000);
  await waitUntil('5 adverts of A after B started',
    () => parseAdverts(text).filter((x) => x.src === LAB_IPV4.a && x.t > bStarted).length >= 5, 15_000);
  const adverts = parseAdverts(text);
  assert.ok(adverts[0]!.t - started < 5, `first advert ${(adverts[0]!.t - started).toFixed(3)} s after start`);
  const sources = new Set(adverts.map((a) => a.src));
  assert.deepEqual([...sources], [LAB_IPV4.a], 'exactly one advertiser: A');
  for (const a of adverts) {
    assert.equal(a.vrid, 99);
    assert.equal(a.prio, 100);
  }
  // the harness's capture (tcpdump -U: every packet written as it comes) holds what the live view saw
  const readPcap = (): ReturnType<typeof parseAdverts> =>
    parseAdverts(execFileSync('tcpdump', ['-tt', '-nn', '-r', pcap, 'ip proto 112'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  await waitUntil(`the pcap to hold the ${adverts.length} adverts of the live view`, () => readPcap().length >= adverts.length, 5000);
  await cap.stop();
  const recorded = readPcap();
  assert.ok(recorded.length >= adverts.length, `pcap has ${recorded.length} adverts, live view ${adverts.length}`);
  assert.deepEqual(new Set(recorded.map((a) => a.src)), new Set([LAB_IPV4.a]));
  assert.match(lab.log('a'), /Entering MASTER STATE/);
  assert.doesNotMatch(lab.log('b'), /Entering MASTER STATE/);

  await lab.teardown();
  lab = undefined;
  assert.deepEqual(listNamespaces(prefix), [], 'teardown removed every namespace');
});

// A child process starts a lab and keepalived, then ends without calling teardown(): by process.exit()
// or by SIGTERM. The harness's exit hooks must still kill keepalived and delete the namespaces.
const FIXTURE = `
const { startLab } = await import(${JSON.stringify(new URL('./support/lab.ts', import.meta.url).href)});
const lab = await startLab();
await lab.keepalived('a');
console.log(JSON.stringify({ id: lab.id, vrrp: lab.vrrpPid('a') }));
if (process.argv[1] === 'exit') process.stdin.once('data', () => process.exit(0));
else setInterval(() => {}, 1000);
`;

for (const how of ['exit', 'SIGTERM'] as const) {
  test(`a lab left running is torn down on ${how}`, { skip, timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', FIXTURE, how], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    for (let i = 0; i < 150 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
    const info = JSON.parse(out.split('\n')[0]!) as { id: string; vrrp: number };
    assert.equal(listNamespaces(info.id).length, 4);
    assert.ok(pidAlive(info.vrrp), 'keepalived VRRP child runs');
    if (how === 'SIGTERM') child.kill('SIGTERM');
    else child.stdin.write('go\n');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, how === 'exit' ? 0 : 143);
    assert.deepEqual(listNamespaces(info.id), [], 'namespaces deleted');
    for (let i = 0; i < 20 && pidAlive(info.vrrp); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!pidAlive(info.vrrp), 'keepalived killed');
  });
}

test('fwDrop/fwClear on the backup make and heal a split brain; stop(SIGTERM) resigns', { skip, timeout: 60_000 }, async (t) => {
  const lab = await startLab();
  t.after(() => lab.teardown());
  await lab.keepalived('a', { state: 'MASTER', priority: 100 });
  await lab.keepalived('b', { state: 'BACKUP', priority: 80 });
  const waitLog = async (node: 'a' | 'b', re: RegExp, ms: number): Promise<boolean> => {
    for (let i = 0; i < ms / 100; i++) {
      if (re.test(lab.log(node))) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };
  assert.ok(await waitLog('a', /Entering MASTER STATE/, 6000), 'A becomes master');

  await lab.fwDrop('b');
  const rules = await lab.run('b', 'iptables', ['-w', '-S', 'INPUT'], true);
  assert.match(rules.stdout, /-A INPUT -p (vrrp|112) -j DROP/);
  assert.ok(await waitLog('b', /Entering MASTER STATE/, 6000), 'deaf B becomes master too');
  assert.ok(await waitLog('a', /forcing new election/, 3000), 'A hears the lower-priority B');

  await lab.fwClear('b');
  assert.ok(await waitLog('b', /Entering BACKUP STATE(?! \(init\))/, 3000), 'B hears A again and backs off');

  await lab.stop('a', 'SIGTERM');
  assert.match(lab.log('a'), /sent 0 priority/);
  assert.equal(lab.vrrpPid('a'), undefined, 'A stopped');
});
