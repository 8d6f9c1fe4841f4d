#!/usr/bin/env python3
# Sends or receives raw VRRP (IP protocol 112) inside a test's network namespace, to check what the
# kernel's firewall really does with an advert. A raw socket is handed packets after netfilter's INPUT
# hook, so "received" means the ruleset accepted it.
#   vrrp-probe.py recv FAMILY IFACE GROUP|- SECONDS   prints "ready", then, at SIGTERM or after SECONDS,
#                                                     the number of packets received
#   vrrp-probe.py send FAMILY IFACE SRC DST HEX COUNT prints "sent N", or "blocked: ERR" (OUTPUT refused it)
import signal, socket, struct, sys, time

def ifindex(name):
    return socket.if_nametoindex(name)

def recv(family, iface, group, seconds):
    fam = socket.AF_INET if family == '4' else socket.AF_INET6
    s = socket.socket(fam, socket.SOCK_RAW, 112)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    if group != '-':
        if family == '4':
            s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                         socket.inet_aton(group) + socket.inet_aton('0.0.0.0') + struct.pack('@i', ifindex(iface)))
        else:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                         socket.inet_pton(socket.AF_INET6, group) + struct.pack('@I', ifindex(iface)))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    print('ready', flush=True)
    deadline = time.time() + float(seconds)
    n = 0
    s.settimeout(0.05)
    while not stop and time.time() < deadline:
        try:
            s.recv(65535)
            n += 1
        except (socket.timeout, InterruptedError):
            pass
    print(n, flush=True)

def send(family, iface, src, dst, payload_hex, count):
    payload = bytes.fromhex(payload_hex)
    if family == '4':
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     socket.inet_aton('0.0.0.0') + socket.inet_aton(src) + struct.pack('@i', ifindex(iface)))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
        s.bind((src, 0))
        to = (dst, 0)
    else:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 112)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex(iface))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
        s.bind((src, 0, 0, ifindex(iface)))
        to = (dst, 0, 0, ifindex(iface))
    sent = 0
    for _ in range(int(count)):
        try:
            s.sendto(payload, to)
            sent += 1
        except OSError as e:
            print('blocked: %s' % e.strerror, flush=True)
            return
        time.sleep(0.05)
    print('sent %d' % sent, flush=True)

if __name__ == '__main__':
    if sys.argv[1] == 'recv':
        recv(*sys.argv[2:6])
    else:
        send(*sys.argv[2:8])
