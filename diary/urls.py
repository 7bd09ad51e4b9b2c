from __future__ import annotations

from django.urls import path

from diary.transactions import logging_view
from diary.views import data as data_views
from diary.views import (
    doses,
    entries,
    events,
    history,
    home,
    medications,
    quick_check,
    rest,
    treatments,
    trends,
    weekly,
)
from diary.views import questions as question_views
from diary.views import report as report_views
from diary.views import sharing as sharing_views
from education import views as education_views

app_name = "diary"

# The everyday logging views: each POST is one transaction with its activity entry and the new revision.
urlpatterns = [
    path("new/", home.diary_new, name="new"),
    path("<int:diary_id>/today/", entries.today, name="today"),
    path("<int:diary_id>/day/<str:date>/", entries.day, name="day"),
    path("<int:diary_id>/day/<str:date>/save/", logging_view(entries.day_save), name="day_save"),
    path("<int:diary_id>/day/<str:date>/item/<str:field>/", logging_view(entries.day_field), name="day_field"),
    path("<int:diary_id>/day/<str:date>/note/", logging_view(entries.day_note), name="day_note"),
    path("<int:diary_id>/quick-check/", logging_view(quick_check.quick_check), name="quick_check"),
    path("<int:diary_id>/history/", history.history, name="history"),
    path("<int:diary_id>/trends/", trends.trends, name="trends"),
    path("<int:diary_id>/medicines/", medications.medication_list, name="medications"),
    path("<int:diary_id>/medicines/add/", logging_view(medications.medication_add), name="medication_add"),
    path(
        "<int:diary_id>/medicines/<int:medication_id>/change/",
        logging_view(medications.medication_change),
        name="medication_change",
    ),
    path(
        "<int:diary_id>/medicines/<int:medication_id>/stop/",
        logging_view(medications.medication_stop_view),
        name="medication_stop",
    ),
    path("<int:diary_id>/doses/take/", logging_view(doses.dose_take), name="dose_take"),
    path("<int:diary_id>/doses/log/", logging_view(doses.dose_detail), name="dose_detail"),
    path("<int:diary_id>/doses/side-effect-guidance/", doses.side_effect_guidance, name="side_effect_guidance"),
    path("<int:diary_id>/rest/start/", logging_view(rest.rest_start_view), name="rest_start"),
    path("<int:diary_id>/rest/end/", logging_view(rest.rest_end_view), name="rest_end"),
    path("<int:diary_id>/rest/add/", logging_view(rest.rest_add), name="rest_add"),
    path("<int:diary_id>/treatments/", treatments.treatment_list, name="treatments"),
    path("<int:diary_id>/treatments/add/", logging_view(treatments.treatment_edit), name="treatment_add"),
    path("<int:diary_id>/treatments/<int:session_id>/", logging_view(treatments.treatment_edit), name="treatment_edit"),
    path("<int:diary_id>/events/", events.event_list, name="events"),
    path("<int:diary_id>/weekly/", logging_view(weekly.weekly), name="weekly"),
    path("<int:diary_id>/events/add/<str:kind>/", logging_view(events.event_add), name="event_add"),
    path("<int:diary_id>/events/guidance/<str:kind>/", events.event_guidance, name="event_guidance"),
    path("<int:diary_id>/sharing/", sharing_views.sharing, name="sharing"),
    path("<int:diary_id>/leave/", sharing_views.leave, name="leave"),
    path("<int:diary_id>/delete/", sharing_views.diary_delete_view, name="delete"),
    path("<int:diary_id>/activity/", sharing_views.activity, name="activity"),
    path("<int:diary_id>/tips/", education_views.diary_tips, name="tips"),
    path(
        "<int:diary_id>/tips/<str:tip_id>/<str:action>/",
        logging_view(education_views.tip_feedback),
        name="tip_feedback",
    ),
    # Clinic summary, questions for the visit, and all the data
    path("<int:diary_id>/report/", report_views.report, name="report"),
    path("<int:diary_id>/report/make/", report_views.report_make, name="report_make"),
    path("<int:diary_id>/report/print/", report_views.report_print, name="report_print"),
    path("<int:diary_id>/questions/", question_views.questions, name="questions"),
    path("<int:diary_id>/questions/add/", logging_view(question_views.question_add_view), name="question_add"),
    path(
        "<int:diary_id>/questions/<int:question_id>/", logging_view(question_views.question_edit), name="question_edit"
    ),
    path(
        "<int:diary_id>/questions/<int:question_id>/done/",
        logging_view(question_views.question_done),
        name="question_done",
    ),
    path(
        "<int:diary_id>/questions/<int:question_id>/move/",
        logging_view(question_views.question_move_view),
        name="question_move",
    ),
    path(
        "<int:diary_id>/questions/<int:question_id>/delete/",
        logging_view(question_views.question_delete_view),
        name="question_delete",
    ),
    path(
        "<int:diary_id>/questions/<int:question_id>/suggestion/<str:choice>/",
        logging_view(question_views.question_suggestion),
        name="question_suggestion",
    ),
    path("<int:diary_id>/data/", data_views.data, name="data"),
    path("<int:diary_id>/data/export.json", data_views.export_json_view, name="export_json"),
    path("<int:diary_id>/data/export-csv.zip", data_views.export_csv_view, name="export_csv"),
    path("import/", data_views.diary_import, name="import"),
]
