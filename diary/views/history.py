"""History: past days, newest first, with a compact summary each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from diary import scales
from diary.access import diary_for
from diary.forms import DayChoiceForm
from diary.models import DayEntry

DAYS_PER_PAGE = 30


@login_required
@require_GET
def history(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    today = access.diary.today()
    if "date" in request.GET:
        choice = DayChoiceForm(request.GET, today=today)
        if choice.is_valid():
            return redirect("diary:day", diary_id=diary_id, date=choice.cleaned_data["date"].isoformat())
        for error in choice.errors.get("date", []):
            messages.error(request, error)
    entries = DayEntry.objects.filter(diary=access.diary).only("date", "note", *scales.ITEM_FIELDS).order_by("-date")
    page = Paginator(entries, DAYS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "scores": [(scales.ITEMS_BY_FIELD[f], getattr(entry, f)) for f in scales.SUMMARY_FIELDS],
            "rated": entry.rated_count(),
        }
        for entry in page
    ]
    context = {
        "access": access,
        "diary": access.diary,
        "page": page,
        "rows": rows,
        "item_count": len(scales.DAILY_ITEMS),
        "choice_form": DayChoiceForm(today=today, initial={"date": today}),
        "nav": "history",
    }
    return render(request, "diary/history.html", context)
