"""URLs of the leaders' dashboard (included at /dashboard/ by the root URLconf; names not namespaced)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("documents/", views.dashboard_documents, name="dashboard_documents"),
]
