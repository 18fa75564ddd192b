"""URLs of the citizens' pages (mounted at /public/): public by design (tests/security/test_public_views.py)."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("lookup/", views.lookup, name="lookup"),
    path("data/", views.open_data, name="open_data"),
    path("data/<str:code>/<int:year>.<str:fmt>", views.download, name="download"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/figures/", views.figures, name="figures"),
]
