#!/usr/bin/env python3
# A VRRP probe inside one of a test's network namespaces, to check what the kernel's firewall really does
# with an advert. It counts the VRRP (IP protocol 112) packets its raw sockets are handed — which happens
# after netfilter's INPUT hook, so "counted" means "accepted" — having joined 224.0.0.18 and ff02::12 on
# IFACE, and sends adverts on request. Started once per namespace; commands on stdin, one answer line each:
#   count                        -> "count N4 N6"
#   send FAMILY SRC DST HEX N    -> "sent N" or "blocked: REASON" (the ruleset's OUTPUT refused it)
# Usage: vrrp-probe.py IFACE   (prints "ready" when listening)
import select, socket, struct, sys, time

iface = sys.argv[1]
index = socket.if_nametoindex(iface)

def listener(family):
    s = socket.socket(family, socket.SOCK_RAW, 112)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    if family == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton('224.0.0.18') + socket.inet_aton('0.0.0.0') + struct.pack('@i', index))
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                     socket.inet_pton(socket.AF_INET6, 'ff02::12') + struct.pack('@I', index))
    s.setblocking(False)
    return s

def sender(family):
    s = socket.socket(family, socket.SOCK_RAW, 112)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    if family == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
    return s

rx = {4: listener(socket.AF_INET), 6: listener(socket.AF_INET6)}
tx = {4: sender(socket.AF_INET), 6: sender(socket.AF_INET6)}
counts = {4: 0, 6: 0}
print('ready', flush=True)

def send(family, src, dst, payload_hex, n):
    s = tx[family]
    to = (dst, 0) if family == 4 else (dst, 0, 0, index)
    if family == 4:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     socket.inet_aton('0.0.0.0') + socket.inet_aton(src) + struct.pack('@i', index))
    sent = 0
    for _ in range(n):
        try:
            s.sendto(bytes.fromhex(payload_hex), to)
            sent += 1
        except OSError as e:
            return 'blocked: %s' % e.strerror
        time.sleep(0.02)
    return 'sent %d' % sent

buf = b''
while True:
    ready, _, _ = select.select([sys.stdin.buffer.raw, rx[4], rx[6]], [], [])
    for r in ready:
        if r is rx[4] or r is rx[6]:
            fam = 4 if r is rx[4] else 6
            try:
                while True:
                    r.recv(65535)
                    counts[fam] += 1
            except BlockingIOError:
                pass
            continue
        chunk = sys.stdin.buffer.raw.read(4096)
        if not chunk:
            sys.exit(0)
        buf += chunk
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            words = line.decode().split()
            if not words:
                continue
            if words[0] == 'count':
                # let packets already on their way land first
                time.sleep(0.2)
                for fam in (4, 6):
                    try:
                        while True:
                            rx[fam].recv(65535)
                            counts[fam] += 1
                    except BlockingIOError:
                        pass
                print('count %d %d' % (counts[4], counts[6]), flush=True)
            elif words[0] == 'send':
                print(send(int(words[1]), words[2], words[3], words[4], int(words[5])), flush=True)
            else:
                print('error: unknown command', flush=True)
