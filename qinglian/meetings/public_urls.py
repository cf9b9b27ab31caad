"""The villagers' meeting pages, included at the site's root (before ``v/``)."""

from django.urls import path

from qinglian.meetings import public_views

app_name = "meetings"
urlpatterns = [
    path("v/<str:code>/meetings/", public_views.village_meetings, name="village"),
    path("v/<str:code>/meetings/<int:pk>/score/", public_views.score, name="score"),
]
