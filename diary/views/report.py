"""What a clinician's read-only link opens: a compact summary of the recent diary."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diary import scales
from diary.models import ClinicianLink, DayEntry, Event, Medication

CLINICIAN_DAYS = 28


def clinician_summary(request: HttpRequest, link: ClinicianLink) -> HttpResponse:
    diary = link.diary
    today = diary.today()
    start = today - dt.timedelta(days=CLINICIAN_DAYS - 1)
    entries = list(DayEntry.objects.filter(diary=diary, date__gte=start).order_by("-date"))
    rows = [
        {"entry": entry, "scores": [(scales.ITEMS_BY_FIELD[f], getattr(entry, f)) for f in scales.SUMMARY_FIELDS]}
        for entry in entries
    ]
    context = {
        "link": link,
        "patient": diary.patient_name,
        "start": start,
        "end": today,
        "days_logged": len(entries),
        "days": CLINICIAN_DAYS,
        "rows": rows,
        "columns": [scales.ITEMS_BY_FIELD[f] for f in scales.SUMMARY_FIELDS],
        "medications": Medication.objects.filter(diary=diary).current_on(today),
        "events": Event.objects.filter(diary=diary, occurred_at__date__gte=start).order_by("-occurred_at"),
    }
    return render(request, "diary/clinician.html", context)
