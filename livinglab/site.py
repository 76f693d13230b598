"""The site's public address, for links that leave the site (e-mails, calendar feeds).

It comes from the ``SITE_URL`` setting (environment), never from a request's ``Host``
header, which any client can set. ``check --deploy`` warns when it is missing with
``DEBUG`` off (``livinglab.checks``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

DEV_SITE_URL = "http://127.0.0.1:8000"


def site_url(path: str = "") -> str:
    """``SITE_URL`` + ``path``; without the setting, the first allowed host over HTTPS
    (``DEBUG``: the ``make run`` address)."""
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if not base:
        hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in {"*", ""}]
        base = DEV_SITE_URL if settings.DEBUG or not hosts else f"https://{hosts[0]}"
    if path and not path.startswith("/"):
        path = "/" + path
    return base + path


def site_host() -> str:
    return urlsplit(site_url()).hostname or "livinglab.local"
