"""The mailbox's figures for staff, under ``/work/appeals/stats/`` (included before
``work/``, and before any other ``work/appeals/`` include)."""

from django.urls import path, re_path

from qinglian.appeals import stats_views

app_name = "appeals_stats_work"
urlpatterns = [
    path("<str:code>/", stats_views.region_stats, name="region"),
    re_path(
        r"^(?P<code>[0-9]+)/record-(?P<month>[0-9]{4}-[0-9]{2})\.pdf$",
        stats_views.performance_record,
        name="record",
    ),
]
