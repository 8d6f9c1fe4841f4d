// The NDJSON advert line is concatenated by hand for speed (src/report/advert-line.ts): it must be exactly
// JSON.stringify of the documented object (docs/adverts-json.md) for every advert in every capture we have,
// including wire text that needs escaping (auth text) and analyzer notes with quotes and control characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readCaptureFile } from '../src/capture/file.js';
import { PacketDecoder, Kind, CHECKSUM_NAMES } from '../src/decode/index.js';
import type { PacketRecord } from '../src/decode/index.js';
import type { AdvertNote } from '../src/analyze/model.js';
import { AdvertJsonLines, advertJson } from '../src/report/advert-line.js';
import { captureFiles, sharedDir } from './support/captures.js';
import { advertFrame, type VrrpSpec, type IpSpec, type LinkSpec } from './support/encode.js';
import { maskSecret, sanitize } from '../src/report/sanitize.js';

/** The documented object, built the plain way. */
function reference(p: PacketRecord, note: AdvertNote, anomaly: string | null, showAuth: boolean): string {
  return JSON.stringify({
    ts: p.tsSec + p.tsNsec / 1e9, kind: 'advert', src: p.srcText(), dst: p.dstText(),
    srcMac: p.macHi >= 0 ? p.macText() : null, vlan: p.vlan >= 0 ? p.vlan : null, ttl: p.ttl,
    version: p.version, type: p.type, vrid: p.vrid, priority: p.priority, count: p.count,
    authType: p.version === 2 ? p.authType : null,
    authText: p.version === 2 && p.authType === 1 ? maskSecret(sanitize(p.authText()), showAuth) : null,
    interval: p.intervalCs / 100, intervalRaw: p.intervalRaw, intervalUnit: p.version === 2 ? 's' : 'cs',
    checksum: CHECKSUM_NAMES[p.checksumStatus], addresses: p.addresses(), note, anomaly,
  });
}

function captures(): string[] {
  const shared = sharedDir();
  return [...captureFiles('pcaps'), ...(shared ? captureFiles(join(shared, 'public-pcaps/tcpdump-tests')) : [])];
}

const ANOMALIES: Array<string | null> = [null, 'interval 2 s, others 1 s', 'auth "x\\y"\n\u0001\u001b[31m é ☃'];
const NOTES: AdvertNote[] = ['master', 'contender'];

test('hand-built advert JSON line = JSON.stringify of the documented object, for every advert in pcaps/', () => {
  const files = captures();
  assert.ok(files.length >= 20, `captures found: ${files.length}`);
  let checked = 0;
  let withAuth = 0;
  let v3 = 0;
  let reused = 0;
  for (const file of files) {
    if (file.endsWith('not-a-capture.pcap')) continue;
    const d = new PacketDecoder();
    const lines = [new AdvertJsonLines(false), new AdvertJsonLines(true)];
    readCaptureFile(file, {
      frame(buf, off, caplen, origlen, tsSec, tsNsec, linktype) {
        if (d.decode(buf, off, caplen, origlen, tsSec, tsNsec, linktype) !== Kind.Advert) return;
        const p = d.rec;
        for (const showAuth of [false, true]) {
          const note = NOTES[checked % NOTES.length]!;
          const anomaly = ANOMALIES[checked % ANOMALIES.length]!;
          const want = reference(p, note, anomaly, showAuth);
          assert.equal(advertJson(p, note, anomaly, { showAuth }), want, `${file}: advert at ${p.tsSec}.${p.tsNsec}`);
          // the printer's lines (one per file and setting, so its memo is reused from advert to advert)
          assert.equal(lines[showAuth ? 1 : 0]!.line(p, note, anomaly), want, `memo, ${file}: advert at ${p.tsSec}.${p.tsNsec}`);
          checked++;
        }
        if (p.version === 2 && p.authType === 1) withAuth++;
        if (p.version === 3) v3++;
      },
    });
    reused += lines[0]!.reused;
  }
  assert.ok(reused > checked / 4, `memo reused for ${reused} of ${checked / 2} adverts`);
  assert.ok(checked > 500, `adverts checked: ${checked / 2}`);
  assert.ok(withAuth > 50 && v3 > 10, `auth text and VRRPv3 covered (${withAuth} with auth, ${v3} v3)`);
});

test('the printer\'s memo: any field of the line that changes between two adverts of a source changes the line', () => {
  const base: [VrrpSpec, IpSpec, LinkSpec] = [{ vrid: 7, priority: 100, addresses: ['10.0.0.100'], authType: 1, auth: 'secret' },
    { src: '10.0.0.1', dst: '224.0.0.18', ttl: 255 }, { srcMac: '52:54:00:00:00:01' }];
  const variants: Array<[string, [VrrpSpec, IpSpec, LinkSpec]]> = [
    ['priority', [{ ...base[0], priority: 90 }, base[1], base[2]]],
    ['addresses', [{ ...base[0], addresses: ['10.0.0.101'] }, base[1], base[2]]],
    ['address count', [{ ...base[0], addresses: ['10.0.0.100', '10.0.0.101'] }, base[1], base[2]]],
    ['auth text', [{ ...base[0], auth: 'other' }, base[1], base[2]]],
    ['auth type', [{ ...base[0], authType: 0, auth: '' }, base[1], base[2]]],
    ['interval', [{ ...base[0], interval: 2 }, base[1], base[2]]],
    ['version', [{ ...base[0], version: 3 }, base[1], base[2]]],
    ['checksum', [{ ...base[0], checksum: 0x1234 }, base[1], base[2]]],
    ['destination', [base[0], { ...base[1], dst: '10.0.0.2' }, base[2]]],
    ['TTL', [base[0], { ...base[1], ttl: 254 }, base[2]]],
    ['source MAC', [base[0], base[1], { srcMac: '52:54:00:00:00:02' }]],
    ['VLAN', [base[0], base[1], { ...base[2], vlans: [[0x8100, 5]] }]],
  ];
  for (const showAuth of [false, true]) {
    const lines = new AdvertJsonLines(showAuth);
    const d = new PacketDecoder();
    const print = (spec: [VrrpSpec, IpSpec, LinkSpec], sec: number): string => {
      const f = advertFrame(...spec);
      assert.equal(d.decode(f, 0, f.length, f.length, sec, 0, 1), Kind.Advert);
      const got = lines.line(d.rec, 'master', null)!;
      assert.equal(got, reference(d.rec, 'master', null, showAuth));
      return got;
    };
    let sec = 1000;
    for (const [what, spec] of variants) {
      const before = print(base, sec++);
      print(base, sec++); // the memo holds the base advert
      const changed = print(spec, sec++);
      // a masked password prints as the same stars whatever it is
      if (what === 'auth text' && !showAuth) assert.equal(changed.replace(/"ts":\d+/, ''), before.replace(/"ts":\d+/, ''));
      else assert.notEqual(changed.replace(/"ts":\d+/, ''), before.replace(/"ts":\d+/, ''), `${what} (showAuth ${showAuth})`);
      assert.equal(print(base, sec++).replace(/"ts":\d+/, ''), before.replace(/"ts":\d+/, ''), `back to the base after ${what}`);
    }
    assert.ok(lines.reused >= variants.length, `reused ${lines.reused}`);
  }
});
