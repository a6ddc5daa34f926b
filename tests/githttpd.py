#!/usr/bin/env python3
"""githttpd.py - git's smart HTTP protocol on the loopback, for the tests.

Serves the bare repositories under ROOT through `git http-backend` (CGI),
on each --bind address (default 127.0.0.1) at a port chosen by the kernel,
and writes "ADDRESS PORT" lines to --ready once listening. Every request is
logged to --log as one line: "ADDRESS METHOD PATH AUTH", AUTH being the
Authorization header as received ("-" when none), so a test can assert that
a token was, or was not, sent to a host.

The first path component chooses a behaviour (the rest is the repository):
  /public/R          served as is
  /private/R         Basic auth required: user any, password --token; else 401
  /moved/R           301 to /public/R on the same host
  /redirect/H/P/X    302 to http://H:P/X (another host name)
  /authredirect/H/P/X  the same, once the token was given (as /private)
  /stall/R           the pack starts, then nothing more (until killed)
  /drop/R            the response starts, then the connection is closed
  anything else      404
Tests only: plain HTTP, no TLS, loopback addresses only.

  tests/githttpd.py --root DIR --ready FILE --log FILE [--token T] [--bind ADDR]...
"""
import argparse
import base64
import http.server
import os
import socket
import subprocess
import sys
import threading
import time

ARGS = None
LOG_LOCK = threading.Lock()


def log_line(addr, method, path, auth):
    with LOG_LOCK, open(ARGS.log, "a", encoding="utf-8") as f:
        f.write("%s %s %s %s\n" % (addr, method, path, auth or "-"))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the request log is ours
        pass

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def reply(self, code, headers=(), data=b""):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        host = self.server.server_address[0]
        auth = self.headers.get("Authorization")
        log_line(host, method, self.path, auth)
        data = self.body() if method == "POST" else b""
        path, _, query = self.path.partition("?")
        parts = path.lstrip("/").split("/", 1)
        mode, rest = parts[0], parts[1] if len(parts) > 1 else ""
        if mode == "moved":
            return self.reply(301, [("Location", "/public/" + rest + ("?" + query if query else ""))])
        if mode in ("private", "authredirect"):
            given = None
            if auth and auth.startswith("Basic "):
                given = base64.b64decode(auth[6:]).decode("utf-8", "replace")
            if given is None or given.partition(":")[2] != ARGS.token:
                return self.reply(401, [("WWW-Authenticate", 'Basic realm="grader-test"')])
        if mode in ("redirect", "authredirect"):
            h, p, x = (rest.split("/", 2) + ["", ""])[:3]
            loc = "http://%s:%s/%s%s" % (h, p, x, "?" + query if query else "")
            return self.reply(302, [("Location", loc)])
        if mode not in ("public", "private", "stall", "drop"):
            return self.reply(404, [("Content-Type", "text/plain")], b"no such repository\n")
        status, headers, out = self.cgi(method, "/" + rest, query, data)
        if mode == "drop":
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(out) + 4096))
            self.end_headers()
            self.wfile.write(out[: len(out) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return None
        if mode == "stall" and method == "POST":
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out[:16])
            self.wfile.flush()
            time.sleep(3600)
            return None
        return self.reply(status, headers, out)

    def cgi(self, method, path_info, query, data):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": ARGS.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": ARGS.root,
            "REQUEST_METHOD": method,
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(data)),
            "REMOTE_ADDR": self.client_address[0],
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        p = subprocess.run(["git", "http-backend"], input=data, env=env, capture_output=True)
        head, _, out = p.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, out = p.stdout.partition(b"\n\n")
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.split()[0])
            elif k:
                headers.append((k, v.strip()))
        if p.returncode and not p.stdout:
            return 500, [("Content-Type", "text/plain")], p.stderr
        return status, headers, out

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--token", default="")
    ap.add_argument("--bind", action="append")
    ARGS = ap.parse_args()
    ARGS.root = os.path.abspath(ARGS.root)
    open(ARGS.log, "a").close()
    lines = []
    for addr in ARGS.bind or ["127.0.0.1"]:
        if not (addr.startswith("127.") or addr == "::1"):
            sys.exit("githttpd.py: loopback addresses only, not " + addr)
        srv = http.server.ThreadingHTTPServer((addr, 0), Handler)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        lines.append("%s %d\n" % (addr, srv.server_address[1]))
    tmp = ARGS.ready + ".tmp"
    with open(tmp, "w") as f:
        f.writelines(lines)
    os.rename(tmp, ARGS.ready)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
