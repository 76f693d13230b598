"""A participant on an old phone: page weight, and join-then-post time on Slow 3G, 4x CPU.

PRODUCT.md: "the participant's board weighs at most 60 KB on first load (compressed,
everything included), and joining by code then posting an idea takes at most 10 s on an
emulated Slow 3G link with a 4x slower CPU."

This starts daphne as `make run-prod` would serve it (DEBUG off, static files collected
and pre-compressed by whitenoise), drives Debian's Chromium with Playwright, throttles
the network with the DevTools "Slow 3G" profile (2,000 ms latency, 50 kB/s each way, as
Puppeteer defines it) and the CPU 4x, on a 360x640 mobile viewport with a cold cache (a
fresh browser context per run), and measures three ways of joining then posting, from
opening the join link to the idea's acknowledgement on screen:

* ``wait``: join with a name, wait until the board says it is live, then post;
* ``early``: join with a name, tap "post" as soon as the board shows (the script may not
  have run, the socket is certainly not open yet);
* ``nojs``: JavaScript off, the idea typed on the join form: one POST joins and posts.

It prints, for the first run of each scenario, the per-request timeline (seconds from
opening the link: request sent, response, bytes on the wire; WebSocket handshake and
frames), then best and median of N cold runs per scenario, and the bytes of the join page
and of the board's first load.

Usage: .venv/bin/python bench/slow_phone.py [--runs 3] [--scenarios wait,early,nojs]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live import DaphneServer  # noqa: E402

SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ACK = "Votre idée est sur le tableau."
SCENARIOS = ("wait", "early", "nojs")


def start_server() -> DaphneServer:
    static = tempfile.mkdtemp(prefix="livinglab-static-")
    server = DaphneServer(env={"LIVINGLAB_PLAIN_STATIC": "0", "STATIC_ROOT": static})
    server.migrate(seed=True)
    server.manage("collectstatic", "--noinput", "-v0")
    return server.start()


class Timeline:
    """Requests and WebSocket traffic from DevTools, with bytes on the wire
    (``encodedDataLength``: compressed where the server compresses)."""

    def __init__(self, cdp, origin: str):
        self.origin = origin
        self.t0: float | None = None
        self.rows: list[tuple[float, str]] = []
        self.requests: dict[str, dict] = {}
        self.sizes: dict[str, int] = {}
        for name in (
            "requestWillBeSent",
            "responseReceived",
            "loadingFinished",
            "loadingFailed",
            "webSocketCreated",
            "webSocketHandshakeResponseReceived",
            "webSocketFrameSent",
            "webSocketFrameReceived",
        ):
            cdp.on(f"Network.{name}", getattr(self, "_" + name))

    def _at(self, params) -> float:
        stamp = params.get("timestamp", 0.0)
        if self.t0 is None:
            self.t0 = stamp
        return stamp - self.t0

    def _short(self, url: str) -> str:
        return url.replace(self.origin, "")[:60]

    def _requestWillBeSent(self, p):
        if p["request"]["url"].startswith("data:"):
            return
        self.requests[p["requestId"]] = {"url": p["request"]["url"]}
        method = p["request"]["method"]
        self.rows.append((self._at(p), f"-> {method} {self._short(p['request']['url'])}"))

    def _responseReceived(self, p):
        r = self.requests.get(p["requestId"])
        if r is not None:
            self.rows.append((self._at(p), f"<- {p['response']['status']} {self._short(r['url'])}"))

    def _loadingFinished(self, p):
        r = self.requests.get(p["requestId"])
        if r is None:
            return
        size = int(p["encodedDataLength"])
        self.sizes[r["url"]] = self.sizes.get(r["url"], 0) + size
        self.rows.append((self._at(p), f"   done {self._short(r['url'])} ({size / 1024:.1f} KiB)"))

    def _loadingFailed(self, p):
        r = self.requests.get(p["requestId"])
        if r is not None:
            self.rows.append((self._at(p), f"   failed {self._short(r['url'])}"))

    def _webSocketCreated(self, p):
        self.rows.append((self._at({"timestamp": self._now()}), "-> WebSocket opening"))

    def _webSocketHandshakeResponseReceived(self, p):
        self.rows.append((self._at(p), "<- WebSocket open (101)"))

    def _frame(self, p, arrow):
        data = p.get("response", {}).get("payloadData", "")
        kind = data.split('"type"', 1)[-1].split('"')[1] if '"type"' in data else "?"
        self.rows.append((self._at(p), f"{arrow} ws {kind} ({len(data)} B)"))

    def _webSocketFrameSent(self, p):
        self._frame(p, "->")

    def _webSocketFrameReceived(self, p):
        self._frame(p, "<-")

    def _now(self) -> float:
        return max((t for t, _row in self.rows), default=0.0) + (self.t0 or 0.0)

    def take_sizes(self) -> dict[str, int]:
        sizes, self.sizes = self.sizes, {}
        return sizes

    def mark(self, label: str, seconds: float) -> None:
        self.rows.append((seconds, f"== {label}"))

    def print(self) -> None:
        for at, row in sorted(self.rows, key=lambda r: r[0]):
            print(f"    {at:6.2f} s  {row}")


def one_run(browser, server, scenario: str, index: int) -> dict:
    context = browser.new_context(
        locale="fr-CA",
        viewport={"width": 360, "height": 640},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=scenario != "nojs",
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    timeline = Timeline(cdp, server.url)
    marks = {}

    start = time.perf_counter()
    page.goto(f"{server.url}/join/?code=TECHWK")
    marks["join page shown"] = time.perf_counter() - start
    join_sizes = timeline.take_sizes()
    page.fill("#id_display_name", f"Téléphone {scenario} {index}")
    text = f"Une idée envoyée d'un vieux téléphone ({scenario} {index})"
    if scenario == "nojs":
        page.fill("#id_text", text)
    page.click("main form button[type=submit]", no_wait_after=True)
    if scenario == "nojs":
        page.locator(".messages", has_text=ACK).wait_for()
        marks["board shown, idea acknowledged"] = time.perf_counter() - start
    else:
        page.locator("[data-post-form]").wait_for(state="attached")
        marks["board shown"] = time.perf_counter() - start
        page.evaluate("window.benchSamePage = true")  # gone if the post reloads the page
        if scenario == "wait":
            page.locator("[data-conn]", has_text="En direct").wait_for()
            marks["board live"] = time.perf_counter() - start
        page.fill("[data-post-form] textarea[name=text]", text)
        page.click("[data-post-form] button[type=submit]", no_wait_after=True)
        page.locator("[data-post-feedback]", has_text=ACK).wait_for()
        marks["idea acknowledged"] = time.perf_counter() - start
    total = time.perf_counter() - start
    reloaded = scenario != "nojs" and not page.evaluate("window.benchSamePage === true")
    board_sizes = timeline.take_sizes()
    context.close()
    return {
        "total": total,
        "marks": marks,
        "timeline": timeline,
        "join_bytes": join_sizes,
        "board_bytes": board_sizes,
        "reloaded": reloaded,
    }


def _kib(sizes: dict[str, int]) -> float:
    return sum(sizes.values()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    args = parser.parse_args()
    scenarios = [s for s in args.scenarios.split(",") if s in SCENARIOS]
    from playwright.sync_api import sync_playwright

    server = start_server()
    results: dict[str, list[dict]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
            )
            print("Slow 3G (2,000 ms latency, 50 kB/s), CPU 4x slower, 360x640 mobile, cold")
            print(f"load average: {os.getloadavg()[0]:.2f} (2 cores shared)")
            for scenario in scenarios:
                results[scenario] = []
                for i in range(args.runs):
                    run = one_run(browser, server, scenario, i)
                    results[scenario].append(run)
                    if i == 0:
                        print(f"\n[{scenario}] run 1 timeline (s from opening the join link):")
                        for label, at in run["marks"].items():
                            run["timeline"].mark(label, at)
                        run["timeline"].print()
            browser.close()
    finally:
        server.stop()
    print()
    for scenario, runs in results.items():
        totals = [r["total"] for r in runs]
        marks = "; ".join(
            f"{label} {statistics.median(r['marks'][label] for r in runs):.1f} s"
            for label in runs[0]["marks"]
        )
        print(
            f"{scenario:5}: join link -> idea acknowledged, {len(runs)} cold runs: "
            + " / ".join(f"{t:.1f}" for t in totals)
            + f" s; median {statistics.median(totals):.1f} s (target <= 10 s)"
        )
        print(f"       medians: {marks}")
        if any(r["reloaded"] for r in runs):
            print("       WARNING: the post reloaded the page")
    first = next(iter(results.values()))[0]
    print(f"\njoin page: {_kib(first['join_bytes']):.1f} KiB on the wire")
    for url, size in sorted(first["join_bytes"].items(), key=lambda kv: -kv[1]):
        print(f"    {size / 1024:7.1f} KiB  {url.replace(server.url, '')}")
    board = first["board_bytes"]
    print(f"board, first load (everything after the join page): {_kib(board):.1f} KiB")
    for url, size in sorted(board.items(), key=lambda kv: -kv[1]):
        print(f"    {size / 1024:7.1f} KiB  {url.replace(server.url, '')}")
    print(f"board first load {_kib(board) * 1.024:.1f} KB (target <= 60 KB)")


if __name__ == "__main__":
    main()
