from django.urls import path

from qinglian.disclosures import views

app_name = "disclosures"
urlpatterns = [
    path("<str:code>/", views.village_page, name="village_page"),
    path("<str:code>/qr.svg", views.village_qr_svg, name="village_qr_svg"),
    path("<str:code>/qr.png", views.village_qr_png, name="village_qr_png"),
    path("<str:code>/sign.pdf", views.village_sign, name="village_sign"),
]
