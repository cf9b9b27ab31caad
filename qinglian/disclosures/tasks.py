"""Scheduled jobs of disclosures (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qinglian.disclosures.pages import village_pages_render
from qinglian.disclosures.visits import visits_forget_past_days


@db_periodic_task(crontab(hour="0", minute="7"))
def visitor_keys_forget() -> None:
    """After midnight: yesterday's visitor hashes and their key are deleted."""
    visits_forget_past_days()


@db_periodic_task(crontab(minute="2"))
def village_pages_refresh() -> None:
    """Each hour, the village pages gone stale rendered again: all of them once the day
    has changed (whatever the time zone), else those of villages that published."""
    village_pages_render()
