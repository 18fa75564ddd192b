"""URLs of the supervision app."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("choices/<str:name>/", views.choices, name="choices"),
    path("new/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/reports/new/", views.report_request_create, name="report_request"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("<int:pk>/recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("reports/<int:pk>/received/", views.report_receive, name="report_receive"),
    path("recommendations/<int:pk>/done/", views.recommendation_complete, name="recommendation_done"),
    path("social-criticism/", views.criticism_list, name="criticism_list"),
    path("social-criticism/new/", views.criticism_create, name="criticism_create"),
    path("social-criticism/<int:pk>/edit/", views.criticism_edit, name="criticism_edit"),
]
