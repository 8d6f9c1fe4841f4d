// Random advert streams (seeded): the analyzer must never throw, and its snapshot must keep its
// invariants (JSON without NaN/undefined, periods ordered, counts consistent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer, setFastPathForTests } from '../src/analyze/analyzer.js';
import { Reject } from '../src/decode/packet.js';
import { advert, icmpError, other, rejectRec } from './support/records.js';
import type { PacketRecord } from '../src/decode/packet.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function noNaN(v: unknown, path: string): void {
  if (typeof v === 'number') assert.ok(Number.isFinite(v), `${path} = ${v}`);
  else if (v === undefined) assert.fail(`${path} is undefined`);
  else if (Array.isArray(v)) v.forEach((x, i) => noNaN(x, `${path}[${i}]`));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (x !== undefined || k === 'findingCode') { if (x !== undefined) noNaN(x, `${path}.${k}`); }
}

test('random advert streams: no exception, snapshot invariants hold', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const r = rng(seed);
    const an = new Analyzer({ expectVrids: [1, 2, 200], maxEvents: 50 });
    let t = 1000 + r() * 10;
    let adverts = 0;
    let frames = 0;
    for (let i = 0; i < 400; i++) {
      t += r() < 0.1 ? r() * 8 : r() * 0.7;
      const k = r();
      let p: PacketRecord;
      if (k < 0.75) {
        const src = `10.0.0.${1 + Math.floor(r() * 4)}`;
        p = advert({
          t, src, vrid: 1 + Math.floor(r() * 2), prio: r() < 0.05 ? 0 : r() < 0.05 ? 255 : 50 + Math.floor(r() * 3) * 25,
          version: r() < 0.9 ? 2 : 3, interval: r() < 0.9 ? 1 : 3, auth: r() < 0.95 ? 'secret' : 'x',
          ttl: r() < 0.95 ? 255 : 254, vlan: r() < 0.9 ? -1 : 10, checksum: r() < 0.95 ? 0 : Math.floor(r() * 5),
          dst: r() < 0.9 ? undefined : '10.0.0.9', ipId: i, addrs: r() < 0.95 ? undefined : ['10.9.9.9'],
        });
        adverts++;
      } else if (k < 0.85) p = other(t);
      else if (k < 0.9) p = rejectRec(t, 1 + Math.floor(r() * 8) as Reject);
      else if (k < 0.95) p = icmpError(t, '10.0.0.2', '10.0.0.1', '10.0.0.2', 1);
      else { an.tick(t); continue; }
      frames++;
      const n = an.packet(p);
      assert.ok(['master', 'new-master', 'contender', 'resign', 'echo', 'anomaly', 'other'].includes(n));
      if (n === 'anomaly') assert.equal(typeof an.lastAnomaly, 'string');
      if (i % 97 === 0) an.snapshot();
    }
    an.finish();
    const s = an.snapshot();
    noNaN(s, 'snapshot');
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
    assert.equal(s.stats.frames, frames);
    assert.equal(s.stats.vrrpAdverts, adverts);
    assert.ok(s.events.length <= 50);
    let sum = 0;
    for (const rt of s.routers) {
      sum += rt.adverts;
      assert.ok(['ok', 'split-brain', 'no-master', 'resigned', 'transition'].includes(rt.state));
      assert.equal(rt.adverts, rt.advertisers.reduce((x, a) => x + a.adverts, 0));
      for (const p of [...rt.splitBrains, ...rt.noMasters]) {
        assert.ok(p.end !== null, `${rt.key}: period left open after finish()`);
        assert.ok(p.end! >= p.start, `${rt.key}: end before start`);
        assert.ok(Math.abs(p.end! - p.start - p.duration) < 1e-6);
      }
      for (const f of rt.failovers) if (f.duration !== null) assert.ok(f.duration >= 0);
      if (rt.splitBrains.length > 0 || rt.noMasters.length > 0) assert.equal(rt.worst, 'critical');
    }
    assert.equal(sum, adverts);
    assert.ok(s.findings.some((f) => f.code === 'expected-vrid-missing' && f.vrid === 200));
  }
});

test('the steady-state fast path gives exactly what the general path gives', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const make = () => {
      const r = rng(seed);
      const out: PacketRecord[] = [];
      let t = 5000;
      for (let i = 0; i < 300; i++) {
        t += r() < 0.05 ? 5 : 0.9 + r() * 0.2;
        const src = r() < 0.85 ? '10.0.0.1' : '10.0.0.2';
        out.push(advert({ t, src, prio: src === '10.0.0.1' ? (r() < 0.05 ? 90 : 100) : 80, ttl: r() < 0.03 ? 254 : 255,
          checksum: r() < 0.03 ? 3 : 0, dst: r() < 0.03 ? '10.0.0.2' : undefined, ipId: i }));
      }
      return out;
    };
    const runWith = (fast: boolean) => {
      setFastPathForTests(fast);
      try {
        const an = new Analyzer();
        const notes: string[] = [];
        for (const p of make()) notes.push(an.packet(p) + ':' + an.lastAnomaly);
        an.finish();
        return { notes, snap: an.snapshot() };
      } finally {
        setFastPathForTests(true);
      }
    };
    const a = runWith(true), b = runWith(false);
    assert.deepEqual(a.notes, b.notes, `seed ${seed}`);
    assert.deepEqual(a.snap, b.snap, `seed ${seed}`);
  }
});
