// What `--help` prints after the option lists: exit codes and a few examples, for the main command, `check`
// and `doctor`. Printed as written (commander wraps only the option lists), so every line stays within 80
// columns. The man page (man/vrrpwatch.1) says the same at length; test/man-page.test.ts keeps the option
// lists of both in step, test/cli.test.ts the width.

export const MAIN_HELP_AFTER = `
Exit status:
  0  analysed, whatever the verdict ('check' gives a status to alert on)
  1  the capture or the interface could not be read (what was read before a
     capture broke off is reported first)
  2  bad arguments
  check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (vrrpwatch check --help)

Examples:
  vrrpwatch -i enp0s3                    live dashboard (lines when piped)
  vrrpwatch -i enp0s3 --no-tui -w vrrp.pcap
                                         a line per advert; keep a capture too
  vrrpwatch -r vrrp.pcap                 verdict, timeline, cause and fix
  vrrpwatch -r vrrp.pcap --json          the same as a JSON document
  vrrpwatch -r lb1.pcap -r lb2.pcap      captures of both nodes, read together:
                                         host or network, which direction
  vrrpwatch check -i enp0s3 -t 10        Nagios/Icinga: one line, exit 0-3
  vrrpwatch -D                           the interfaces to capture on

More in 'man vrrpwatch'.`;

export const CHECK_HELP_AFTER = `
Exit status (as monitoring plugins):
  0  OK        one master per virtual router all along
  1  WARNING   settings that differ between nodes (interval, auth,
               version), TTL not 255, a VRID collision, flapping,
               neighbours told a MAC that is not the master's, a
               tracked check failed on the master, rejected packets, a
               corrupt capture
  2  CRITICAL  split brain (also one that healed), a virtual address
               held by two hosts, no master, a VRID given with
               --expect-vrid absent
  3  UNKNOWN   the check could not run (bad option, no capture permission,
               unreadable file), or no VRRP at all (without --expect-vrid)

Examples:
  vrrpwatch check -i enp0s3 -t 10 --expect-vrid 51    Nagios/Icinga
  vrrpwatch check -i enp0s3 --expect-vrid 51 -q       cron: silent when OK
  vrrpwatch check -r vrrp.pcap -v                     a capture, long output

More in 'man vrrpwatch'.`;


export const DOCTOR_HELP_AFTER = `
Exit status (as check):
  0  OK        nothing found that would split the brain
  1  WARNING   something to fix that does not split the brain by itself,
               or a firewall rule whose effect could not be judged
  2  CRITICAL  a difference or a firewall rule that makes a peer drop
               adverts: a split brain follows the first time it matters
  3  UNKNOWN   doctor could not run (bad option, unreadable configuration
               or ruleset, no capture permission)

Examples:
  vrrpwatch doctor                        this node, its ruleset in force
  vrrpwatch doctor -i enp0s3 -t 10        and the peers' adverts for 10 s
  vrrpwatch doctor --config lb2.conf --ruleset lb2.nft --peer-priority 80
                                          another node's files, reviewed here

Details in docs/doctor.md and 'man vrrpwatch'.`;
