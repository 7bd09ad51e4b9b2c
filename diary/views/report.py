"""The clinic summary: choose the period, download the PDF or open the print page (docs/architecture.md).

A clinician's read-only link opens the same print page (``clinician_summary``).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from diary import summary
from diary.access import DiaryAccess, diary_for
from diary.models import ClinicianLink, Paper, VisitQuestion
from diary.periods import months_before
from diary.report import (
    REPORT_QUESTIONS,
    ReportForm,
    report_build,
    report_context,
    report_default_period,
    report_pdf,
    report_record,
)


def _form_page(request: HttpRequest, access: DiaryAccess, form: ReportForm, *, status: int = 200) -> HttpResponse:
    diary = access.diary
    bounds = summary.data_bounds(diary=diary)
    default = report_default_period(diary=diary, today=diary.today(), first_day=bounds.first_day)
    context = {
        "access": access,
        "diary": diary,
        "form": form,
        "default": default,
        "questions": VisitQuestion.objects.filter(diary=diary, done=False, suggested=False).order_by("order", "pk")[
            :REPORT_QUESTIONS
        ],
        "nav": "report",
    }
    return render(request, "diary/report/form.html", context, status=status)


def _bound_form(access: DiaryAccess, data: dict[str, str]) -> tuple[ReportForm, summary.DataBounds]:
    """The form, with the suggested period filled in when both dates are left empty."""
    diary = access.diary
    today = diary.today()
    bounds = summary.data_bounds(diary=diary)
    if not data.get("start") and not data.get("end"):
        default = report_default_period(diary=diary, today=today, first_day=bounds.first_day)
        data = {**data, "start": default.start.isoformat(), "end": default.end.isoformat()}
    return ReportForm(data, today=today), bounds


@login_required
@require_GET
def report(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    diary = access.diary
    bounds = summary.data_bounds(diary=diary)
    default = report_default_period(diary=diary, today=diary.today(), first_day=bounds.first_day)
    form = ReportForm(initial={"start": default.start, "end": default.end, "paper": Paper.A4}, today=diary.today())
    return _form_page(request, access, form)


@login_required
@require_POST
def report_make(request: HttpRequest, diary_id: int) -> HttpResponse:
    """Make the PDF (and note the period, for the next one), or open the print page for the same choices."""
    access = diary_for(request, diary_id)
    form, bounds = _bound_form(access, request.POST.dict())
    if not form.is_valid():
        return _form_page(request, access, form, status=400)
    choice = form.cleaned_data
    if request.POST.get("format") == "print":
        query = {"start": choice["start"].isoformat(), "end": choice["end"].isoformat()}
        if choice["appendix"]:
            query["appendix"] = "on"
        # The print page this opens is what the activity log records, not this hop to it.
        request.diary_access = None  # type: ignore[attr-defined]
        # 303: the browser asks for the print page with GET, and "back" does not post the form again.
        response = HttpResponseRedirect(f"{reverse('diary:report_print', args=[diary_id])}?{urlencode(query)}")
        response.status_code = 303
        return response
    built = report_build(
        diary=access.diary,
        start=choice["start"],
        end=choice["end"],
        paper=choice["paper"],
        appendix=choice["appendix"],
        bounds=bounds,
    )
    pdf = report_pdf(built)
    report_record(report=built, by=request.user)  # type: ignore[arg-type]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response


@login_required
@require_GET
def report_print(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    form, bounds = _bound_form(access, request.GET.dict())
    if not form.is_valid():
        return _form_page(request, access, form, status=400)
    built = report_build(
        diary=access.diary,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        appendix=form.cleaned_data["appendix"],
        bounds=bounds,
    )
    return render(request, "diary/report/print.html", {**report_context(built, pdf=False), "access": access})


def clinician_summary(request: HttpRequest, link: ClinicianLink) -> HttpResponse:
    """The print page, read-only, for the last 3 months (the link's holder has no account here)."""
    diary = link.diary
    # Dates and times read in the diary's own zone (the middleware resets it after the request).
    timezone.activate(diary.zone)
    today = diary.today()
    start = months_before(today, 3) + dt.timedelta(days=1)
    built = report_build(diary=diary, start=start, end=today)
    return render(request, "diary/report/print.html", {**report_context(built, pdf=False), "link": link})
