"""Trends: charts of a period, each with a sentence and a table of its numbers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from diary import charts, summary
from diary.access import diary_for
from diary.periods import PERIODS, PeriodForm


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@login_required
@require_GET
def trends(request: HtmxHttpRequest, diary_id: int) -> HttpResponse:
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
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    return render(request, "diary/trends.html#charts" if partial else "diary/trends.html", context)
