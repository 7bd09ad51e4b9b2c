"""The weekly, optional and private questions: weight, sweating, erections, morning
headaches and daytime sleepiness (the last two can be signs of weak breathing at night)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from diary.access import diary_for
from diary.alerts import prompts_record
from diary.forms_logging import WeeklyEntryForm
from diary.models import Role, WeeklyEntry
from diary.redflags import night_breathing_hits
from diary.services import week_start_of, weekly_entry_save


@login_required
@require_http_methods(["GET", "POST"])
def weekly(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    week = week_start_of(access.diary.today())
    entry = WeeklyEntry.objects.filter(diary=access.diary, week_start=week).first()
    if request.method == "POST":
        access = diary_for(request, diary_id, need=Role.EDITOR)
        form = WeeklyEntryForm(request.POST, instance=entry)
        if form.is_valid():
            user: User = request.user  # type: ignore[assignment]
            saved = weekly_entry_save(diary=access.diary, week_start=week, values=form.values(), by=user)
            hits = night_breathing_hits(saved.morning_headaches, saved.daytime_sleepiness)
            prompts_record(diary=access.diary, day=access.diary.today(), hits=hits, by=user)
            messages.success(request, _("This week's answers are saved."))
            return redirect("diary:weekly", diary_id=diary_id)
        status = 400
    else:
        form = WeeklyEntryForm(instance=entry)
        status = 200
    earlier = WeeklyEntry.objects.filter(diary=access.diary, week_start__lt=week).order_by("-week_start")[:8]
    context = {
        "access": access,
        "diary": access.diary,
        "form": form,
        "week": week,
        "week_end": week + dt.timedelta(days=6),
        "earlier": earlier,
        "nav": "weekly",
    }
    return render(request, "diary/weekly.html", context, status=status)
