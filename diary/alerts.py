"""Red-flag guidance for a diary day: the facts the rules need, read from the database,
the banners to show, and the record of what was shown (docs/clinical-safety.md).

The rules themselves are pure functions in ``diary.redflags``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import User
from diary import redflags
from diary.models import (
    DayEntry,
    Diary,
    Event,
    EventKind,
    Medication,
    RedFlagPrompt,
    RestPeriod,
    SideEffect,
    TreatmentKind,
    TreatmentSession,
    VisitQuestion,
    WeeklyEntry,
)
from diary.redflags import Alert, DayContext, Hit
from diary.timeline import day_window

#: The answers the day rules read.
RULE_FIELDS: tuple[str, ...] = (
    "breathlessness",
    "speech",
    "swallowing",
    "choking",
    "cough_too_weak",
    "ivig_headache",
    *redflags.WEAKNESS_FIELDS,
)
#: A dismissed suggestion is not made again for this long.
SUGGESTION_QUIET_DAYS = 30


def ratings_of(entry: DayEntry | None) -> dict[str, int | None]:
    return {name: getattr(entry, name) for name in RULE_FIELDS} if entry else {}


def ivig_within_week(*, diary: Diary, day: dt.date) -> bool:
    """An IVIG session on the day or in the seven days before it."""
    since = day - dt.timedelta(days=redflags.IVIG_HEADACHE_DAYS)
    return TreatmentSession.objects.filter(diary=diary, kind=TreatmentKind.IVIG, date__range=(since, day)).exists()


def _medicine_started(*, diary: Diary, day: dt.date) -> bool:
    since = day - dt.timedelta(days=redflags.NEW_MEDICINE_DAYS)
    if Medication.objects.filter(diary=diary, previous__isnull=True, start_date__range=(since, day)).exists():
        return True
    start, _end = day_window(diary, since)
    _start, end = day_window(diary, day)
    return Event.objects.filter(
        diary=diary, kind=EventKind.MEDICINE_CHANGE, medicine_started=True, occurred_at__gte=start, occurred_at__lt=end
    ).exists()


def _chokes_in_week(*, diary: Diary, day: dt.date, todays_answer: int | None) -> int:
    first = day - dt.timedelta(days=redflags.CHOKING_WINDOW_DAYS - 1)
    earlier = DayEntry.objects.filter(diary=diary, date__range=(first, day - dt.timedelta(days=1)), choking__gte=1)
    start, _end = day_window(diary, first)
    _start, end = day_window(diary, day)
    events = Event.objects.filter(diary=diary, kind=EventKind.CHOKING, occurred_at__gte=start, occurred_at__lt=end)
    return redflags.chokes_counted([todays_answer, *earlier.values_list("choking", flat=True)], events.count())


def day_context(*, diary: Diary, day: dt.date, ratings: dict[str, int | None], choking_events: int) -> DayContext:
    """The previous logged days (always read, so that a day's page costs the same queries whatever
    its answers), and what else the day's answers make relevant: a choke, a weakness trigger, the
    headache question."""
    previous: list[dict[str, Any]] = list(
        DayEntry.objects.filter(diary=diary, date__lt=day)
        .order_by("-date")
        .values(*RULE_FIELDS)[: redflags.PREVIOUS_DAYS]
    )
    choking = ratings.get("choking")
    chokes = 0
    if (choking or 0) >= 1 or choking_events:
        chokes = _chokes_in_week(diary=diary, day=day, todays_answer=choking)
    weakness_raised = redflags.weakness_hits(ratings, DayContext(previous=previous))
    return DayContext(
        previous=previous,
        chokes_in_week=chokes,
        medicine_started_recently=bool(weakness_raised) and _medicine_started(diary=diary, day=day),
        ivig_recently=ratings.get("ivig_headache") == 1 and ivig_within_week(diary=diary, day=day),
    )


def side_effects_on(*, diary: Diary, day: dt.date) -> list[str]:
    start, end = day_window(diary, day)
    return list(
        SideEffect.objects.filter(diary=diary)
        .filter(
            Q(dose__taken_at__gte=start, dose__taken_at__lt=end)
            | Q(dose__taken_at__isnull=True, dose__scheduled_for__gte=start, dose__scheduled_for__lt=end)
            | Q(dose__isnull=True, created_at__gte=start, created_at__lt=end)
        )
        .values_list("symptom", flat=True)
    )


def day_hits(
    *, diary: Diary, day: dt.date, entry: DayEntry | None, events: Sequence[Event], side_effects: Iterable[str]
) -> list[Hit]:
    """Every rule the day's answers, events and side effects raise."""
    ratings = ratings_of(entry)
    chokes = sum(1 for event in events if event.kind == EventKind.CHOKING)
    hits = redflags.day_entry_hits(ratings, day_context(diary=diary, day=day, ratings=ratings, choking_events=chokes))
    for event in events:
        hits.extend(redflags.event_hits(event))
    hits.extend(redflags.side_effect_hits(side_effects))
    return hits


def events_on(*, diary: Diary, day: dt.date) -> list[Event]:
    start, end = day_window(diary, day)
    return list(Event.objects.filter(diary=diary, occurred_at__gte=start, occurred_at__lt=end))


def all_day_hits(*, diary: Diary, day: dt.date, entry: DayEntry | None) -> list[Hit]:
    """The day's hits read afresh (after a save), with the recent-weeks rules on Today."""
    hits = day_hits(
        diary=diary,
        day=day,
        entry=entry,
        events=events_on(diary=diary, day=day),
        side_effects=side_effects_on(diary=diary, day=day),
    )
    if day == diary.today():
        hits += recent_hits(diary=diary, today=day)
    return hits


def event_day(event: Event, diary: Diary) -> dt.date:
    return event.occurred_at.astimezone(diary.zone).date()


def event_saved_hits(*, diary: Diary, event: Event) -> list[Hit]:
    """Guidance for an event as saved: its own, and repeated choking counted over the week."""
    hits = redflags.event_hits(event)
    if event.kind == EventKind.CHOKING:
        day = event_day(event, diary)
        answer = DayEntry.objects.filter(diary=diary, date=day).values_list("choking", flat=True).first()
        chokes = _chokes_in_week(diary=diary, day=day, todays_answer=answer)
        hits += [hit for hit in redflags.choking_hits(None, DayContext(chokes_in_week=chokes))]
        if chokes == 1 and not hits:
            hits.append(Hit(redflags.DISCUSS, "single_choke", "event:choking"))
    return hits


def recent_hits(*, diary: Diary, today: dt.date) -> list[Hit]:
    """The "discuss" rules that read the weeks before Today: rests, weight, the weekly
    questions, a worsening trend and a long cough."""
    hits: list[Hit] = []
    recent_start, _end = day_window(diary, today - dt.timedelta(days=6))
    earlier_start, _end = day_window(diary, today - dt.timedelta(days=20))
    unplanned = RestPeriod.objects.filter(diary=diary, planned=False, started_at__gte=earlier_start)
    starts = list(unplanned.values_list("started_at", flat=True))
    recent = sum(1 for started in starts if started >= recent_start)
    hits += redflags.unplanned_rest_hits(recent / 7, (len(starts) - recent) / 14)
    weeks = list(
        WeeklyEntry.objects.filter(
            diary=diary, week_start__gte=today - dt.timedelta(days=redflags.WEIGHT_WINDOW_DAYS)
        ).values("week_start", "weight_kg", "morning_headaches", "daytime_sleepiness")
    )
    if weeks:
        weeks.sort(key=lambda week: week["week_start"])
        latest = weeks[-1]
        weighed = [week for week in weeks if week["weight_kg"] is not None]
        if len(weighed) >= 2:
            highest = max(float(week["weight_kg"]) for week in weighed[:-1])
            hits += redflags.weight_hits(float(weighed[-1]["weight_kg"]), highest)
        hits += redflags.night_breathing_hits(latest["morning_headaches"], latest["daytime_sleepiness"])
    first = today - dt.timedelta(days=2 * redflags.TREND_DAYS - 1)
    split = today - dt.timedelta(days=redflags.TREND_DAYS - 1)
    recent_days: dict[str, list[int]] = {name: [] for name in redflags.TREND_FIELDS}
    earlier_days: dict[str, list[int]] = {name: [] for name in redflags.TREND_FIELDS}
    rows = DayEntry.objects.filter(diary=diary, date__range=(first, today)).values("date", *redflags.TREND_FIELDS)
    for row in rows:
        window = recent_days if row["date"] >= split else earlier_days
        for name in redflags.TREND_FIELDS:
            if row[name] is not None:
                window[name].append(row[name])
    hits += redflags.worsening_hits(recent_days, earlier_days)
    coughs = Event.objects.filter(
        diary=diary, kind=EventKind.INFECTION, chest_symptoms=True, ended_on__isnull=True
    ).values_list("occurred_at", flat=True)
    hits += redflags.long_cough_hits([moment.astimezone(diary.zone).date() for moment in coughs], today)
    return hits


def day_alerts(*, diary: Diary, day: dt.date, hits: Iterable[Hit]) -> tuple[Alert, ...]:
    return redflags.alerts_for(hits, past=day < diary.today())


def prompts_record(
    *, diary: Diary, day: dt.date, hits: Iterable[Hit], by: User | None, at: dt.datetime | None = None
) -> list[RedFlagPrompt]:
    """Keep each prompt the first time it is shown for a day, and turn each new "discuss"
    prompt into a suggested visit question (unless one is open or was dismissed lately)."""
    unique = {hit.key: hit for hit in hits}
    # The day's shown prompts are read even when nothing is raised, so that opening Today costs
    # the same queries whatever the answers.
    shown = set(RedFlagPrompt.objects.filter(diary=diary, day=day).values_list("key", flat=True))
    if not unique:
        return []
    new = [
        RedFlagPrompt(
            diary=diary,
            day=day,
            level=hit.level,
            key=hit.key,
            reason=redflags.reason_text(hit)[:300],
            answer=hit.answer[:300],
            shown_to=by,
            shown_at=at or timezone.now(),
        )
        for key, hit in unique.items()
        if key not in shown
    ]
    RedFlagPrompt.objects.bulk_create(new, ignore_conflicts=True)
    for prompt in new:
        if prompt.level == redflags.DISCUSS:
            question_suggest(diary=diary, key=prompt.key, by=by)
    return new


def question_suggest(*, diary: Diary, key: str, by: User | None) -> VisitQuestion | None:
    text = redflags.suggested_question(key)
    if not text:
        return None
    quiet_since = timezone.now() - dt.timedelta(days=SUGGESTION_QUIET_DAYS)
    taken = VisitQuestion.objects.filter(diary=diary, suggestion_key=key).filter(
        Q(done=False, dismissed_at__isnull=True) | Q(dismissed_at__gte=quiet_since)
    )
    if taken.exists():
        return None
    order = VisitQuestion.objects.filter(diary=diary).aggregate(top=Max("order"))["top"] or 0
    # Made while Today is being made: bulk_create sends no post_save, so the page being made
    # (which does not show the question) is not marked stale by it.
    [question] = VisitQuestion.objects.bulk_create(
        [
            VisitQuestion(
                diary=diary,
                text=text,
                suggestion_key=key,
                suggested=True,
                order=order + 1,
                created_by=by,
                updated_by=by,
            )
        ]
    )
    return question
