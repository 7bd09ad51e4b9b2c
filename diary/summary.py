"""Statistics over a period of one diary, computed once.

The single source for the Trends charts, the clinic report and the tips
(docs/architecture.md): nothing else averages, counts or smooths diary data.

Times are stored in UTC; days and hours are the diary's own (its time zone),
so a quick check at 00:30 local time belongs to the new day, also across a
daylight-saving change. The number of queries is fixed: it does not grow with
the length of the period or the size of the diary. The database groups and
sums where it can without calling back into Python (the report's counts of skip
reasons and side effects); rows are fetched where a chart draws every point
(daily ratings, quick checks) or where the diary's local day must be found
(rests, doses: SQLite finds a local day only by calling back into Python for
every row, several times slower than doing it here), and the little arithmetic
left is done on them here, without a second trip. Doses are fetched once, for
adherence and for the hours since the last dose of each quick check.

Long periods are also summed up per ISO week and per calendar month (weeks,
months), so the Trends page can draw a point per week and list a row per month
instead of one per day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from diary import scales
from diary.models import (
    DayEntry,
    Diary,
    DoseLog,
    DoseStatus,
    Event,
    EventKind,
    Medication,
    QuickCheck,
    RestPeriod,
    TreatmentSession,
)
from diary.numbers import figure_text
from diary.services import local_moment
from education import selection
from education.selection import DaySummary, QuickCheckPoint, Signals

#: A rolling median looks at the day and the six before it ...
ROLLING_DAYS = 7
#: ... and needs this many rated days among them, or the day has no median.
ROLLING_MIN_VALUES = 3
#: A quick check further from the last dose than this says nothing about that dose.
MAX_HOURS_SINCE_DOSE = 24
#: A time bin (an hour of the day, an hour since a dose) or a side of a comparison of days needs
#: this many checks or days before anything is said about it (docs/clinical-safety.md, section 3).
MIN_PER_BIN = 10
#: Width of the bins of the smoothed strength-after-dose curve.
DOSE_BIN_HOURS = 1
#: A medicine taken fewer times a day than this has no strength-after-dose curve: with one dose a
#: day the hours since it are the hours of the day, and say nothing about the dose.
DOSE_TIMING_MIN_TIMES = 2
#: Tables switch from one row per day to one row per week past this many days ...
DAILY_ROWS_MAX_DAYS = 62
#: ... and to one row per calendar month past this many (53 weeks).
WEEKLY_ROWS_MAX_DAYS = 371
#: Time charts draw one point per ISO week (weekly medians, weekly totals) past this many days.
DAILY_POINTS_MAX_DAYS = 120
#: Autonomic and bulbar items, for the heat map (days x symptoms).
HEAT_MAP_FIELDS: tuple[str, ...] = (
    "dry_mouth",
    "dry_eyes",
    "dizziness_standing",
    "bowel_movement",
    "straining",
    "speech",
    "chewing",
    "swallowing",
    "choking",
)
#: Symptoms that come and go (bulbar, eyes, breathing, dizziness): a median of mostly symptom-free
#: days reads 0 however often they came, so the days with any symptom are counted beside it.
EPISODIC_FIELDS: tuple[str, ...] = (
    "speech",
    "chewing",
    "swallowing",
    "choking",
    "double_vision",
    "eyelid_droop",
    "breathlessness",
    "dizziness_standing",
)
#: Dose statuses that mean the medicine was taken.
TAKEN_STATUSES = (DoseStatus.TAKEN, DoseStatus.LATE, DoseStatus.EXTRA)


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSeries:
    """One diary item over the period: a value per day (None = not rated) and its smoothing.

    The 7-day rolling median is worked out when it is first read: charts of a
    long period draw weekly medians instead, and a few years of every item's
    rolling medians would be a good part of the page's time.
    """

    item: scales.Item
    values: tuple[int | None, ...]
    rated_days: int
    mean: float | None
    #: The ratings of the ROLLING_DAYS - 1 days just before the period, oldest first.
    lead_in: tuple[int | None, ...] = ()

    @cached_property
    def rolling_median(self) -> tuple[float | None, ...]:
        return rolling_medians(self.values, lead_in=self.lead_in)

    @property
    def episodic(self) -> bool:
        return self.item.field in EPISODIC_FIELDS

    @cached_property
    def symptom_days(self) -> int:
        """The days rated above 0 (any symptom at all)."""
        return sum(1 for v in self.values if v)

    @cached_property
    def first_median(self) -> float | None:
        """The first rolling median of the period (None when there is none)."""
        return next((m for m in self.rolling_median if m is not None), None)

    @cached_property
    def last_median(self) -> float | None:
        """The last rolling median of the period (None when there is none)."""
        return next((m for m in reversed(self.rolling_median) if m is not None), None)


class HeatSpan(NamedTuple):
    """One heat-map item over a week or a month (a tuple: there are hundreds, made quicker than a dataclass)."""

    rated_days: int
    #: Days at the troubling end (as HeatRow counts them).
    trouble_days: int
    #: The median of the days' heat levels (0 none to 3 most or worst; heat_level), None when not rated.
    level: float | None


@dataclass(frozen=True)
class SpanSummary:
    """Some days in a row (a week or a month), cut to the period at either end."""

    start: dt.date
    end: dt.date
    days_logged: int
    #: Each item's median of the daily ratings (None when not rated in the span).
    medians: Mapping[str, float | None]
    rest_minutes_planned: int
    rest_minutes_unplanned: int
    rest_minutes_unmarked: int
    rests: int
    #: The heat-map items (HEAT_MAP_FIELDS), for a heat map with a column per week (weeks only).
    heat: Mapping[str, HeatSpan] = dataclass_field(default_factory=dict)

    @property
    def rest_minutes(self) -> int:
        return self.rest_minutes_planned + self.rest_minutes_unplanned + self.rest_minutes_unmarked

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class WeekSummary(SpanSummary):
    """One ISO week (Monday to Sunday), cut to the period at either end."""


@dataclass(frozen=True)
class MonthSummary(SpanSummary):
    """One calendar month, cut to the period at either end."""


@dataclass(frozen=True)
class Medicine:
    """One medicine as the person thinks of it: every version of the prescription together."""

    key: str
    label: str
    #: The most scheduled doses a day of any version prescribed in the period.
    times_a_day: int = 0

    @property
    def has_dose_timing(self) -> bool:
        return self.times_a_day >= DOSE_TIMING_MIN_TIMES


class CheckPoint(NamedTuple):
    """A quick check, with the hours since the last dose of each medicine.

    A tuple: a diary of years has thousands, made quicker than a frozen dataclass.
    """

    #: The hour of the day (0-23) on the diary's clock.
    hour: int
    strength: int | None
    fatigue: int | None
    #: Medicine key -> hours since the dose before the check (only within MAX_HOURS_SINCE_DOSE).
    hours_since_dose: Mapping[str, float]


@dataclass(frozen=True)
class DoseBin:
    start_hour: float
    end_hour: float
    checks: int
    mean_strength: float


@dataclass(frozen=True)
class DoseCurve:
    """Strength against hours since the last dose of one medicine."""

    medicine: Medicine
    points: tuple[tuple[float, int], ...]  # (hours since the dose, strength)
    bins: tuple[DoseBin, ...]

    @property
    def strongest(self) -> DoseBin | None:
        return max(self.bins, key=lambda b: (b.mean_strength, -b.start_hour), default=None)

    @property
    def weakest(self) -> DoseBin | None:
        return min(self.bins, key=lambda b: (b.mean_strength, b.start_hour), default=None)

    def sentence(self, fmt: Callable[[float], str]) -> str:
        """What the curve shows, in words (the Trends chart and the clinic summary say the same)."""
        text = ngettext(
            "%(count)d quick check within %(hours)d hours after a dose of %(medicine)s.",
            "%(count)d quick checks within %(hours)d hours after a dose of %(medicine)s.",
            len(self.points),
        ) % {"count": len(self.points), "hours": MAX_HOURS_SINCE_DOSE, "medicine": self.medicine.label}
        strongest, weakest = self.strongest, self.weakest
        if strongest is not None and weakest is not None and strongest != weakest:
            text += " " + gettext(
                "Average strength was highest %(s_from)s–%(s_to)s h after a dose (%(s_mean)s of 10, "
                "based on %(s_count)d checks) and lowest %(w_from)s–%(w_to)s h after (%(w_mean)s, "
                "based on %(w_count)d checks)."
            ) % {
                "s_from": fmt(strongest.start_hour),
                "s_to": fmt(strongest.end_hour),
                "s_mean": fmt(strongest.mean_strength),
                "s_count": strongest.checks,
                "w_from": fmt(weakest.start_hour),
                "w_to": fmt(weakest.end_hour),
                "w_mean": fmt(weakest.mean_strength),
                "w_count": weakest.checks,
            }
        elif len(self.bins) > 1:
            text += " " + same_in_every_hour_text(len(self.bins))
        elif self.points:
            text += " " + not_enough_checks_text()
        return text


def symptom_days_text(series: ItemSeries) -> str:
    """How often an episodic symptom came: days with any symptom / days it was logged."""
    return ngettext(
        "Any symptom on %(count)d of %(rated)d day logged.",
        "Any symptom on %(count)d of %(rated)d days logged.",
        series.rated_days,
    ) % {"count": series.symptom_days, "rated": series.rated_days}


def same_in_every_hour_text(hours: int) -> str:
    """Said when every hour with enough checks has the same average strength."""
    return gettext("Average strength was the same in each of the %(hours)d hours with at least %(count)d checks.") % {
        "hours": hours,
        "count": MIN_PER_BIN,
    }


def not_enough_checks_text() -> str:
    """Said instead of a pattern over hours when fewer than two hours have MIN_PER_BIN checks each."""
    return gettext(
        "Not enough data to compare hours: an hour needs at least %(count)d quick checks, and two hours are needed."
    ) % {"count": MIN_PER_BIN}


@dataclass(frozen=True)
class HourMean:
    hour: int
    checks: int
    mean_strength: float

    @property
    def enough(self) -> bool:
        """Whether the hour has enough checks for its average to be stated."""
        return self.checks >= MIN_PER_BIN


@dataclass(frozen=True)
class HeatRow:
    """One autonomic or bulbar item of the heat map, with how often it troubled the person."""

    item: scales.Item
    rated_days: int
    #: Days at the troubling end: 2+ on a 0-3 scale, any choking, "yes" to straining, "no" bowel movement.
    trouble_days: int


@dataclass(frozen=True)
class RestDay:
    day: dt.date
    planned_minutes: int = 0
    unplanned_minutes: int = 0
    unmarked_minutes: int = 0
    planned_count: int = 0
    unplanned_count: int = 0
    unmarked_count: int = 0

    @property
    def minutes(self) -> int:
        return self.planned_minutes + self.unplanned_minutes + self.unmarked_minutes

    @property
    def count(self) -> int:
        return self.planned_count + self.unplanned_count + self.unmarked_count


REST_KINDS: tuple[tuple[str, Promise], ...] = (
    ("planned", _("Planned rests")),
    ("unplanned", _("Unplanned rests")),
    ("unmarked", _("Rests not marked planned or unplanned")),
    ("all", _("All rests")),
)


@dataclass(frozen=True)
class RestEnergy:
    """Energy (0-10) before and after the rests of one kind that have both ratings."""

    kind: str
    label: Promise
    rests: int
    minutes: int
    rated_rests: int
    mean_before: float | None
    mean_after: float | None


@dataclass(frozen=True)
class AdherenceCounts:
    """Scheduled doses: on time, late, skipped, and missed (no log at all); and extra doses."""

    start: dt.date
    on_time: int = 0
    late: int = 0
    skipped: int = 0
    missed: int = 0
    extra: int = 0

    @property
    def scheduled(self) -> int:
        return self.on_time + self.late + self.skipped + self.missed


@dataclass(frozen=True)
class AdherenceWeek(AdherenceCounts):
    """The doses of one ISO week (``start`` is its Monday)."""

    @property
    def iso_week(self) -> tuple[int, int]:
        year, week, _day = self.start.isocalendar()
        return year, week


@dataclass(frozen=True)
class AdherenceMonth(AdherenceCounts):
    """The doses of one calendar month (``start`` is its first day)."""


@dataclass(frozen=True)
class MedicineAdherence(AdherenceCounts):
    """The doses of one medicine over the period (``start`` is the period's first day)."""

    medicine: Medicine = Medicine("", "")

    def share(self, part: int) -> int | None:
        """Whole percent of the scheduled doses; None when none were scheduled."""
        return percent(part, self.scheduled)

    @property
    def taken_percent(self) -> int | None:
        return self.share(self.on_time + self.late)

    @property
    def late_percent(self) -> int | None:
        return self.share(self.late)

    @property
    def skipped_percent(self) -> int | None:
        return self.share(self.skipped)

    @property
    def missed_percent(self) -> int | None:
        return self.share(self.missed)


@dataclass(frozen=True)
class TreatmentMarker:
    day: dt.date
    label: str


def dose_text(medication: Medication, *, with_times: bool = False) -> str:
    """A prescription's dose as entered: "10 mg × 4 a day", with its times when asked."""
    amount = number_format(medication.dose_amount.normalize())
    text = f"{amount} {medication.get_unit_display()}"
    if medication.times:
        text += " " + gettext("× %(count)d a day") % {"count": len(medication.times)}
        if with_times:
            text += f" ({', '.join(medication.times)})"
    return text


@dataclass(frozen=True)
class MedicationChange:
    day: dt.date
    #: "started", "changed" or "stopped".
    change: str
    label: str
    #: The dose before and after a change (dose_text); the dose started or stopped; "" for an event.
    old_dose: str = ""
    new_dose: str = ""

    @property
    def text(self) -> str:
        if self.change == "started":
            if self.new_dose:
                return gettext("Started %(medicine)s, %(dose)s") % {"medicine": self.label, "dose": self.new_dose}
            return gettext("Started %(medicine)s") % {"medicine": self.label}
        if self.change == "stopped":
            if self.old_dose:
                return gettext("Stopped %(medicine)s, %(dose)s") % {"medicine": self.label, "dose": self.old_dose}
            return gettext("Stopped %(medicine)s") % {"medicine": self.label}
        if self.old_dose and self.new_dose:
            return gettext("%(medicine)s: %(old)s → %(new)s") % {
                "medicine": self.label,
                "old": self.old_dose,
                "new": self.new_dose,
            }
        return gettext("Changed %(medicine)s") % {"medicine": self.label}


#: The conditions an observation can compare, and the sentence that states it.
#: Each sentence states numbers only: never a cause, never advice.
OBSERVATION_SENTENCES: dict[str, Callable[[int], str]] = {
    "heat": lambda n: ngettext(
        "On the %(count)d day you logged heat, %(outcome)s averaged %(with)s; on the %(other)d other days %(without)s.",
        "On the %(count)d days you logged heat, %(outcome)s averaged %(with)s; on the %(other)d other days "
        "%(without)s.",
        n,
    ),
    "illness": lambda n: ngettext(
        "On the %(count)d day you logged illness or fever, %(outcome)s averaged %(with)s; on the %(other)d "
        "other days %(without)s.",
        "On the %(count)d days you logged illness or fever, %(outcome)s averaged %(with)s; on the %(other)d "
        "other days %(without)s.",
        n,
    ),
    "poor_sleep": lambda n: ngettext(
        "On the %(count)d day after a night's sleep you rated 3 or less, %(outcome)s averaged %(with)s; "
        "after the %(other)d better nights %(without)s.",
        "On the %(count)d days after a night's sleep you rated 3 or less, %(outcome)s averaged %(with)s; "
        "after the %(other)d better nights %(without)s.",
        n,
    ),
    "dose_missed": lambda n: ngettext(
        "On the %(count)d day with a skipped or missed dose, %(outcome)s averaged %(with)s; "
        "on the %(other)d other days with doses scheduled %(without)s.",
        "On the %(count)d days with a skipped or missed dose, %(outcome)s averaged %(with)s; "
        "on the %(other)d other days with doses scheduled %(without)s.",
        n,
    ),
}
OUTCOME_NAMES: dict[str, Promise] = {
    "weakness_hips": _("leg weakness (0 to 3)"),
    "fatigue": _("fatigue (0 to 10)"),
}
#: (condition, outcome) pairs compared, in the order they are shown.
OBSERVATION_PAIRS: tuple[tuple[str, str], ...] = (
    ("heat", "weakness_hips"),
    ("heat", "fatigue"),
    ("illness", "weakness_hips"),
    ("illness", "fatigue"),
    ("poor_sleep", "fatigue"),
    ("dose_missed", "weakness_hips"),
)
POOR_SLEEP_SCORE = selection.POOR_SLEEP_SCORE


@dataclass(frozen=True)
class Observation:
    condition: str
    outcome: str
    days_with: int
    mean_with: float
    days_without: int
    mean_without: float

    @property
    def text(self) -> str:
        return OBSERVATION_SENTENCES[self.condition](self.days_with) % {
            "count": self.days_with,
            "other": self.days_without,
            "outcome": OUTCOME_NAMES[self.outcome],
            "with": figure_text(self.mean_with),
            "without": figure_text(self.mean_without),
        }


@dataclass(frozen=True)
class DataBounds:
    """The first local day holding any data, and the first day a dose was logged."""

    first_day: dt.date | None
    first_dose_day: dt.date | None


@dataclass(frozen=True)
class PeriodSummary:
    start: dt.date
    end: dt.date
    days: tuple[dt.date, ...]
    items: Mapping[str, ItemSeries]
    days_logged: int
    weeks: tuple[WeekSummary, ...]
    checks: tuple[CheckPoint, ...]
    medicines: tuple[Medicine, ...]
    dose_curves: tuple[DoseCurve, ...]
    strength_by_hour: tuple[HourMean, ...]
    heat_rows: tuple[HeatRow, ...]
    rest_days: tuple[RestDay, ...]
    rest_energy: tuple[RestEnergy, ...]
    adherence: tuple[AdherenceWeek, ...]
    adherence_total: AdherenceWeek
    treatments: tuple[TreatmentMarker, ...]
    medication_changes: tuple[MedicationChange, ...]
    observations: tuple[Observation, ...]
    #: Days with a scheduled dose skipped or missed (nothing logged), for the report's worst days.
    dose_trouble_days: frozenset[dt.date] = frozenset()
    #: Calendar months, cut to the period (like weeks), and the doses of each month.
    months: tuple[MonthSummary, ...] = ()
    adherence_months: tuple[AdherenceMonth, ...] = ()
    #: The period's doses of each medicine with any scheduled or extra, by medicine name.
    adherence_by_medicine: tuple[MedicineAdherence, ...] = ()

    @property
    def day_count(self) -> int:
        return len(self.days)

    @cached_property
    def edges(self) -> tuple[int, Mapping[str, EdgeComparison]]:
        """The first and last days compared per item (edge_comparisons): one answer for Trends and the report."""
        return edge_comparisons(self)

    @property
    def share_logged(self) -> float:
        return self.days_logged / len(self.days) if self.days else 0.0

    @property
    def share_percent(self) -> int:
        return round(self.share_logged * 100)

    @property
    def daily_rows(self) -> bool:
        """Whether tables list days (short periods) or weeks or months."""
        return len(self.days) <= DAILY_ROWS_MAX_DAYS

    @property
    def monthly_rows(self) -> bool:
        """Whether tables list months (periods longer than about a year)."""
        return len(self.days) > WEEKLY_ROWS_MAX_DAYS

    @property
    def weekly_points(self) -> bool:
        """Whether time charts draw a point per week (weekly medians and totals) instead of one per day."""
        return len(self.days) > DAILY_POINTS_MAX_DAYS

    @property
    def checks_with_strength(self) -> int:
        return sum(1 for c in self.checks if c.strength is not None)

    @property
    def hours_with_enough_checks(self) -> tuple[HourMean, ...]:
        return tuple(h for h in self.strength_by_hour if h.enough)

    @property
    def strongest_hour(self) -> HourMean | None:
        return max(self.hours_with_enough_checks, key=lambda h: (h.mean_strength, -h.hour), default=None)

    @property
    def weakest_hour(self) -> HourMean | None:
        return min(self.hours_with_enough_checks, key=lambda h: (h.mean_strength, h.hour), default=None)

    @property
    def is_empty(self) -> bool:
        return not (
            self.days_logged
            or self.checks
            or any(r.count for r in self.rest_days)
            or self.adherence_total.scheduled
            or self.adherence_total.extra
            or self.treatments
            or self.medication_changes
        )


# --- small arithmetic ------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def rolling_medians(
    values: Sequence[int | None], *, lead_in: Sequence[int | None] = (), window: int = ROLLING_DAYS
) -> tuple[float | None, ...]:
    """The median of each day and the ``window - 1`` days before it, skipping unrated days.

    ``lead_in`` holds the days just before the first one (oldest first), so the
    first days of a period are smoothed with the days before it, not cut short.
    """
    series = [*lead_in, *values]
    offset = len(lead_in)
    if sum(1 for v in series if v is not None) < ROLLING_MIN_VALUES:
        return (None,) * len(values)
    # The window's rated values, kept in order as it slides: this runs for every item on every day.
    window_values: list[int] = []
    result: list[float | None] = []
    for index, value in enumerate(series):
        if value is not None:
            insort(window_values, value)
        if index >= window and (old := series[index - window]) is not None:
            del window_values[bisect_left(window_values, old)]
        if index < offset:
            continue
        count = len(window_values)
        middle = count // 2
        if count < ROLLING_MIN_VALUES:
            result.append(None)
        elif count % 2:
            result.append(float(window_values[middle]))
        else:
            result.append((window_values[middle - 1] + window_values[middle]) / 2)
    return tuple(result)


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def day_range(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    return tuple(start + dt.timedelta(days=n) for n in range((end - start).days + 1))


def medicine_key(medication: Medication) -> str:
    return f"{medication.kind}:{' '.join(medication.name.lower().split())}"


# --- the queries -----------------------------------------------------------------------


def data_bounds(*, diary: Diary) -> DataBounds:
    """One query: where the diary's data begin (for "all" and for counting missed doses)."""

    def first(model: type, field: str) -> Subquery:
        rows = model.objects.filter(diary=OuterRef("pk"), **{f"{field}__isnull": False})  # type: ignore[attr-defined]
        return Subquery(rows.order_by(field).values(field)[:1])

    row = (
        Diary.objects.filter(pk=diary.pk)
        .annotate(
            first_entry=first(DayEntry, "date"),
            first_check=first(QuickCheck, "taken_at"),
            first_taken=first(DoseLog, "taken_at"),
            first_slot=first(DoseLog, "scheduled_for"),
            first_rest=first(RestPeriod, "started_at"),
            first_treatment=first(TreatmentSession, "date"),
            first_event=first(Event, "occurred_at"),
        )
        .values(
            "first_entry",
            "first_check",
            "first_taken",
            "first_slot",
            "first_rest",
            "first_treatment",
            "first_event",
        )
        .first()
    )
    if row is None:
        return DataBounds(None, None)

    def day(value: dt.date | dt.datetime | None) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return diary.local(value).date()
        return value

    days = {name: day(value) for name, value in row.items()}
    dose_days = [d for d in (days["first_taken"], days["first_slot"]) if d is not None]
    all_days = [d for d in days.values() if d is not None]
    return DataBounds(first_day=min(all_days, default=None), first_dose_day=min(dose_days, default=None))


def period_summary(
    *, diary: Diary, start: dt.date, end: dt.date, bounds: DataBounds | None = None, now: dt.datetime | None = None
) -> PeriodSummary:
    """Every statistic of the days ``start`` to ``end`` (both included, the diary's zone).

    ``bounds`` saves a query when the caller has them already; ``now`` (for tests)
    decides which of today's scheduled doses are past, and so can be missed.
    """
    if end < start:
        raise ValueError("The period ends before it starts.")
    if bounds is None:
        bounds = data_bounds(diary=diary)
    now = now or timezone.now()
    days = day_range(start, end)
    period_from = local_moment(diary, start, dt.time.min)
    period_until = local_moment(diary, end + dt.timedelta(days=1), dt.time.min)

    entries, lead_in = _entries(diary=diary, start=start, end=end)
    items = _item_series(days=days, entries=entries, lead_in=lead_in)
    medications = list(Medication.objects.filter(diary=diary).order_by("start_date", "pk"))
    medicines, key_of = _medicines(medications, start=start, end=end)
    dose_logs, last_doses = _dose_logs(diary=diary, since=period_from, until=period_until)
    checks = _checks(
        diary=diary,
        since=period_from,
        until=period_until,
        medicines=medicines,
        key_of=key_of,
        taken=last_doses,
    )
    rest_days, rest_energy = _rests(diary=diary, days=days, since=period_from, until=period_until)
    adherence, adherence_months, dose_trouble, per_medication = _adherence(
        diary=diary,
        days=days,
        medications=medications,
        logs=dose_logs,
        tracking_from=bounds.first_dose_day,
        now=now,
    )
    treatments = _treatments(diary=diary, start=start, end=end)
    changes = _medication_changes(diary=diary, medications=medications, start=start, end=end)
    columns = _span_columns(days=days, entries=entries, items=items, rest_days=rest_days)
    weeks = _spans(WeekSummary, _week_start, days=days, items=items, columns=columns)
    months = _spans(MonthSummary, _month_start, days=days, items=items, columns=columns, with_heat=False)
    total = AdherenceWeek(
        start=start,
        on_time=sum(w.on_time for w in adherence),
        late=sum(w.late for w in adherence),
        skipped=sum(w.skipped for w in adherence),
        missed=sum(w.missed for w in adherence),
        extra=sum(w.extra for w in adherence),
    )
    by_medicine = _adherence_by_medicine(
        per_medication, start=start, medications=medications, medicines=medicines, key_of=key_of
    )
    return PeriodSummary(
        start=start,
        end=end,
        days=days,
        items=items,
        days_logged=len(entries),
        weeks=weeks,
        checks=checks,
        medicines=medicines,
        dose_curves=_dose_curves(checks, medicines),
        strength_by_hour=_strength_by_hour(checks),
        heat_rows=_heat_rows(items),
        rest_days=rest_days,
        rest_energy=rest_energy,
        adherence=adherence,
        adherence_total=total,
        treatments=treatments,
        medication_changes=changes,
        observations=_observations(days=days, entries=entries, dose_trouble=dose_trouble),
        dose_trouble_days=frozenset(day for day, trouble in dose_trouble.items() if trouble),
        months=months,
        adherence_months=adherence_months,
        adherence_by_medicine=by_medicine,
    )


#: A day entry's ratings, in scales.ITEM_FIELDS order (as _entries reads them).
Ratings = tuple[int | None, ...]
#: Where each item's rating sits in Ratings.
_RATING_INDEX = {name: index for index, name in enumerate(scales.ITEM_FIELDS)}
_NOT_RATED: Ratings = (None,) * len(scales.ITEM_FIELDS)


def _entries(*, diary: Diary, start: dt.date, end: dt.date) -> tuple[dict[dt.date, Ratings], dict[dt.date, Ratings]]:
    """The period's day entries, and those of the days just before it (for rolling medians)."""
    lead_start = start - dt.timedelta(days=ROLLING_DAYS - 1)
    query = DayEntry.objects.filter(diary=diary, date__range=(lead_start, end)).values_list("date", *scales.ITEM_FIELDS)
    entries: dict[dt.date, Ratings] = {}
    lead_in: dict[dt.date, Ratings] = {}
    for row in query:
        day = row[0]
        (entries if day >= start else lead_in)[day] = row[1:]
    return entries, lead_in


def _item_series(
    *,
    days: tuple[dt.date, ...],
    entries: Mapping[dt.date, Ratings],
    lead_in: Mapping[dt.date, Ratings],
) -> dict[str, ItemSeries]:
    lead_days = day_range(days[0] - dt.timedelta(days=ROLLING_DAYS - 1), days[0] - dt.timedelta(days=1))
    # One column of ratings per item, day by day (zip does the turning in C).
    columns = zip(*(entries.get(day, _NOT_RATED) for day in days), strict=True)
    lead_columns = zip(*(lead_in.get(day, _NOT_RATED) for day in lead_days), strict=True) if lead_days else None
    series: dict[str, ItemSeries] = {}
    for item, values in zip(scales.ITEMS, columns, strict=True):
        rated = [v for v in values if v is not None]
        series[item.field] = ItemSeries(
            item=item,
            values=values,
            rated_days=len(rated),
            mean=mean(rated),
            lead_in=next(lead_columns) if lead_columns is not None else (),
        )
    return series


def _medicines(
    medications: Iterable[Medication], *, start: dt.date, end: dt.date
) -> tuple[tuple[Medicine, ...], dict[str, list[int]]]:
    """The medicines prescribed at some time from the day before the period to its end.

    Versions of one prescription (a dose change makes a new row) and a restart of
    the same medicine count as one medicine, labelled by its latest version.
    """
    key_of: dict[str, list[int]] = defaultdict(list)
    latest: dict[str, Medication] = {}
    times_a_day: dict[str, int] = defaultdict(int)
    for medication in medications:
        key = medicine_key(medication)
        key_of[key].append(medication.pk)
        latest[key] = medication
        if medication.start_date <= end and (
            medication.end_date is None or medication.end_date >= start - dt.timedelta(days=1)
        ):
            times_a_day[key] = max(times_a_day[key], len(medication.times))
    medicines = tuple(
        sorted(
            (Medicine(key, latest[key].display_name, times) for key, times in times_a_day.items()),
            key=lambda m: m.label.lower(),
        )
    )
    return medicines, dict(key_of)


def _dose_logs(
    *, diary: Diary, since: dt.datetime, until: dt.datetime
) -> tuple[list[tuple[int, dt.datetime | None, dt.datetime | None, str]], dict[int, list[dt.datetime]]]:
    """One query for every dose the summary needs, split in two.

    The period's logs, for adherence: (medication, scheduled for, taken at, status),
    a scheduled one by its slot and an extra one by when it was taken. And per
    medication (version) the times doses were taken, in order, from a day before
    the period (MAX_HOURS_SINCE_DOSE): the last dose before each quick check.
    """
    lead = since - dt.timedelta(hours=MAX_HOURS_SINCE_DOSE)
    query = DoseLog.objects.filter(diary=diary).filter(
        Q(scheduled_for__gte=since, scheduled_for__lt=until)
        | Q(scheduled_for__isnull=True, taken_at__gte=since, taken_at__lt=until)
        | Q(status__in=TAKEN_STATUSES, taken_at__gte=lead, taken_at__lt=until)
    )
    rows = query.values_list("medication_id", "scheduled_for", "taken_at", "status")
    logs = []
    taken: dict[int, list[dt.datetime]] = defaultdict(list)
    for medication_id, scheduled_for, taken_at, status in rows:
        if scheduled_for is not None:
            if since <= scheduled_for < until:
                logs.append((medication_id, scheduled_for, taken_at, status))
        elif taken_at is not None and since <= taken_at < until:
            logs.append((medication_id, scheduled_for, taken_at, status))
        if taken_at is not None and status in TAKEN_STATUSES and lead <= taken_at < until:
            taken[medication_id].append(taken_at)
    for times in taken.values():
        times.sort()
    return logs, dict(taken)


def _checks(
    *,
    diary: Diary,
    since: dt.datetime,
    until: dt.datetime,
    medicines: Sequence[Medicine],
    key_of: Mapping[str, list[int]],
    taken: Mapping[int, Sequence[dt.datetime]],
) -> tuple[CheckPoint, ...]:
    """Quick checks, each with the hours since the last dose taken before it, per medicine.

    ``taken`` holds the times doses were taken, per medication version, in order
    (_dose_logs): the last dose before a check is found by bisection.
    """
    window = dt.timedelta(hours=MAX_HOURS_SINCE_DOSE)
    doses = {
        # One version's times are in order already (_dose_logs); several versions are merged.
        medicine.key: taken.get(versions[0], [])
        if len(versions := key_of[medicine.key]) == 1
        else sorted(t for pk in versions for t in taken.get(pk, ()))
        for medicine in medicines
    }
    doses = {key: times for key, times in doses.items() if times}
    query = (
        QuickCheck.objects.filter(diary=diary, taken_at__gte=since, taken_at__lt=until)
        .filter(Q(strength__isnull=False) | Q(fatigue__isnull=False))
        .order_by("taken_at")
    )
    zone = diary.zone
    dose_times = list(doses.items())
    points = []
    for taken_at, strength, fatigue in query.values_list("taken_at", "strength", "fatigue"):
        hours = {}
        for key, times in dose_times:
            index = bisect_left(times, taken_at)  # times[index - 1] is the last dose strictly before
            if index and (since_dose := taken_at - times[index - 1]) <= window:
                hours[key] = since_dose.total_seconds() / 3600
        points.append(CheckPoint(taken_at.astimezone(zone).hour, strength, fatigue, hours))
    return tuple(points)


def _dose_curves(checks: Sequence[CheckPoint], medicines: Sequence[Medicine]) -> tuple[DoseCurve, ...]:
    curves = []
    for medicine in medicines:
        if not medicine.has_dose_timing:
            continue
        key = medicine.key
        points = sorted(
            (since_dose[key], strength)
            for _hour, strength, _fatigue, since_dose in checks
            if strength is not None and key in since_dose
        )
        by_bin: dict[int, list[int]] = defaultdict(list)
        for hours, strength in points:
            by_bin[int(hours // DOSE_BIN_HOURS)].append(strength)
        bins = tuple(
            DoseBin(
                start_hour=index * DOSE_BIN_HOURS,
                end_hour=(index + 1) * DOSE_BIN_HOURS,
                checks=len(values),
                mean_strength=sum(values) / len(values),
            )
            for index, values in sorted(by_bin.items())
            if len(values) >= MIN_PER_BIN
        )
        curves.append(DoseCurve(medicine, tuple((round(h, 2), s) for h, s in points), bins))
    return tuple(curves)


def _strength_by_hour(checks: Sequence[CheckPoint]) -> tuple[HourMean, ...]:
    by_hour: dict[int, list[int]] = defaultdict(list)
    for check in checks:
        if check.strength is not None:
            by_hour[check.hour].append(check.strength)
    return tuple(HourMean(hour, len(values), sum(values) / len(values)) for hour, values in sorted(by_hour.items()))


def _troubling(item: scales.Item, value: int) -> bool:
    if item.field == "bowel_movement":
        return value == 0
    if item.field == "choking":
        return value >= 1
    if item.scale is scales.YES_NO:
        return value == 1
    return value >= 2


def heat_level(item: scales.Item, value: int) -> int:
    """0 (none) to 3 (most of the day, or the worst answer): the colour of a heat-map cell."""
    if item.field == "bowel_movement":
        return 3 if value == 0 else 0
    if item.scale is scales.YES_NO:
        return 3 if value == 1 else 0
    if item.field == "choking":
        return (0, 2, 3)[value]
    return value


def _heat_rows(items: Mapping[str, ItemSeries]) -> tuple[HeatRow, ...]:
    rows = []
    for field in HEAT_MAP_FIELDS:
        series = items[field]
        # Each answer given is judged once (a handful), not once per day.
        counts = Counter(series.values)
        counts.pop(None, None)
        trouble = sum(count for value, count in counts.items() if _troubling(series.item, value))
        rows.append(HeatRow(series.item, counts.total(), trouble))
    return tuple(rows)


def _rests(
    *, diary: Diary, days: tuple[dt.date, ...], since: dt.datetime, until: dt.datetime
) -> tuple[tuple[RestDay, ...], tuple[RestEnergy, ...]]:
    """Rests per local day of their start, planned / unplanned / not marked.

    The rows are summed here: grouping by the diary's local day costs SQLite a
    call back into Python per row (and another for each duration), several times
    what reading the rows costs.
    """
    query = RestPeriod.objects.filter(
        diary=diary, ended_at__isnull=False, started_at__gte=since, started_at__lt=until
    ).values_list("started_at", "ended_at", "planned", "energy_before", "energy_after")
    zone = diary.zone
    kinds = {True: 0, False: 1, None: 2}  # planned, unplanned, not marked: REST_KINDS' order
    # (local day, kind) -> [duration, rests, rests with both energies, energy before, energy after]
    groups: dict[tuple[dt.date, int], list[Any]] = {}
    for started_at, ended_at, planned, before, after in query:
        key = (started_at.astimezone(zone).date(), kinds[planned])
        group = groups.get(key)
        if group is None:
            group = groups[key] = [dt.timedelta(), 0, 0, 0, 0]
        group[0] += ended_at - started_at
        group[1] += 1
        if before is not None and after is not None:
            group[2] += 1
            group[3] += before
            group[4] += after
    # Per day: seconds of each kind, then rests of each kind. Per kind: rests, seconds, rated, before, after.
    per_day: dict[dt.date, list[int]] = {}
    sums: list[list[float]] = [[0, 0.0, 0, 0, 0] for _kind in range(3)]
    for (day, kind), (duration, rests, rated, before_sum, after_sum) in groups.items():
        seconds = duration.total_seconds()
        counted = per_day.get(day)
        if counted is None:
            counted = per_day[day] = [0, 0, 0, 0, 0, 0]
        counted[kind] = int(seconds)
        counted[3 + kind] = rests
        total = sums[kind]
        total[0] += rests
        total[1] += seconds
        total[2] += rated
        total[3] += before_sum
        total[4] += after_sum
    rest_days = tuple(
        RestDay(day, round(c[0] / 60), round(c[1] / 60), round(c[2] / 60), c[3], c[4], c[5])
        if (c := per_day.get(day)) is not None
        else RestDay(day)
        for day in days
    )
    sums.append([sum(column) for column in zip(*sums, strict=True)])  # all rests
    energy = tuple(
        RestEnergy(
            kind=kind,
            label=label,
            rests=int(rests),
            minutes=round(seconds / 60),
            rated_rests=int(rated),
            mean_before=before_sum / rated if rated else None,
            mean_after=after_sum / rated if rated else None,
        )
        for (kind, label), (rests, seconds, rated, before_sum, after_sum) in zip(REST_KINDS, sums, strict=True)
    )
    return rest_days, energy


#: The last moment of a day, for telling whether the clocks change on it.
_LAST_MOMENT = dt.timedelta(hours=23, minutes=59, seconds=59, microseconds=999999)
#: How a scheduled dose's log counts (anything else taken: on time).
_DOSE_KINDS: dict[str, str] = {DoseStatus.LATE: "late", DoseStatus.SKIPPED: "skipped"}


def _adherence(
    *,
    diary: Diary,
    days: tuple[dt.date, ...],
    medications: Sequence[Medication],
    logs: Iterable[tuple[int, dt.datetime | None, dt.datetime | None, str]],
    tracking_from: dt.date | None,
    now: dt.datetime,
) -> tuple[tuple[AdherenceWeek, ...], tuple[AdherenceMonth, ...], dict[dt.date, bool], dict[int, dict[str, int]]]:
    """Scheduled doses per ISO week and per month, for each day with doses due whether one was
    skipped or missed, and the counts of each medication (version) over the period.

    The slots are the medication's times on each day it was prescribed, built
    exactly as the Today screen builds them (services.local_moment). A slot with
    no log counts as missed once it is past, and only from the first day any dose
    was logged: the months before the person began logging doses are not "missed".
    ``logs`` are the period's dose logs (_dose_logs); a slot is matched to its log as a UTC moment.
    """
    zone = diary.zone
    answered: dict[tuple[int, dt.datetime], str] = {}
    per_day: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_medication: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for medication_id, scheduled_for, taken_at, status in logs:
        if scheduled_for is None:
            per_day[taken_at.astimezone(zone).date()]["extra"] += 1  # type: ignore[union-attr]
            per_medication[medication_id]["extra"] += 1
        else:
            answered[(medication_id, scheduled_for)] = status
    # Read off each medication once: a model's .pk is a property, and this runs per slot.
    schedules = [(m.pk, m.start_date, m.end_date, m.scheduled_times()) for m in medications]
    trouble: dict[dt.date, bool] = {}
    for day in days:
        counts = per_day[day]
        # On a day the clocks do not change, every slot is its wall-clock time less one offset.
        midnight = dt.datetime.combine(day, dt.time())
        offset = zone.utcoffset(midnight)
        steady = offset == zone.utcoffset(midnight + _LAST_MOMENT)
        for medication_id, start_date, end_date, times in schedules:
            if start_date > day or (end_date is not None and end_date < day):
                continue
            own = per_medication[medication_id]
            for at in times:
                if steady:
                    slot = (dt.datetime.combine(day, at) - offset).replace(tzinfo=dt.UTC)  # type: ignore[operator]
                else:
                    # services.local_moment(diary, day, at), in UTC.
                    slot = dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)
                status = answered.pop((medication_id, slot), None)
                if status is None:
                    if slot >= now or tracking_from is None or day < tracking_from:
                        continue
                    counts["missed"] += 1
                    own["missed"] += 1
                    trouble[day] = True
                    continue
                kind = _DOSE_KINDS.get(status, "on_time")
                counts[kind] += 1
                own[kind] += 1
                trouble[day] = trouble.get(day, False) or kind == "skipped"
    # Logs answering a slot the schedule no longer shows (the times were edited) still count.
    for (medication_id, slot), status in answered.items():
        day = slot.astimezone(zone).date()
        kind = _DOSE_KINDS.get(status, "on_time")
        per_day[day][kind] += 1
        per_medication[medication_id][kind] += 1
        trouble[day] = trouble.get(day, False) or kind == "skipped"
    weeks: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    months: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, counts in per_day.items():
        week, month = weeks[_week_start(day)], months[_month_start(day)]
        for kind, count in counts.items():
            week[kind] += count
            month[kind] += count

    def spans[T: AdherenceCounts](kind: type[T], by_start: Mapping[dt.date, Mapping[str, int]]) -> tuple[T, ...]:
        return tuple(
            kind(
                start=start,
                on_time=counts["on_time"],
                late=counts["late"],
                skipped=counts["skipped"],
                missed=counts["missed"],
                extra=counts["extra"],
            )
            for start, counts in sorted(by_start.items())
            if any(counts.values())
        )

    return spans(AdherenceWeek, weeks), spans(AdherenceMonth, months), trouble, per_medication


def _adherence_by_medicine(
    per_medication: Mapping[int, Mapping[str, int]],
    *,
    start: dt.date,
    medications: Sequence[Medication],
    medicines: Sequence[Medicine],
    key_of: Mapping[str, list[int]],
) -> tuple[MedicineAdherence, ...]:
    """The counts of each prescription's versions added up per medicine, by the medicine's name."""
    known = {m.key: m for m in medicines}
    key_by_pk = {pk: key for key, pks in key_of.items() for pk in pks}
    by_pk = {m.pk: m for m in medications}
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for medication_id, counts in per_medication.items():
        for kind, count in counts.items():
            totals[key_by_pk[medication_id]][kind] += count
    for key in totals:
        if key not in known:  # an extra dose of a medicine not prescribed in the period
            latest = by_pk[key_of[key][-1]]
            known[key] = Medicine(key, latest.display_name, len(latest.times))
    result = [
        MedicineAdherence(
            start=start,
            on_time=counts["on_time"],
            late=counts["late"],
            skipped=counts["skipped"],
            missed=counts["missed"],
            extra=counts["extra"],
            medicine=known[key],
        )
        for key, counts in totals.items()
        if any(counts.values())
    ]
    return tuple(sorted(result, key=lambda a: a.medicine.label.lower()))


def _treatments(*, diary: Diary, start: dt.date, end: dt.date) -> tuple[TreatmentMarker, ...]:
    labels: dict[tuple[str, str], str] = {}  # a course repeats the same few names
    markers = []
    for day, kind, other_name in (
        TreatmentSession.objects.filter(diary=diary, date__range=(start, end))
        .order_by("date", "pk")
        .values_list("date", "kind", "other_name")
    ):
        if (kind, other_name) not in labels:
            labels[(kind, other_name)] = TreatmentSession(kind=kind, other_name=other_name).display_name
        markers.append(TreatmentMarker(day, labels[(kind, other_name)]))
    return tuple(markers)


def _medication_changes(
    *, diary: Diary, medications: Sequence[Medication], start: dt.date, end: dt.date
) -> tuple[MedicationChange, ...]:
    """Prescriptions started, changed or stopped in the period, and "new or stopped medicine" events."""
    has_next = {m.previous_id for m in medications if m.previous_id is not None}
    by_pk = {m.pk: m for m in medications}
    changes: list[MedicationChange] = []
    for medication in medications:
        if start <= medication.start_date <= end:
            previous = by_pk.get(medication.previous_id) if medication.previous_id is not None else None
            if previous is None:
                change = "changed" if medication.previous_id is not None else "started"
                changes.append(
                    MedicationChange(medication.start_date, change, medication.display_name, "", dose_text(medication))
                )
            else:
                old, new = dose_text(previous), dose_text(medication)
                if old == new:  # only the times of day changed, or nothing about the dose
                    old, new = dose_text(previous, with_times=True), dose_text(medication, with_times=True)
                    if old == new:
                        old = new = ""
                changes.append(MedicationChange(medication.start_date, "changed", medication.display_name, old, new))
        if medication.end_date is not None and start <= medication.end_date <= end and medication.pk not in has_next:
            changes.append(
                MedicationChange(medication.end_date, "stopped", medication.display_name, dose_text(medication))
            )
    events = Event.objects.filter(
        diary=diary,
        kind=EventKind.MEDICINE_CHANGE,
        occurred_at__gte=local_moment(diary, start, dt.time.min),
        occurred_at__lt=local_moment(diary, end + dt.timedelta(days=1), dt.time.min),
    ).values_list("occurred_at", "medicine_name", "medicine_started")
    for occurred_at, name, started in events:
        change = "stopped" if started is False else "started"
        changes.append(MedicationChange(diary.local(occurred_at).date(), change, name or gettext("a medicine")))
    return tuple(sorted(changes, key=lambda c: (c.day, c.label)))


def _span_columns(
    *,
    days: tuple[dt.date, ...],
    entries: Mapping[dt.date, object],
    items: Mapping[str, ItemSeries],
    rest_days: Sequence[RestDay],
) -> dict[str, list[Any]]:
    """Per-day columns that weeks and months are cut from, worked out once for both."""
    columns: dict[str, list[Any]] = {
        "logged": [day in entries for day in days],
        "rest_planned": [r.planned_minutes for r in rest_days],
        "rest_unplanned": [r.unplanned_minutes for r in rest_days],
        "rest_unmarked": [r.unmarked_minutes for r in rest_days],
        "rests": [r.count for r in rest_days],
    }
    for name in HEAT_MAP_FIELDS:
        item = items[name].item
        values = items[name].values
        # Each answer's level and whether it troubles, worked out once per answer given (a handful).
        answers = set(values) - {None}
        level: dict[int | None, int | None] = {None: None, **{v: heat_level(item, v) for v in answers}}
        troubling: dict[int | None, bool] = {None: False, **{v: _troubling(item, v) for v in answers}}
        columns[f"level:{name}"] = [level[v] for v in values]
        columns[f"trouble:{name}"] = [troubling[v] for v in values]
    return columns


def _rated[V](values: Sequence[V | None]) -> Sequence[V]:
    """The values that are there (a week rated every day needs no sifting)."""
    return values if None not in values else [v for v in values if v is not None]  # type: ignore[return-value]


def _medians_by_span(values: Sequence[float | None], bounds: Iterable[tuple[int, int]]) -> list[float | None]:
    """median() of ``values[first:last + 1]`` for each span, in one loop: there are thousands of them."""
    result: list[float | None] = []
    for first, last in bounds:
        chunk = values[first : last + 1]
        ordered = sorted(chunk if None not in chunk else [v for v in chunk if v is not None])  # type: ignore[type-var]
        count = len(ordered)
        middle = count // 2
        if not count:
            result.append(None)
        elif count % 2:
            result.append(float(ordered[middle]))  # type: ignore[arg-type]
        else:
            result.append((ordered[middle - 1] + ordered[middle]) / 2)  # type: ignore[operator]
    return result


def _spans[T: SpanSummary](
    kind: type[T],
    span_start: Callable[[dt.date], dt.date],
    *,
    days: tuple[dt.date, ...],
    items: Mapping[str, ItemSeries],
    columns: Mapping[str, list[Any]],
    with_heat: bool = True,
) -> tuple[T, ...]:
    """The period cut into weeks or months (``span_start`` gives the first day of a day's span).

    ``with_heat``: also the heat-map items' counts (the heat map has a column per week, not per month).
    """
    by_start: dict[dt.date, list[int]] = {}
    for index, day in enumerate(days):
        by_start.setdefault(span_start(day), [index, index])[1] = index
    bounds = [(first, last) for first, last in by_start.values()]
    no_values: list[float | None] = [None] * len(bounds)
    medians = {
        name: _medians_by_span(series.values, bounds) if series.rated_days else no_values
        for name, series in items.items()
    }
    # Per heat-map item: its daily values, whether each day troubled, and its medians per span.
    heat_columns = (
        [
            (name, items[name].values, columns[f"trouble:{name}"], _medians_by_span(columns[f"level:{name}"], bounds))
            for name in HEAT_MAP_FIELDS
        ]
        if with_heat
        else []
    )
    spans = []
    for index, (first, last) in enumerate(bounds):
        cut = slice(first, last + 1)
        heat = {
            name: HeatSpan(rated_days=len(_rated(values[cut])), trouble_days=sum(trouble[cut]), level=levels[index])
            for name, values, trouble, levels in heat_columns
        }
        spans.append(
            kind(
                start=days[first],
                end=days[last],
                days_logged=sum(columns["logged"][cut]),
                medians={name: values[index] for name, values in medians.items()},
                rest_minutes_planned=sum(columns["rest_planned"][cut]),
                rest_minutes_unplanned=sum(columns["rest_unplanned"][cut]),
                rest_minutes_unmarked=sum(columns["rest_unmarked"][cut]),
                rests=sum(columns["rests"][cut]),
                heat=heat,
            )
        )
    return tuple(spans)


def _observations(
    *,
    days: tuple[dt.date, ...],
    entries: Mapping[dt.date, Ratings],
    dose_trouble: Mapping[dt.date, bool],
) -> tuple[Observation, ...]:
    """Comparisons of days with and without a condition, shown only with enough days on each side."""
    at = _RATING_INDEX

    def condition(key: str, day: dt.date, row: Ratings) -> bool | None:
        if key == "heat":
            return row[at["hot_environment"]] == 1
        if key == "illness":
            return row[at["illness_fever"]] == 1
        if key == "poor_sleep":
            sleep = row[at["sleep_quality"]]
            return None if sleep is None else sleep <= POOR_SLEEP_SCORE
        return dose_trouble.get(day)

    logged = [(day, row) for day in days if (row := entries.get(day)) is not None]
    # Each condition once per logged day (None: unknown that day), for all the outcomes compared with it.
    conditions = {key: [condition(key, day, row) for day, row in logged] for key in dict(OBSERVATION_PAIRS)}
    found = []
    for key, outcome in OBSERVATION_PAIRS:
        with_values: list[int] = []
        without_values: list[int] = []
        for (_day, row), present in zip(logged, conditions[key], strict=True):
            value = row[at[outcome]]
            if value is None or present is None:
                continue
            (with_values if present else without_values).append(value)
        if len(with_values) >= MIN_PER_BIN and len(without_values) >= MIN_PER_BIN:
            found.append(
                Observation(
                    condition=key,
                    outcome=outcome,
                    days_with=len(with_values),
                    mean_with=sum(with_values) / len(with_values),
                    days_without=len(without_values),
                    mean_without=sum(without_values) / len(without_values),
                )
            )
    return tuple(found)


# --- tips ------------------------------------------------------------------------------


def _tip_worst_time(code: int | None) -> str | None:
    """The diary's worst-time answer (1 = morning ... 4 = evening) as selection's key."""
    if code is None or not 1 <= code <= len(selection.WORST_TIME_KEYS):
        return None
    return selection.WORST_TIME_KEYS[code - 1]


def _tip_quick_checks(diary: Diary, today: dt.date) -> list[QuickCheckPoint]:
    """The quick checks of the comparison window, with their local date and clock hour."""
    since = local_moment(diary, today - dt.timedelta(days=selection.QUICK_CHECK_WINDOW_DAYS - 1), dt.time.min)
    until = local_moment(diary, today + dt.timedelta(days=1), dt.time.min)
    points = []
    for taken_at, strength, fatigue in QuickCheck.objects.filter(
        diary=diary, taken_at__gte=since, taken_at__lt=until
    ).values_list("taken_at", "strength", "fatigue"):
        local = diary.local(taken_at)
        points.append(
            QuickCheckPoint(day=local.date(), hour=local.hour, strength=strength, fatigue=fatigue, at=taken_at)
        )
    return points


def _tip_dose_times(diary: Diary, today: dt.date) -> list[dt.datetime]:
    """When doses were taken of medicines scheduled twice a day or more, over the quick checks' window."""
    since = local_moment(diary, today - dt.timedelta(days=selection.QUICK_CHECK_WINDOW_DAYS), dt.time.min)
    until = local_moment(diary, today + dt.timedelta(days=1), dt.time.min)
    return [
        taken_at
        for taken_at, times in DoseLog.objects.taken()
        .filter(diary=diary, taken_at__gte=since, taken_at__lt=until)
        .values_list("taken_at", "medication__times")
        if len(times or ()) >= 2
    ]


def tip_signals(*, diary: Diary, today: dt.date) -> Signals:
    """The recent signals tip selection reads (education.selection), in six queries."""
    oldest = today - dt.timedelta(
        days=max(
            selection.WINDOW_DAYS,
            selection.FATIGUE_MAX_AGE_DAYS,
            selection.EVENT_WINDOW_DAYS,
            selection.HEAT_WINDOW_DAYS,
        )
        - 1
    )
    rows = DayEntry.objects.filter(diary=diary, date__range=(oldest, today)).values("date", *scales.ITEM_FIELDS)

    def flag(value: int | None) -> bool | None:
        return None if value is None else value == 1

    days = [
        DaySummary(
            day=row["date"],
            fatigue=row["fatigue"],
            worst_time=_tip_worst_time(row["fatigue_worst_time"]),
            hips_thighs=row["weakness_hips"],
            shoulders_arms=row["weakness_shoulders"],
            stairs=row["stairs"],
            chair_rise=row["chair_rise"],
            lifting=row["lifting"],
            chewing=row["chewing"],
            swallowing=row["swallowing"],
            dizziness=row["dizziness_standing"],
            dry_mouth=row["dry_mouth"],
            dry_eyes=row["dry_eyes"],
            bowel_movement=flag(row["bowel_movement"]),
            straining=flag(row["straining"]),
            sleep_quality=row["sleep_quality"],
            hot=flag(row["hot_environment"]),
            illness=flag(row["illness_fever"]),
        )
        for row in rows
    ]
    events_from = local_moment(diary, today - dt.timedelta(days=selection.FALLS_WINDOW_DAYS - 1), dt.time.min)
    events_until = local_moment(diary, today + dt.timedelta(days=selection.PROCEDURE_AHEAD_DAYS + 1), dt.time.min)
    dates: dict[str, list[dt.date]] = defaultdict(list)
    #: A medicine added, by lower-case name: logged as an event and entered as a prescription counts once.
    added: dict[str, dt.date] = {}
    for kind, occurred_at, started, name in Event.objects.filter(
        diary=diary,
        kind__in=(
            EventKind.FALL,
            EventKind.NEAR_FALL,
            EventKind.INFECTION,
            EventKind.MEDICINE_CHANGE,
            EventKind.PROCEDURE,
        ),
        occurred_at__gte=events_from,
        occurred_at__lt=events_until,
    ).values_list("kind", "occurred_at", "medicine_started", "medicine_name"):
        day = diary.local(occurred_at).date()
        if kind == EventKind.MEDICINE_CHANGE:
            if started is not False:  # a stopped medicine is not a new one
                added.setdefault(name.strip().lower() or f"event {len(added)}", day)
            continue
        key = EventKind.FALL if kind == EventKind.NEAR_FALL else kind
        dates[key].append(day)
    # A prescription entered for the first time (a changed dose is a new version, not a new medicine).
    for kind, name, start_date in Medication.objects.filter(
        diary=diary,
        previous__isnull=True,
        start_date__range=(today - dt.timedelta(days=selection.EVENT_WINDOW_DAYS - 1), today),
    ).values_list("kind", "name", "start_date"):
        added.setdefault((name.strip() or kind).lower(), start_date)
    rests_from = local_moment(diary, today - dt.timedelta(days=selection.WINDOW_DAYS - 1), dt.time.min)
    rests_until = local_moment(diary, today + dt.timedelta(days=1), dt.time.min)
    unplanned = [
        diary.local(started_at).date()
        for started_at in RestPeriod.objects.filter(
            diary=diary, planned=False, started_at__gte=rests_from, started_at__lt=rests_until
        ).values_list("started_at", flat=True)
    ]
    return selection.build_signals(
        days,
        today=today,
        quick_checks=_tip_quick_checks(diary, today),
        dose_times=_tip_dose_times(diary, today),
        fall_dates=dates[EventKind.FALL],
        infection_dates=dates[EventKind.INFECTION],
        new_medicine_dates=list(added.values()),
        procedure_dates=dates[EventKind.PROCEDURE],
        unplanned_rest_dates=unplanned,
    )


# --- the first and last days of a period compared (Trends and the clinic report alike) ---

#: The first this many days of a period are set against its last.
EDGE_DAYS = 14


def change_between(item: scales.Item, first: float | None, last: float | None) -> str | None:
    """ "worse", "better" or "same" (about the same) from one median to another, by the item's own direction.

    Only a difference of at least the scale's meaningful change counts (scales.Scale.meaningful_change);
    None when either side is unrated.
    """
    if first is None or last is None:
        return None
    if abs(last - first) < item.scale.meaningful_change:
        return "same"
    went_up = last > first
    return "worse" if went_up == item.higher_is_worse else "better"


@dataclass(frozen=True)
class EdgeComparison:
    """An item's median over the period's first and last ``days`` days (raw daily ratings)."""

    item: scales.Item
    first: float | None
    last: float | None
    #: The days rated on each side.
    first_days: int = 0
    last_days: int = 0

    @property
    def enough_days(self) -> bool:
        return self.first_days >= MIN_PER_BIN and self.last_days >= MIN_PER_BIN

    @property
    def change(self) -> str | None:
        """ "worse", "better", "same" (about the same), "few" (not enough days rated on a side to
        compare), or None when either side is unrated."""
        if self.first is None or self.last is None:
            return None
        if not self.enough_days:
            return "few"
        return change_between(self.item, self.first, self.last)

    @property
    def change_text(self) -> str:
        change = self.change
        return "–" if change is None else str(CHANGE_WORDS[change])


def percent(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


def edge_comparisons(summary: PeriodSummary, *, days: int = EDGE_DAYS) -> tuple[int, dict[str, EdgeComparison]]:
    """Each item's median over the first and the last ``days`` days (fewer in a short period, never overlapping)."""
    width = min(days, summary.day_count // 2)
    result = {}
    for field, series in summary.items.items():
        head = [v for v in series.values[:width] if v is not None]
        tail = [v for v in series.values[len(series.values) - width :] if v is not None] if width else []
        result[field] = EdgeComparison(series.item, median(head), median(tail), len(head), len(tail))
    return width, result


#: How each change reads, on Trends and in the report alike.
CHANGE_WORDS: dict[str, Promise] = {
    "better": _("better"),
    "worse": _("worse"),
    "same": _("about the same"),
    "few": _("not enough data"),
}
