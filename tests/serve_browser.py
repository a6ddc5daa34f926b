#!/usr/bin/env python3
"""Drive headless Chromium through grader serve's pages, as a reviewer, the
instructor and an author would (for tests/e2e_serve_browser.sh).

  serve_browser.py LIVE_LINKS.csv OUTDIR OTHER_REVIEW_N

The DevTools protocol runs over --remote-debugging-pipe (file descriptors 3
and 4, NUL-separated JSON): no port, no network, standard library only.
Prints one "ok ..." line per step; the first failed step raises. Screenshots
of the three pages go to OUTDIR/serve-{review,instructor,author}.png.
"""
import base64
import csv
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self, user_dir, errlog):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Chromium reads commands on fd 3 and answers on fd 4.
        hi = [fcntl.fcntl(f, fcntl.F_DUPFD_CLOEXEC, 20)
              for f in (to_child_r, to_child_w, from_child_r, from_child_w)]
        for f in (to_child_r, to_child_w, from_child_r, from_child_w):
            os.close(f)
        for f in (3, 4):
            try:
                os.fstat(f)
                raise AssertionError("file descriptor %d is taken" % f)
            except OSError:
                pass
        os.dup2(hi[0], 3)
        os.dup2(hi[3], 4)
        args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--user-data-dir=" + user_dir, "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=errlog)
        os.close(3)
        os.close(4)
        os.close(hi[0])
        os.close(hi[3])
        self.w, self.r = hi[1], hi[2]
        self.buf = b""
        self.next_id = 0
        self.session = None

    def _read(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise AssertionError("chromium did not answer in time")
            chunk = os.read(self.r, 1 << 16)
            if not chunk:
                raise AssertionError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        m = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            m["sessionId"] = self.session
        os.write(self.w, json.dumps(m).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            r = self._read(deadline)
            if r.get("id") == self.next_id:
                if "error" in r:
                    raise AssertionError("%s: %s" % (method, r["error"]))
                return r.get("result", {})

    def open_tab(self):
        t = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        s = self.call("Target.attachToTarget", {"targetId": t["targetId"], "flatten": True},
                      session=False)
        self.session = s["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")

    def js(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise AssertionError("script failed: %s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def wait_loaded(self, changed_from=None, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                st = self.js("[document.readyState, location.href]")
            except AssertionError:
                st = None  # the page is being replaced
            if st and st[0] == "complete" and st[1] != changed_from:
                return st[1]
            time.sleep(0.05)
        raise AssertionError("the page did not load")

    def go(self, url):
        before = self.js("location.href")
        self.call("Page.navigate", {"url": url})
        return self.wait_loaded(before if before != url else None)

    def click(self, selector):
        """Click and wait for the next document (the same URL or not)."""
        self.js("window.__before_click = 1; document.querySelector(%s).click()"
                % json.dumps(selector))
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                st = self.js("[window.__before_click === undefined && "
                             "document.readyState === 'complete', location.href]")
            except AssertionError:
                st = None
            if st and st[0]:
                return st[1]
            time.sleep(0.05)
        raise AssertionError("no page after clicking " + selector)

    def html(self):
        return self.js("document.documentElement.outerHTML")

    def text(self, selector):
        return self.js("(document.querySelector(%s) || {}).textContent || ''"
                       % json.dumps(selector))

    def shot(self, path, width):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
        h = self.js("Math.min(document.documentElement.scrollHeight, 2400)")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": h, "deviceScaleFactor": 1, "mobile": width < 600})
        png = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))

    def close(self):
        try:
            self.call("Browser.close", session=False, timeout=5)
        except AssertionError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def ok(msg):
    print("ok", msg)
    sys.stdout.flush()


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)
    ok(msg)


def main():
    links_csv, outdir, other_n = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(links_csv, newline="") as f:
        link = {r["id"]: r["link"] for r in csv.DictReader(f)}
    user_dir = tempfile.mkdtemp(dir=outdir, prefix="chromium-")
    fd = os.open(os.path.join(outdir, "chromium.err"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 20)  # keep 3 and 4 free for the pipe
    os.close(fd)
    b = Browser(user_dir, err)
    try:
        run(b, link, outdir, other_n)
    finally:
        b.close()


def run(b, link, outdir, other_n):
    b.open_tab()
    home = link["s1"]
    b.go(home)
    expect("0 of 2 reviews submitted" in b.text("#progress"), "the reviewer's page lists 2 to do")
    url = b.click('a[href^="review/"]')
    expect("/review/" in url and b.js("!!document.getElementById('review')"),
           "the review page shows the form")
    expect(b.js("document.querySelectorAll('article.post h2').length") >= 4,
           "the post is rendered (its four sections)")
    # Fill in: every criterion met, the second one 2 points, comments.
    b.js("""(() => {
        document.querySelectorAll('input[type=radio][value="1"]').forEach(r => r.checked = true);
        document.querySelector('input[name=p_1]').value = '2';
        document.querySelector('textarea[name=c_0]').value = 'A clear title';
        document.getElementById('overall').value = 'Good post <script>alert(1)</script>';
    })()""")
    b.click("#submit")
    expect("Review submitted" in b.text("#notice"), "submitting says so")
    expect(b.text(".sub .tag") == "submitted", "the review shows as submitted")
    expect(b.js("document.getElementById('overall').value")
           == "Good post <script>alert(1)</script>", "the comment comes back as text")
    expect(not b.js("!!document.querySelector('main script')"), "no script element on the page")
    b.shot(os.path.join(outdir, "serve-review.png"), 1000)
    # Edit: 1 point for the second criterion.
    b.js("document.querySelector('input[name=p_1]').value = '1';"
         "document.querySelector('textarea[name=c_1]').value = 'Only partly'")
    b.click("#submit")
    expect("Review submitted" in b.text("#notice")
           and b.js("document.querySelector('input[name=p_1]').value") == "1"
           and b.js("document.querySelector('textarea[name=c_1]').value") == "Only partly",
           "the edit is saved")
    # A bad value: an error on the page, nothing changed.
    b.js("document.querySelector('input[name=p_1]').type = 'text';"
         "document.querySelector('input[name=p_1]').value = '99'")
    b.click("#submit")
    expect("out of range" in b.text("#error"), "a bad value is refused with a message")
    b.go(url)
    expect(b.js("document.querySelector('input[name=p_1]').value") == "1",
           "the refused value changed nothing")
    # Another reviewer's review, through this reviewer's link: nothing.
    b.go(home + "review/" + other_n)
    expect(b.text("h1") == "Not found", "another reviewer's review is not found")
    b.go(home.replace("/r/", "/i/"))
    expect(b.text("h1") == "Not found", "a reviewer's token does not open the instructor page")
    b.go(home)
    expect("1 of 2 reviews submitted" in b.text("#progress"), "the reviewer's progress")
    # The instructor.
    b.go(link["instructor"])
    expect(b.text("#submitted") == "1", "the instructor sees 1 submitted review")
    expect("Missing reviews (11)" in b.html(), "the instructor sees the 11 missing reviews")
    b.click("form[action=release] button")
    expect("released" in b.text("#released"), "the instructor released the feedback")
    b.shot(os.path.join(outdir, "serve-instructor.png"), 1000)
    # The author of the reviewed post.
    author = os.environ["REVIEWED_AUTHOR"]
    b.go(link[author] + "feedback")
    expect("Reviewer 1" in b.text("#review-1 h3"), "the author reads the review, anonymous")
    expect("Only partly" in b.text("#review-1"), "the author reads the comments")
    b.click("#review-1 button[value='1']")
    expect("Thank you" in b.text("#notice"), "the author's helpful vote is saved")
    b.shot(os.path.join(outdir, "serve-author.png"), 1000)
    b.go(link["s1"] + "review/" + url.rsplit("/", 1)[1])
    b.shot(os.path.join(outdir, "serve-review-phone.png"), 390)
    expect(b.js("document.documentElement.scrollWidth <= 400"),
           "the review page fits a phone's width")


if __name__ == "__main__":
    main()
