"""Staff pages of the disclosures app, under /work/disclosures/."""

from django.urls import path

from qinglian.disclosures import views

app_name = "disclosures_staff"
urlpatterns = [
    path("signs/<str:code>.pdf", views.township_signs, name="township_signs"),
]
