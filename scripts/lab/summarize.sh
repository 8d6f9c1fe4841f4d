#!/usr/bin/env bash
# Summarise lab captures from tcpdump's view: per VRRP advertiser, first/last advert (seconds from the
# capture's first packet), count and priorities; the intervals during which both a and b advertised;
# ICMP errors; ARP count. Usage: scripts/lab/summarize.sh pcaps/lab/*.pcap
set -euo pipefail
for f in "$@"; do
  echo "== $(basename "$f")"
  tcpdump -tt -nn -v -r "$f" 2>/dev/null | awk '
    function rel(t) { return sprintf("%.3f", t - t0) }
    NR == 1 { t0 = $1 }
    /^[0-9]/ { t = $1; hdr = $0 }
    / ARP, / { arp++ }
    /ICMP/ && /unreachable|prohibited/ { icmp++; if (icmp == 1) firsticmp = rel(t) }
    /VRRPv[23], Advertisement/ {
      # the -v output prints the IP header line first, then "SRC > DST: VRRPvN, ..." on the next line
      line = $0
      match(line, /[^ ]+ > [^ ]+: VRRPv/); split(substr(line, RSTART, RLENGTH), w, " "); src = w[1]
      match(line, /VRRPv[23]/); ver = substr(line, RSTART, RLENGTH)
      match(line, /prio [0-9]+/); prio = substr(line, RSTART + 5, RLENGTH - 5)
      match(line, /intvl [0-9.]+c?s/); iv = substr(line, RSTART + 6, RLENGTH - 6)
      if (!(src in n)) { order[++ns] = src; first[src] = t }
      n[src]++; last[src] = t
      if (index(" " prios[src] " ", " " prio " ") == 0) prios[src] = prios[src] (prios[src] ? " " : "") prio
      info[src] = ver " intvl " iv
    }
    END {
      for (i = 1; i <= ns; i++) { s = order[i]
        printf "  %-28s %s  adverts %3d  first %7s  last %7s  prio %s\n", s, info[s], n[s], rel(first[s]), rel(last[s]), prios[s] }
      printf "  arp %d  icmp-errors %d%s  span %s s\n", arp, icmp, (icmp ? " (first " firsticmp ")" : ""), rel(t)
    }'
done
