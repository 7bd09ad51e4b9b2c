"""Events: falls, choking, infections, emergency visits, medicine changes and more."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from diary.access import diary_for
from diary.forms_logging import EventForm
from diary.models import Event, EventKind, Role
from diary.redflags import event_alert

EVENTS_SHOWN = 100


@login_required
@require_GET
def event_list(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    events = list(
        Event.objects.filter(diary=access.diary).select_related("created_by").order_by("-occurred_at")[:EVENTS_SHOWN]
    )
    alert = None
    shown = request.GET.get("saved", "")
    if shown.isdigit():
        just_saved = next((event for event in events if event.pk == int(shown)), None)
        alert = event_alert(just_saved) if just_saved else None
    context = {
        "access": access,
        "diary": access.diary,
        "events": events,
        "kinds": EventKind.choices,
        "alert": alert,
        "nav": "more",
    }
    return render(request, "diary/events.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request: HttpRequest, diary_id: int, kind: str) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    if kind not in EventKind.values:
        raise Http404
    initial = {"token": uuid.uuid4(), "when": access.diary.local_now().replace(second=0, microsecond=0, tzinfo=None)}
    form = EventForm(request.POST if request.method == "POST" else None, diary=access.diary, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        event = Event.objects.filter(diary=access.diary, client_token=token).first()
        if event is None:
            event = form.save(commit=False)
            event.diary = access.diary
            event.kind = kind
            event.client_token = token
            event.occurred_at = form.cleaned_data["when"]
            event.created_by = event.updated_by = request.user  # type: ignore[assignment]
            event.save()
            messages.success(request, _("%(kind)s saved.") % {"kind": event.get_kind_display()})
        return redirect(reverse("diary:events", args=[diary_id]) + f"?saved={event.pk}")
    status = 400 if form.is_bound else 200
    context = {
        "access": access,
        "diary": access.diary,
        "form": form,
        "kind": kind,
        "kind_label": EventKind(kind).label,
        "nav": "more",
    }
    return render(request, "diary/event_form.html", context, status=status)
