#!/usr/bin/env bash
# Regenerate every capture in pcaps/lab/ from real keepalived in network namespaces (see lab.sh).
# Usage: scripts/lab/record-all.sh [SCENARIO...]   (default: all of `lab.sh scenarios`, 25; needs root, keepalived, tcpdump, iptables)
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
  printf '%-40s %6s bytes %4s packets %4s VRRP\n' "$sc.pcap" "$(stat -c %s "$out/$sc.pcap")" \
    "$(tcpdump -nn -r "$out/$sc.pcap" 2>/dev/null | wc -l)" "$(tcpdump -nn -r "$out/$sc.pcap" 'ip proto 112 or ip6 proto 112' 2>/dev/null | wc -l)"
done
