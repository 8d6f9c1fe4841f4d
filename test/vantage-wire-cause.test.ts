// Unit tests of the split brain's cause told from the captures (src/analyze/vantage/wire-cause.ts: part of the
// mutation part `vantage-wire`, docs/analysis.md §14.4; docs/findings.md): host-drop, network or network-loss
// from the adverts before a takeover, while both advertised, or all of them; the winner, unknown wires, IPv6.
// Why: only test/vantage.test.ts (8 s, through the CLI) reached this file, so a changed threshold or evidence
// word went unnoticed or cost the whole run. A hand-made WireEvidence answers toWireOf(); the expected values
// follow from the rules, not from a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wireCause, type WireDelivery, type WireEvidence } from '../src/analyze/vantage/wire-cause.js';
import type { SourceState } from '../src/analyze/source-state.js';
import { RouterState } from '../src/analyze/router-state.js';
import type { Finding } from '../src/analyze/model.js';
import { delivery, lost } from './support/vantage-deliveries.js';
import { H, L, R99, source } from './support/vantage-sources.js';

// ---------------------------------------------------------------------------------------------------
// wire-cause.ts: a hand-made WireEvidence answers toWireOf()

function wires(answers: Record<string, WireDelivery | string>): WireEvidence & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    toWireOf(from: string, to: string, router: string) { asked.push(`${from}>${to}@${router}`); return answers[`${from}>${to}@${router}`] ?? null; },
    cause: () => null,
  };
}

function run(answers: Record<string, WireDelivery | string>, advs: SourceState[] = [L, H], r = R99) {
  const ev: string[] = [];
  const ctx: Finding['fixContext'] = { deafHost: null, peers: [], multicast: null, family: 4 };
  const w = wires(answers);
  const cause = wireCause(r, advs, w, ev, ctx);
  return { cause, ev, ctx, asked: w.asked };
}

const HEAD = 'adverts from 10.0.0.1 that reached 10.0.0.2\'s wire (b): ';

test('wire cause: the winner\'s adverts right before the other took over all reached its wire: host-drop on it', () => {
  const r = run({
    '10.0.0.1>10.0.0.2@v4/99': { d: lost(50, 10), wire: 'b', others: [], before: { takeovers: 2, expected: 6, arrived: 6 } },
    '10.0.0.2>10.0.0.1@v4/99': { d: delivery({ to: 'a', toSource: '10.0.0.1', expected: 30, arrived: 29 }), wire: 'a', others: [], before: null },
  });
  assert.equal(r.cause, 'host-drop');
  assert.deepEqual(r.ev, [HEAD + '6 of 6 in the 3 intervals before 10.0.0.2 took over (2 times); 10 of 50 while both captures ran ' +
    '(80 % lost, 1 run, the longest 40 in a row from 10:00:10.000 UTC to 10:00:49.000 UTC): they reach 10.0.0.2\'s wire, yet 10.0.0.2 took ' +
    'over as master: its host drops them after they arrive (its firewall, rp_filter, the wrong interface or keepalived\'s socket); ' +
    '10.0.0.2\'s adverts reached 10.0.0.1\'s wire (a): 29 of 30']);
  assert.deepEqual(r.ctx, { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 });
  assert.deepEqual(r.asked, ['10.0.0.1>10.0.0.2@v4/99', '10.0.0.2>10.0.0.1@v4/99']);
});

test('wire cause: without adverts before a takeover, those sent while both advertised decide: 98 % is all of them', () => {
  const at = (dualArrived: number) => run({
    '10.0.0.1>10.0.0.2@v4/99': { d: delivery({ expected: 60, arrived: 60, dualExpected: 50, dualArrived }), wire: 'b', others: [],
      before: { takeovers: 1, expected: 0, arrived: 0 } },
  }, [L, source('10.0.0.1', 100, 0)]);
  const all = at(49);
  assert.equal(all.cause, 'host-drop');
  assert.deepEqual(all.ev, [HEAD + '49 of 50 while 10.0.0.2 advertised too; 60 of 60 while both captures ran: they reach 10.0.0.2\'s wire, ' +
    'yet 10.0.0.2 took over as master: its host drops them after they arrive (its firewall, rp_filter, the wrong interface or keepalived\'s socket)']);
  assert.equal(all.ctx.multicast, null);
  const most = at(48);
  assert.equal(most.cause, 'network-loss');
  assert.deepEqual(most.ev, [HEAD + '48 of 50 while 10.0.0.2 advertised too; 60 of 60 while both captures ran: the network between them ' +
    'loses part of them, direction 10.0.0.1 → 10.0.0.2']);
});

test('wire cause: without dual adverts, all of them decide; 2 % arrived is none (network), more is network-loss', () => {
  const at = (arrived: number) => run({
    '10.0.0.1>10.0.0.2@v4/99': { d: lost(50, arrived), wire: 'b', others: [
      delivery({ to: 'obs', toSource: null, expected: 50, arrived: 50 }), delivery({ to: 'c', toSource: '10.0.0.3', expected: 0, arrived: 0 }),
      delivery({ to: 'd', toSource: '10.0.0.4', expected: 40, arrived: 39 })], before: null },
    '10.0.0.2>10.0.0.1@v4/99': 'cannot be told (whatever)',
  });
  const none = at(1);
  assert.equal(none.cause, 'network');
  assert.deepEqual(none.ev, [HEAD + '1 of 50 while both captures ran (98 % lost, 1 run, the longest 49 in a row from 10:00:01.000 UTC to ' +
    '10:00:49.000 UTC) (on the other captures: obs: 50 of 50, d: 39 of 40): the network between them drops them, direction 10.0.0.1 → 10.0.0.2']);
  assert.deepEqual(none.ctx, { deafHost: '10.0.0.2', peers: ['10.0.0.1'], multicast: '224.0.0.18', family: 4 });
  const some = at(2);
  assert.equal(some.cause, 'network-loss');
  assert.deepEqual(some.ev, [HEAD + '2 of 50 while both captures ran (96 % lost, 1 run, the longest 48 in a row from 10:00:02.000 UTC to ' +
    '10:00:49.000 UTC) (on the other captures: obs: 50 of 50, d: 39 of 40): the network between them loses part of them, direction 10.0.0.1 → 10.0.0.2']);
});

test('wire cause: network or loss counts the dual adverts only when there were 3 of them', () => {
  const at = (dualExpected: number) => run({
    '10.0.0.1>10.0.0.2@v4/99': { d: lost(50, 25, { dualExpected, dualArrived: 0, spellCount: 3 }), wire: 'b', others: [],
      before: { takeovers: 1, expected: 3, arrived: 0 } },
  });
  const three = at(3);
  assert.equal(three.cause, 'network');
  assert.deepEqual(three.ev, [HEAD + '0 of 3 in the 3 intervals before 10.0.0.2 took over (1 time); 0 of 3 while 10.0.0.2 advertised too; ' +
    '25 of 50 while both captures ran (50 % lost, 3 runs, the longest 25 in a row from 10:00:25.000 UTC to 10:00:49.000 UTC): ' +
    'the network between them drops them, direction 10.0.0.1 → 10.0.0.2']);
  assert.equal(at(2).cause, 'network-loss');
});

test('wire cause: the winner is the election\'s; a loss without a known run adds no parenthesis', () => {
  const r = run({
    '10.0.0.3>10.0.0.2@v4/99': { d: delivery({ arrived: 40, lost: 10, lossPercent: 20 }), wire: 'b', others: [], before: null },
  }, [source('10.0.0.1', 90), L, source('10.0.0.3', 90)]);
  // 10.0.0.3 wins the tie on priority by its higher address; 10.0.0.1 gets no answer, 10.0.0.2 does
  assert.equal(r.cause, 'network-loss');
  assert.deepEqual(r.ev, ['adverts from 10.0.0.3 that reached 10.0.0.2\'s wire (b): 40 of 50 while both captures ran: the network between ' +
    'them loses part of them, direction 10.0.0.3 → 10.0.0.2']);
  assert.deepEqual(r.asked, ['10.0.0.3>10.0.0.1@v4/99', '10.0.0.3>10.0.0.2@v4/99', '10.0.0.2>10.0.0.3@v4/99']);
});

test('wire cause: an unknown wire is said and the next master is tried; nothing expected is skipped; none decided is null', () => {
  const L2 = source('10.0.0.5', 50);
  const told = run({
    '10.0.0.1>10.0.0.2@v4/99': 'cannot be told (no advert of 10.0.0.2 was matched)',
    '10.0.0.1>10.0.0.5@v4/99': { d: lost(50, 0, { to: 'e', toSource: '10.0.0.5' }), wire: 'e', others: [], before: null },
  }, [H, L, L2]);
  assert.equal(told.cause, 'network');
  assert.equal(told.ev[0], 'whether 10.0.0.1\'s adverts reached 10.0.0.2\'s wire cannot be told from these captures: which one was taken on ' +
    '10.0.0.2 cannot be told (no advert of 10.0.0.2 was matched)');
  assert.match(told.ev[1], /^adverts from 10\.0\.0\.1 that reached 10\.0\.0\.5's wire \(e\): 0 of 50 while both captures ran \(100 % lost, 1 run,/);
  assert.equal(told.ctx.deafHost, '10.0.0.5');
  const ctx0 = { deafHost: null, peers: [], multicast: null, family: 4 };
  const none = run({
    '10.0.0.1>10.0.0.2@v4/99': { d: delivery({ expected: 0, arrived: 0 }), wire: 'b', others: [], before: null },
    '10.0.0.1>10.0.0.5@v4/99': 'cannot be told (why)',
  }, [H, L, L2]);
  assert.deepEqual([none.cause, none.ev.length, none.ctx], [null, 1, ctx0]);
  assert.equal(run({}, [H, L]).cause, null);
});

test('wire cause: IPv6 routers quote the IPv6 group', () => {
  const r6 = new RouterState(2, 'v6/7', 6, 7, -1, 0);
  const r = run({ '10.0.0.1>10.0.0.2@v6/7': { d: lost(50, 0), wire: 'b', others: [], before: null } }, [H, L], r6);
  assert.deepEqual([r.cause, r.ctx.multicast], ['network', 'ff02::12']);
});

test('wire cause: without adverts before a takeover nor while both advertised, all of them reaching its wire is host-drop', () => {
  const r = run({ '10.0.0.1>10.0.0.2@v4/99': { d: delivery({ expected: 50, arrived: 50 }), wire: 'b', others: [], before: null } });
  assert.equal(r.cause, 'host-drop');
  assert.deepEqual(r.ev, [HEAD + '50 of 50 while both captures ran: they reach 10.0.0.2\'s wire, yet 10.0.0.2 took over as master: its host ' +
    'drops them after they arrive (its firewall, rp_filter, the wrong interface or keepalived\'s socket)']);
});

test('wire cause: 1 of 50 while both advertised is none of them (network), though half of all arrived', () => {
  const r = run({ '10.0.0.1>10.0.0.2@v4/99': { d: lost(100, 50, { dualExpected: 50, dualArrived: 1 }), wire: 'b', others: [], before: null } });
  assert.equal(r.cause, 'network');
  assert.match(r.ev[0], /^adverts from 10\.0\.0\.1 that reached 10\.0\.0\.2's wire \(b\): 1 of 50 while 10\.0\.0\.2 advertised too; 50 of 100 .*: the network between them drops them, direction 10\.0\.0\.1 → 10\.0\.0\.2$/);
});
