"""Rest: a timer started and ended from Today, or a rest added afterwards."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from diary.access import diary_for
from diary.forms_logging import RestAddForm, RestEndForm, RestStartForm
from diary.models import RestPeriod, Role
from diary.record_services import rest_period_create
from diary.services import rest_end, rest_start


@login_required
@require_POST
def rest_start_view(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    form = RestStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The rest could not be started. Please try again."))
    else:
        rest = rest_start(
            diary=access.diary,
            by=request.user,  # type: ignore[arg-type]
            token=form.cleaned_data["token"],
            energy_before=form.cleaned_data["energy_before"],
        )
        messages.success(
            request,
            _("Rest started at %(time)s.") % {"time": rest.started_at.astimezone(access.diary.zone).strftime("%H:%M")},
        )
    return redirect(reverse("diary:today", args=[diary_id]) + "#rest")


@login_required
@require_POST
def rest_end_view(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    running = RestPeriod.objects.filter(diary=access.diary, ended_at__isnull=True).first()
    if running is None:
        messages.info(request, _("No rest is running. It may have been ended already."))
        return redirect(reverse("diary:today", args=[diary_id]) + "#rest")
    form = RestEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose from the buttons to end the rest."))
        return redirect(reverse("diary:today", args=[diary_id]) + "#rest")
    rest = rest_end(
        rest=running,
        by=request.user,  # type: ignore[arg-type]
        energy_after=form.cleaned_data["energy_after"],
        planned=form.cleaned_data["planned"],
        trigger=form.cleaned_data["trigger"],
        position=form.cleaned_data["position"],
    )
    messages.success(request, _("Rest ended after %(minutes)s minutes.") % {"minutes": rest.minutes})
    return redirect(reverse("diary:today", args=[diary_id]) + "#rest")


@login_required
@require_http_methods(["GET", "POST"])
def rest_add(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    form = RestAddForm(
        request.POST if request.method == "POST" else None,
        diary=access.diary,
        initial={"token": uuid.uuid4(), "day": access.diary.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _rest, created = rest_period_create(
            diary=access.diary,
            token=data["token"],
            by=request.user,  # type: ignore[arg-type]
            started_at=data["started_at"],
            ended_at=data["ended_at"],
            energy_before=data["energy_before"],
            energy_after=data["energy_after"],
            planned=data["planned"],
            trigger=data["trigger"],
            position=data["position"],
        )
        if created:
            messages.success(request, _("Rest added."))
        else:
            messages.info(request, _("This rest was already saved."))
        day = data["day"]
        if day == access.diary.today():
            return redirect("diary:today", diary_id=diary_id)
        return redirect("diary:day", diary_id=diary_id, date=day.isoformat())
    status = 400 if form.is_bound else 200
    return render(
        request, "diary/rest_form.html", {"access": access, "diary": access.diary, "form": form}, status=status
    )
