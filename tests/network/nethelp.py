#!/usr/bin/env python3
"""Helpers of the network suite (run_network.sh): host-side servers, probes run inside the sandbox (and
natively, as their controls), raw proxy requests, and the event-log checker. Standard library only.

Probe exit status: 0 the operation succeeded (connected, got an answer), 1 it was refused or got nothing,
2 usage or setup error. Each probe prints one line saying what happened.

  serve STATEDIR [--ext ADDR]... [--abstract NAME]   host servers; writes STATEDIR/ports.json when ready
  tcp HOST PORT TAG           connect, send "cordon-net TAG", wait for the server's reply
  udp HOST PORT TAG           send one datagram, wait 0.5 s for the echo
  abstract NAME TAG           connect to an abstract unix socket
  raw                         raw IPv4/IPv6 and packet sockets
  netlink                     bring lo up and add a route over rtnetlink
  dnsquery                    one UDP query to each nameserver of /etc/resolv.conf
  resolve NAME                socket.getaddrinfo; prints the time taken
  timed SECONDS CMD...        runs CMD; exit 0 if it failed within SECONDS, 1 if it succeeded, 3 if slower
  proxy MODE HOST PORT PATH   a request through 127.0.0.1:3128 with HOST exactly as given; MODE: connect,
                              http (absolute form), socks (domain name), socks4 (IPv4 address), socks6 (IPv6)
  garbage                     send a malformed request to the proxy, print its answer
  silent                      connect to the proxy and close without a request
  urllib URL                  urllib.request.urlopen (uses the *_proxy variables); prints the body
  events FILE [CHECK]...      check the JSON-lines event log (see check_events)
"""

import errno
import ipaddress
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time

PROXY = ("127.0.0.1", 3128)


def out(msg):
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def ename(e):
    if isinstance(e, OSError) and e.errno:
        return errno.errorcode.get(e.errno, str(e.errno))
    return type(e).__name__ + (": " + str(e) if str(e) else "")


def family_of(host):
    try:
        return socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:
        return socket.AF_INET


# ---------------------------------------------------------------------------------------------------------
# Host servers


def serve(args):
    state = args[0]
    ext, abstract = [], None
    i = 1
    while i < len(args):
        if args[i] == "--ext":
            ext.append(args[i + 1])
        elif args[i] == "--abstract":
            abstract = args[i + 1]
        i += 2
    import http.server

    log_lock = threading.Lock()
    logf = open(os.path.join(state, "serve.log"), "a", buffering=1)

    def log(line):
        with log_lock:
            logf.write(line.rstrip("\n") + "\n")

    www = os.path.join(state, "www")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=www, **kw)

        def log_message(self, fmt, *a):
            log("http %s %s" % (self.server.server_address[1], self.requestline))

    def http_server(port=0):
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        return srv.server_address[1]

    ports = {"http": http_server(), "http_other": http_server()}

    def tcp_listener(host, port):
        s = socket.socket(family_of(host), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        s.listen(64)
        bound = s.getsockname()[1]

        def loop():
            while True:
                c, peer = s.accept()
                c.settimeout(1)
                try:
                    data = c.recv(256)
                except OSError:
                    data = b""
                log("tcp %s %s %r" % (host, bound, data.decode("latin-1").strip()))
                try:
                    c.sendall(b"cordon-net-server\n")
                except OSError:
                    pass
                c.close()

        threading.Thread(target=loop, daemon=True).start()
        return s.getsockname()[1]

    def udp_listener(host, port):
        s = socket.socket(family_of(host), socket.SOCK_DGRAM)
        s.bind((host, port))
        bound = s.getsockname()[1]

        def loop():
            while True:
                data, peer = s.recvfrom(512)
                log("udp %s %s %r" % (host, bound, data.decode("latin-1").strip()))
                s.sendto(b"cordon-net-server\n", peer)

        threading.Thread(target=loop, daemon=True).start()
        return s.getsockname()[1]

    # One port number for the TCP listener on 127.0.0.1 and on every other address of the host, one for UDP.
    for _ in range(20):
        try:
            tport = tcp_listener("127.0.0.1", 0)
            for a in ext:
                tcp_listener(a, tport)
            break
        except OSError:
            continue
    else:
        out("serve: no common free TCP port")
        return 2
    for _ in range(20):
        try:
            uport = udp_listener("127.0.0.1", 0)
            for a in ext:
                udp_listener(a, uport)
            break
        except OSError:
            continue
    else:
        out("serve: no common free UDP port")
        return 2
    ports["tcp"], ports["udp"] = tport, uport
    if abstract:
        a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        a.bind("\0" + abstract)
        a.listen(16)

        def aloop():
            while True:
                c, _ = a.accept()
                c.settimeout(1)
                try:
                    data = c.recv(256)
                except OSError:
                    data = b""
                log("abstract %s %r" % (abstract, data.decode("latin-1").strip()))
                c.close()

        threading.Thread(target=aloop, daemon=True).start()
    tmp = os.path.join(state, "ports.json.tmp")
    with open(tmp, "w") as f:
        json.dump(ports, f)
    os.rename(tmp, os.path.join(state, "ports.json"))
    parent = os.getppid()
    deadline = time.time() + 900
    while time.time() < deadline:
        time.sleep(0.5)
        if os.getppid() != parent:  # the harness is gone
            break
    return 0


# ---------------------------------------------------------------------------------------------------------
# Probes


def p_tcp(args):
    host, port, tag = args[0], int(args[1]), args[2]
    s = socket.socket(family_of(host), socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect((host, port))
    except OSError as e:
        out("tcp %s:%d: connect -> %s" % (host, port, ename(e)))
        return 1
    try:
        s.sendall(("cordon-net %s\n" % tag).encode())
        reply = s.recv(256)
    except OSError as e:
        reply = ("(%s)" % ename(e)).encode()
    out("tcp %s:%d: CONNECTED, reply %r" % (host, port, reply[:40]))
    return 0


def p_udp(args):
    host, port, tag = args[0], int(args[1]), args[2]
    s = socket.socket(family_of(host), socket.SOCK_DGRAM)
    s.settimeout(0.5)
    try:
        s.sendto(("cordon-net %s\n" % tag).encode(), (host, port))
    except OSError as e:
        out("udp %s:%d: sendto -> %s" % (host, port, ename(e)))
        return 1
    try:
        data = s.recv(512)
    except OSError as e:
        out("udp %s:%d: sent, no answer (%s)" % (host, port, ename(e)))
        return 1
    out("udp %s:%d: ANSWERED %r" % (host, port, data[:40]))
    return 0


def p_abstract(args):
    name, tag = args[0], args[1]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect("\0" + name)
    except OSError as e:
        out("abstract @%s: connect -> %s" % (name, ename(e)))
        return 1
    s.sendall(("cordon-net %s\n" % tag).encode())
    out("abstract @%s: CONNECTED" % name)
    return 0


def p_raw(args):
    tried = []
    for fam, typ, proto, label in ((socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP, "inet-raw"),
                                   (socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6, "inet6-raw"),
                                   (socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW, "inet-raw-ip"),
                                   (socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3), "packet-raw"),
                                   (socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(3), "packet-dgram")):
        try:
            s = socket.socket(fam, typ, proto)
        except OSError as e:
            tried.append("%s:%s" % (label, ename(e)))
            continue
        s.close()
        out("raw: CREATED a %s socket" % label)
        return 0
    out("raw: no raw or packet socket (%s)" % " ".join(tried))
    return 1


def nl_request(sock, msg_type, flags, body, attrs=b""):
    payload = body + attrs
    hdr = struct.pack("=LHHLL", 16 + len(payload), msg_type, flags | 0x1 | 0x4, 1, 0)  # REQUEST | ACK
    sock.send(hdr + payload)
    data = sock.recv(4096)
    length, typ = struct.unpack("=LH", data[:6])
    if typ == 2:  # NLMSG_ERROR
        (err,) = struct.unpack("=i", data[16:20])
        return -err
    return 0


def rtattr(kind, data):
    length = 4 + len(data)
    return struct.pack("=HH", length, kind) + data + b"\0" * ((4 - length % 4) % 4)


def p_netlink(args):
    try:
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE
        s.settimeout(2)
        s.bind((0, 0))
    except OSError as e:
        out("netlink: socket -> %s" % ename(e))
        return 1
    lo = socket.if_nametoindex("lo")
    # RTM_NEWLINK: lo up
    ifinfo = struct.pack("=BBHiII", socket.AF_UNSPEC, 0, 0, lo, 1, 1)  # IFF_UP, change IFF_UP
    try:
        err = nl_request(s, 16, 0, ifinfo)
    except OSError as e:
        out("netlink: RTM_NEWLINK -> %s" % ename(e))
        return 1
    if err:
        out("netlink: RTM_NEWLINK lo up -> %s" % errno.errorcode.get(err, err))
        return 1
    # RTM_NEWROUTE: 10.99.0.0/16 dev lo, table main, scope link
    rtm = struct.pack("=BBBBBBBBI", socket.AF_INET, 16, 0, 0, 254, 4, 253, 1, 0)
    attrs = rtattr(1, socket.inet_aton("10.99.0.0")) + rtattr(4, struct.pack("=i", lo))
    try:
        err = nl_request(s, 24, 0x400 | 0x200, rtm, attrs)  # CREATE | EXCL
    except OSError as e:
        out("netlink: RTM_NEWROUTE -> %s" % ename(e))
        return 1
    if err:
        out("netlink: RTM_NEWROUTE -> %s" % errno.errorcode.get(err, err))
        return 1
    out("netlink: ADDED a route (10.99.0.0/16 dev lo)")
    return 0


def nameservers():
    servers = []
    try:
        with open("/etc/resolv.conf") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "nameserver":
                    servers.append(parts[1].split("%")[0])
    except OSError:
        pass
    return servers


def p_dnsquery(args):
    q = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + b"\x0bcordon-test\x07invalid\x00\x00\x01\x00\x01"
    tried = []
    t0 = time.monotonic()
    for ns in nameservers():
        s = socket.socket(family_of(ns), socket.SOCK_DGRAM)
        s.settimeout(1)
        try:
            s.sendto(q, (ns, 53))
            data = s.recv(512)
        except OSError as e:
            tried.append("%s:%s" % (ns, ename(e)))
            continue
        if data[:2] == b"\x12\x34":
            out("dnsquery: nameserver %s ANSWERED" % ns)
            return 0
    out("dnsquery: no answer in %.2fs (%s)" % (time.monotonic() - t0, " ".join(tried) or "no nameserver"))
    return 1


def p_resolve(args):
    t0 = time.monotonic()
    try:
        ai = socket.getaddrinfo(args[0], 443, proto=socket.IPPROTO_TCP)
    except OSError as e:
        out("resolve %s: failed in %.2fs (%s)" % (args[0], time.monotonic() - t0, e))
        return 1
    out("resolve %s: RESOLVED in %.2fs to %s" % (args[0], time.monotonic() - t0, ai[0][4][0]))
    return 0


def p_timed(args):
    limit = float(args[0])
    t0 = time.monotonic()
    rc = subprocess.call(args[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.monotonic() - t0
    if rc == 0:
        out("timed %s: SUCCEEDED in %.2fs" % (" ".join(args[1:]), dt))
        return 1
    if dt > limit:
        out("timed %s: failed (rc %d) but took %.2fs > %.1fs" % (" ".join(args[1:]), rc, dt, limit))
        return 3
    out("timed %s: failed (rc %d) in %.2fs" % (" ".join(args[1:]), rc, dt))
    return 0


# ---------------------------------------------------------------------------------------------------------
# Raw proxy requests


def recv_head(s, limit=65536):
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def recv_all(s):
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def status_of(data):
    line = data.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ", 2)
    return (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0), line


def hostport(host, port):
    return ("[%s]" % host if ":" in host and not host.startswith("[") else host) + ":%d" % port


def origin_get(s, host, port, path):
    s.sendall(("GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" % (path, hostport(host, port))).encode())
    data = recv_all(s)
    code, line = status_of(data)
    body = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
    return code, line, body


def p_proxy(args):
    mode, host, port, path = args[0], args[1], int(args[2]), args[3]
    try:
        s = socket.create_connection(PROXY, timeout=15)
    except OSError as e:
        out("proxy: cannot reach the proxy at %s:%d (%s)" % (PROXY + (ename(e),)))
        return 3
    if mode == "connect":
        s.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (hostport(host, port), hostport(host, port))).encode())
        head = recv_head(s)
        code, line = status_of(head)
        if code != 200:
            body = head.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in head else b""
            body += recv_all(s)
            out("proxy connect %s: REFUSED %s | %s" % (hostport(host, port), line, body.decode("latin-1").strip()))
            return 1
        code, line, body = origin_get(s, host, port, path)
    elif mode == "http":
        url = "http://%s%s" % (hostport(host, port), path)
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (url, hostport(host, port))).encode())
        data = recv_all(s)
        code, line = status_of(data)
        body = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
        if code == 403 and b"cordon:" in body:
            out("proxy http %s: REFUSED %s | %s" % (url, line, body.decode("latin-1").strip()))
            return 1
    elif mode in ("socks", "socks4", "socks6"):
        s.sendall(b"\x05\x01\x00")
        if s.recv(2) != b"\x05\x00":
            out("proxy socks: bad greeting reply")
            return 2
        if mode == "socks":
            req = b"\x05\x01\x00\x03" + bytes([len(host)]) + host.encode()
        elif mode == "socks4":
            req = b"\x05\x01\x00\x01" + socket.inet_aton(host)
        else:
            req = b"\x05\x01\x00\x04" + socket.inet_pton(socket.AF_INET6, host.strip("[]"))
        s.sendall(req + struct.pack("!H", port))
        rep = s.recv(4)
        if len(rep) < 2 or rep[1] != 0:
            out("proxy %s %s: REFUSED socks reply %s" % (mode, hostport(host, port), rep[1] if len(rep) > 1 else "none"))
            return 1
        atyp = rep[3]
        rest = {1: 4, 4: 16}.get(atyp)
        if rest is None:
            rest = s.recv(1)[0]
        s.recv(rest + 2)
        code, line, body = origin_get(s, host, port, path)
    else:
        out("proxy: unknown mode %s" % mode)
        return 2
    if code == 200:
        out("proxy %s %s: OK %s | %s" % (mode, hostport(host, port), line, body[:60].decode("latin-1").strip()))
        return 0
    out("proxy %s %s: FAILED %s" % (mode, hostport(host, port), line))
    return 3


def p_garbage(args):
    s = socket.create_connection(PROXY, timeout=5)
    s.sendall(b"garbage\r\n\r\n")
    data = recv_all(s)
    out("garbage: %s" % status_of(data)[1])
    return 0 if data.startswith(b"HTTP/1.1 400") else 1


def p_silent(args):
    s = socket.create_connection(PROXY, timeout=5)
    s.close()
    out("silent: connected and closed")
    return 0


def p_urllib(args):
    import urllib.request

    try:
        with urllib.request.urlopen(args[0], timeout=10) as r:
            body = r.read()
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        out("urllib %s: FAILED %s" % (args[0], e))
        return 1
    sys.stdout.write(body.decode("latin-1"))
    return 0


# ---------------------------------------------------------------------------------------------------------
# Events


FIELDS = {"host": str, "port": int, "address": str, "decision": str, "rule": str, "reason": str,
          "bytes_up": int, "bytes_down": int, "duration_ms": int, "protocol": str}


def check_events(args):
    """events FILE [count=N] [allow=N] [deny=N] [absent=TEXT]... [absent_net=TEXT]... [EXPR]...

    absent=TEXT: nowhere in the log; absent_net=TEXT: in no net.connection event (the run's own events quote its
    command line, which may spell `token=` without holding a secret).

    EXPR applies to every net.connection event of the log, or to one selected with `@HOST` (the events whose
    host is HOST; every one of them must pass): field=value, field~substring, field>N (numbers), field?
    (present and not empty)."""
    path = args[0]
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
    except OSError as e:
        out("events: cannot read %s: %s" % (path, e))
        return 1
    problems = []
    events = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            e = json.loads(line)
        except ValueError:
            problems.append("line %d is not JSON" % n)
            continue
        if e.get("type") != "net.connection":
            continue
        for k, t in FIELDS.items():
            if not isinstance(e.get(k), t) or (t is int and isinstance(e.get(k), bool)):
                problems.append("line %d: field %s missing or not %s" % (n, k, t.__name__))
        events.append(e)
    selected = events
    for a in args[1:]:
        if a.startswith("@"):
            selected = [e for e in events if e.get("host") == a[1:]]
            if not selected:
                problems.append("no event for host %s" % a[1:])
            continue
        if a.startswith("absent="):
            if a[7:] in raw:
                problems.append("the log contains %r" % a[7:])
            continue
        if a.startswith("absent_net="):
            if any(a[11:] in json.dumps(e) for e in events):
                problems.append("a net.connection event contains %r" % a[11:])
            continue
        counted = False
        for key, want in (("count", None), ("allow", "allow"), ("deny", "deny")):
            if a.startswith(key + "="):
                counted = True
                n = sum(1 for e in events if want is None or e.get("decision") == want)
                if n != int(a.split("=", 1)[1]):
                    problems.append("%d %s events, want %s" % (n, key if want else "net.connection", a.split("=", 1)[1]))
        if counted:
            continue
        if a.endswith("?"):
            for e in selected:
                if not e.get(a[:-1]):
                    problems.append("%s is empty (host %r)" % (a[:-1], e.get("host")))
            continue
        found = [(a.index(o), o) for o in ("~", ">", "=") if o in a]  # the first operator in the text
        op = min(found)[1] if found else None
        if op is None:
            problems.append("bad check %s" % a)
            continue
        field, value = a.split(op, 1)
        for e in selected:
            got = e.get(field)
            if op == "=" and str(got) != value:
                problems.append("%s=%r, want %r (host %s)" % (field, got, value, e.get("host")))
            elif op == "~" and value not in str(got):
                problems.append("%s=%r lacks %r (host %s)" % (field, got, value, e.get("host")))
            elif op == ">" and not (isinstance(got, int) and got > int(value)):
                problems.append("%s=%r, want > %s (host %s)" % (field, got, value, e.get("host")))
    if problems:
        out("events: " + "; ".join(problems[:6]))
        return 1
    out("events: %d net.connection events, all checks hold" % len(events))
    return 0


COMMANDS = {"serve": serve, "tcp": p_tcp, "udp": p_udp, "abstract": p_abstract, "raw": p_raw,
            "netlink": p_netlink, "dnsquery": p_dnsquery, "resolve": p_resolve, "timed": p_timed,
            "proxy": p_proxy, "garbage": p_garbage, "silent": p_silent, "urllib": p_urllib,
            "events": check_events}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.stderr.write(__doc__)
        sys.exit(2)
    try:
        sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
    except (IndexError, ValueError) as e:
        out("%s: usage error (%s)" % (sys.argv[1], e))
        sys.exit(2)
