#!/usr/bin/env python3
"""Clients of grader serve for tests/e2e_serve.sh (standard library only).

  serve_client.py load LINKS.csv [--reviews 3] [--rubric-size 22]
      every reviewer of LINKS.csv at once (one thread each): load their page,
      then open and submit up to --reviews reviews; prints request count,
      errors and latency percentiles; exit 1 on any error.
  serve_client.py hammer LINKS.csv ACKS
      submit reviews one after another, appending "id n" to ACKS (fsync'd)
      after each acknowledgement (303), until the server goes away.
"""
import csv
import http.client
import os
import re
import sys
import threading
import time
import urllib.parse

CSRF = re.compile(r'name="csrf" value="([0-9a-f]{32})"')
REVIEW = re.compile(r'href="review/([0-9]+)"')
CRIT = re.compile(r'name="m_([0-9]+)"')


def links(path):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if "/r/" in r["link"]]


class Client:
    """One keep-alive connection; reconnects when the server closed it."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.base = u.hostname, u.port, u.path
        self.conn = None
        self.lat = []

    def req(self, method, path, body=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            t = time.perf_counter()
            try:
                hdr = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
                self.conn.request(method, self.base + path, body, hdr)
                r = self.conn.getresponse()
                data = r.read().decode("utf-8", "replace")
                self.lat.append(time.perf_counter() - t)
                return r.status, data, r.getheader("Location")
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def review_body(page, comment):
    csrf = CSRF.search(page).group(1)
    fields = [("csrf", csrf), ("action", "submit"), ("overall", comment)]
    for i in sorted(set(CRIT.findall(page)), key=int):
        fields += [("m_" + i, "1"), ("p_" + i, ""), ("c_" + i, "ok " + i)]
    return urllib.parse.urlencode(fields)


def load(argv):
    path = argv[0]
    nrev = int(argv[argv.index("--reviews") + 1]) if "--reviews" in argv else 3
    people = links(path)
    errors, lat, done = [], [], []
    lock = threading.Lock()
    start = threading.Barrier(len(people))

    def one(p):
        c = Client(p["link"])
        try:
            start.wait()
            st, page, _ = c.req("GET", "")
            if st != 200:
                raise AssertionError("home %d" % st)
            ns = REVIEW.findall(page)[:nrev]
            for n in ns:
                st, page, _ = c.req("GET", "review/" + n)
                if st != 200:
                    raise AssertionError("review page %d" % st)
                st, _, loc = c.req("POST", "review/" + n, review_body(page, "load " + p["id"]))
                if st != 303 or loc != "?saved=submitted":
                    raise AssertionError("submit %d %s" % (st, loc))
                with lock:
                    done.append((p["id"], n))
        except Exception as e:  # noqa: BLE001 - every failure counts
            with lock:
                errors.append("%s: %r" % (p["id"], e))
        with lock:
            lat.extend(c.lat)

    t0 = time.perf_counter()
    th = [threading.Thread(target=one, args=(p,)) for p in people]
    for t in th:
        t.start()
    for t in th:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()

    def pct(q):
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else 0

    print("reviewers %d, requests %d, reviews submitted %d, errors %d, %.1f s, %.0f req/s"
          % (len(people), len(lat), len(done), len(errors), wall, len(lat) / wall))
    print("latency ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f"
          % (pct(0.5), pct(0.9), pct(0.99), lat[-1] * 1000 if lat else 0))
    for e in errors[:10]:
        print("error:", e)
    with open(os.environ.get("LOAD_DONE", os.devnull), "w") as f:
        for i, n in done:
            f.write("%s %s\n" % (i, n))
    return 1 if errors else 0


def hammer(argv):
    people, acks = links(argv[0]), argv[1]
    fd = os.open(acks, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    k = 0
    while True:
        for p in people:
            c = Client(p["link"])
            try:
                st, page, _ = c.req("GET", "")
                for n in REVIEW.findall(page):
                    st, page, _ = c.req("GET", "review/" + n)
                    k += 1
                    st, _, _ = c.req("POST", "review/" + n, review_body(page, "round %d" % k))
                    if st == 303:
                        os.write(fd, ("%s %s %d\n" % (p["id"], n, k)).encode())
                        os.fsync(fd)
            except (OSError, http.client.HTTPException, AttributeError):
                return 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "load":
        sys.exit(load(sys.argv[2:]))
    if cmd == "hammer":
        sys.exit(hammer(sys.argv[2:]))
    sys.exit(__doc__)
