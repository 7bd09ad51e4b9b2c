"""Events: falls, choking, infections, emergency visits, medicine changes and more."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from diary import redflags
from diary.access import DiaryAccess, diary_for
from diary.alerts import event_day, event_saved_hits, prompts_record
from diary.forms_logging import EventForm
from diary.models import Event, EventKind, Role
from diary.record_services import event_create

EVENTS_SHOWN = 100


@login_required
@require_GET
def event_list(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    events = list(
        Event.objects.filter(diary=access.diary).select_related("created_by").order_by("-occurred_at")[:EVENTS_SHOWN]
    )
    alerts: tuple[redflags.Alert, ...] = ()
    shown = request.GET.get("saved", "")
    if shown.isdigit():
        just_saved = next((event for event in events if event.pk == int(shown)), None)
        if just_saved is not None:
            past = event_day(just_saved, access.diary) < access.diary.today()
            alerts = redflags.alerts_for(event_saved_hits(diary=access.diary, event=just_saved), past=past)
    context = {
        "access": access,
        "diary": access.diary,
        "events": events,
        "kinds": EventKind.choices,
        "alerts": alerts,
        "nav": "more",
    }
    return render(request, "diary/events.html", context)


def _kind_for(kind: str) -> str:
    if kind not in EventKind.values:
        raise Http404
    return kind


def _answers(form: EventForm) -> dict[str, Any]:
    """The event's own fields among the form's valid answers (not its token or time)."""
    return {name: value for name, value in form.cleaned_data.items() if name in form.Meta.fields}


def _unsaved_event(form: EventForm, kind: str) -> Event:
    """The event as answered so far, valid fields only: enough for its guidance."""
    form.is_valid()
    return Event(kind=kind, **_answers(form))


def _is_past(access: DiaryAccess, form: EventForm) -> bool:
    """An event dated before today is worded in the past tense, before and after saving."""
    raw = form.data.get("when_0", "") if form.is_bound else ""
    try:
        return dt.date.fromisoformat(str(raw)) < access.diary.today()
    except ValueError:
        return False


def _form_context(access: DiaryAccess, form: EventForm, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "access": access,
        "diary": access.diary,
        "form": form,
        "kind": kind,
        "kind_label": EventKind(kind).label,
        "nav": "more",
        "guidance_fields": ",".join(GUIDANCE_FIELDS),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request: HttpRequest, diary_id: int, kind: str) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    kind = _kind_for(kind)
    initial = {"token": uuid.uuid4(), "when": access.diary.local_now().replace(second=0, microsecond=0, tzinfo=None)}
    form = EventForm(request.POST if request.method == "POST" else None, diary=access.diary, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        event, created = event_create(
            diary=access.diary,
            kind=kind,
            token=form.cleaned_data["token"],
            occurred_at=form.cleaned_data["when"],
            answers=_answers(form),
            by=user,
        )
        if created:
            hits = event_saved_hits(diary=access.diary, event=event)
            prompts_record(diary=access.diary, day=event_day(event, access.diary), hits=hits, by=user)
            messages.success(request, _("%(kind)s saved.") % {"kind": event.get_kind_display()})
        return redirect(reverse("diary:events", args=[diary_id]) + f"?saved={event.pk}")
    # Guidance the kind alone calls for (a seizure) shows as the form opens; a form sent back
    # with a mistake still shows what its answers call for.
    event = _unsaved_event(form, kind) if form.is_bound else Event(kind=kind)
    alerts = redflags.alerts_for(redflags.event_hits(event), past=_is_past(access, form))
    status = 400 if form.is_bound else 200
    return render(request, "diary/event_form.html", _form_context(access, form, kind, alerts=alerts), status=status)


#: The answers an event's guidance reads: only these travel in the guidance request's address
#: (never the free-text fields).
GUIDANCE_FIELDS: tuple[str, ...] = (
    "when_0",
    "face_throat_swelling",
    "breathing_difficulty",
    "cough_too_weak",
    "temperature",
    "chest_symptoms",
    "coughing_blood",
    "head_strike",
    "injury",
    "medicine_started",
    "weakness_change",
)


@login_required
@require_GET
def event_guidance(request: HttpRequest, diary_id: int, kind: str) -> HttpResponse:
    """The guidance an event form's answers call for, sent the moment an answer changes
    (htmx), before anything is saved. Nothing is written."""
    access = diary_for(request, diary_id, need=Role.EDITOR)
    kind = _kind_for(kind)
    form = EventForm(request.GET, diary=access.diary, kind=kind)
    hits = redflags.event_hits(_unsaved_event(form, kind))
    context = {
        "alerts": redflags.alerts_for(hits, past=_is_past(access, form)),
        "diary": access.diary,
        "focus": any(h.level != "discuss" for h in hits),
    }
    return render(request, "diary/_alert.html", context)
