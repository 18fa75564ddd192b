"""URLs of the voters app (mounted at /petitions/)."""

from django.urls import path

from . import export_views, offline, views, views_suggest

app_name = "voters"

urlpatterns = [
    path("", views.petition_list_view, name="list"),
    path("filter-choices/<str:name>/", views.petition_filter_choices, name="filter_choices"),
    path("export.<str:fmt>", export_views.petition_export, name="export"),
    path("exports/<int:pk>/", export_views.export_job_view, name="export_job"),
    path("exports/<int:pk>/status/", export_views.export_job_status, name="export_job_status"),
    path("exports/<int:pk>/download/", export_views.export_job_download, name="export_job_download"),
    path("new/", views.petition_create_view, name="create"),
    path("batch/", views.petition_batch_intake, name="batch_intake"),
    # The intake page's web app: its service worker is served from the page's path (scope: that page only).
    path("batch/sw.js", offline.intake_service_worker, name="intake_sw"),
    path("batch/manifest.webmanifest", offline.intake_manifest, name="intake_manifest"),
    path("batch/rows/", offline.intake_row, name="intake_row"),
    path("receipts/", views.petition_intake_receipts, name="intake_receipts"),
    path("similar/", views.petition_similar, name="similar"),
    path("suggest/", views_suggest.petition_suggest, name="suggest"),
    path("forward/", views.petition_bulk_forward_view, name="bulk_forward"),
    path("import/", views.petition_import_view, name="import"),
    path("import/template.xlsx", views.petition_import_template, name="import_template"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/", views.petition_detail_view, name="detail"),
    path("<int:pk>/classify/", views.petition_classify_view, name="classify"),
    path("<int:pk>/forward/", views.petition_forward_view, name="forward"),
    path("<int:pk>/reforward/", views.petition_reforward_view, name="reforward"),
    path("<int:pk>/acknowledge/", views.petition_acknowledge_view, name="acknowledge"),
    path("<int:pk>/return/", views.petition_return_view, name="return"),
    path("<int:pk>/answer/", views.petition_answer_view, name="answer"),
    path("<int:pk>/evaluate/", views.petition_evaluate_view, name="evaluate"),
    path("<int:pk>/close/", views.petition_close_view, name="close"),
    path("<int:pk>/group/", views.petition_group_view, name="group"),
    path("<int:pk>/ungroup/", views.petition_ungroup_view, name="ungroup"),
    path("<int:pk>/<str:action>-answer/", views.petition_publish_view, name="publish"),
    path("<int:pk>/receipt/", views.petition_receipt_view, name="receipt"),
]
