"""URLs of the charters app: charters, articles and duties, the work programme."""

from django.urls import include, path

from . import views

app_name = "charters"

urlpatterns = [
    path("", views.charter_list, name="list"),
    path("new/", views.charter_create, name="create"),
    path("<int:pk>/", views.charter_detail, name="detail"),
    path("<int:pk>/edit/", views.charter_edit, name="edit"),
    path("<int:pk>/record/", views.charter_record, name="record"),
    path("<int:pk>/status/<slug:action>/", views.charter_status, name="status"),
    path("<int:pk>/scan/", views.charter_scan_upload, name="scan_upload"),
    path("<int:pk>/scan.pdf", views.charter_scan_download, name="scan"),
    path("<int:pk>/generate/", views.charter_generate_tasks, name="generate"),
    path("<int:pk>/articles/<int:article_pk>/", views.article_detail, name="article"),
    path("<int:pk>/obligations/<int:obligation_pk>/edit/", views.obligation_edit, name="obligation_edit"),
    path("tasks/", views.task_list, name="tasks"),
    path("choices/<str:name>/", views.choices, name="choices"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/evidence.pdf", views.task_evidence_download, name="task_evidence"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/template.xlsx", views.programme_import_template, name="programme_import_template"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/import/", views.programme_import, name="programme_import"),
    path("", include("charters.reviews.urls")),
]
