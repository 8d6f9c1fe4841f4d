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
import { captureFiles, sharedCaptures, sharedSkip } from './support/captures.js';
import { advertFrame, type VrrpSpec, type IpSpec, type LinkSpec } from './support/encode.js';

/** The documented password field (docs/adverts-json.md), written out here rather than taken from
 *  src/report/sanitize.ts: masked, 8 stars whatever the password ('' for an empty one); with --show-auth,
 *  the password with each control character (U+0000-U+001F, U+007F-U+009F) printed as '.'. */
function expectedAuth(text: string, showAuth: boolean): string {
  if (!showAuth) return text === '' ? '' : '********';
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += c <= 0x1f || (c >= 0x7f && c <= 0x9f) ? '.' : ch;
  }
  return out;
}

/** The documented object, built the plain way. */
function reference(p: PacketRecord, note: AdvertNote, anomaly: string | null, showAuth: boolean): string {
  return JSON.stringify({
    ts: p.tsSec + p.tsNsec / 1e9, kind: 'advert', src: p.srcText(), dst: p.dstText(),
    srcMac: p.macHi >= 0 ? p.macText() : null, vlan: p.vlan >= 0 ? p.vlan : null, ttl: p.ttl,
    version: p.version, type: p.type, vrid: p.vrid, priority: p.priority, count: p.count,
    authType: p.version === 2 ? p.authType : null,
    authText: p.version === 2 && p.authType === 1 ? expectedAuth(p.authText(), showAuth) : null,
    interval: p.intervalCs / 100, intervalRaw: p.intervalRaw, intervalUnit: p.version === 2 ? 's' : 'cs',
    checksum: CHECKSUM_NAMES[p.checksumStatus], addresses: p.addresses(), note, anomaly,
  });
}

const ANOMALIES: Array<string | null> = [null, 'interval 2 s, others 1 s', 'auth "x\\y"\n\u0001\u001b[31m é ☃'];
const NOTES: AdvertNote[] = ['master', 'contender'];

/** Every advert of `files` printed both ways (advertJson, and one AdvertJsonLines per file and setting, so
 *  its memo is reused from advert to advert), each compared with the reference; the counts of what was seen. */
function checkCaptures(files: string[]): { checked: number; withAuth: number; v3: number; reused: number } {
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
          assert.equal(lines[showAuth ? 1 : 0]!.line(p, note, anomaly), want, `memo, ${file}: advert at ${p.tsSec}.${p.tsNsec}`);
          checked++;
        }
        if (p.version === 2 && p.authType === 1) withAuth++;
        if (p.version === 3) v3++;
      },
    });
    reused += lines[0]!.reused;
  }
  return { checked: checked / 2, withAuth, v3, reused };
}

test('hand-built advert JSON line = JSON.stringify of the documented object, for every advert in pcaps/', () => {
  const files = captureFiles('pcaps');
  assert.ok(files.length >= 20, `captures found: ${files.length}`);
  const c = checkCaptures(files);
  assert.ok(c.reused > c.checked / 4, `memo reused for ${c.reused} of ${c.checked} adverts`);
  assert.ok(c.checked >= 400, `adverts checked: ${c.checked}`);
  assert.ok(c.withAuth > 50 && c.v3 > 10, `auth text and VRRPv3 covered (${c.withAuth} with auth, ${c.v3} v3)`);
});

test('hand-built advert JSON line = JSON.stringify of the documented object, for every advert in shared/ (tcpdump\'s)', { skip: sharedSkip() }, () => {
  const files = sharedCaptures('tcpdump-tests');
  assert.ok(files.length >= 3, `captures found: ${files.length}`);
  const c = checkCaptures(files);
  assert.ok(c.checked >= 50 && c.withAuth > 0, `adverts checked: ${c.checked}, ${c.withAuth} with auth`);
});

test('passwords as printed: literal vectors (control characters, C1, empty, masked)', () => {
  // auth bytes on the wire -> authText with --show-auth; masked it is always 8 stars (or '' when empty)
  const vectors: Array<[number[], string]> = [
    [[0x73, 0x65, 0x63, 0x72, 0x65, 0x74], 'secret'],
    [[0x70, 0x77, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x07], 'pw.[31m.'],
    [[0x61, 0x7f, 0x85, 0x9f, 0xa0, 0xe9], 'a...\u00a0\u00e9'],
    [[0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38], '12345678'],
    [[], ''],
  ];
  for (const [bytes, shown] of vectors) {
    const auth = new Uint8Array(8);
    auth.set(bytes);
    const f = advertFrame({ version: 2, vrid: 9, authType: 1, auth, addresses: ['10.0.0.9'] }, { src: '10.0.0.1' }, { srcMac: '52:54:00:00:00:01' });
    const d = new PacketDecoder();
    assert.equal(d.decode(f, 0, f.length, f.length, 5, 0, 1), Kind.Advert);
    const masked = bytes.length === 0 ? '' : '********';
    for (const [showAuth, want] of [[true, shown], [false, masked]] as const) {
      const o = JSON.parse(advertJson(d.rec, 'master', null, { showAuth })!) as { authText: string };
      assert.equal(o.authText, want, `${JSON.stringify(bytes)} showAuth ${showAuth}`);
      const l = JSON.parse(new AdvertJsonLines(showAuth).line(d.rec, 'master', null)!) as { authText: string };
      assert.equal(l.authText, want, `memo printer, ${JSON.stringify(bytes)} showAuth ${showAuth}`);
    }
  }
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
