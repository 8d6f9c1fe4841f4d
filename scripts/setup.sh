#!/usr/bin/env bash
# One command from a fresh Debian machine (with Node.js >= 20) to a built vrrpwatch:
# system packages, npm ci, TypeScript build, the libpcap binding. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "setup: vrrpwatch needs Node.js 20 or later (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Build: libpcap-dev + g++ + make + python3 (node-gyp) for the live-capture binding.
# Run and test: keepalived, iproute2, iptables, nftables (real peers in namespaces), tcpdump, tshark,
# tcpreplay (reference decoders, load), tmux (dashboard tests), prometheus (promtool), man-db (the man page renders).
PKGS="libpcap-dev g++ make python3 keepalived iproute2 iptables nftables tcpdump tshark tcpreplay tmux prometheus systemd man-db"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  $SUDO apt-get update -qq
  # tshark asks whether non-root users may capture: answer no, without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
# doctor's firewall tests: firewall-offline-cmd (firewalld) edits scratch zone trees, ufw runs with --rootdir in
# namespaces. Neither service may ever start on this machine (firewalld would load its zones into the host's
# firewall): they are installed with service starts refused (policy-rc.d), then disabled.
FW_PKGS="firewalld ufw"
fw_missing=""
for p in $FW_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || fw_missing="$fw_missing $p"; done
if [ -n "$fw_missing" ]; then
  echo "setup: installing$fw_missing (services not started)"
  [ -n "$missing" ] || $SUDO apt-get update -qq
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $fw_missing >/dev/null || status=$?
  [ -z "$made_policy" ] || $SUDO rm -f /usr/sbin/policy-rc.d
  [ "${status:-0}" -eq 0 ] || exit "$status"
  # only what this script just installed: a firewall the machine already ran is left as it was
  if command -v systemctl >/dev/null; then
    for s in $fw_missing; do $SUDO systemctl disable --now "$s" >/dev/null 2>&1 || true; done
  fi
fi
# keepalived's own service must not run: tests start their own instances in namespaces.
if command -v systemctl >/dev/null && systemctl is-active --quiet keepalived 2>/dev/null; then
  $SUDO systemctl disable --now keepalived >/dev/null 2>&1 || true
fi

# npm ci also runs the package's install script, which builds the libpcap binding (scripts/build-native.mjs):
# needed only for live capture (-i); when it cannot be built it says why in one line, and -r works.
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
echo "setup: done. Try: ./bin/vrrpwatch -r pcaps/lab/splitbrain-firewall-drop.pcap"
