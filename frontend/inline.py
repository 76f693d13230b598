"""The participant's pages carry their stylesheet and scripts inline, allowed by CSP hashes.

On a slow phone link every request costs a round trip (2 s on "Slow 3G"): the join page
and the board inline ``site.css``, the tiny ``board-boot.js`` (queues an early tap) and
``board.js``, so the path from the join link to a posted idea has no extra request. The
files are read and hashed once, when the app starts (``FrontendConfig.ready``); the
page's Content-Security-Policy lists their ``'sha256-…'`` hashes and never
``'unsafe-inline'``. Other pages keep the cached ``<link>``/``<script src>``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders

from .middleware import CSP

FILES = {
    "css": "frontend/css/site.css",
    "boot": "frontend/js/board-boot.js",
    "board": "frontend/js/board.js",
}


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@dataclass(frozen=True)
class InlineAssets:
    css: str
    boot: str
    board: str

    @functools.cached_property
    def csp(self) -> str:
        """The site's CSP, plus the hashes of exactly these inline blocks."""
        scripts = f"{_sha256(self.boot)} {_sha256(self.board)}"
        return CSP.replace("script-src 'self'", f"script-src 'self' {scripts}").replace(
            "style-src 'self'", f"style-src 'self' {_sha256(self.css)}"
        )


@functools.cache
def inline_assets() -> InlineAssets:
    texts = {}
    for key, name in FILES.items():
        path = finders.find(name)
        if not path:
            raise FileNotFoundError(name)
        texts[key] = Path(path).read_text(encoding="utf-8")
    return InlineAssets(**texts)


def render_inline(response, assets: InlineAssets | None = None):
    """Give a rendered page that used ``inline`` assets the CSP allowing them."""
    response["Content-Security-Policy"] = (assets or inline_assets()).csp
    return response
