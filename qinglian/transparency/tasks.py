"""Scheduled jobs of the log: keep a fresh checkpoint; re-verify everything hourly."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qinglian.transparency.services import checkpoint_sign_logged, log_reverify


@db_periodic_task(crontab(minute="*"))
def checkpoint_refresh() -> None:
    checkpoint_sign_logged()


@db_periodic_task(crontab(minute="23"))
def log_reverify_hourly() -> None:
    log_reverify()
