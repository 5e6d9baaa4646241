#!/usr/bin/env python3
"""End-to-end test of pustaka's web page in headless Chromium, driven over WebDriver.

Starts `pustaka serve` on a free loopback port (index of corpus/ in a temporary directory) and
chromedriver, then, as a user would: types a search and waits for results, sets the language
filter, clicks a result through to the passage in context with its citations, and checks a pasted
paragraph; asserting on what the page shows. `--screenshot DIR` also saves the results page (desktop
and phone width) as PNG. Needs Debian's chromium and chromium-driver (.ci/run installs them) and
target/release/pustaka. Standard library only.
"""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "pustaka")
CHROME = os.environ.get("CHROME", "/usr/bin/chromium")
DRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(url, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read()
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"e2e: {url} did not answer in {seconds} s")


class Driver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        profile = tempfile.mkdtemp(prefix="pustaka-chrome-")
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": CHROME,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1000"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise SystemExit(f"e2e: webdriver {method} {path}: {e.read().decode()[:500]}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        v = self.s("POST", "/element", {"using": "css selector", "value": css})
        return next(iter(v.values()))

    def type(self, css, text):
        self.s("POST", f"/element/{self.find(css)}/value", {"text": text})

    def click(self, css):
        self.s("POST", f"/element/{self.find(css)}/click", {})

    def until(self, script, what, seconds=20):
        end = time.time() + seconds
        while time.time() < end:
            v = self.js(script)
            if v:
                return v
            time.sleep(0.1)
        raise SystemExit(f"e2e: timed out waiting for {what}; page text: {self.js('return document.body.innerText')[:800]!r}")

    def screenshot(self, path):
        png = base64.b64decode(self.s("GET", "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)

    def quit(self):
        try:
            self.s("DELETE", "")
        except SystemExit:
            pass


def main():
    shots = None
    if "--screenshot" in sys.argv:
        shots = sys.argv[sys.argv.index("--screenshot") + 1]
    for exe in (BIN, CHROME, DRIVER):
        if not os.path.exists(exe):
            raise SystemExit(f"e2e: {exe} not found (build with `cargo build --release`; install chromium chromium-driver)")
    tmp = tempfile.mkdtemp(prefix="pustaka-e2e-")
    port, dport = free_port(), free_port()
    server = subprocess.Popen([BIN, "--index", os.path.join(tmp, "index"), "serve", "--addr", f"127.0.0.1:{port}"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    driver_proc = subprocess.Popen([DRIVER, f"--port={dport}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    d = None
    try:
        wait_http(f"http://127.0.0.1:{port}/health")
        wait_http(f"http://127.0.0.1:{dport}/status")
        d = Driver(dport)
        page = f"http://127.0.0.1:{port}/"
        d.go(page)
        d.until("return document.getElementById('q') && document.getElementById('f-doc').options.length > 1", "the page and its document list")

        # A search, results as you type, the matched words highlighted.
        d.type("#q", "perdagangan manusia")
        n = d.until("return document.querySelectorAll('#results li.hit').length", "search results")
        assert n >= 5, n
        marks = d.js("return [...document.querySelectorAll('#results mark')].map(m => m.textContent.toLowerCase())")
        assert any("perdagangan" in m or "manusia" in m for m in marks), marks
        where = d.js("return document.querySelector('#results .where').textContent")
        assert "baris" in where or "lines" in where, where
        print(f"e2e: search shows {n} results; first at {where!r}")

        # Paging: 20 hits a page, the next page starts at 21.
        total = d.until("return document.getElementById('page-info').textContent", "the pager")
        assert total.startswith("1–20 "), total
        first = d.js("return document.querySelector('#results li.hit').dataset.id")
        d.click("#next")
        d.until("return document.getElementById('page-info').textContent.startsWith('21–')", "the second page")
        second = d.js("return document.querySelector('#results li.hit').dataset.id")
        assert second != first and not d.js("return document.getElementById('prev').disabled")
        d.click("#prev")
        d.until("return document.getElementById('page-info').textContent.startsWith('1–')", "the first page again")
        print(f"e2e: paging {total!r}")

        # Authors and year beside a hit of 004, and its citation in APA and BibTeX.
        d.js("const q = document.getElementById('q'); q.value = 'IOM pelatihan'; q.dispatchEvent(new Event('input'));")
        d.until("return [...document.querySelectorAll('#results .by')].some(b => b.textContent === 'Saragih & Alfajri (2023)')",
                "authors and year beside a hit")
        d.js("[...document.querySelectorAll('#results li.hit')].find(h => h.querySelector('.by')).querySelector('button.cite').click()")
        refs = d.until("const c = document.querySelector('#results .cited:not([hidden])'); return c && c.textContent", "the citation")
        assert "Saragih, E., & Alfajri. (2023)." in refs and "@misc{saragih2023upaya," in refs, refs[:300]
        print("e2e: cite gives APA and BibTeX")

        # A filter: English passages only.
        d.js("const q = document.getElementById('q'); q.value = 'human trafficking'; q.dispatchEvent(new Event('input'));")
        d.until("return [...document.querySelectorAll('#results .where')].some(e => e.textContent.trim().endsWith('· id'))", "mixed-language results")
        d.js("const s = document.getElementById('f-lang'); s.value = 'en'; s.dispatchEvent(new Event('change'));")
        d.until("const w = [...document.querySelectorAll('#results .where')].map(e => e.textContent); "
                "return w.length > 0 && w.every(t => t.trim().endsWith('· en'))", "English-only results")
        langs = d.js("return [...document.querySelectorAll('#results .where')].map(e => e.textContent.trim().split(' · ').pop())")
        assert set(langs) == {"en"}, langs
        print(f"e2e: the language filter leaves {len(langs)} English results")
        d.js("const s = document.getElementById('f-lang'); s.value = ''; s.dispatchEvent(new Event('change'));")
        d.js("const q = document.getElementById('q'); q.value = 'Tapachula kartel'; q.dispatchEvent(new Event('input'));")
        d.until("return document.getElementById('results').dataset.q === 'Tapachula kartel' && "
                "[...document.querySelectorAll('#results .hit')].some(h => h.textContent.includes('Tapachula'))", "Tapachula results")
        if shots:
            os.makedirs(shots, exist_ok=True)
            d.screenshot(os.path.join(shots, "results.png"))

        # A click through: the passage in context, with its citations linked to the bibliography.
        title = d.js("return document.querySelector('#results a.open').textContent")
        d.click("#results a.open")
        d.until("return !document.getElementById('passage').hidden && document.querySelector('.ctx.focus')", "the passage in context")
        focus = d.js("return document.querySelector('.ctx.focus').textContent")
        assert "Tapachula" in focus, focus[:200]
        assert title in d.js("return document.getElementById('context').textContent")
        cites = d.until("return document.querySelectorAll('#citations li').length", "the citations list")
        cited = d.js("return document.getElementById('citations').textContent")
        assert "Correa-Cabrera" in cited or "2016" in cited or cites >= 1, cited
        print(f"e2e: clicked through to {d.js('return location.hash')!r} with {cites} citations")

        # Check a text: a pasted paragraph of 003's conclusion is found.
        d.click("#back")
        d.js("document.getElementById('check-text').value = arguments[0];",
             "Prostitusi anak berawal dari anak-anak yang diperdagangkan, baik secara domestik, maupun "
             "internasional. Korban perdagangan anak, baik untuk tenaga kerja, perdagangan seksual atau "
             "perdagangan organ, berasal dari semua latar belakang.")
        d.click("#check-btn")
        m = d.until("return document.querySelectorAll('#check-results li.match').length", "check results")
        text = d.js("return document.getElementById('check-results').textContent")
        assert "003_232135048410f2ab.txt" in text, text[:300]
        assert "terkandung" in text or "containment" in text, text[:300]
        print(f"e2e: check found {m} matching passages")

        # The English labels.
        d.click("#lang-toggle")
        label = d.js("return document.querySelector('#check-panel h2').textContent")
        assert label == "Check a text", label

        if shots:
            d.js("document.getElementById('q').value = 'perdagangan manusia'; document.getElementById('q').dispatchEvent(new Event('input'));")
            d.until("return document.querySelectorAll('#results li.hit').length", "results again")
            d.s("POST", "/window/rect", {"width": 390, "height": 844})
            time.sleep(0.3)
            d.screenshot(os.path.join(shots, "results-phone.png"))
        print("e2e: ok")
    finally:
        if d:
            d.quit()
        driver_proc.terminate()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
