// The lab's captures (pcaps/lab; MANIFEST.md says what was done to record each), the numbers the lab
// fixes by construction, and which verdict test file covers each capture.
//
// The numbers the lab fixes by construction (Master_Down_Interval 3.6875 s and Skew_Time 0.6875 s for
// priority 80 at 1 s, the addresses, the priorities, the causes) are literals; the reference times are
// not: the verdict tests read them from the packets (lab-capture-reader.ts).
//
// Every capture has its verdict tests in exactly one test/lab-verdicts*.test.ts file: the one whose list
// below names it. Node's test runner runs each test file in a process of its own, so no one set of the
// captures tested can span the files. Instead:
//  - each verdict file makes its tests with verdictTests() (lab-cli.ts), which notes the captures they
//    test, and ends with a test that those are its list here, no more and no fewer (a list cannot claim
//    a capture its file does not test, nor leave out one it tests);
//  - lab-verdicts.test.ts checks that the lists are those of the test/lab-verdicts*.test.ts files and that
//    together they are the .pcap files of pcaps/lab, each in exactly one list.

export const DIR = 'pcaps/lab';
export const A = '10.99.0.1';
export const B = '10.99.0.2';
export const MDI_80 = 3.6875; // Master_Down_Interval of B: 3 * 1 s + (256 - 80) / 256
export const SKEW_80 = 0.6875; // Skew_Time of B
export const MS5 = 0.005;

/** Per verdict test file (its name in test/), the captures of pcaps/lab (without .pcap) that it tests. */
export const CAPTURES_BY_VERDICT_FILE: Readonly<Record<string, readonly string[]>> = {
  // one master at a time: steady state, failovers, preemptions, priority steps, VRRPv3, unicast, three nodes
  'lab-verdicts.test.ts': [
    'healthy', 'failover-crash', 'failover-graceful', 'unicast-healthy', 'v3-ipv6', 'v3-ipv4',
    'weight-too-small', 'weight-failover', 'preemption', 'cluster-of-three',
  ],
  // split brains: firewalls, a heal, TTL, unicast against multicast, IPv6, a stateful firewall's one advert
  'lab-verdicts-split-brain.test.ts': [
    'splitbrain-firewall-drop', 'splitbrain-equal-priority-firewall-drop', 'splitbrain-firewall-reject-multicast',
    'splitbrain-firewall-reject-unicast', 'splitbrain-heals', 'splitbrain-ttl-254', 'splitbrain-unicast-vs-multicast',
    'splitbrain-v3-ipv6-firewall', 'unicast-stateful-fw-no-vrrp-rule',
  ],
  // configuration mismatches, and who holds the VIP (issue 12)
  'lab-verdicts-ownership.test.ts': [
    'splitbrain-auth-mismatch', 'splitbrain-interval-mismatch', 'splitbrain-version-mismatch', 'splitbrain-vip-mismatch',
    'vipconflict-adverts-dropped', 'vipconflict-after-splitbrain', 'failover-garp-lost', 'splitbrain-heals-loser-last',
    'splitbrain-interval-resign',
  ],
  // the vantage-point captures, each read alone
  'lab-verdicts-vantage.test.ts': [
    'vantage-network-drop-a', 'vantage-network-drop-b', 'vantage-network-drop-c', 'vantage-host-drop-a',
    'vantage-host-drop-b', 'vantage-loss-30-a', 'vantage-loss-30-b', 'vantage-loss-30-c',
  ],
};
