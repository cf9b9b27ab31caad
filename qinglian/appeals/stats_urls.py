"""The mailbox's public figures, under ``/v/`` (included before the disclosures' ``v/``)."""

from django.urls import path

from qinglian.appeals import stats_views

app_name = "appeals_stats"
urlpatterns = [
    path("<str:code>/mailbox/stats/", stats_views.public_stats, name="public"),
]
