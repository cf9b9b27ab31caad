from django.urls import path

from qinglian.appeals import work_views as views

app_name = "appeals_work"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("keys/", views.keys, name="keys"),
    path("keys/new/", views.key_create, name="key_create"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/write/", views.write, name="write"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
]
