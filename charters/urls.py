"""URLs of the charters app."""

from django.urls import path

from . import views

app_name = "charters"

urlpatterns = [
    path("", views.index, name="list"),
    path("tasks/", views.index, name="tasks"),
]
