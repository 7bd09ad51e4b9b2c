from __future__ import annotations

from django.urls import path

from diary.views import entries, history, home, quick_check

app_name = "diary"

urlpatterns = [
    path("new/", home.diary_new, name="new"),
    path("<int:diary_id>/today/", entries.today, name="today"),
    path("<int:diary_id>/day/<str:date>/", entries.day, name="day"),
    path("<int:diary_id>/day/<str:date>/save/", entries.day_save, name="day_save"),
    path("<int:diary_id>/day/<str:date>/item/<str:field>/", entries.day_field, name="day_field"),
    path("<int:diary_id>/day/<str:date>/note/", entries.day_note, name="day_note"),
    path("<int:diary_id>/quick-check/", quick_check.quick_check, name="quick_check"),
    path("<int:diary_id>/history/", history.history, name="history"),
]
