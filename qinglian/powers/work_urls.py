from django.urls import path

from qinglian.powers import matter_views, views

app_name = "powers_work"
urlpatterns = [
    path("", views.work_home, name="home"),
    path("exceptions/", matter_views.exceptions, name="exceptions"),
    path("exceptions/<int:pk>/review/", matter_views.exception_review, name="exception_review"),
    path("matters/<int:pk>/", matter_views.matter, name="matter"),
    path("matters/<int:pk>/record/", matter_views.step_new, name="step_new"),
    path("<str:code>/", views.work_region, name="region"),
    path("<str:code>/items/<str:item_code>/", views.work_item, name="item"),
    path("<str:code>/matters/", matter_views.matters, name="matters"),
    path("<str:code>/matters/new/", matter_views.matter_new, name="matter_new"),
]
