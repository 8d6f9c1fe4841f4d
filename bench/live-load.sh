#!/usr/bin/env bash
# Live-capture load test (not a timed test; needs root, tcpreplay, tcpdump, the built binding).
#
# Replays a pure-VRRP capture with tcpreplay into a veth inside namespaces of our own (vwv-load-*), at rising
# rates, and captures on the other end of the same veth, in the same run, with each of these in turn
# (one replay per capturer per rate, so each has the CPU that tcpreplay leaves to itself alone):
#   json     the real CLI, `bin/vrrpwatch -i IFACE --no-tui --json -s SNAPLEN -B BUFFER_KIB`: default filter,
#            immediate mode, every frame through decode + analysis, one NDJSON line per advert to a pipe;
#   events   the service configuration, `bin/vrrpwatch -i IFACE --no-tui --events-only` (docs/vrrpwatch.service)
#            plus --json so that its exit summary is machine-readable: no per-advert output, event lines only;
#   tcpdump  `tcpdump -w /dev/null` with the same filter, snaplen and buffer;
#   binding  (BINDING=1) the bare binding, bench/live-load-consumer.ts: capture and count, no decoding.
# vrrpwatch is stopped by SIGTERM after the replay; its adverts and pcap drops are read from the
# `kind: "summary"` line it prints on exit. tcpdump is stopped by SIGINT; its counts are from its exit lines.
# For each rate and capturer it prints what was sent, what was counted, libpcap's drops and the capturer's
# CPU time; at the end, for each capturer, the highest achieved rate at which every advert was counted with
# zero pcap drops.
#
# Usage: bench/live-load.sh [RATES...]   (default: 50000 100000 200000 300000 400000 500000 max)
#        a rate of `max` replays with tcpreplay --topspeed for SECONDS_PER_RATE seconds
# Env:   SECONDS_PER_RATE (default 3), SNAPLEN (512), BUFFER_KIB (4096), OUT (bench/out/live-load.txt),
#        CAPTURERS (default "json events tcpdump"), CLI_ARGS (extra vrrpwatch options, both modes),
#        VRRPWATCH (the CLI to measure, default bin/vrrpwatch: e.g. another build to compare),
#        BINDING=1 (add the bare binding consumer), IMMEDIATE=0 (bare binding in libpcap's buffered mode,
#        TIMEOUT_MS=20 delivery bound) to compare CPU; capturer `tcpdump-imm` = tcpdump --immediate-mode
#        (vrrpwatch always captures in immediate mode; plain tcpdump -w uses libpcap's buffered TPACKET_V3 mode);
#        PIN=1: tcpreplay on CPU 0, the capturer on CPU 1 (taskset). Off by default: on the 2-vCPU VM of
#        docs/performance.md pinning made every capturer worse (the veth softirq work runs on the sender's CPU)
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "live-load: needs root (network namespaces)" >&2; exit 2; }
for c in tcpreplay tcpdump ip; do command -v $c >/dev/null || { echo "live-load: $c is missing" >&2; exit 2; }; done
[ -f native/build/Release/vrrpcap.node ] || { echo "live-load: binding not built: npm run build:native" >&2; exit 2; }
[ -f dist/src/cli/main.js ] || { echo "live-load: CLI not built: npm run build" >&2; exit 2; }

RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(50000 100000 200000 300000 400000 500000 max)
SECS=${SECONDS_PER_RATE:-3}
SNAPLEN=${SNAPLEN:-512}
BUFFER_KIB=${BUFFER_KIB:-4096}
OUT=${OUT:-bench/out/live-load.txt}
read -r -a CAPS <<<"${CAPTURERS:-json events tcpdump}"
[ "${BINDING:-0}" = 1 ] && CAPS+=(binding)
read -r -a CLI_EXTRA <<<"${CLI_ARGS:-}"
CLI=${VRRPWATCH:-bin/vrrpwatch}
PIN=${PIN:-0}
SEND=(); RECV=()
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null || { echo "live-load: PIN=1 needs taskset (util-linux)" >&2; exit 2; }
  SEND=(taskset -c 0); RECV=(taskset -c 1)
fi
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
# a signal ends the run (the EXIT trap then tears down); long waits are `wait`, which a trapped signal interrupts
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

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
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat" 2>/dev/null || echo -1; }
json_field() { node -e "let r={};try{r=JSON.parse(process.argv[1])}catch{};const v=(${2});console.log(v===undefined||v===null||Number.isNaN(v)?-1:v)" "$1"; }
started() { for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
note() { echo "#   $*" | tee -a "$OUT"; }

mkdir -p "$(dirname "$OUT")"
{
  echo "# vrrpwatch live capture load, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r), $(node -v), $(tcpdump --version 2>&1 | sed -n 2p), $(tcpreplay --version 2>&1 | sed -n 1p)"
  echo "# pure VRRPv2 frames (60 B) replayed by tcpreplay into a veth, ${SECS} s per rate (max = --topspeed); snaplen $SNAPLEN, buffer ${BUFFER_KIB} KiB, default filter; $([ "$PIN" = 1 ] && echo 'tcpreplay pinned to CPU 0, capturer to CPU 1' || echo 'not pinned')"
  echo "# one replay per capturer: json = $CLI --no-tui --json ${CLI_ARGS:-}(line per advert); events = $CLI --no-tui --events-only --json ${CLI_ARGS:-}(service mode);"
  echo "#   tcpdump = tcpdump -w /dev/null (libpcap buffered mode)$([[ " ${CAPS[*]} " == *" tcpdump-imm "* ]] && echo "; tcpdump-imm = the same with --immediate-mode")$([[ " ${CAPS[*]} " == *" binding "* ]] && echo "; binding = bare capture-and-count consumer, immediate=${IMMEDIATE:-1}")"
  echo "# counted: vrrpwatch stats.vrrpAdverts / tcpdump 'packets captured'; drops: libpcap ps_drop + ps_ifdrop; cpu_ms: the capturer's user+sys CPU"
  printf '%-8s %-8s %-9s %-10s | %-9s %-7s %-7s\n' rate_pps capturer sent actual_pps counted drops cpu_ms
} | tee "$OUT"

declare -A BEST=()
for c in "${CAPS[@]}"; do BEST[$c]=0; done

# one capture pass: start capturer $1, replay at rate $2, stop it, print a row
pass() {
  local cap=$1 R=$2 pid cpid="" counted=-1 drops=-1 cpu sent secs actual sd0 sd1 res sum
  : >"$TMP/cap.err"; : >"$TMP/cap.sum"
  case $cap in
    json|events)
      local mode=(--json)
      [ "$cap" = events ] && mode=(--events-only --json)
      ip netns exec "$NSB" "${RECV[@]}" node "$CLI" -i vwv-lb0 --no-tui "${mode[@]}" -s "$SNAPLEN" -B "$BUFFER_KIB" "${CLI_EXTRA[@]}" \
        2>"$TMP/cap.err" > >(tail -n 1 >"$TMP/cap.sum") &
      pid=$!; PIDS+=("$pid")
      started "$TMP/cap.err" listening || { echo "live-load: vrrpwatch did not start: $(head -c 300 "$TMP/cap.err")" >&2; exit 1; }
      ;;
    tcpdump|tcpdump-imm)
      local imm=()
      [ "$cap" = tcpdump-imm ] && imm=(--immediate-mode)
      ip netns exec "$NSB" "${RECV[@]}" tcpdump -i vwv-lb0 -nn "${imm[@]}" -s "$SNAPLEN" -B "$BUFFER_KIB" -w /dev/null "$FILTER" 2>"$TMP/cap.err" &
      pid=$!; PIDS+=("$pid")
      started "$TMP/cap.err" listening || { echo "live-load: tcpdump did not start: $(head -c 300 "$TMP/cap.err")" >&2; exit 1; }
      ;;
    binding)
      coproc CONS { exec ip netns exec "$NSB" "${RECV[@]}" node --import tsx bench/live-load-consumer.ts vwv-lb0 "$SNAPLEN" "$BUFFER_KIB" 2>&1; }
      pid=$CONS_PID; PIDS+=("$pid")
      read -r res <&"${CONS[0]}"
      [ "$res" = ready ] || { echo "live-load: consumer failed: $res" >&2; exit 1; }
      ;;
    *) echo "live-load: unknown capturer $cap" >&2; exit 2 ;;
  esac
  sd0=$(softnet_drops)
  if [ "$R" = max ]; then
    ip netns exec "$NSA" "${SEND[@]}" tcpreplay -q --topspeed --loop=0 --duration="$SECS" -i vwv-la0 "$TMP/vrrp.pcap" >"$TMP/replay.out" 2>&1 &
  else
    ip netns exec "$NSA" "${SEND[@]}" tcpreplay -q --pps="$R" --loop=0 --limit="$((R * SECS))" -i vwv-la0 "$TMP/vrrp.pcap" >"$TMP/replay.out" 2>&1 &
  fi
  cpid=$!; PIDS+=("$cpid")
  wait "$cpid" || true
  sleep 1
  cpu=$(cpu_ms "$pid")
  case $cap in
    json|events)
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      for _ in $(seq 50); do [ -s "$TMP/cap.sum" ] && break; sleep 0.1; done
      sum=$(cat "$TMP/cap.sum")
      counted=$(json_field "$sum" 'r.kind==="summary"?r.stats.vrrpAdverts:undefined')
      drops=$(json_field "$sum" 'r.kind==="summary"?(r.stats.pcapDropped??0)+(r.stats.pcapIfDropped??0):undefined')
      [ "$counted" != -1 ] || note "vrrpwatch ($cap) gave no summary: $(head -c 300 "$TMP/cap.err")"
      ;;
    tcpdump|tcpdump-imm)
      kill -INT "$pid" 2>/dev/null || note "tcpdump had exited: $(head -c 300 "$TMP/cap.err")"
      wait "$pid" 2>/dev/null || true
      counted=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$TMP/cap.err")
      drops=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$TMP/cap.err")
      ;;
    binding)
      kill -TERM "$pid"
      read -r res <&"${CONS[0]}" || res='{}'
      wait "$pid" 2>/dev/null || true
      counted=$(json_field "$res" 'r.adverts')
      drops=$(json_field "$res" '(r.dropped??0)+(r.ifDropped??0)')
      ;;
  esac
  PIDS=()   # all waited for: never signal a pid that may have been reused since
  sd1=$(softnet_drops)
  sent=$(sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' "$TMP/replay.out")
  secs=$(sed -n 's/.*packets ([0-9]* bytes) sent in \([0-9.]*\) seconds.*/\1/p' "$TMP/replay.out")
  actual=$(awk -v n="${sent:-0}" -v s="${secs:-0}" 'BEGIN { if (s > 0) printf "%d", n / s; else print 0 }')
  printf '%-8s %-8s %-9s %-10s | %-9s %-7s %-7s\n' "$R" "$cap" "${sent:--1}" "$actual" "${counted:--1}" "${drops:--1}" "$cpu" | tee -a "$OUT"
  [ "$((sd1 - sd0))" -eq 0 ] || note "kernel softnet backlog dropped $((sd1 - sd0)) packets during this pass (before any capture)"
  if [ "$R" != max ] && [ "$actual" -lt $((R * 9 / 10)) ]; then note "tcpreplay reached only $actual/s of $R/s requested (sender-limited)"; fi
  # best = highest ACHIEVED rate at which every sent advert was counted and libpcap reported no drop
  if [ "${counted:-}" = "${sent:-x}" ] && [ "${drops:-}" = 0 ] && [ "$actual" -gt "${BEST[$cap]}" ]; then BEST[$cap]=$actual; fi
}

for R in "${RATES[@]}"; do
  for c in "${CAPS[@]}"; do pass "$c" "$R"; done
done
line="# highest achieved rate with every advert counted and 0 pcap drops:"
for c in "${CAPS[@]}"; do line+=" $c ${BEST[$c]}/s"; done
echo "$line" | tee -a "$OUT"
