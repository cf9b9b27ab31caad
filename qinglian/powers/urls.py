from django.urls import path

from qinglian.powers import views

app_name = "powers"
urlpatterns = [
    path("<str:code>/powers/", views.village_list, name="village_list"),
    path("<str:code>/powers/matters/", views.village_matters, name="village_matters"),
    path("<str:code>/powers/matters/<int:pk>/", views.village_matter, name="village_matter"),
    path("<str:code>/powers/<str:item_code>/", views.village_item, name="village_item"),
]
