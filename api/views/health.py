from __future__ import annotations

from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """200 once the database answers; 503 otherwise (for load balancers and make run)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
