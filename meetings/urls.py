"""URLs of the meetings app."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("choices/<str:name>/", views.meeting_choices, name="choices"),
    path("calendar/", views.meeting_calendar, name="calendar"),
    path("calendar/feed/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("<int:pk>/minutes/file/", views.minutes_file, name="minutes_file"),
    path("<int:pk>/conclusions/", views.conclusion_add, name="conclusion_add"),
    path("<int:pk>/conclusions/<int:conclusion_pk>/task/", views.conclusion_task_create, name="conclusion_task"),
    path("<int:pk>/documents/", views.session_document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_pk>/delivered/", views.session_document_deliver, name="document_deliver"),
]
