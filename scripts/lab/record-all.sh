#!/usr/bin/env bash
# Regenerate every capture in pcaps/lab/ from real keepalived in network namespaces (see lab.sh).
# Usage: scripts/lab/record-all.sh [SCENARIO...]   (default: all of `lab.sh scenarios`, 31; needs root, keepalived, tcpdump, iptables)
# Each scenario runs in its own lab (own namespaces, torn down by lab.sh's trap), one after another.
# What each capture must show is written in pcaps/lab/MANIFEST.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(cd "$here/../.." && pwd)/pcaps/lab
mkdir -p "$out"
if [ $# -gt 0 ]; then scenarios=("$@"); else mapfile -t scenarios < <("$here/lab.sh" scenarios); fi
for sc in "${scenarios[@]}"; do
  echo "== $sc" >&2
  "$here/lab.sh" record "$sc" "$out/$sc.pcap"
  # vantage scenarios write one capture per node: SCENARIO-a.pcap, -b, -c
  for f in "$out/$sc.pcap" "$out/$sc"-[abc].pcap; do
    [ -f "$f" ] || continue
    printf '%-40s %6s bytes %4s packets %4s VRRP\n' "$(basename "$f")" "$(stat -c %s "$f")" \
      "$(tcpdump -nn -r "$f" 2>/dev/null | wc -l)" "$(tcpdump -nn -r "$f" 'ip proto 112 or ip6 proto 112' 2>/dev/null | wc -l)"
  done
done
