"""Doses on Today: one tap for "taken now", a second control for everything else."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diary import redflags
from diary.access import DiaryAccess, diary_for
from diary.alerts import prompts_record
from diary.forms_logging import DoseDetailForm, DoseTakeForm
from diary.models import DoseStatus, Medication, Role, SideEffectSymptom
from diary.record_services import side_effect_create
from diary.services import DuplicateDose, dose_log_record


def _back(access: DiaryAccess, moment: dt.datetime | None) -> str:
    day = moment.astimezone(access.diary.zone).date() if moment else access.diary.today()
    if day == access.diary.today():
        return reverse("diary:today", args=[access.diary.pk]) + "#doses"
    return reverse("diary:day", args=[access.diary.pk, day.isoformat()]) + "#doses"


@login_required
@require_POST
def dose_take(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    form = DoseTakeForm(request.POST, diary=access.diary)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(access, None))
    slot = form.cleaned_data["scheduled_for"]
    status = DoseStatus.TAKEN
    # Taken more than an hour after it was due counts as late (the person can change it).
    if dt.datetime.now(dt.UTC) - slot > dt.timedelta(hours=1):
        status = DoseStatus.LATE
    try:
        log = dose_log_record(
            medication=form.cleaned_data["medication"],
            token=form.cleaned_data["token"],
            status=status,
            scheduled_for=slot,
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(
            request,
            _("%(name)s marked taken at %(time)s.")
            % {
                "name": log.medication.display_name,
                "time": log.taken_at.astimezone(access.diary.zone).strftime("%H:%M"),
            },  # type: ignore[union-attr]
        )
    except DuplicateDose as duplicate:
        messages.info(
            request,
            _("This dose was already logged (%(status)s). Nothing was added.")
            % {"status": duplicate.existing.get_status_display()},
        )
    return redirect(_back(access, slot))


@login_required
@require_http_methods(["GET", "POST"])
def dose_detail(request: HttpRequest, diary_id: int) -> HttpResponse:
    """Taken at another time, late, skipped with a reason, or an extra dose; optional side effect."""
    access = diary_for(request, diary_id, need=Role.EDITOR)
    if request.method == "GET":
        raw_id = request.GET.get("medication", "")
        medication = Medication.objects.filter(diary=access.diary, pk=int(raw_id)).first() if raw_id.isdigit() else None
        if medication is None:
            raise Http404
        status = request.GET.get("status", "")
        initial = {
            "medication": medication.pk,
            "scheduled_for": request.GET.get("scheduled_for", ""),
            "token": uuid.uuid4(),
            "status": status if status in DoseStatus.values else "",
            "amount": medication.dose_amount,
        }
        form = DoseDetailForm(initial=initial, diary=access.diary)
        context = {"access": access, "diary": access.diary, "form": form, "medication": medication}
        return render(request, "diary/dose_form.html", context)
    form = DoseDetailForm(request.POST, diary=access.diary)
    if not form.is_valid():
        context = {
            "access": access,
            "diary": access.diary,
            "form": form,
            "medication": form.cleaned_data.get("medication"),
            # A form sent back with a mistake still shows what its side effect calls for.
            "alerts": _side_effect_alerts(request.POST.get("side_effect", "")),
        }
        return render(request, "diary/dose_form.html", context, status=400)
    data = form.cleaned_data
    try:
        log = dose_log_record(
            medication=data["medication"],
            token=data["token"],
            status=data["status"],
            scheduled_for=data.get("scheduled_for"),
            taken_at=data.get("taken_at"),
            amount=data.get("amount"),
            with_food=data.get("with_food"),
            skip_reason=data.get("skip_reason", ""),
            by=request.user,  # type: ignore[arg-type]
        )
    except DuplicateDose as duplicate:
        messages.info(
            request,
            _("This dose was already logged (%(status)s). Nothing was added.")
            % {"status": duplicate.existing.get_status_display()},
        )
        return redirect(_back(access, data.get("scheduled_for")))
    side_effect = None
    if data.get("side_effect"):
        side_effect = side_effect_create(
            dose=log,
            symptom=data["side_effect"],
            severity=data["side_effect_severity"],
            onset_minutes=data.get("side_effect_onset"),
            by=request.user,  # type: ignore[arg-type]
        )
    if side_effect is not None:
        day = access.diary.local(log.moment).date() if log.moment else access.diary.today()
        hits = redflags.side_effect_hits([data["side_effect"]])
        prompts_record(diary=access.diary, day=day, hits=hits, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Dose saved: %(status)s.") % {"status": log.get_status_display()})
    return redirect(_back(access, log.moment))


def _side_effect_alerts(symptom: str) -> tuple[redflags.Alert, ...]:
    if symptom not in SideEffectSymptom.values:
        return ()
    return redflags.alerts_for(redflags.side_effect_hits([symptom]))


@login_required
@require_GET
def side_effect_guidance(request: HttpRequest, diary_id: int) -> HttpResponse:
    """What a side effect calls for, sent the moment it is chosen on the dose form (htmx),
    before the rest of the form is filled in. Nothing is written."""
    access = diary_for(request, diary_id, need=Role.EDITOR)
    alerts = _side_effect_alerts(request.GET.get("side_effect", ""))
    context = {"alerts": alerts, "diary": access.diary, "focus": any(a.level != redflags.DISCUSS for a in alerts)}
    return render(request, "diary/_alert.html", context)
