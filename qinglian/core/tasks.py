"""Scheduled jobs of the core, run by the huey worker (`qinglian run_huey`).

Each job is idempotent: running it twice, or late, does no harm.
"""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qinglian.core.models import WorkerHeartbeat


def heartbeat_record(*, name: str = "worker") -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    heartbeat_record()


@db_periodic_task(crontab(hour="3", minute="17"))
def expired_sessions_clear() -> None:
    call_command("clearsessions")
