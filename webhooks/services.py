"""Webhooks: subscribe (organizers), enqueue in the change's transaction, send later.

- ``emit(name, data, event_id=None)`` receives every change the domain publishes
  (``ateliers/outbound.py``, subscribed in ``WebhooksConfig.ready()``): it writes
  one ``Delivery`` per matching active hook *in the caller's transaction* (an outbox: a
  change that rolls back sends nothing, a committed one is never lost) and does no I/O, so
  a slow receiver never slows a request.
- ``send_due()`` (``manage.py send_webhooks``) POSTs the due deliveries with
  ``X-Livinglab-Signature: sha256=<HMAC-SHA256 of the body with the hook's secret>``,
  retries failures with exponential backoff and logs every attempt.
- ``check_url`` is the SSRF policy (docs/webhooks.md).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers.exceptions import Forbidden
from ateliers.services.unset import UNSET, Unset, assign, given

from .models import Delivery, DeliveryStatus, Webhook

if TYPE_CHECKING:
    from ateliers.models import Event

SIGNATURE_HEADER = "X-Livinglab-Signature"
NAME_RE = re.compile(r"^(board|help|project)\.(\*|[a-z_]+(\.[a-z_]+)?)$")
MAX_ATTEMPTS = 8
BACKOFF_SECONDS = 30  # 30 s, 1 min, 2 min, 4 min … capped at an hour
BACKOFF_CAP = 3600
TIMEOUT = 5
BATCH = 100


def _is_organizer(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "is_organizer", False))


# --- the SSRF policy -----------------------------------------------------------------------


def _refused_address(ip: ipaddress._BaseAddress) -> bool:
    if getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False):
        return False
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (ip.version == 6 and ip.ipv4_mapped is not None and _refused_address(ip.ipv4_mapped))
    )


def check_url(url: str) -> list[str]:
    """Refuse what would make the server call inside its own network.

    http(s) only, no user:password, and every address the host resolves to must be public
    (not loopback, private, link-local — cloud metadata at 169.254.169.254 —, multicast,
    reserved). ``settings.WEBHOOKS_ALLOW_PRIVATE`` lifts the address rule (tests, a
    receiver on the same private network). Checked when a hook is saved and again before
    every delivery (DNS may change); redirects are never followed. Returns the addresses.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Give an http:// or https:// address.")})
    if parts.username or parts.password:
        raise ValidationError({"url": _("Do not put a user name or password in the address.")})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as exc:
        raise ValidationError({"url": _("This address cannot be reached.")}) from exc
    addresses = sorted({info[4][0] for info in infos})
    for address in addresses:
        if _refused_address(ipaddress.ip_address(address.split("%")[0])):
            raise ValidationError(
                {"url": _("Webhooks cannot call private, local or reserved addresses.")}
            )
    return addresses


def _check_names(names) -> list[str]:
    if not isinstance(names, list) or not names or len(names) > 50:
        raise ValidationError({"events": _("List one to 50 event names.")})
    bad = [n for n in names if not isinstance(n, str) or not NAME_RE.match(n)]
    if bad:
        raise ValidationError(
            {"events": _("Unknown event names: %(names)s.") % {"names": ", ".join(map(str, bad))}}
        )
    return list(dict.fromkeys(names))


@transaction.atomic
def webhook_save(
    *,
    actor,
    webhook: Webhook | None = None,
    url: str | Unset = UNSET,
    events: list[str] | Unset = UNSET,
    secret: str | Unset = UNSET,
    event: Event | None | Unset = UNSET,
    active: bool | Unset = UNSET,
) -> Webhook:
    """Make a hook (without ``webhook``) or change one: organizers only; the address is
    checked against private networks and the secret must be long enough."""
    changes = given(locals(), "actor", "webhook")
    if not _is_organizer(actor):
        raise Forbidden(_("Only organizers manage webhooks."))
    webhook = webhook or Webhook(created_by=actor)
    if "url" in changes:
        check_url(changes["url"])
    if "events" in changes:
        changes["events"] = _check_names(changes["events"])
    assign(webhook, changes)
    if not webhook.secret or len(webhook.secret) < 16:
        raise ValidationError({"secret": _("Use a secret of at least 16 characters.")})
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, actor, webhook: Webhook) -> None:
    if not _is_organizer(actor):
        raise Forbidden(_("Only organizers manage webhooks."))
    webhook.delete()


# --- the outbox -----------------------------------------------------------------------------


def _matches(patterns: list[str], name: str) -> bool:
    group = name.split(".", 1)[0]
    return name in patterns or f"{group}.*" in patterns


def emit(name: str, data: dict, *, event_id: int | None = None) -> int:
    """Queue ``name`` for every active hook that asked for it (in the caller's
    transaction). One query when nobody listens. Returns the number queued."""
    hooks = [
        h
        for h in Webhook.objects.filter(active=True)
        .filter(Q(event__isnull=True) | Q(event_id=event_id))
        .only("pk", "events")
        if _matches(h.events, name)
    ]
    if not hooks:
        return 0
    now = timezone.now()
    rows = []
    for hook in hooks:
        delivery = Delivery(webhook=hook, name=name, created_at=now, next_attempt_at=now)
        delivery.body = json.dumps(
            {
                "id": str(delivery.uuid),
                "event": name,
                "created_at": now,
                "data": data,
            },
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        rows.append(delivery)
    Delivery.objects.bulk_create(rows)
    return len(rows)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- sending --------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx is an answer, not an invitation to call elsewhere


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(delivery: Delivery) -> tuple[int | None, str]:
    hook = delivery.webhook
    body = delivery.body.encode("utf-8")
    try:
        check_url(hook.url)
    except ValidationError as exc:
        return None, "; ".join(exc.messages)
    request = urllib.request.Request(  # noqa: S310 (check_url allows http(s) only)
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "livinglab-webhooks",
            "X-Livinglab-Event": delivery.name,
            "X-Livinglab-Delivery": str(delivery.uuid),
            SIGNATURE_HEADER: signature(hook.secret, body),
        },
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            response.read(1024)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, str(exc.reason)[:200]
    except (OSError, ValueError) as exc:
        return None, str(exc)[:200]


def backoff(attempt: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_CAP, BACKOFF_SECONDS * 2 ** (attempt - 1)))


def _claim(delivery_id: int, now) -> bool:
    """Compare-and-set: one worker takes a delivery for a minute."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + timedelta(seconds=TIMEOUT * 12))
    )


def send_due(*, limit: int = BATCH) -> dict:
    """Send the deliveries that are due (oldest first). Returns counts."""
    now = timezone.now()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    for pk in due:
        if not _claim(pk, now):
            continue
        delivery = Delivery.objects.select_related("webhook").get(pk=pk)
        started = time.monotonic()
        code, error = _post(delivery)
        attempt = {
            "at": timezone.now().isoformat(),
            "status_code": code,
            "error": error,
            "duration_ms": round((time.monotonic() - started) * 1000),
        }
        delivery.attempts = [*delivery.attempts, attempt]
        delivery.locked_until = None
        if code is not None and 200 <= code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            counts["delivered"] += 1
        elif len(delivery.attempts) >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            counts["failed"] += 1
        else:
            delivery.next_attempt_at = timezone.now() + backoff(len(delivery.attempts))
            counts["retry"] += 1
        delivery.save(
            update_fields=["attempts", "locked_until", "status", "delivered_at", "next_attempt_at"]
        )
    return counts
