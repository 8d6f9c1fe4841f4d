#!/usr/bin/env bash
# vrrpwatch lab: a switch namespace with a bridge, host namespaces A and B running real keepalived,
# and C as a passive observer. Everything lives in network namespaces named vwl-<pid>-*; nothing is
# ever configured in the root namespace.
#
# CLI:
#   lab.sh record SCENARIO OUT.pcap   run one scenario (see record-all.sh / MANIFEST.md) and save the capture
#   lab.sh scenarios                  list scenario names
#   lab.sh conf key=value...          print a keepalived config (see lab_conf below)
#   lab.sh up ID DIR | down ID        create / destroy a topology for an external harness (test/support/lab.ts);
#                                     ID must start with "vwl-"; the caller owns teardown.
#   lab.sh fw-drop ID NODE [TARGET...] | fw-clear ID NODE   firewall inbound VRRP in a node of topology ID
#   lab.sh keepalived-argv NODE CONF DIR                    keepalived's command line, one word per line
# Library (source it, then call lab_up; the EXIT/INT/TERM trap tears everything down):
#   lab_up, lab_keepalived NODE CONF, lab_kill NODE SIGNAL, lab_fw_drop NODE [iptables target...],
#   lab_fw_clear NODE, lab_exec NODE CMD..., lab_capture_start NODE OUT.pcap, lab_capture_stop, lab_down
#
# Addresses (inside the namespaces only): a=10.99.0.1 b=10.99.0.2 c=10.99.0.3, VIP 10.99.0.100;
# IPv6 ULA fd99::1/2/3, VIP fd99::100; link-local addresses from the kernel (DAD disabled).

set -euo pipefail

LAB_SH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_SNAPLEN=${LAB_SNAPLEN:-256}
# "vrrp" alone matches IPv4 only (tcpdump -d vrrp), so name protocol 112 for both families
LAB_FILTER=${LAB_FILTER:-ip proto 112 or ip6 proto 112 or arp or icmp or icmp6}
LAB_NODES="a b c"

declare -A LAB_PIDS=()    # node -> keepalived parent pid
declare -A LAB_CAP_PIDS=()   # node -> tcpdump pid (one capture per node; vantage scenarios run several)
LAB_UP=0

lab_log() { printf '[lab %s] %s\n' "$(date +%T.%N | cut -c1-12)" "$*" >&2; }

lab_ns() { printf '%s%s' "$LAB_ID" "$1"; }      # node name -> namespace name

lab_ip4() { case "$1" in a) echo 10.99.0.1 ;; b) echo 10.99.0.2 ;; c) echo 10.99.0.3 ;; *) return 1 ;; esac; }
lab_ip6() { case "$1" in a) echo fd99::1 ;; b) echo fd99::2 ;; c) echo fd99::3 ;; *) return 1 ;; esac; }

# Build the topology. Uses LAB_ID (default vwl-$$-) and LAB_DIR (default: a fresh temp dir).
lab_topology_up() {
  local sw n ns
  sw=$(lab_ns sw)
  ip netns add "$sw"
  # the switch itself stays silent: no IPv6 on its ports (no router solicitations, no MLD)
  ip netns exec "$sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$sw" link set lo up
  ip -n "$sw" link add br0 type bridge
  # flood multicast to every port (the observer must see it), no STP delay
  ip -n "$sw" link set br0 type bridge mcast_snooping 0 stp_state 0 forward_delay 0
  ip -n "$sw" link set br0 up
  for n in $LAB_NODES; do
    ns=$(lab_ns "$n")
    ip netns add "$ns"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
    # veth created inside the switch namespace, its peer moved straight into the host namespace
    ip -n "$sw" link add "p$n" type veth peer name eth0 netns "$ns"
    ip -n "$sw" link set "p$n" master br0 up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.eth0.router_solicitations=0
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$(lab_ip4 "$n")/24" dev eth0
    ip -n "$ns" addr add "$(lab_ip6 "$n")/64" dev eth0 nodad
    ip -n "$ns" link set eth0 up
  done
}

lab_topology_down() {
  local n
  for n in $LAB_NODES sw; do
    ip netns del "$(lab_ns "$n")" 2>/dev/null || true
  done
}

lab_up() {
  LAB_ID=${LAB_ID:-vwl-$$-}
  case "$LAB_ID" in vwl-*) ;; *) echo "lab: LAB_ID must start with vwl-" >&2; return 2 ;; esac
  LAB_DIR=${LAB_DIR:-$(mktemp -d /tmp/vwl-lab.XXXXXX)}
  trap lab_down EXIT
  trap 'lab_down; exit 130' INT
  trap 'lab_down; exit 143' TERM
  LAB_UP=1
  lab_topology_up
  lab_log "up: ns ${LAB_ID}{sw,a,b,c}, dir $LAB_DIR"
}

lab_down() {
  local n pid
  [ "$LAB_UP" = 1 ] || return 0
  LAB_UP=0
  lab_capture_stop || true
  for n in "${!LAB_PIDS[@]}"; do
    lab_kill "$n" KILL || true
  done
  lab_topology_down
  [ -n "${LAB_DIR:-}" ] && [ -z "${LAB_KEEP_DIR:-}" ] && rm -rf -- "$LAB_DIR"
  lab_log "down"
}

# lab_exec NODE CMD... : run a command inside a node's namespace
lab_exec() { local n=$1; shift; ip netns exec "$(lab_ns "$n")" "$@"; }

# lab_conf key=value... : print a keepalived config. Keys (defaults):
#   node=a name=VI_1 state=MASTER prio=100 vrid=99 interval=1 version=2 auth=PASS pass=vwlpass1
#   family=4 vip=(10.99.0.100/24 | fd99::100/64) unicast=0 (1: unicast_src_ip + unicast_peer = the other of a/b)
#   weight=0 (non-zero: a vrrp_script failing while DIR/NODE.fail exists, with that weight) dir=$LAB_DIR
#   nopreempt=0 garp_delay= (vrrp_garp_master_delay; keepalived's default, 5 s, when empty)
#   higher_prio_send_advert=0 (1: vrrp_higher_prio_send_advert)
lab_conf() {
  local node=a name=VI_1 state=MASTER prio=100 vrid=99 interval=1 version=2 auth=PASS pass=vwlpass1
  local family=4 vip="" unicast=0 weight=0 dir=${LAB_DIR:-/tmp} nopreempt=0 garp_delay="" higher_prio_send_advert=0 kv peer
  for kv in "$@"; do
    case "$kv" in
      node=*|name=*|state=*|prio=*|vrid=*|interval=*|version=*|auth=*|pass=*|family=*|vip=*|unicast=*|weight=*|dir=*|nopreempt=*|garp_delay=*|higher_prio_send_advert=*)
        printf -v "${kv%%=*}" '%s' "${kv#*=}" ;;
      *) echo "lab_conf: unknown option $kv" >&2; return 2 ;;
    esac
  done
  [ "$family" = 6 ] && version=3
  if [ -z "$vip" ]; then
    if [ "$family" = 6 ]; then vip=fd99::100/64; else vip=10.99.0.100/24; fi
  fi
  case "$node" in a) peer=b ;; b) peer=a ;; *) peer=a ;; esac
  cat <<EOF
# generated by scripts/lab/lab.sh lab_conf $*
global_defs {
  router_id lab_$node
  vrrp_version $version
  enable_script_security
  script_user root
EOF
  [ -n "$garp_delay" ] && echo "  vrrp_garp_master_delay $garp_delay"
  [ "$higher_prio_send_advert" = 1 ] && echo "  vrrp_higher_prio_send_advert"
  echo "}"
  if [ "$weight" != 0 ]; then
    cat <<EOF
vrrp_script chk_lab {
  script "/usr/bin/test ! -e $dir/$node.fail"
  interval 1
  fall 1
  rise 1
  weight $weight
}
EOF
  fi
  cat <<EOF
vrrp_instance $name {
  state $state
  interface eth0
  virtual_router_id $vrid
  priority $prio
  advert_int $interval
EOF
  [ "$nopreempt" = 1 ] && echo "  nopreempt"
  if [ "$version" = 2 ] && [ "$auth" != none ]; then
    printf '  authentication {\n    auth_type %s\n    auth_pass %s\n  }\n' "$auth" "$pass"
  fi
  if [ "$unicast" = 1 ]; then
    if [ "$family" = 6 ]; then
      printf '  unicast_src_ip %s\n  unicast_peer {\n    %s\n  }\n' "$(lab_ip6 "$node")" "$(lab_ip6 "$peer")"
    else
      printf '  unicast_src_ip %s\n  unicast_peer {\n    %s\n  }\n' "$(lab_ip4 "$node")" "$(lab_ip4 "$peer")"
    fi
  fi
  printf '  virtual_ipaddress {\n    %s\n  }\n' "$vip"
  [ "$weight" != 0 ] && printf '  track_script {\n    chk_lab\n  }\n'
  echo "}"
}

# lab_keepalived_argv NODE CONF DIR : keepalived's command line, one word per line (shared with lab.ts).
# -n no fork, -R no respawn (a SIGKILLed VRRP child stays dead), -P VRRP only, console log,
# private pid files in DIR so nothing clashes with a system keepalived or another node.
lab_keepalived_argv() {
  printf '%s\n' keepalived -n -R -P -l -D -G -i "lab_$1" -f "$2" -p "$3/$1.pid" -r "$3/$1.vrrp.pid"
}

# lab_keepalived NODE CONF : start keepalived (VRRP only, foreground, private pid files) in NODE's namespace
lab_keepalived() {
  local n=$1 conf=$2 ns pid
  local argv
  ns=$(lab_ns "$n")
  mapfile -t argv < <(lab_keepalived_argv "$n" "$conf" "$LAB_DIR")
  ip netns exec "$ns" "${argv[@]}" >>"$LAB_DIR/$n.log" 2>&1 &
  pid=$!
  LAB_PIDS[$n]=$pid
  lab_log "keepalived $n pid $pid ($conf)"
}

# lab_vrrp_pid NODE : pid of NODE's VRRP child (the process that sends adverts), empty if none
lab_vrrp_pid() {
  local n=$1 parent=${LAB_PIDS[$1]:-}
  [ -n "$parent" ] || return 0
  pgrep -P "$parent" 2>/dev/null | head -n1 || true
}

# lab_kill NODE SIGNAL : KILL = crash (VRRP child first, so no priority 0 advert); TERM = graceful stop
lab_kill() {
  local n=$1 sig=${2#SIG} parent child i
  parent=${LAB_PIDS[$n]:-}
  [ -n "$parent" ] || return 0
  child=$(lab_vrrp_pid "$n")
  if [ "$sig" = KILL ]; then
    [ -n "$child" ] && kill -KILL "$child" 2>/dev/null || true
    kill -KILL "$parent" 2>/dev/null || true
  else
    kill "-$sig" "$parent" 2>/dev/null || true
  fi
  for i in $(seq 50); do kill -0 "$parent" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$parent" 2>/dev/null || true
  [ -n "$child" ] && kill -KILL "$child" 2>/dev/null || true
  wait "$parent" 2>/dev/null || true
  unset "LAB_PIDS[$n]"
  lab_log "keepalived $n stopped (SIG$sig)"
}

# lab_fw_drop NODE [TARGET...] : drop (or e.g. "REJECT --reject-with icmp-admin-prohibited") inbound VRRP
lab_fw_drop() {
  local n=$1; shift
  local target=("$@")
  [ ${#target[@]} -gt 0 ] || target=(DROP)
  lab_exec "$n" iptables -w -A INPUT -p vrrp -j "${target[@]}"
  lab_exec "$n" ip6tables -w -A INPUT -p vrrp -j "${target[@]/icmp-admin-prohibited/icmp6-adm-prohibited}"
  lab_log "fw on $n: INPUT -p vrrp -j ${target[*]}"
}

# lab_fw_stateful NODE : a typical host firewall with no VRRP rule: accept lo and ESTABLISHED,RELATED,
# drop the rest (IPv4 and IPv6). Unicast VRRP then passes only once the node has sent to its peer itself.
lab_fw_stateful() {
  local n=$1 t
  for t in iptables ip6tables; do
    lab_exec "$n" "$t" -w -A INPUT -i lo -j ACCEPT
    lab_exec "$n" "$t" -w -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
    lab_exec "$n" "$t" -w -A INPUT -j DROP
  done
  lab_log "fw on $n: stateful (lo, ESTABLISHED,RELATED, then DROP; no VRRP rule)"
}

lab_fw_clear() {
  lab_exec "$1" iptables -w -F INPUT
  lab_exec "$1" ip6tables -w -F INPUT
  lab_log "fw on $1: cleared"
}

# lab_bridge_drop FROM TO MATCH... : in the switch, drop what node FROM sends to node TO when it matches the nft
# expression (e.g. ip protocol vrrp, ether type arp): a rule in the bridge's own nft table (lab_bridge_rule)
lab_bridge_drop() {
  local from=$1 to=$2
  shift 2
  lab_bridge_rule iifname "p$from" oifname "p$to" "$@" drop
}

lab_bridge_clear() {
  ip netns exec "$(lab_ns sw)" nft flush table bridge vwl 2>/dev/null || true
  lab_log "switch: drop rules cleared"
}

# lab_capture_start NODE OUT.pcap : tcpdump on NODE's eth0; returns once tcpdump listens. Captures on
# several nodes may run at once (one per node); lab_capture_stop stops them all.
lab_capture_start() {
  local n=$1 out=$2 i err
  err="$LAB_DIR/tcpdump-$n.err"
  : >"$err"
  # not through lab_exec: a backgrounded function is a subshell, and $! must be tcpdump itself (ip netns
  # exec execs it) so that lab_capture_stop's kill and wait reach it and the file is complete afterwards
  ip netns exec "$(lab_ns "$n")" tcpdump -i eth0 -nn -U --immediate-mode -s "$LAB_SNAPLEN" -w "$out" $LAB_FILTER 2>"$err" &
  LAB_CAP_PIDS[$n]=$!
  for i in $(seq 50); do
    grep -q 'listening on' "$err" && break
    sleep 0.1
  done
  grep -q 'listening on' "$err" || { cat "$err" >&2; return 1; }
  lab_log "capture on $n -> $out"
}

lab_capture_stop() {
  local n pid
  for n in "${!LAB_CAP_PIDS[@]}"; do
    pid=${LAB_CAP_PIDS[$n]}
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "LAB_CAP_PIDS[$n]"
    if [ -f "$LAB_DIR/tcpdump-$n.err" ]; then lab_log "tcpdump on $n: $(grep -h 'packets' "$LAB_DIR/tcpdump-$n.err" | tr '\n' ' ')"; fi
  done
  return 0
}

# ---- scenarios -------------------------------------------------------------------------------
# Time t=0 is the moment the capture starts. lab_at T sleeps until T seconds after t=0.
lab_t0() { LAB_T0=$(date +%s.%N); }
lab_at() {
  local d
  d=$(awk -v t0="$LAB_T0" -v t="$1" -v now="$(date +%s.%N)" 'BEGIN { d = t0 + t - now; print (d > 0 ? d : 0) }')
  sleep "$d"
  lab_log "t=$1"
}

# write config for NODE from options, echo its path
lab_write_conf() {
  local n=$1; shift
  lab_conf node="$n" dir="$LAB_DIR" "$@" >"$LAB_DIR/$n.conf"
  echo "$LAB_DIR/$n.conf"
}

LAB_SCENARIOS="healthy failover-crash failover-graceful splitbrain-firewall-drop splitbrain-heals
splitbrain-firewall-reject-unicast unicast-healthy v3-ipv6 v3-ipv4 splitbrain-auth-mismatch
splitbrain-interval-mismatch splitbrain-version-mismatch weight-too-small weight-failover preemption
splitbrain-ttl-254 splitbrain-vip-mismatch splitbrain-unicast-vs-multicast splitbrain-firewall-reject-multicast
unicast-stateful-fw-no-vrrp-rule splitbrain-v3-ipv6-firewall splitbrain-interval-resign vipconflict-adverts-dropped
failover-garp-lost splitbrain-heals-loser-last splitbrain-equal-priority-firewall-drop
vantage-network-drop vantage-host-drop vantage-loss-30 cluster-of-three vipconflict-after-splitbrain"

# pair NODE-A-OPTS -- NODE-B-OPTS : write both configs (MASTER 100 / BACKUP 80 + extra options)
lab_pair_confs() {
  local aopts=() bopts=() side=a o
  for o in "$@"; do
    if [ "$o" = -- ]; then side=b; continue; fi
    if [ $side = a ]; then aopts+=("$o"); else bopts+=("$o"); fi
  done
  LAB_CONF_A=$(lab_write_conf a state=MASTER prio=100 "${aopts[@]}")
  LAB_CONF_B=$(lab_write_conf b state=BACKUP prio=80 "${bopts[@]}")
}

# start A then B, let the pair settle before the capture starts (steady-state scenarios)
lab_pair_settled() {
  lab_keepalived a "$LAB_CONF_A"
  sleep 0.5
  lab_keepalived b "$LAB_CONF_B"
  sleep "${1:-7}"   # past the second GARP burst (vrrp_garp_master_delay 5 s)
}

# Vantage scenarios capture on several nodes at once: lab_vp_file NODE is where NODE's capture goes
# (lab_record moves each to OUT-NODE.pcap).
lab_vp_file() { printf '%s/capture-%s.pcap' "$LAB_DIR" "$1"; }

# lab_bridge_rule RULE... : add a rule to the switch's bridge-family forward chain (created on first use),
# e.g. iifname "pa" oifname "pb" ip daddr 224.0.0.0/4 counter drop. Frames flooded to several ports pass
# the forward hook once per output port, so a rule can cut one direction between two nodes.
lab_bridge_rule() {
  local sw
  sw=$(lab_ns sw)
  if ! ip netns exec "$sw" nft list chain bridge vwl forward >/dev/null 2>&1; then
    ip netns exec "$sw" nft add table bridge vwl
    ip netns exec "$sw" nft 'add chain bridge vwl forward { type filter hook forward priority 0; policy accept; }'
  fi
  ip netns exec "$sw" nft add rule bridge vwl forward "$@"
  lab_log "bridge: $*"
}

lab_bridge_counters() { ip netns exec "$(lab_ns sw)" nft list chain bridge vwl forward >&2; }

lab_scenario() {
  local sc=$1 out=$2
  case "$sc" in
    healthy)
      lab_pair_confs; lab_pair_settled
      lab_capture_start c "$out"; lab_t0; lab_at 12 ;;
    failover-crash)
      lab_pair_confs; lab_pair_settled
      lab_capture_start c "$out"; lab_t0
      lab_at 3; lab_kill a KILL
      lab_at 14 ;;
    failover-graceful)
      lab_pair_confs; lab_pair_settled
      lab_capture_start c "$out"; lab_t0
      lab_at 3; lab_kill a TERM
      lab_at 10 ;;
    splitbrain-firewall-drop)
      lab_pair_confs; lab_pair_settled
      lab_capture_start b "$out"; lab_t0
      lab_at 2; lab_fw_drop b
      lab_at 16
      lab_exec b iptables -w -nvL INPUT >&2 ;;
    splitbrain-equal-priority-firewall-drop)
      # both at priority 100: B (the higher address) wins the tie, so B starts first and is master; A (the
      # lower address) hears B and stays backup until its firewall drops VRRP. A then takes over, deaf, and
      # B, master, answers each of A's adverts at once (keepalived: an equal priority from a lower address
      # is "lower priority advert, forcing new election").
      lab_pair_confs state=BACKUP -- prio=100
      lab_keepalived b "$LAB_CONF_B"; sleep 0.5; lab_keepalived a "$LAB_CONF_A"; sleep 7
      lab_capture_start c "$out"; lab_t0
      lab_at 2; lab_fw_drop a
      lab_at 16 ;;
    splitbrain-heals)
      lab_pair_confs; lab_pair_settled
      lab_capture_start b "$out"; lab_t0
      lab_at 2; lab_fw_drop b
      lab_at 13.7; lab_fw_clear b    # B master from ~5.7 s: ~8 s of split brain
      lab_at 20 ;;
    splitbrain-firewall-reject-unicast)
      lab_pair_confs unicast=1 -- unicast=1; lab_pair_settled
      lab_capture_start b "$out"; lab_t0
      lab_at 2; lab_fw_drop b REJECT --reject-with icmp-admin-prohibited
      lab_at 14 ;;
    unicast-healthy)
      lab_pair_confs unicast=1 -- unicast=1; lab_pair_settled
      lab_capture_start b "$out"; lab_t0; lab_at 10 ;;
    v3-ipv6)
      lab_pair_confs family=6 -- family=6; lab_pair_settled
      lab_capture_start c "$out"; lab_t0; lab_at 10 ;;
    v3-ipv4)
      lab_pair_confs version=3 -- version=3; lab_pair_settled
      lab_capture_start c "$out"; lab_t0; lab_at 10 ;;
    splitbrain-auth-mismatch|splitbrain-interval-mismatch|splitbrain-version-mismatch|splitbrain-vip-mismatch)
      case "$sc" in
        *auth*) lab_pair_confs pass=vwlpass1 -- pass=otherpw2 ;;
        *interval*) lab_pair_confs interval=1 -- interval=2 ;;
        *version*) lab_pair_confs version=2 -- version=3 ;;
        *vip*) lab_pair_confs -- vip=10.99.0.101/24 ;;
      esac
      # the whole story from start-up: A master at once, B times out and becomes master too
      lab_capture_start c "$out"; lab_t0
      lab_at 0.5; lab_keepalived a "$LAB_CONF_A"
      lab_at 1; lab_keepalived b "$LAB_CONF_B"
      lab_at 14 ;;
    weight-too-small|weight-failover)
      if [ "$sc" = weight-too-small ]; then lab_pair_confs weight=-10; else lab_pair_confs weight=-30; fi
      lab_pair_settled
      lab_capture_start c "$out"; lab_t0
      lab_at 3; touch "$LAB_DIR/a.fail"; lab_log "a's check script now fails"
      lab_at 14 ;;
    splitbrain-ttl-254)
      # A's adverts leave with TTL 254 (as if routed/mangled): B rejects them (invalid TTL) and takes over
      lab_pair_confs; lab_pair_settled
      lab_capture_start c "$out"; lab_t0
      lab_at 2; lab_exec a iptables -w -t mangle -A POSTROUTING -p vrrp -j TTL --ttl-set 254
      lab_log "a: VRRP leaves with TTL 254"
      lab_at 14 ;;
    splitbrain-unicast-vs-multicast)
      # A unicasts to B, B multicasts: neither socket receives the other's adverts; captured on B
      lab_pair_confs unicast=1
      lab_capture_start b "$out"; lab_t0
      lab_at 0.5; lab_keepalived a "$LAB_CONF_A"
      lab_at 1; lab_keepalived b "$LAB_CONF_B"
      lab_at 14 ;;
    splitbrain-firewall-reject-multicast)
      # REJECT on multicast VRRP: no ICMP error is sent for multicast, so it looks like DROP
      lab_pair_confs; lab_pair_settled
      lab_capture_start b "$out"; lab_t0
      lab_at 2; lab_fw_drop b REJECT --reject-with icmp-admin-prohibited
      lab_at 14 ;;
    unicast-stateful-fw-no-vrrp-rule)
      # VRRP-NOTES 5.2: B's stateful firewall has no VRRP rule. A (master) runs alone; B starts with the
      # firewall on: A's unicast adverts are NEW and dropped, B times out and becomes master for one
      # advert, which creates the conntrack entry that lets A's adverts in as ESTABLISHED: B backs off.
      lab_pair_confs unicast=1 -- unicast=1
      lab_keepalived a "$LAB_CONF_A"; sleep 7      # A alone, master, past its second GARP burst
      lab_fw_stateful b
      lab_capture_start b "$out"; lab_t0
      lab_at 1; lab_keepalived b "$LAB_CONF_B"
      lab_at 14
      lab_exec b iptables -w -nvL INPUT >&2
      lab_exec b cat /proc/net/nf_conntrack >&2 2>/dev/null || true ;;
    splitbrain-v3-ipv6-firewall)
      # VRRPv3 over IPv6 (family 6), ip6tables DROP of VRRP on B: B master after its Master_Down_Interval
      lab_pair_confs family=6 -- family=6; lab_pair_settled
      lab_capture_start b "$out"; lab_t0
      lab_at 2; lab_fw_drop b
      lab_at 14
      lab_exec b ip6tables -w -nvL INPUT >&2 ;;
    splitbrain-interval-resign)
      # the interval mismatch from start-up (B master too from ~7.7 s, silenced by A's adverts); B stops
      # gracefully (priority 0) about 5 s later: a short split brain ended by resigning
      lab_pair_confs interval=1 -- interval=2
      lab_capture_start c "$out"; lab_t0
      lab_at 0.5; lab_keepalived a "$LAB_CONF_A"
      lab_at 1; lab_keepalived b "$LAB_CONF_B"
      lab_at "${LAB_RESIGN_AT:-11}"; lab_kill b TERM
      lab_at 16 ;;
    vipconflict-adverts-dropped)
      # the auth mismatch from start-up, seen from C while the switch drops A's VRRP towards C (not its ARP):
      # C sees one advertiser and two MACs claiming the VIP
      lab_pair_confs pass=vwlpass1 -- pass=otherpw2
      lab_bridge_drop a c ip protocol vrrp
      lab_capture_start c "$out"; lab_t0
      lab_at 0.5; lab_keepalived a "$LAB_CONF_A"
      lab_at 1; lab_keepalived b "$LAB_CONF_B"
      lab_at 14 ;;
    failover-garp-lost)
      # crash failover whose new master's first gratuitous ARPs are lost on the way to C (the switch drops B's ARP
      # from t=1 to t=9.7), with vrrp_garp_master_delay 30 on B: no second set within the capture. C had resolved
      # the VIP to A's MAC before (one UDP datagram) and keeps it (ip neigh, printed before and at the end).
      lab_pair_confs -- garp_delay=30; lab_pair_settled
      lab_exec c bash -c 'echo x > /dev/udp/10.99.0.100/9' || true   # C resolves the VIP (no ping needed)
      sleep 0.3; lab_exec c ip neigh show 10.99.0.100 >&2
      lab_capture_start c "$out"; lab_t0
      lab_at 1; lab_bridge_drop b c ether type arp
      lab_at 3; lab_kill a KILL
      lab_at 9.7; lab_bridge_clear
      lab_at 14
      lab_exec c ip neigh show 10.99.0.100 >&2 ;;
    splitbrain-heals-loser-last)
      # both nodes drop VRRP (keepalived's defaults): B master too from ~5.7 s; the rules go at 13.7 s, B hears A
      # and goes back to backup without a word, A never hears B again and sends no gratuitous ARP: the last claim
      # on the wire is B's second set (~10.7 s). LAB_HIGHER_PRIO_SEND_ADVERT=1: the same with
      # vrrp_higher_prio_send_advert on both nodes (the fix keepalived offers for this)
      if [ "${LAB_HIGHER_PRIO_SEND_ADVERT:-0}" = 1 ]; then
        lab_pair_confs higher_prio_send_advert=1 -- higher_prio_send_advert=1
      else
        lab_pair_confs
      fi
      lab_pair_settled
      lab_capture_start c "$out"; lab_t0
      lab_at 2; lab_fw_drop a; lab_fw_drop b
      lab_at 13.7; lab_fw_clear b; lab_fw_clear a
      lab_at 20 ;;
    vantage-network-drop)
      # the switch stops forwarding IPv4 multicast from A's port to B's (as IGMP snooping without a
      # querier does): B times out and takes over while A still hears B; captured on A, B and C at once
      lab_pair_confs; lab_pair_settled
      lab_capture_start a "$(lab_vp_file a)"; lab_capture_start b "$(lab_vp_file b)"; lab_capture_start c "$(lab_vp_file c)"
      lab_t0
      lab_at 2; lab_bridge_rule iifname '"pa"' oifname '"pb"' ip daddr 224.0.0.0/4 counter drop
      lab_at 16
      lab_bridge_counters ;;
    vantage-host-drop)
      # B's own INPUT chain drops VRRP: A's adverts reach B's wire, B takes over anyway; captured on A and B
      lab_pair_confs; lab_pair_settled
      lab_capture_start a "$(lab_vp_file a)"; lab_capture_start b "$(lab_vp_file b)"
      lab_t0
      lab_at 2; lab_fw_drop b
      lab_at 16
      lab_exec b iptables -w -nvL INPUT >&2 ;;
    vantage-loss-30)
      # the switch drops 30 % of A's adverts towards B at random (no netem here); the counters give the
      # truth: every A->B advert and the dropped ones. Captured on A, B and C
      lab_pair_confs; lab_pair_settled
      lab_capture_start a "$(lab_vp_file a)"; lab_capture_start b "$(lab_vp_file b)"; lab_capture_start c "$(lab_vp_file c)"
      lab_t0
      lab_at 1
      lab_bridge_rule iifname '"pa"' oifname '"pb"' ip protocol vrrp counter
      lab_bridge_rule iifname '"pa"' oifname '"pb"' ip protocol vrrp numgen random mod 100 '<' 30 counter drop
      lab_at 61
      lab_bridge_counters ;;
    vipconflict-after-splitbrain)
      # splitbrain-heals seen from C; after the heal C, which runs no keepalived, takes the VIP as a static
      # address and announces it (a host that is no VRRP node uses the address)
      lab_pair_confs; lab_pair_settled
      lab_capture_start c "$out"; lab_t0
      lab_at 2; lab_fw_drop b
      lab_at 13.7; lab_fw_clear b
      lab_at 16; lab_exec c ip addr add 10.99.0.100/32 dev eth0; lab_exec c arping -q -U -c 3 -I eth0 10.99.0.100 || true
      lab_at 24
      lab_exec c ip addr del 10.99.0.100/32 dev eth0 ;;
    cluster-of-three)
      # three nodes of one cluster (100, 80, 60, the same addresses): A crashes, then B; C is master at the
      # end. Captured on C (its own adverts too)
      lab_pair_confs
      LAB_CONF_C=$(lab_write_conf c state=BACKUP prio=60)
      lab_pair_settled 0.5
      lab_keepalived c "$LAB_CONF_C"; sleep 7
      lab_capture_start c "$out"; lab_t0
      lab_at 3; lab_kill a KILL
      lab_at 10; lab_kill b KILL
      lab_at 18 ;;
    preemption)
      lab_pair_confs
      lab_keepalived b "$LAB_CONF_B"; sleep 6     # B alone becomes master
      lab_capture_start c "$out"; lab_t0
      lab_at 3; lab_keepalived a "$LAB_CONF_A"
      lab_at 12 ;;
    *) echo "unknown scenario: $sc (known: $(echo $LAB_SCENARIOS))" >&2; return 2 ;;
  esac
  lab_capture_stop
}

lab_record() {
  local sc=$1 out n
  out=$(realpath -m "$2")
  case " $(echo $LAB_SCENARIOS) " in *" $sc "*) ;; *) echo "unknown scenario: $sc" >&2; return 2 ;; esac
  lab_up
  # tcpdump drops privileges to user tcpdump by default: write to a dir it can use, then move
  local tmp="$LAB_DIR/capture.pcap"
  chmod 0777 "$LAB_DIR"
  lab_scenario "$sc" "$tmp"
  if [ -f "$tmp" ]; then lab_keep "$tmp" "$out"; fi
  # vantage scenarios: one capture per node, OUT-NODE.pcap
  for n in $LAB_NODES; do
    if [ -f "$(lab_vp_file "$n")" ]; then lab_keep "$(lab_vp_file "$n")" "${out%.pcap}-$n.pcap"; fi
  done
}

lab_keep() {
  mv -f "$1" "$2"
  chown "$(id -u):$(id -g)" "$2"
  chmod 0644 "$2"
  lab_log "-> $2 ($(stat -c %s "$2") bytes)"
}

lab_main() {
  local cmd=${1:-}
  case "$cmd" in
    record) [ $# -eq 3 ] || { echo "usage: lab.sh record SCENARIO OUT.pcap" >&2; exit 2; }
      lab_record "$2" "$3" ;;
    scenarios) echo $LAB_SCENARIOS | tr ' ' '\n' ;;
    conf) shift; lab_conf "$@" ;;
    up) [ $# -eq 3 ] || { echo "usage: lab.sh up ID DIR" >&2; exit 2; }
      LAB_ID=$2; LAB_DIR=$3
      case "$LAB_ID" in vwl-*) ;; *) echo "lab: ID must start with vwl-" >&2; exit 2 ;; esac
      trap 'lab_topology_down' ERR
      lab_topology_up ;;
    keepalived-argv) [ $# -eq 4 ] || { echo "usage: lab.sh keepalived-argv NODE CONF DIR" >&2; exit 2; }
      lab_keepalived_argv "$2" "$3" "$4" ;;
    fw-drop|fw-clear) [ $# -ge 3 ] || { echo "usage: lab.sh $cmd ID NODE [TARGET...]" >&2; exit 2; }
      LAB_ID=$2
      case "$LAB_ID" in vwl-*) ;; *) echo "lab: ID must start with vwl-" >&2; exit 2 ;; esac
      if [ "$cmd" = fw-drop ]; then lab_fw_drop "${@:3}"; else lab_fw_clear "$3"; fi ;;
    down) [ $# -ge 2 ] || { echo "usage: lab.sh down ID" >&2; exit 2; }
      LAB_ID=$2
      case "$LAB_ID" in vwl-*) ;; *) echo "lab: ID must start with vwl-" >&2; exit 2 ;; esac
      lab_topology_down ;;
    *) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  lab_main "$@"
fi
