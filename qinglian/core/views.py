"""Health check: does the database answer, and when did the worker last run?"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qinglian.core.models import WorkerHeartbeat


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when not; says when the worker last ran."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        heartbeat = WorkerHeartbeat.objects.filter(name="worker").first()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    last_seen = heartbeat.seen_at.isoformat() if heartbeat else None
    return JsonResponse({"status": "ok", "database": "ok", "worker_last_seen": last_seen})
