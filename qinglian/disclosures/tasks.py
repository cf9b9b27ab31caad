"""Scheduled jobs of disclosures, run by the huey worker (`qinglian run_huey`).

Each job is idempotent: running it twice, or late, does no harm. huey keeps its
clock in UTC (China is UTC+8).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qinglian.disclosures.pages import village_pages_render
from qinglian.disclosures.reminders import reminders_issue
from qinglian.disclosures.visits import visits_forget_past_days


# 22:07 UTC is 06:07 in China, before the working day.
@db_periodic_task(crontab(hour="22", minute="7"))
def disclosure_reminders_daily() -> None:
    reminders_issue()


# 16:07 UTC is 00:07 in China: yesterday's visitor hashes and their key are deleted.
@db_periodic_task(crontab(hour="16", minute="7"))
def visitor_keys_forget() -> None:
    visits_forget_past_days()


@db_periodic_task(crontab(minute="2"))
def village_pages_refresh() -> None:
    """Each hour, the village pages gone stale rendered again: all of them once the day
    has changed (whatever the time zone), else those of villages that published."""
    village_pages_render()
