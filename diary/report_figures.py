"""The clinic summary's figures beyond the period statistics: the worst days, events and the
red-flag prompts as they were shown, adherence and side effects per medicine, treatment courses
and rests (docs/clinical-safety.md, section 3). Nothing here writes sentences for people."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext

from diary import redflags, scales
from diary.models import (
    DayEntry,
    Diary,
    DoseLog,
    DoseStatus,
    Event,
    EventKind,
    Medication,
    RedFlagPrompt,
    SideEffect,
    SideEffectSymptom,
    TreatmentSession,
)
from diary.services import local_moment
from diary.summary import (
    AdherenceWeek,
    EdgeComparison,
    MedicineAdherence,
    PeriodSummary,
    day_range,
    mean,
    medicine_key,
    percent,
)

#: The worst days shown, and how many of the burden items a day needs rated to be one of them.
WORST_DAYS = 3
WORST_DAY_MIN_ITEMS = 4
#: The items whose answers make a day hard: weakness, everyday tasks, fatigue, bulbar, eyes,
#: breathing, pain and %normal. Each counts as the share of its scale towards the worst answer.
BURDEN_FIELDS: tuple[str, ...] = (
    "weakness_hips",
    "weakness_shoulders",
    "weakness_neck",
    "stairs",
    "chair_rise",
    "walking_distance",
    "lifting",
    "fatigue",
    "speech",
    "chewing",
    "swallowing",
    "double_vision",
    "eyelid_droop",
    "breathlessness",
    "muscle_pain",
    "percent_normal",
)
#: Leg score around a treatment course: the days before its first session, and days 7 to 21
#: after its last (plasma exchange works slowly: docs/clinical-safety.md).
TREATMENT_SCORE_FIELD = "weakness_hips"
TREATMENT_BEFORE_DAYS = 7
TREATMENT_AFTER_FIRST_DAY = 7
TREATMENT_AFTER_LAST_DAY = 21
#: Events listed one by one on the report; those with red-flag guidance come first.
REPORT_EVENTS_MAX = 8
#: Skip reasons listed one by one; the rest are counted together.
REPORT_SKIP_REASONS_MAX = 5


@dataclass(frozen=True)
class WorstDay:
    day: dt.date
    #: 0 (no trouble on any burden item rated) to 100 (the worst answer on every one rated).
    burden: int
    #: The ratings of scales.SUMMARY_FIELDS that day (None = not rated).
    scores: Mapping[str, int | None]
    heat: bool
    illness: bool
    dose_missed: bool
    note: str


@dataclass(frozen=True)
class ReportEvent:
    event: Event
    local_time: dt.datetime
    #: The red-flag guidance the app showed when it was logged (None: none).
    alert: redflags.Alert | None


@dataclass(frozen=True)
class EntryPrompt:
    """Red-flag guidance that day entries brought up: one row per level and reason, with its days."""

    level: str
    reason: str
    days: tuple[dt.date, ...]


@dataclass(frozen=True)
class Counted:
    label: str
    count: int


@dataclass(frozen=True)
class MedicineAdherenceRow:
    """One medicine's doses in the report, with its own reasons for skipping."""

    adherence: MedicineAdherence
    skip_reasons: tuple[Counted, ...]


@dataclass(frozen=True)
class SideEffectRow:
    medicine: str
    symptom: str
    count: int
    mean_severity: float
    worst_severity: int


@dataclass(frozen=True)
class CourseResponse:
    """One treatment course (or a session without a course name) and the leg score around it."""

    label: str
    course: str
    first: dt.date
    last: dt.date
    sessions: int
    reactions: tuple[str, ...]
    #: The patient's own rating of the benefit, from the latest session that has one.
    benefit: str
    benefit_started: dt.date | None
    benefit_faded: dt.date | None
    before_mean: float | None
    before_days: int
    after_mean: float | None
    after_days: int


@dataclass(frozen=True)
class AdherenceShares:
    """Shares (whole percent) of the scheduled doses; None when none were scheduled."""

    scheduled: int
    taken: int | None
    on_time: int | None
    late: int | None
    skipped: int | None
    missed: int | None
    extra: int


@dataclass(frozen=True)
class RestRates:
    planned: int
    unplanned: int
    planned_per_day: float
    unplanned_per_day: float
    all_per_day: float
    minutes_per_day: float


@dataclass(frozen=True)
class ReportFigures:
    """Everything the clinic report shows beyond the PeriodSummary it is built on."""

    summary: PeriodSummary
    current_medications: tuple[Medication, ...]
    edge_days: int
    edges: Mapping[str, EdgeComparison]
    worst_days: tuple[WorstDay, ...]
    events: tuple[ReportEvent, ...]
    events_total: int
    event_counts: tuple[Counted, ...]
    entry_prompts: tuple[EntryPrompt, ...]
    skip_reasons: tuple[Counted, ...]
    side_effects: tuple[SideEffectRow, ...]
    courses: tuple[CourseResponse, ...]
    adherence: AdherenceShares
    rest: RestRates
    #: Adherence per medicine (docs/clinical-safety.md, section 3), each with its reasons for skipping.
    medicine_adherence: tuple[MedicineAdherenceRow, ...] = ()

    @property
    def events_not_listed(self) -> int:
        return self.events_total - len(self.events)

    @property
    def serious_events(self) -> tuple[ReportEvent, ...]:
        """Seizures and allergic reactions (docs/clinical-safety.md)."""
        return tuple(e for e in self.events if e.event.kind in (EventKind.SEIZURE, EventKind.ALLERGIC_REACTION))


def day_burden(ratings: Mapping[str, int | None]) -> float | None:
    """The share (0 to 1) of the way to the worst answer, over the burden items rated that day."""
    shares = []
    for field in BURDEN_FIELDS:
        value = ratings.get(field)
        if value is None:
            continue
        item = scales.ITEMS_BY_FIELD[field]
        span = item.scale.high - item.scale.low
        towards_worst = value - item.scale.low if item.higher_is_worse else item.scale.high - value
        shares.append(towards_worst / span)
    return sum(shares) / len(shares) if len(shares) >= WORST_DAY_MIN_ITEMS else None


def worst_days(summary: PeriodSummary, *, count: int = WORST_DAYS) -> tuple[WorstDay, ...]:
    """The ``count`` days with the highest burden (the earlier day first on a tie)."""
    scored = []
    for index, day in enumerate(summary.days):
        ratings = {field: series.values[index] for field, series in summary.items.items()}
        burden = day_burden(ratings)
        if burden is not None:
            scored.append((burden, day, ratings))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return tuple(
        WorstDay(
            day=day,
            burden=round(burden * 100),
            scores={field: ratings[field] for field in scales.SUMMARY_FIELDS},
            heat=ratings["hot_environment"] == 1,
            illness=ratings["illness_fever"] == 1,
            dose_missed=day in summary.dose_trouble_days,
            note="",
        )
        for burden, day, ratings in scored[:count]
    )


def entry_prompts(*, diary: Diary, start: dt.date, end: dt.date) -> tuple[EntryPrompt, ...]:
    """The red-flag prompts the diary showed in the period, as they were stored when shown
    (not worked out again under today's rules): one row per level and reason, with its days."""
    found: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    shown = RedFlagPrompt.objects.filter(diary=diary, day__range=(start, end)).order_by("day")
    for level, reason, day in shown.values_list("level", "reason", "day"):
        found[(level, reason)].append(day)
    order = {level: rank for rank, level in enumerate(redflags.LEVELS)}
    return tuple(
        EntryPrompt(level, reason, tuple(days))
        for (level, reason), days in sorted(found.items(), key=lambda kv: (order.get(kv[0][0], 3), -len(kv[1])))
    )


def _event_prompts(diary: Diary, start: dt.date, end: dt.date) -> dict[tuple[dt.date, str], redflags.Alert]:
    """The most serious stored prompt each event raised, by its day and kind."""
    hits: dict[tuple[dt.date, str], list[redflags.Hit]] = defaultdict(list)
    shown = RedFlagPrompt.objects.filter(diary=diary, day__range=(start, end), answer__startswith="event:")
    for day, level, key, answer in shown.values_list("day", "level", "key", "answer"):
        hits[(day, answer.removeprefix("event:"))].append(redflags.Hit(level, key, answer))
    return {where: redflags.alerts_for(found)[0] for where, found in hits.items()}


def _period_bounds(diary: Diary, summary: PeriodSummary) -> tuple[dt.datetime, dt.datetime]:
    return (
        local_moment(diary, summary.start, dt.time.min),
        local_moment(diary, summary.end + dt.timedelta(days=1), dt.time.min),
    )


def _report_events(diary: Diary, since: dt.datetime, until: dt.datetime) -> tuple[list[ReportEvent], list[Counted]]:
    prompts = _event_prompts(diary, diary.local(since).date(), diary.local(until).date())
    events = [
        ReportEvent(
            event,
            diary.local(event.occurred_at),
            prompts.get((diary.local(event.occurred_at).date(), event.kind)),
        )
        # Tests and scans are not events of the illness: the summary's header names the last tumour scan.
        for event in Event.objects.filter(diary=diary, occurred_at__gte=since, occurred_at__lt=until)
        .exclude(kind=EventKind.TEST_OR_SCAN)
        .order_by("occurred_at", "pk")
    ]
    kinds: dict[str, int] = defaultdict(int)
    for row in events:
        kinds[str(row.event.get_kind_display())] += 1
    counts = [Counted(label, n) for label, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))]
    return events, counts


def _pick_events(events: Sequence[ReportEvent]) -> tuple[ReportEvent, ...]:
    """Events with guidance first (emergency, then urgent), then the rest, latest first; shown by date."""
    rank = {"emergency": 0, "urgent": 1}
    chosen = sorted(events, key=lambda e: (rank.get(e.alert.level, 2) if e.alert else 2, -e.local_time.timestamp()))[
        :REPORT_EVENTS_MAX
    ]
    return tuple(sorted(chosen, key=lambda e: e.local_time))


def _counted_reasons(by_reason: Mapping[str, int]) -> tuple[Counted, ...]:
    """The most common reasons one by one, the rest counted together."""
    ordered = sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0].lower()))
    shown = [Counted(reason, n) for reason, n in ordered[:REPORT_SKIP_REASONS_MAX]]
    rest = sum(n for _reason, n in ordered[REPORT_SKIP_REASONS_MAX:])
    if rest:
        shown.append(Counted(gettext("Other reasons"), rest))
    return tuple(shown)


def _skip_reasons(
    diary: Diary, since: dt.datetime, until: dt.datetime
) -> tuple[tuple[Counted, ...], dict[str, tuple[Counted, ...]]]:
    """Reasons for skipping, over all medicines and per medicine (by medicine_key)."""
    rows = (
        DoseLog.objects.filter(diary=diary, status=DoseStatus.SKIPPED)
        .filter(
            Q(scheduled_for__gte=since, scheduled_for__lt=until)
            | Q(scheduled_for__isnull=True, created_at__gte=since, created_at__lt=until)
        )
        .values("medication__kind", "medication__name", "skip_reason")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_reason: dict[str, int] = defaultdict(int)
    per_medicine: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        reason = " ".join(row["skip_reason"].split()) or gettext("No reason given")
        key = medicine_key(Medication(kind=row["medication__kind"], name=row["medication__name"]))
        by_reason[reason] += row["count"]
        per_medicine[key][reason] += row["count"]
    return _counted_reasons(by_reason), {key: _counted_reasons(reasons) for key, reasons in per_medicine.items()}


def _side_effects(diary: Diary, since: dt.datetime, until: dt.datetime) -> tuple[SideEffectRow, ...]:
    """Side effects by medicine and symptom; one linked to a dose belongs to the time of that dose."""
    rows = (
        SideEffect.objects.filter(diary=diary)
        .filter(
            Q(dose__taken_at__gte=since, dose__taken_at__lt=until)
            | Q(dose__isnull=True, created_at__gte=since, created_at__lt=until)
        )
        .values("dose__medication__kind", "dose__medication__name", "symptom")
        .annotate(count=Count("pk"), total=Sum("severity"), worst=Max("severity"))
        .order_by()
    )
    # Versions of one prescription (and different spellings of its name) are one medicine.
    labels: dict[tuple[str, str], str] = {}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    worst: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        kind = row["dose__medication__kind"]
        if kind is None:
            medicine, key = gettext("Not linked to a dose"), "~"
        else:
            version = Medication(kind=kind, name=row["dose__medication__name"] or "")
            medicine, key = version.display_name, medicine_key(version)
        slot = (key, row["symptom"])
        labels.setdefault(slot, medicine)
        counts[slot] += row["count"]
        totals[slot] += row["total"]
        worst[slot] = max(worst[slot], row["worst"])
    symptoms = dict(SideEffectSymptom.choices)
    result = [
        SideEffectRow(
            medicine=labels[slot],
            symptom=str(symptoms.get(slot[1], slot[1])),
            count=counts[slot],
            mean_severity=totals[slot] / counts[slot],
            worst_severity=worst[slot],
        )
        for slot in labels
    ]
    return tuple(sorted(result, key=lambda r: (r.medicine.lower(), -r.count, r.symptom)))


def _courses(diary: Diary, summary: PeriodSummary) -> tuple[CourseResponse, ...]:
    """Sessions in the period grouped by course (a session without a course name stands alone),
    with the mean leg score of the days before the first session and days 7 to 21 after the last."""
    sessions = list(
        TreatmentSession.objects.filter(diary=diary, date__range=(summary.start, summary.end)).order_by("date", "pk")
    )
    if not sessions:
        return ()
    groups: dict[tuple[str, str] | int, list[TreatmentSession]] = defaultdict(list)
    for session in sessions:
        course = " ".join(session.course.split())
        key: tuple[str, str] | int = (session.display_name, course.lower()) if course else session.pk
        groups[key].append(session)
    first_day = min(s.date for s in sessions) - dt.timedelta(days=TREATMENT_BEFORE_DAYS)
    last_day = max(s.date for s in sessions) + dt.timedelta(days=TREATMENT_AFTER_LAST_DAY)
    scores = dict(
        DayEntry.objects.filter(
            diary=diary, date__range=(first_day, last_day), **{f"{TREATMENT_SCORE_FIELD}__isnull": False}
        ).values_list("date", TREATMENT_SCORE_FIELD)
    )

    def window(start: dt.date, end: dt.date) -> list[int]:
        return [scores[day] for day in day_range(start, end) if day in scores]

    courses = []
    for group in groups.values():
        first, last = group[0].date, group[-1].date
        before = window(first - dt.timedelta(days=TREATMENT_BEFORE_DAYS), first - dt.timedelta(days=1))
        after = window(
            last + dt.timedelta(days=TREATMENT_AFTER_FIRST_DAY), last + dt.timedelta(days=TREATMENT_AFTER_LAST_DAY)
        )
        rated = [s for s in group if s.benefit]
        latest = rated[-1] if rated else None
        courses.append(
            CourseResponse(
                label=group[0].display_name,
                course=group[0].course,
                first=first,
                last=last,
                sessions=len(group),
                reactions=tuple(dict.fromkeys(s.reactions for s in group if s.reactions)),
                benefit=str(latest.get_benefit_display()) if latest else "",
                benefit_started=latest.benefit_started if latest else None,
                benefit_faded=latest.benefit_faded if latest else None,
                before_mean=mean(before),
                before_days=len(before),
                after_mean=mean(after),
                after_days=len(after),
            )
        )
    return tuple(sorted(courses, key=lambda c: (c.first, c.label)))


def _adherence_shares(total: AdherenceWeek) -> AdherenceShares:
    scheduled = total.scheduled
    return AdherenceShares(
        scheduled=scheduled,
        taken=percent(total.on_time + total.late, scheduled),
        on_time=percent(total.on_time, scheduled),
        late=percent(total.late, scheduled),
        skipped=percent(total.skipped, scheduled),
        missed=percent(total.missed, scheduled),
        extra=total.extra,
    )


def _rest_rates(summary: PeriodSummary) -> RestRates:
    energy = {e.kind: e for e in summary.rest_energy}
    days = summary.day_count or 1
    return RestRates(
        planned=energy["planned"].rests,
        unplanned=energy["unplanned"].rests,
        planned_per_day=energy["planned"].rests / days,
        unplanned_per_day=energy["unplanned"].rests / days,
        all_per_day=energy["all"].rests / days,
        minutes_per_day=energy["all"].minutes / days,
    )


def report_figures(*, diary: Diary, summary: PeriodSummary) -> ReportFigures:
    """The clinic report's own figures, in a fixed number of queries (about six)."""
    since, until = _period_bounds(diary, summary)
    edge_days, edges = summary.edges
    worst = worst_days(summary)
    notes = dict(
        DayEntry.objects.filter(diary=diary, date__in=[w.day for w in worst])
        .exclude(note="")
        .values_list("date", "note")
    )
    worst = tuple(replace(w, note=notes.get(w.day, "")) for w in worst)
    events, event_counts = _report_events(diary, since, until)
    current = tuple(Medication.objects.filter(diary=diary).current_on(summary.end).order_by("kind", "name", "pk"))
    skip_reasons, skip_by_medicine = _skip_reasons(diary, since, until)
    return ReportFigures(
        summary=summary,
        current_medications=current,
        edge_days=edge_days,
        edges=edges,
        worst_days=worst,
        events=_pick_events(events),
        events_total=len(events),
        event_counts=tuple(event_counts),
        entry_prompts=entry_prompts(diary=diary, start=summary.start, end=summary.end),
        skip_reasons=skip_reasons,
        side_effects=_side_effects(diary, since, until),
        courses=_courses(diary, summary),
        adherence=_adherence_shares(summary.adherence_total),
        rest=_rest_rates(summary),
        medicine_adherence=tuple(
            MedicineAdherenceRow(a, skip_by_medicine.get(a.medicine.key, ())) for a in summary.adherence_by_medicine
        ),
    )
