"""Today and any past day: the daily entry, saved one tap at a time."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.autoreload import file_changed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from diary import scales
from diary.access import DiaryAccess, diary_for
from diary.alerts import (
    RULE_FIELDS,
    all_day_hits,
    day_alerts,
    day_hits,
    ivig_within_week,
    prompts_record,
    recent_hits,
    side_effects_on,
)
from diary.dosenotes import dose_notes
from diary.forms import DayEntryForm, DayItemForm, NoteForm, QuickCheckForm, check_day
from diary.forms_logging import RestEndForm, RestStartForm
from diary.fragments import fragment_context
from diary.models import DayEntry, Event, QuickCheck, RestPeriod, Role
from diary.redflags import DISCUSS, Alert
from diary.services import (
    NoteConflict,
    day_entry_for,
    day_entry_save_note,
    day_entry_save_scores,
    day_entry_update_scores,
    doses_due,
)
from diary.timeline import TimelineItem, day_timeline, day_window


def _parse_day(access: DiaryAccess, date: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(date)
        return check_day(day, today=access.diary.today())
    except (ValueError, ValidationError) as exc:
        raise Http404 from exc


def _choices(form: DayEntryForm, item: scales.Item) -> list[dict[str, Any]]:
    """The buttons of one item, precomputed: rendering ~300 radios through the form
    widgets was most of Today's server time."""
    current = form[item.field].value()
    current = "" if current is None else str(current)
    options = [("", _("Not rated")), *((str(value), label) for value, label in item.scale.choices)]
    return [{"value": value, "label": label, "checked": value == current} for value, label in options]


def _row(form: DayEntryForm, item: scales.Item, follow_ups: frozenset[str]) -> dict[str, Any]:
    return {
        "item": item,
        "field": form[item.field],
        "numeric": len(item.scale.choices) > 5,
        "choices": _choices(form, item),
        "shown": item.follow_up is None or item.field in follow_ups,
        "why": scales.FOLLOW_UPS.get(item.follow_up or ""),
    }


def _sections(form: DayEntryForm, follow_ups: frozenset[str]) -> list[dict[str, Any]]:
    return [
        {
            "section": section,
            "rows": [
                _row(form, item, follow_ups) for item in scales.items_in(section.key) if item.field in form.fields
            ],
        }
        for section in scales.SECTIONS
    ]


def _follow_ups(access: DiaryAccess, day: dt.date, entry: DayEntry | None) -> frozenset[str]:
    """The follow-up questions asked on this day: when their condition holds, or when answered."""
    shown = set()
    if entry is not None:
        if scales.breathing_or_swallowing_hard(entry.breathlessness, entry.swallowing):
            shown.add("cough_too_weak")
        shown |= {item.field for item in scales.ITEMS if item.follow_up and getattr(entry, item.field) is not None}
    if "ivig_headache" not in shown and ivig_within_week(diary=access.diary, day=day):
        shown.add("ivig_headache")
    return frozenset(shown)


def _entry_initial(entry: DayEntry | None) -> dict[str, Any]:
    if entry is None:
        return {}
    return {field: getattr(entry, field) for field in scales.ITEM_FIELDS}


def _field_url_prefix(access: DiaryAccess, day: dt.date) -> str:
    return reverse("diary:day_field", args=[access.diary.pk, day.isoformat(), "FIELD"]).removesuffix("FIELD/")


def _running_rest(access: DiaryAccess, day: dt.date) -> RestPeriod | None:
    _start, end = day_window(access.diary, day)
    rests = RestPeriod.objects.filter(diary=access.diary, started_at__lt=end, ended_at__isnull=True)
    return rests.order_by("started_at").first()


def _day_context(
    access: DiaryAccess,
    day: dt.date,
    form: DayEntryForm | None = None,
    viewer: User | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A day's page. What only the cached parts show (alerts, timeline, rating buttons) is read
    lazily, when the template renders a part that is not stored under the diary's revision."""
    diary = access.diary
    entry = day_entry_for(diary=diary, date=day)
    today = diary.today()
    due, extras = doses_due(diary=diary, day=day)
    logs = [d.log for d in due if d.log is not None] + extras

    @functools.cache
    def quick_checks() -> list[QuickCheck]:
        start, end = day_window(diary, day)
        checks = QuickCheck.objects.filter(diary=diary, taken_at__gte=start, taken_at__lt=end)
        return list(checks.select_related("created_by").order_by("taken_at"))

    @functools.cache
    def timeline() -> tuple[list[TimelineItem], list[RestPeriod], list[Event]]:
        return day_timeline(diary=diary, day=day, quick_checks=quick_checks(), dose_logs=logs)

    @functools.cache
    def alerts() -> tuple[Alert, ...]:
        events = timeline()[2]
        side_effects = side_effects_on(diary=diary, day=day)
        hits = day_hits(diary=diary, day=day, entry=entry, events=events, side_effects=side_effects)
        if day == today:
            hits += recent_hits(diary=diary, today=today)
            if access.can_edit:
                # Shown now, so kept now: the clinic summary reports the guidance as it was shown.
                prompts_record(diary=diary, day=day, hits=hits, by=viewer)
        return day_alerts(diary=diary, day=day, hits=hits)

    return {
        "access": access,
        "diary": diary,
        "day": day,
        "is_today": day == today,
        "nav": "today" if day == today else "history",
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1) if day < today else None,
        "entry": entry,
        # A form sent back with mistakes, shown as sent; None when the day is shown as stored.
        "form": form,
        "sections": lambda: _sections(
            form or DayEntryForm(initial=_entry_initial(entry)), _follow_ups(access, day, entry)
        ),
        "field_url_prefix": _field_url_prefix(access, day),
        "note_form": NoteForm(
            initial={"note": entry.note if entry else "", "version": entry.note_version if entry else 0}
        ),
        "alerts": alerts,
        "quick_form": QuickCheckForm(initial={"token": uuid.uuid4()}),
        "due_doses": due,
        "extra_doses": extras,
        "dose_notes": dose_notes(logs),
        "timeline": lambda: timeline()[0],
        "running_rest": functools.cache(lambda: _running_rest(access, day)),
        "rest_start_form": RestStartForm(initial={"token": uuid.uuid4()}),
        "rest_end_form": RestEndForm(),
        "new_token": uuid.uuid4,
        **fragment_context(access, day),
        **extra,
    }


@login_required
@require_GET
def today(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    return _day_page(request, access, access.diary.today())


def _day_page(request: HttpRequest, access: DiaryAccess, day: dt.date) -> HttpResponse:
    return render(request, "diary/day.html", _day_context(access, day, viewer=request.user))  # type: ignore[arg-type]


@login_required
@require_GET
def day(request: HttpRequest, diary_id: int, date: str) -> HttpResponse:
    access = diary_for(request, diary_id)
    try:
        chosen = check_day(dt.date.fromisoformat(date), today=access.diary.today())
    except ValueError:
        messages.error(request, _("That is not a date. Pick a day from the calendar."))
        return redirect("diary:history", diary_id=diary_id)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("diary:today", diary_id=diary_id)
    return _day_page(request, access, chosen)


def _day_url(access: DiaryAccess, day: dt.date) -> str:
    if day == access.diary.today():
        return reverse("diary:today", args=[access.diary.pk])
    return reverse("diary:day", args=[access.diary.pk, day.isoformat()])


@login_required
@require_POST
def day_save(request: HttpRequest, diary_id: int, date: str) -> HttpResponse:
    """Save the whole form at once: the page without JavaScript."""
    access = diary_for(request, diary_id, need=Role.EDITOR)
    chosen = _parse_day(access, date)
    form = DayEntryForm(request.POST)
    if not form.is_valid():
        return render(request, "diary/day.html", _day_context(access, chosen, form=form), status=400)
    entry = day_entry_save_scores(diary=access.diary, date=chosen, scores=form.scores(), by=request.user)  # type: ignore[arg-type]
    hits = all_day_hits(diary=access.diary, day=chosen, entry=entry)
    prompts_record(diary=access.diary, day=chosen, hits=hits, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Saved."))
    return redirect(_day_url(access, chosen))


@login_required
@require_POST
def day_field(request: HttpRequest, diary_id: int, date: str, field: str) -> HttpResponse:
    """Save one item: what a single tap sends through htmx."""
    access = diary_for(request, diary_id, need=Role.EDITOR)
    chosen = _parse_day(access, date)
    if field not in scales.ITEMS_BY_FIELD:
        raise Http404
    form = DayItemForm(request.POST, field=field)
    item = scales.ITEMS_BY_FIELD[field]
    if not form.is_valid():
        context = {"item": item, "error": form.errors[field][0], "saved": False}
        return render(request, "diary/day.html#field_status", context, status=400)
    scores = form.scores()
    user: User = request.user  # type: ignore[assignment]
    entry = None
    if not day_entry_update_scores(diary=access.diary, date=chosen, scores=scores, by=user):
        entry = day_entry_save_scores(diary=access.diary, date=chosen, scores=scores, by=user)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Saved."))
        return redirect(_day_url(access, chosen))
    if field not in RULE_FIELDS:
        return HttpResponse(_saved_status(field, scores[field], get_language()))
    # These answers can change the red-flag banners (and the weak-cough follow-up): send them
    # again with the day as saved, and keep what is shown.
    entry = entry or day_entry_for(diary=access.diary, date=chosen)
    hits = all_day_hits(diary=access.diary, day=chosen, entry=entry)
    prompts_record(diary=access.diary, day=chosen, hits=hits, by=user)
    context = {
        "item": item,
        "saved": True,
        "value": scores[field],
        "alerts": day_alerts(diary=access.diary, day=chosen, hits=hits),
        "diary": access.diary,
        "oob": True,
        # A tap that itself raised emergency or same-day guidance moves the reader to it,
        # even when a banner was already on the page.
        "focus": any(hit.level != DISCUSS and hit.answer.startswith(f"{field}=") for hit in hits),
    }
    if field in ("breathlessness", "swallowing"):
        follow_ups = _follow_ups(access, chosen, entry)
        form = DayEntryForm(initial=_entry_initial(entry))
        context |= {
            "follow_up_row": _row(form, scales.ITEMS_BY_FIELD["cough_too_weak"], follow_ups),
            "access": access,
            "field_url_prefix": _field_url_prefix(access, chosen),
        }
    return render(request, "diary/day.html#field_status", context)


@functools.lru_cache(maxsize=1024)
def _saved_status(field: str, value: int | None, language: str | None) -> str:
    """What a tap answers: "Saved" and the item, nothing of the person or the day, so it is
    rendered once per item, value and language (rendering it was a tenth of a tap's work)."""
    context = {"item": scales.ITEMS_BY_FIELD[field], "saved": True, "value": value}
    return render_to_string("diary/day.html#field_status", context)


@receiver(file_changed)
def _template_edited(**kwargs: object) -> None:
    # The development server reloads an edited template without restarting: render it afresh.
    _saved_status.cache_clear()


@login_required
@require_POST
def day_note(request: HttpRequest, diary_id: int, date: str) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    chosen = _parse_day(access, date)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render(request, "diary/day.html", _day_context(access, chosen, note_error=True), status=400)
    try:
        day_entry_save_note(
            diary=access.diary,
            date=chosen,
            note=form.cleaned_data["note"],
            seen_version=form.cleaned_data["version"],
            by=request.user,  # type: ignore[arg-type]
        )
    except NoteConflict as conflict:
        context = _day_context(access, chosen, note_conflict=conflict.current, lost_note=form.cleaned_data["note"])
        return render(request, "diary/day.html", context, status=409)
    messages.success(request, _("Note saved."))
    return redirect(_day_url(access, chosen))
