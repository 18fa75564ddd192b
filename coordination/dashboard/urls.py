"""URLs of the home page ("waiting for you") and the leaders' dashboard (included at the root; names not namespaced)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/documents/", views.dashboard_documents, name="dashboard_documents"),
    path("dashboard/units/", views.dashboard_unit_choices, name="dashboard_units"),
]
