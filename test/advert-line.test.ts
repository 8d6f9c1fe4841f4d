// The NDJSON advert line is concatenated by hand for speed (src/report/advert-line.ts): it must be exactly
// JSON.stringify of the documented object (docs/adverts-json.md) for every advert in every capture we have,
// including wire text that needs escaping (auth text) and analyzer notes with quotes and control characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../src/capture/file.js';
import { PacketDecoder, Kind, CHECKSUM_NAMES } from '../src/decode/index.js';
import type { PacketRecord } from '../src/decode/index.js';
import type { AdvertNote } from '../src/analyze/model.js';
import { advertJson } from '../src/report/advert-line.js';
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
  const dirs = ['pcaps/lab', 'pcaps/edge', '../shared/public-pcaps/tcpdump-tests'].filter((d) => existsSync(d));
  return dirs.flatMap((d) => readdirSync(d).filter((f) => /\.(pcap|pcapng)$/.test(f)).map((f) => join(d, f)));
}

const ANOMALIES: Array<string | null> = [null, 'interval 2 s, others 1 s', 'auth "x\\y"\n\u0001\u001b[31m é ☃'];
const NOTES: AdvertNote[] = ['master', 'contender'];

test('hand-built advert JSON line = JSON.stringify of the documented object, for every advert in pcaps/', () => {
  const files = captures();
  assert.ok(files.length >= 20, `captures found: ${files.length}`);
  let checked = 0;
  let withAuth = 0;
  let v3 = 0;
  for (const file of files) {
    if (file.endsWith('not-a-capture.pcap')) continue;
    const d = new PacketDecoder();
    readCaptureFile(file, {
      frame(buf, off, caplen, origlen, tsSec, tsNsec, linktype) {
        if (d.decode(buf, off, caplen, origlen, tsSec, tsNsec, linktype) !== Kind.Advert) return;
        const p = d.rec;
        for (const showAuth of [false, true]) {
          const note = NOTES[checked % NOTES.length]!;
          const anomaly = ANOMALIES[checked % ANOMALIES.length]!;
          const line = advertJson(p, note, anomaly, { showAuth });
          assert.equal(line, reference(p, note, anomaly, showAuth), `${file}: advert at ${p.tsSec}.${p.tsNsec}`);
          checked++;
        }
        if (p.version === 2 && p.authType === 1) withAuth++;
        if (p.version === 3) v3++;
      },
    });
  }
  assert.ok(checked > 500, `adverts checked: ${checked / 2}`);
  assert.ok(withAuth > 50 && v3 > 10, `auth text and VRRPv3 covered (${withAuth} with auth, ${v3} v3)`);
});
