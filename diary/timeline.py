"""One day's timeline: doses, quick checks, rests and events in time order, with who logged each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from diary.models import Diary, DoseLog, DoseStatus, Event, QuickCheck, RestPeriod
from diary.services import local_moment


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    kind: str  # "dose", "check", "rest", "event"
    text: str
    logged_by: str
    record: Any


def day_window(diary: Diary, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_moment(diary, day, dt.time.min), local_moment(diary, day + dt.timedelta(days=1), dt.time.min)


def _who(record: Any) -> str:
    return record.created_by.shown_name if record.created_by else ""


def day_timeline(
    *, diary: Diary, day: dt.date, quick_checks: list[QuickCheck], dose_logs: list[DoseLog]
) -> tuple[list[TimelineItem], list[RestPeriod], list[Event]]:
    """Merge what a day holds. Rests and events are read here (two queries); the caller
    passes the doses and quick checks it has already loaded for the page."""
    start, end = day_window(diary, day)
    rests = list(
        RestPeriod.objects.filter(diary=diary, started_at__lt=end)
        .exclude(ended_at__lt=start)
        .select_related("created_by")
        .order_by("started_at")
    )
    events = list(
        Event.objects.filter(diary=diary, occurred_at__gte=start, occurred_at__lt=end)
        .select_related("created_by")
        .order_by("occurred_at")
    )
    items: list[TimelineItem] = []
    for log in dose_logs:
        moment = log.taken_at or log.scheduled_for
        if moment is None:
            continue
        if log.status == DoseStatus.SKIPPED:
            text = _("%(name)s skipped: %(reason)s") % {"name": log.medication.display_name, "reason": log.skip_reason}
        else:
            text = _("%(name)s %(amount)s %(unit)s (%(status)s)") % {
                "name": log.medication.display_name,
                "amount": f"{log.amount.normalize():f}" if log.amount else "",
                "unit": log.medication.get_unit_display(),
                "status": log.get_status_display().lower(),
            }
        items.append(TimelineItem(moment, "dose", text, _who(log), log))
    for check in quick_checks:
        text = _("Quick check: strength %(strength)s, fatigue %(fatigue)s") % {
            "strength": "–" if check.strength is None else check.strength,
            "fatigue": "–" if check.fatigue is None else check.fatigue,
        }
        items.append(TimelineItem(check.taken_at, "check", text, _who(check), check))
    for rest in rests:
        if rest.ended_at is None:
            text = _("Rest started (still resting)")
        else:
            text = _("Rest, %(minutes)s minutes") % {"minutes": rest.minutes}
            if rest.planned is not None:
                text += " · " + (_("planned") if rest.planned else _("not planned"))
            if rest.energy_before is not None or rest.energy_after is not None:
                text += " · " + _("energy %(before)s → %(after)s") % {
                    "before": "–" if rest.energy_before is None else rest.energy_before,
                    "after": "–" if rest.energy_after is None else rest.energy_after,
                }
        items.append(TimelineItem(rest.started_at, "rest", text, _who(rest), rest))
    for event in events:
        items.append(TimelineItem(event.occurred_at, "event", str(event.get_kind_display()), _who(event), event))
    items.sort(key=lambda item: item.at)
    return items, rests, events
