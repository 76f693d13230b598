"""System checks of the deployment (``manage.py check --deploy``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """E-mails and calendar feeds link to ``SITE_URL``: it must be set in production."""
    value = getattr(settings, "SITE_URL", "") or ""
    if settings.DEBUG:
        return []
    if not value:
        return [
            Warning(
                "SITE_URL is not set: e-mailed links and calendar feeds would point to a "
                "guessed address.",
                hint="Set SITE_URL=https://your.host in the environment (docs/deployment.md).",
                id="livinglab.W001",
            )
        ]
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        return [
            Warning(
                f"SITE_URL={value!r} is not an address like https://atelier.example.org.",
                hint="Give the scheme and host only, no path.",
                id="livinglab.W002",
            )
        ]
    return []
