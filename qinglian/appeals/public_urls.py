"""The villager's pages of the mailbox, included at the site's root (before ``v/``)."""

from django.urls import path

from qinglian.appeals import public_views

app_name = "appeals"
urlpatterns = [
    path("v/<str:code>/ask/", public_views.ask, name="ask"),
    path("mailbox/track/", public_views.track, name="track"),
    path("mailbox/forget/", public_views.forget, name="forget"),
    path("mailbox/cases/<int:pk>/", public_views.case, name="case"),
    path("mailbox/cases/<int:pk>/write/", public_views.case_write, name="case_write"),
    path("mailbox/cases/<int:pk>/rate/", public_views.case_rate, name="case_rate"),
    path("mailbox/cases/<int:pk>/reopen/", public_views.case_reopen, name="case_reopen"),
]
