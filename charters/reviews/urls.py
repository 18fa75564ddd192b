"""URLs of annual reviews and their PDF reports, included by `charters.urls` into its `charters` namespace
(names prefixed `review_`): the URLs and their names stayed as they were when the reviews became an app."""

from django.urls import path

from . import views

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path("<int:charter_pk>/reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/approve/", views.review_approve, name="review_approve"),
    path("reviews/<int:pk>/return/", views.review_return, name="review_return"),
    path("reviews/<int:pk>/versions/<int:number>/", views.review_version, name="review_version"),
    path("reviews/<int:pk>/reports/", views.report_files, name="review_report_files"),
    path("reviews/<int:pk>/reports/new/", views.report_request, name="review_report_request"),
    path("reviews/<int:pk>/reports/<int:file_pk>.pdf", views.report_download, name="review_report_download"),
    path(
        "reviews/<int:pk>/reports/<int:file_pk>.docx",
        views.report_download,
        {"format": "docx"},
        name="review_report_download_docx",
    ),
    path("reviews/<int:pk>/signed-copy/", views.review_approval_record, name="review_approval_record"),
    path("reviews/<int:pk>/reopen/", views.review_reopen, name="review_reopen"),
    path("reviews/<int:pk>/<slug:action>/", views.review_action, name="review_action"),
]
