"""A participant on an old phone: page weight, and join-then-post time on Slow 3G, 4x CPU.

PRODUCT.md: "the participant's board weighs at most 60 KB on first load (compressed,
everything included), and joining by code then posting an idea takes at most 10 s on an
emulated Slow 3G link with a 4x slower CPU."

This starts daphne as `make run-prod` would serve it (DEBUG off, static files collected
and pre-compressed by whitenoise), drives Debian's Chromium with Playwright, throttles
the network with the DevTools "Slow 3G" profile (2,000 ms latency, 50 kB/s each way, as
Puppeteer defines it) and the CPU 4x, and prints:

* bytes transferred (as sent on the wire, compressed where the server compresses) for
  the join page and for the board page's first load, resource by resource (a fresh
  browser: nothing cached but what the join page itself fetched);
* seconds from opening the join link to the server's acknowledgement of a posted idea,
  and the split (join page, board page live, post acknowledged); best and median of N.

Usage: .venv/bin/python bench/slow_phone.py [--runs 3]
"""

from __future__ import annotations

import argparse
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


def start_server() -> DaphneServer:
    static = tempfile.mkdtemp(prefix="livinglab-static-")
    server = DaphneServer(env={"LIVINGLAB_PLAIN_STATIC": "0", "STATIC_ROOT": static})
    server.migrate(seed=True)
    server.manage("collectstatic", "--noinput", "-v0")
    return server.start()


class Meter:
    """Sums encodedDataLength (bytes on the wire) per response, from DevTools."""

    def __init__(self, cdp):
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)

    def _response(self, params):
        self.urls[params["requestId"]] = params["response"]["url"]

    def _finished(self, params):
        url = self.urls.get(params["requestId"], "?")
        self.sizes[url] = self.sizes.get(url, 0) + int(params["encodedDataLength"])

    def take(self) -> dict[str, int]:
        sizes, self.sizes = self.sizes, {}
        return sizes


def one_run(browser, server, index: int, *, show_weights: bool) -> dict:
    context = browser.new_context(
        locale="fr-CA", viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    meter = Meter(cdp)

    start = time.perf_counter()
    page.goto(f"{server.url}/join/?code=TECHWK")
    joined_page = time.perf_counter()
    join_weights = meter.take()
    page.fill("#id_display_name", f"Téléphone {index}")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/board/")
    board_loaded = time.perf_counter()
    page.locator("[data-conn]", has_text="En direct").wait_for()
    board_live = time.perf_counter()
    board_weights = meter.take()
    page.fill("#id_text", f"Une idée envoyée d'un vieux téléphone ({index})")
    page.click("[data-post-form] button[type=submit]")
    page.locator("[data-post-feedback]", has_text="Votre idée est sur le tableau.").wait_for()
    acked = time.perf_counter()
    context.close()
    if show_weights:
        for title, weights in (
            ("join page", join_weights),
            ("board page, first load", board_weights),
        ):
            total = sum(weights.values())
            print(f"  {title}: {total / 1024:.1f} KiB on the wire")
            for url, size in sorted(weights.items(), key=lambda kv: -kv[1]):
                print(f"    {size / 1024:7.1f} KiB  {url.replace(server.url, '')}")
    return {
        "join_page": joined_page - start,
        "board_loaded": board_loaded - joined_page,
        "board_live": board_live - joined_page,
        "posted": acked - board_live,
        "total": acked - start,
        "board_bytes": sum(board_weights.values()),
        "join_bytes": sum(join_weights.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
            )
            print("Slow 3G (2,000 ms latency, 50 kB/s), CPU 4x slower, 360x640 mobile")
            runs = [one_run(browser, server, i, show_weights=(i == 0)) for i in range(args.runs)]
            browser.close()
    finally:
        server.stop()
    totals = [r["total"] for r in runs]
    print(
        f"join + post, {len(runs)} runs: best {min(totals):.1f} s, "
        f"median {statistics.median(totals):.1f} s (target <= 10 s)"
    )
    for key in ("join_page", "board_loaded", "board_live", "posted"):
        print(f"  {key}: median {statistics.median(r[key] for r in runs):.1f} s")
    board = runs[0]["board_bytes"] + runs[0]["join_bytes"]
    print(
        f"board first load: {runs[0]['board_bytes'] / 1024:.1f} KiB; join page + board: "
        f"{board / 1024:.1f} KiB (target <= 60 KB for the board)"
    )


if __name__ == "__main__":
    main()
