"""URLs of the read API, version 1. The schema and its documentation page are public (they hold no data)."""

from django.urls import path

from . import docs, views

app_name = "api"

urlpatterns = [
    path("units/", views.UnitList.as_view(), name="units"),
    path("units/<int:pk>/", views.UnitDetail.as_view(), name="unit"),
    path("agencies/", views.AgencyList.as_view(), name="agencies"),
    path("agencies/<int:pk>/", views.AgencyDetail.as_view(), name="agency"),
    path("charters/", views.CharterList.as_view(), name="charters"),
    path("charters/<int:pk>/", views.CharterDetail.as_view(), name="charter"),
    path("meetings/", views.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting"),
    path("petitions/", views.PetitionList.as_view(), name="petitions"),
    path("petitions/<int:pk>/", views.PetitionDetail.as_view(), name="petition"),
    path("dashboard/", views.Dashboard.as_view(), name="dashboard"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
]
