from django.urls import path

from qinglian.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("regions/<str:code>/people/", views.people_list, name="people_list"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
]
