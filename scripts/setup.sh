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
# tcpreplay (reference decoders, load), tmux (dashboard tests), prometheus (promtool), man-db (the man page
# renders), firewalld and ufw (doctor's firewall tests, and the printed fixes applied to scratch configurations:
# firewall-offline-cmd, ufw --rootdir), util-linux (unshare, script: private namespaces, a terminal for the
# colour test), iputils-arping (the printed fix of stale neighbours, `arping -U`, applied in the lab test).
PKGS="libpcap-dev g++ make python3 keepalived iproute2 iptables nftables tcpdump tshark tcpreplay tmux prometheus systemd man-db firewalld ufw util-linux iputils-arping"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  $SUDO apt-get update -qq
  # tshark asks whether non-root users may capture: answer no, without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  # No service the packages bring may start (firewalld would put a firewall on this machine): policy-rc.d
  # says no for the length of the install, unless the machine has one of its own.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    own_policy=1
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  [ -z "$own_policy" ] || $SUDO rm -f /usr/sbin/policy-rc.d
fi
# The firewall services this script just installed never run here (only what it installed: a firewall the
# machine already ran is left as it was); tests apply firewall rules only in namespaces of their own.
for svc in firewalld ufw; do
  case " $missing " in *" $svc "*) command -v systemctl >/dev/null && $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true ;; esac
done
# keepalived's own service must not run: tests start their own instances in namespaces.
if command -v systemctl >/dev/null && systemctl is-active --quiet keepalived 2>/dev/null; then
  $SUDO systemctl disable --now keepalived >/dev/null 2>&1 || true
fi

# npm ci also runs the package's install script, which builds the libpcap binding (scripts/build-native.mjs):
# needed only for live capture (-i); when it cannot be built it says why in one line, and -r works.
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
echo "setup: done. Try: ./bin/vrrpwatch -r pcaps/lab/splitbrain-firewall-drop.pcap"
