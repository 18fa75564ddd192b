"""URLs of the voters app."""

from django.urls import path

from . import views

app_name = "voters"

urlpatterns = [
    path("", views.index, name="list"),
]
