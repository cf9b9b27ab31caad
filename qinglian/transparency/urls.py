from django.urls import path, re_path

from qinglian.transparency import views

app_name = "log"
urlpatterns = [
    path("checkpoint", views.checkpoint, name="checkpoint"),
    path("vkey", views.vkey, name="vkey"),
    re_path(r"^tile/entries/(?P<path>[x0-9/]+(?:\.p/\d+)?)$", views.entry_tile, name="entry_tile"),
    path("tile/<int:level>/<path:path>", views.hash_tile, name="hash_tile"),
    path("entries/<int:index>", views.entry, name="entry"),
    path("proof/inclusion", views.inclusion_proof, name="inclusion_proof"),
    path("proof/consistency", views.consistency_proof, name="consistency_proof"),
]
