#!/usr/bin/env bash
# Live-capture load test (not a timed test; needs root, tcpreplay, tcpdump, the built binding).
#
# Replays a pure-VRRP capture with `tcpreplay --pps=R` into a veth inside a namespace of our own (vwv-load-*),
# at rising rates, and on the other end captures, IN THE SAME RUN, with
#   - vrrpwatch itself: `bin/vrrpwatch -i IFACE --no-tui --json -s SNAPLEN -B BUFFER_KIB` (the real CLI:
#     default filter, immediate mode, every frame through decode + analysis, one NDJSON line per advert
#     written to a pipe), stopped by SIGTERM after the replay; its adverts and pcap drops are read from
#     the `kind: "summary"` line it prints on exit;
#   - `tcpdump -w /dev/null` with the same filter, snaplen and buffer;
#   - with BINDING=1 also the bare binding (bench/live-load-consumer.ts: capture and count, no decoding).
# For each rate it prints what was sent, what each counted, and libpcap's drop counters; at the end, the
# highest rate at which every advert was counted with zero pcap drops, for each.
#
# Usage: bench/live-load.sh [RATES...]       (default: 50000 100000 200000 300000 400000)
# Env:   SECONDS_PER_RATE (default 3), SNAPLEN (512), BUFFER_KIB (4096), OUT (bench/out/live-load.txt),
#        CLI_ARGS (extra vrrpwatch options), BINDING=1 (add the bare binding consumer; it competes for the CPU),
#        IMMEDIATE=0 (bare binding in libpcap's buffered mode, TIMEOUT_MS=20 delivery bound) to compare CPU
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "live-load: needs root (network namespaces)" >&2; exit 2; }
for c in tcpreplay tcpdump ip; do command -v $c >/dev/null || { echo "live-load: $c is missing" >&2; exit 2; }; done
[ -f native/build/Release/vrrpcap.node ] || { echo "live-load: binding not built: npm run build:native" >&2; exit 2; }
[ -f dist/src/cli/main.js ] || { echo "live-load: CLI not built: npm run build" >&2; exit 2; }

RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(50000 100000 200000 300000 400000)
SECS=${SECONDS_PER_RATE:-3}
SNAPLEN=${SNAPLEN:-512}
BUFFER_KIB=${BUFFER_KIB:-4096}
OUT=${OUT:-bench/out/live-load.txt}
BINDING=${BINDING:-0}
read -r -a CLI_EXTRA <<<"${CLI_ARGS:-}"
NSA=vwv-load-$$-a
NSB=vwv-load-$$-b
TMP=$(mktemp -d /tmp/vwv-load.XXXXXX)
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del "$NSA" 2>/dev/null || true
  ip netns del "$NSB" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM HUP

ip netns add "$NSA"
ip netns add "$NSB"
ip -n "$NSA" link add vwv-la0 type veth peer name vwv-lb0 netns "$NSB"
ip -n "$NSA" link set vwv-la0 up
ip -n "$NSB" link set vwv-lb0 up
# no IPv6 chatter (router solicitations, MLD) on the measured path
ip netns exec "$NSA" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 || true
ip netns exec "$NSB" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 || true

node --import tsx bench/live-load-gen.ts "$TMP/vrrp.pcap" 100000
FILTER=$(node --import tsx -e "import('./src/live/filter.ts').then((m) => process.stdout.write(m.DEFAULT_FILTER))")

softnet_drops() { local s=0 a b rest; while read -r a b rest; do s=$((s + 16#$b)); done </proc/net/softnet_stat; echo "$s"; }

mkdir -p "$(dirname "$OUT")"
{
  echo "# vrrpwatch live capture load, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r), $(node -v), $(tcpdump --version 2>&1 | sed -n 2p)"
  echo "# pure VRRPv2 frames (60 B) replayed by tcpreplay into a veth; snaplen $SNAPLEN, buffer ${BUFFER_KIB} KiB, default filter"
  echo "# vrrpwatch = bin/vrrpwatch -i IFACE --no-tui --json ${CLI_ARGS:-}(adverts and drops from its exit summary; cpu_ms = its user+sys CPU)"
  [ "$BINDING" = 1 ] && echo "# binding = bare capture-and-count consumer, immediate=${IMMEDIATE:-1}"
  printf '%-8s %-9s %-9s | %-9s %-7s %-7s | %-9s %-7s' rate_pps sent actual_pps vrrpwatch drops cpu_ms tcpdump drops
  [ "$BINDING" = 1 ] && printf ' | %-9s %-7s %-7s %-8s %-7s' binding drops batches maxbatch cpu_ms
  printf '\n'
} | tee "$OUT"

best_v=0; best_b=0; best_t=0
json_field() { node -e "let r={};try{r=JSON.parse(process.argv[1])}catch{};const v=(${2});console.log(v===undefined||v===null||Number.isNaN(v)?-1:v)" "$1"; }
for R in "${RATES[@]}"; do
  N=$((R * SECS))
  # capture side, all on vwv-lb0: vrrpwatch itself, tcpdump, optionally the bare binding consumer
  : >"$TMP/vw.err"; : >"$TMP/vw.sum"
  ip netns exec "$NSB" node bin/vrrpwatch -i vwv-lb0 --no-tui --json -s "$SNAPLEN" -B "$BUFFER_KIB" "${CLI_EXTRA[@]}" \
    2>"$TMP/vw.err" > >(tail -n 1 >"$TMP/vw.sum") &
  VPID=$!; PIDS+=("$VPID")
  if [ "$BINDING" = 1 ]; then
    coproc CONS { exec ip netns exec "$NSB" node --import tsx bench/live-load-consumer.ts vwv-lb0 "$SNAPLEN" "$BUFFER_KIB" 2>&1; }
    CPID=$CONS_PID; PIDS+=("$CPID")
    read -r line <&"${CONS[0]}"
    [ "$line" = ready ] || { echo "live-load: consumer failed: $line" >&2; exit 1; }
  fi
  ip netns exec "$NSB" tcpdump -i vwv-lb0 -nn -s "$SNAPLEN" -B "$BUFFER_KIB" -w /dev/null "$FILTER" 2>"$TMP/tcpdump.err" &
  TPID=$!; PIDS+=("$TPID")
  for _ in $(seq 50); do grep -q listening "$TMP/tcpdump.err" 2>/dev/null && grep -q listening "$TMP/vw.err" && break; sleep 0.1; done
  grep -q listening "$TMP/vw.err" || { echo "live-load: vrrpwatch did not start: $(head -c 300 "$TMP/vw.err")" >&2; exit 1; }
  sd0=$(softnet_drops)
  ip netns exec "$NSA" tcpreplay -q --pps="$R" --loop=0 --limit="$N" -i vwv-la0 "$TMP/vrrp.pcap" >"$TMP/replay.out" 2>&1 || true
  sleep 1
  kill -INT "$TPID" 2>/dev/null || echo "#   tcpdump had exited: $(head -c 300 "$TMP/tcpdump.err")" | tee -a "$OUT"; wait "$TPID" 2>/dev/null || true
  # vrrpwatch's CPU time (user+sys, clock ticks) just before it is asked to stop
  v_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$VPID/stat" 2>/dev/null || echo -1)
  kill -TERM "$VPID" 2>/dev/null || true
  wait "$VPID" 2>/dev/null || true
  for _ in $(seq 50); do [ -s "$TMP/vw.sum" ] && break; sleep 0.1; done
  vsum=$(cat "$TMP/vw.sum")
  v_adv=$(json_field "$vsum" 'r.kind==="summary"?r.stats.vrrpAdverts:undefined')
  v_drop=$(json_field "$vsum" 'r.kind==="summary"?(r.stats.pcapDropped??0)+(r.stats.pcapIfDropped??0):undefined')
  [ "$v_adv" != -1 ] || echo "#   vrrpwatch gave no summary: $(head -c 300 "$TMP/vw.err")" | tee -a "$OUT"
  if [ "$BINDING" = 1 ]; then
    kill -TERM "$CPID"
    read -r res <&"${CONS[0]}" || res='{}'
    wait "$CPID" 2>/dev/null || true
  fi
  sd1=$(softnet_drops)
  sent=$(sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' "$TMP/replay.out")
  secs=$(sed -n 's/.*packets ([0-9]* bytes) sent in \([0-9.]*\) seconds.*/\1/p' "$TMP/replay.out")
  actual=$(awk -v n="$sent" -v s="$secs" 'BEGIN { if (s > 0) printf "%d", n / s; else print 0 }')
  t_cap=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$TMP/tcpdump.err")
  t_drop=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$TMP/tcpdump.err")
  printf '%-8s %-9s %-9s | %-9s %-7s %-7s | %-9s %-7s' "$R" "$sent" "$actual" "$v_adv" "$v_drop" "$v_cpu" "$t_cap" "$t_drop" | tee -a "$OUT"
  if [ "$BINDING" = 1 ]; then
    b_adv=$(json_field "$res" 'r.adverts')
    b_drop=$(json_field "$res" '(r.dropped??0)+(r.ifDropped??0)')
    b_bat=$(json_field "$res" 'r.batches??0')
    b_max=$(json_field "$res" 'r.maxBatch??0')
    b_cpu=$(json_field "$res" 'r.cpuMs??0')
    printf ' | %-9s %-7s %-7s %-8s %-7s' "$b_adv" "$b_drop" "$b_bat" "$b_max" "$b_cpu" | tee -a "$OUT"
    if [ "$b_adv" = "$sent" ] && [ "$b_drop" = 0 ] && [ "$actual" -gt "$best_b" ]; then best_b=$actual; fi
  fi
  printf "\n" | tee -a "$OUT"
  [ "$((sd1 - sd0))" -eq 0 ] || echo "#   note: kernel softnet backlog dropped $((sd1 - sd0)) packets during this run (before any capture)" | tee -a "$OUT"
  [ "$actual" -ge $((R * 9 / 10)) ] || echo "#   note: tcpreplay reached only $actual/s of $R/s requested (sender-limited)" | tee -a "$OUT"
  # best = highest ACHIEVED rate at which every sent advert was counted and libpcap reported no drop
  if [ "$v_adv" = "$sent" ] && [ "$v_drop" = 0 ] && [ "$actual" -gt "$best_v" ]; then best_v=$actual; fi
  if [ "$t_cap" = "$sent" ] && [ "$t_drop" = 0 ] && [ "$actual" -gt "$best_t" ]; then best_t=$actual; fi
done
echo "# highest achieved rate with every advert counted and 0 pcap drops: vrrpwatch $best_v/s, tcpdump $best_t/s$([ "$BINDING" = 1 ] && echo ", bare binding $best_b/s")" | tee -a "$OUT"
