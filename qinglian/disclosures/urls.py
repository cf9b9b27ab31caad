from django.urls import path

from qinglian.disclosures import sign_views, views

app_name = "disclosures"
urlpatterns = [
    path("<str:code>/", views.village_page, name="village_page"),
    path("<str:code>/search/", views.search, name="search"),
    path("<str:code>/c/<str:category>/", views.category_page, name="category"),
    path("<str:code>/d/<int:pk>/", views.disclosure_page, name="disclosure"),
    path("<str:code>/files/<int:pk>/", views.attachment_public, name="attachment"),
    path("<str:code>/qr.svg", sign_views.village_qr_svg, name="village_qr_svg"),
    path("<str:code>/qr.png", sign_views.village_qr_png, name="village_qr_png"),
    path("<str:code>/sign.pdf", sign_views.village_sign, name="village_sign"),
]
