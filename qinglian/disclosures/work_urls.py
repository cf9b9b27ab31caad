from django.urls import path

from qinglian.disclosures import sign_views, timeliness_views
from qinglian.disclosures import work_views as views

app_name = "disclosures_work"
urlpatterns = [
    path("drafts/<int:pk>/", views.draft_detail, name="draft"),
    path("drafts/<int:pk>/rewrite/", views.draft_rewrite, name="draft_rewrite"),
    path("drafts/<int:pk>/attach/", views.draft_attach, name="draft_attach"),
    path("drafts/<int:pk>/submit/", views.draft_submit, name="draft_submit"),
    path("drafts/<int:pk>/review/", views.draft_review, name="draft_review"),
    path("drafts/<int:pk>/publish/", views.draft_publish, name="draft_publish"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("signs/<str:code>.pdf", sign_views.township_signs, name="township_signs"),
    path("<str:code>/", views.village, name="village"),
    path("<str:code>/new/", views.draft_new, name="draft_new"),
    path("<str:code>/timeliness/", timeliness_views.timeliness, name="timeliness"),
    path(
        "<str:code>/timeliness.xlsx", timeliness_views.timeliness_workbook, name="timeliness_xlsx"
    ),
]
