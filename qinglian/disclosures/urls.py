from django.urls import path

from qinglian.disclosures import views

app_name = "disclosures"
urlpatterns = [path("<str:code>/", views.village_page, name="village_page")]
