#!/bin/sh
# vrrpwatch notification hook: mail each event, the way keepalived notify scripts do.
#
# Install:   install -m 0755 vrrpwatch-mail.sh /etc/vrrpwatch/mail.sh
# Use:       vrrpwatch -i eth0 --no-tui --notify /etc/vrrpwatch/mail.sh
# Try it:    vrrpwatch -r capture.pcap --notify /etc/vrrpwatch/mail.sh
# Settings (environment, e.g. Environment= in the systemd unit):
#   VRRPWATCH_MAIL_TO     recipient(s), default root
#   VRRPWATCH_MAIL_SKIP   space-separated event names not to mail, e.g. "new-master finding"
#
# vrrpwatch passes the event in VRRPWATCH_* variables and as JSON on standard input
# (docs/notify.md). This script must finish within --notify-timeout (default 10 s): `mail`
# only hands the message to the local MTA, which is quick.

# Hooks inherit vrrpwatch's capabilities (CAP_NET_RAW, CAP_NET_ADMIN under the shipped systemd
# unit). A mail script needs none of them: drop them before doing anything else.
# (If setpriv cannot, e.g. a seccomp filter without capset, mail anyway: better than no mail.)
if [ -z "${VRRPWATCH_CAPS_DROPPED:-}" ] && command -v setpriv >/dev/null 2>&1; then
	VRRPWATCH_CAPS_DROPPED=1
	export VRRPWATCH_CAPS_DROPPED
	if setpriv --inh-caps=-all --ambient-caps=-all -- true 2>/dev/null; then
		exec setpriv --inh-caps=-all --ambient-caps=-all -- "$0" "$@"
	fi
	echo "vrrpwatch-mail: cannot drop capabilities with setpriv; mailing anyway" >&2
fi

to=${VRRPWATCH_MAIL_TO:-root}
event=${VRRPWATCH_EVENT:-unknown}
for skip in ${VRRPWATCH_MAIL_SKIP:-}; do
	[ "$skip" = "$event" ] && { cat >/dev/null; exit 0; }
done

# The whole event as JSON (read it even if unused, so vrrpwatch's write never blocks).
json=$(cat)

host=$(hostname 2>/dev/null || echo unknown-host)
case $event in
	split-brain-start) what="SPLIT BRAIN: $VRRPWATCH_ADVERTISERS all advertise as master" ;;
	split-brain-end)   what="split brain over after ${VRRPWATCH_DURATION:-?} s, master $VRRPWATCH_MASTER" ;;
	no-master)         what="NO MASTER (last: ${VRRPWATCH_PREVIOUS_MASTER:-none})" ;;
	master-back)       what="master back: $VRRPWATCH_MASTER" ;;
	failover)          what="failover ${VRRPWATCH_PREVIOUS_MASTER:-?} -> $VRRPWATCH_MASTER (${VRRPWATCH_KIND})" ;;
	new-master)        what="master is $VRRPWATCH_MASTER" ;;
	finding)           what="${VRRPWATCH_FINDING}: $VRRPWATCH_MESSAGE" ;;
	coalesced)         what="${VRRPWATCH_COALESCED} events (${VRRPWATCH_COALESCED_EVENTS}), latest ${VRRPWATCH_LAST_EVENT:-?}" ;;
	*)                 what=$VRRPWATCH_MESSAGE ;;
esac
vlan=${VRRPWATCH_VLAN:+ vlan $VRRPWATCH_VLAN}
subject="[vrrpwatch] $VRRPWATCH_SEVERITY: VRID $VRRPWATCH_VRID ($VRRPWATCH_FAMILY$vlan) on $host: $what"

{
	echo "$VRRPWATCH_MESSAGE"
	echo
	echo "Event:            $event ($VRRPWATCH_KIND)"
	echo "Time:             $VRRPWATCH_TIME"
	echo "Virtual router:   VRID $VRRPWATCH_VRID, $VRRPWATCH_FAMILY${vlan}"
	echo "Master:           ${VRRPWATCH_MASTER:-none}"
	echo "Previous master:  ${VRRPWATCH_PREVIOUS_MASTER:-none}"
	echo "Advertising now:  ${VRRPWATCH_ADVERTISERS:-nobody}"
	[ -n "${VRRPWATCH_DURATION:-}" ] && echo "Duration:         $VRRPWATCH_DURATION s (expected ${VRRPWATCH_EXPECTED:-?} s)"
	echo "Severity:         $VRRPWATCH_SEVERITY"
	echo "Seen by:          vrrpwatch on $host"
	if [ -n "${VRRPWATCH_FIX:-}" ]; then
		echo
		echo "Suggested fix:"
		printf '%s\n' "$VRRPWATCH_FIX" | sed 's/^/    /'
	fi
	echo
	echo "Event as JSON:"
	printf '%s\n' "$json"
} | mail -s "$subject" "$to"
