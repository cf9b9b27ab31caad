from django.urls import path

from qinglian.powers import views

app_name = "powers_work"
urlpatterns = [
    path("", views.work_home, name="home"),
    path("<str:code>/", views.work_region, name="region"),
    path("<str:code>/items/<str:item_code>/", views.work_item, name="item"),
]
