from django.urls import path

from qinglian.meetings import work_views as views

app_name = "meetings_work"
urlpatterns = [
    path("<str:code>/", views.village, name="village"),
    path("<str:code>/new/", views.create, name="create"),
    path("<str:code>/appraisal/", views.appraisal, name="appraisal"),
    path("m/<int:pk>/", views.meeting, name="meeting"),
    path("m/<int:pk>/report/", views.report, name="report"),
    path("m/<int:pk>/inquiry/", views.inquiry, name="inquiry"),
    path("m/<int:pk>/commitment/", views.commitment, name="commitment"),
    path("m/<int:pk>/paper/", views.paper, name="paper"),
    path("m/<int:pk>/advance/", views.advance, name="advance"),
    path("m/<int:pk>/slips/", views.slips, name="slips"),
    path("commitments/<int:pk>/done/", views.commitment_done, name="commitment_done"),
]
