"""Trends: charts of a period, each with a sentence and a table of its numbers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from diary import charts, summary
from diary.access import diary_for
from diary.periods import PERIODS, PeriodForm


@login_required
@require_GET
def trends(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    diary = access.diary
    bounds = summary.data_bounds(diary=diary)
    form = PeriodForm(request.GET or None, today=diary.today(), first_day=bounds.first_day)
    period = form.chosen_period()
    result = summary.period_summary(diary=diary, start=period.start, end=period.end, bounds=bounds)
    context = {
        "access": access,
        "diary": diary,
        "form": form,
        "period": period,
        "periods": PERIODS,
        "summary": result,
        "sections": charts.trends_page(result),
        "nav": "trends",
    }
    # A period button swaps only the charts; going back in history asks for the whole page.
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    return render(request, "diary/trends.html#charts" if partial else "diary/trends.html", context)
