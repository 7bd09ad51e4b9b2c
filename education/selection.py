"""Which tips to show: a pure function of a few diary signals.

The diary app turns recent entries into a :class:`Signals` value (by hand, or
with :func:`build_signals` from plain :class:`DaySummary` and :class:`QuickCheckPoint`
records and event dates). :func:`select_tips` then picks up to three tips, each
with a reason that says exactly what was logged, with the count and the window
("fatigue 7 or more on 3 of your last 5 logged days"), never a diagnosis such as
"you logged constipation". Nothing here reads the database, the clock or the
request: the same input always gives the same tips.

Rules (docs/clinical-safety.md, section 5; each fires on its own threshold):

=====================  ========================================================  ============
rule                   fires when                                                tags
=====================  ========================================================  ============
procedure              a procedure in the next 14 days or the last 7             surgery
new_medicine           a medicine added in the last 14 days                      new_medicine
infection              an infection or fever in the last 14 days                 infection
falls                  1+ fall or near-fall in the last 30 days                  falls
high_fatigue           fatigue >= 7 on 3+ of the last 5 logged days              high_fatigue
worst_time             the same worst-time window on 4+ of the last 7 days       worst_time
                       that answered it
quick_check_hours      one clock hour of quick checks >= 2 points worse than     worst_time
                       another (strength or fatigue medians; 10+ checks in each)
dose_timing            quick checks one whole hour band after a dose >= 2        dose_timing
                       points worse than another band (10+ checks in each), for
                       medicines scheduled 2+ times a day
stairs                 stairs >= 2 (S3) on 3+ of the last 7 days                 stairs
chair_rise             chair rise >= 2 (S3) on 3+ of the last 7 days             chair_rise
lifting                lifting or reaching >= 2 (S3) on 3+ of the last 7 days    reaching
heat                   hot weather, room or bath on 2+ of the last 14 days       heat
dizziness              dizziness on standing >= 2 (F3) on 3+ of the last 7 days  dizziness
dry_mouth              dry mouth >= 2 (F3) on 3+ of the last 7 days              dry_mouth
bowels                 "no bowel movement" on 3+ of the last 7 days and "yes"    constipation
                       on fewer than 3, or straining on 3+
chewing_swallowing     chewing or swallowing >= 1 (S3) on 3+ of the last 7 days  chewing, swallowing
unplanned_rest         3+ unplanned rests in the last 7 days                     unplanned_rest
poor_sleep             sleep quality <= 3/10 on 3+ of the last 7 days            poor_sleep
=====================  ========================================================  ============

Ordering: the strongest signal comes first. Strength is the share of the days
looked at that showed the signal (3 of 7 days = 0.43); events (procedure, new
medicine, infection, fall) count as 1.0. Ties keep the table order above, so
safety-related rules win. Each rule offers one tip. Among the tips that fit a
rule, the one shown rotates by date, so the same tip does not always appear.
A tip is never shown twice, at most one tip per topic is shown, and dismissed
tips stay hidden for ``DISMISS_DAYS`` days.

Default: if no rule fires but the person logged at least one day in the
window, one gentle general tip (tag ``general``) is offered. With no diary
days and no events, nothing is selected. If rules fire but all their tips are
dismissed or their topics taken, no default is added.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from . import content
from .content import Tip

DISMISS_DAYS = 30
DEFAULT_LIMIT = 3

# Thresholds (scales as in diary/scales.py).
WINDOW_DAYS = 7  # calendar days the "*_days" counts cover
HIGH_FATIGUE_SCORE = 7  # N10 fatigue at or above this is "high"
FATIGUE_LOOKBACK_ENTRIES = 5  # look at the last N diary days that have a fatigue score ...
FATIGUE_MAX_AGE_DAYS = 14  # ... but none older than this (the worst-time answers too)
HIGH_FATIGUE_MIN_DAYS = 3
WORST_TIME_LOOKBACK_ENTRIES = 7  # the last N diary days that say when fatigue was worst
WORST_TIME_MIN_DAYS = 4
#: The worst-time answers, in the order of the diary's scale (1 = morning).
WORST_TIME_KEYS: tuple[str, ...] = ("morning", "midday", "afternoon", "evening")
QUICK_CHECK_WINDOW_DAYS = 28  # quick checks looked at for the hour-by-hour comparison
QUICK_CHECK_MIN_PER_HOUR = 10  # docs/clinical-safety.md: a statement about a bin needs 10 checks
QUICK_CHECK_MIN_GAP = 2.0  # N10 points between two hours' medians
QUICK_CHECK_STRENGTH = 0.5  # rank of the quick-check rules among the day-count rules
DOSE_BAND_MAX_HOURS = 8  # checks later than this after the last dose are left out of the bands
SYMPTOM_LEVEL = 2  # S3 or F3 at or above this counts as a symptom day
SYMPTOM_MIN_DAYS = 3
BULBAR_LEVEL = 1  # chewing or swallowing: any difficulty counts
POOR_SLEEP_SCORE = 3  # N10 sleep quality at or below this is "poor"
UNPLANNED_RESTS_MIN = 3
HEAT_WINDOW_DAYS = 14
HEAT_MIN_DAYS = 2
BOWEL_MIN_DAYS = 3  # "no bowel movement" or straining on this many days ...
BOWEL_REGULAR_DAYS = 3  # ... unless a movement was logged on this many days
FALLS_WINDOW_DAYS = 30
EVENT_WINDOW_DAYS = 14  # infection, a medicine added
PROCEDURE_AHEAD_DAYS = 14  # an upcoming procedure ...
PROCEDURE_AFTER_DAYS = 7  # ... or one this many days ago at most


@dataclass(frozen=True)
class BinGap:
    """Two bins of quick checks (a clock hour, or whole hours since a dose) whose medians differ.

    ``worse`` and ``better`` are the bins' start hours; ``gap`` is in N10 points;
    ``measure`` is "strength" (lower is worse) or "fatigue" (higher is worse).
    """

    worse: int
    better: int
    gap: float
    worse_count: int
    better_count: int
    measure: str


@dataclass(frozen=True)
class Signals:
    """What the diary shows lately. Every field defaults to "nothing seen".

    Day counts cover the last ``window_days`` calendar days (today included)
    unless their comment says otherwise.
    """

    window_days: int = WINDOW_DAYS
    #: Days in the window with a daily entry.
    days_logged_recent: int = 0
    #: How many recent diary days were looked at for fatigue (at most 5,
    #: none older than 14 days) ...
    fatigue_days_checked: int = 0
    #: ... and on how many of them fatigue was 7 or more out of 10.
    high_fatigue_days: int = 0
    #: The last (up to 7) diary days that said when fatigue was worst, none older
    #: than 14 days; the most frequent answer ("afternoon") and on how many of them.
    worst_time_days_checked: int = 0
    worst_time: str = ""
    worst_time_days: int = 0
    #: Quick checks of the last 28 days by clock hour (0-23), and by whole hours
    #: since the last dose of a medicine taken 2+ times a day: the two bins whose
    #: medians differ by 2+ points with 10+ checks each, or None.
    hour_gap: BinGap | None = None
    dose_gap: BinGap | None = None
    #: Days with stairs, chair rise, lifting or reaching 2 or more (S3: extra effort or help).
    stairs_days: int = 0
    chair_rise_days: int = 0
    lifting_days: int = 0
    #: Days marked "hot weather, a hot room or a hot bath" in the last 14 days.
    hot_days: int = 0
    #: Days with dizziness on standing 2 or more (F3: repeatedly or for hours).
    dizziness_days: int = 0
    #: Days with dry mouth 2 or more (F3).
    dry_mouth_days: int = 0
    #: Days answered "no bowel movement", "yes", and "straining".
    no_bowel_movement_days: int = 0
    bowel_movement_days: int = 0
    straining_days: int = 0
    #: Days with chewing or swallowing 1 or more (S3: any difficulty).
    chewing_or_swallowing_days: int = 0
    #: Unplanned rests logged in the window.
    unplanned_rests_recent: int = 0
    #: Days with sleep quality 3 or less out of 10.
    poor_sleep_days: int = 0
    #: Falls or near-falls in the last 30 days.
    falls_recent: int = 0
    #: An infection or fever in the last 14 days (event or daily "illness").
    infection_recent: bool = False
    #: Medicines added in the last 14 days.
    new_medicines_recent: int = 0
    #: Days from today to the nearest procedure within the window: 3 = in three
    #: days, 0 = today, -2 = two days ago. None when there is none.
    procedure_in_days: int | None = None

    @property
    def procedure_upcoming_or_recent(self) -> bool:
        return self.procedure_in_days is not None and -PROCEDURE_AFTER_DAYS <= self.procedure_in_days <= (
            PROCEDURE_AHEAD_DAYS
        )

    @property
    def bowel_days(self) -> int:
        """The count the bowel rule reports: days without a movement, else days with straining."""
        if self.no_bowel_movement_days >= BOWEL_MIN_DAYS and self.bowel_movement_days < BOWEL_REGULAR_DAYS:
            return self.no_bowel_movement_days
        return self.straining_days if self.straining_days >= BOWEL_MIN_DAYS else 0

    @property
    def has_any_data(self) -> bool:
        return bool(
            self.days_logged_recent
            or self.falls_recent
            or self.infection_recent
            or self.new_medicines_recent
            or self.procedure_upcoming_or_recent
            or self.hour_gap is not None
            or self.dose_gap is not None
        )


@dataclass(frozen=True)
class ChosenTip:
    tip: Tip
    reason: str  # translated, e.g. "Because your fatigue was 7 or more out of 10 on 3 of your last 5 logged days."
    rule: str  # the rule key, e.g. "high_fatigue", or "general"


# --- rules -----------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    key: str
    tags: tuple[str, ...]
    strength: Callable[[Signals], float]  # 0 means "did not fire"
    reason: Callable[[Signals], str]


def _share(count: int, total: int, minimum: int) -> float:
    if count < minimum or total <= 0:
        return 0.0
    return min(1.0, count / total)


def _day_rule(
    key: str,
    tags: tuple[str, ...],
    field: str,
    minimum: int,
    reason: Callable[[Signals, dict[str, int]], str],
) -> Rule:
    """A rule that fires when ``field`` (a day count in the 7-day window) reaches ``minimum``.

    ``reason`` gets the signals and {"count": days, "total": window_days}; it
    must call ngettext with literal strings so makemessages can find them.
    """
    return Rule(
        key=key,
        tags=tags,
        strength=lambda s: _share(getattr(s, field), s.window_days, minimum),
        reason=lambda s: reason(s, {"count": getattr(s, field), "total": s.window_days}),
    )


def _procedure_reason(s: Signals) -> str:
    days = s.procedure_in_days or 0
    if days > 0:
        return ngettext(
            "Because you logged a procedure in %(days)d day.",
            "Because you logged a procedure in %(days)d days.",
            days,
        ) % {"days": days}
    if days == 0:
        return gettext("Because you logged a procedure for today.")
    return ngettext(
        "Because you logged a procedure %(days)d day ago.",
        "Because you logged a procedure %(days)d days ago.",
        -days,
    ) % {"days": -days}


def _worst_time_label(key: str) -> str:
    labels = {
        "morning": gettext("morning"),
        "midday": gettext("midday"),
        "afternoon": gettext("afternoon"),
        "evening": gettext("evening"),
    }
    return labels.get(key, key)


def _gap_values(gap: BinGap) -> dict[str, object]:
    return {
        "worse": gap.worse,
        "worse_end": gap.worse + 1,
        "better": gap.better,
        "better_end": gap.better + 1,
        "gap": f"{gap.gap:g}",
        "worse_count": gap.worse_count,
        "better_count": gap.better_count,
    }


def _hour_reason(s: Signals) -> str:
    assert s.hour_gap is not None
    values = _gap_values(s.hour_gap) | {
        "worse": f"{s.hour_gap.worse:02d}:00",
        "better": f"{s.hour_gap.better:02d}:00",
    }
    if s.hour_gap.measure == "fatigue":
        return (
            gettext(
                "Because your quick checks in the hour from %(worse)s showed fatigue %(gap)s points higher than "
                "in the hour from %(better)s (medians of %(worse_count)d and %(better_count)d checks)."
            )
            % values
        )
    return (
        gettext(
            "Because your quick checks in the hour from %(worse)s showed leg strength %(gap)s points lower than "
            "in the hour from %(better)s (medians of %(worse_count)d and %(better_count)d checks)."
        )
        % values
    )


def _dose_reason(s: Signals) -> str:
    assert s.dose_gap is not None
    values = _gap_values(s.dose_gap)
    if s.dose_gap.measure == "fatigue":
        return (
            gettext(
                "Because your quick checks showed fatigue %(gap)s points higher %(worse)d–%(worse_end)d hours "
                "after a dose than %(better)d–%(better_end)d hours after (medians of %(worse_count)d and "
                "%(better_count)d checks)."
            )
            % values
        )
    return (
        gettext(
            "Because your quick checks showed leg strength %(gap)s points lower %(worse)d–%(worse_end)d hours "
            "after a dose than %(better)d–%(better_end)d hours after (medians of %(worse_count)d and "
            "%(better_count)d checks)."
        )
        % values
    )


def _bowel_reason(s: Signals) -> str:
    values = {"count": s.bowel_days, "total": s.window_days}
    if s.bowel_days == s.no_bowel_movement_days and s.bowel_movement_days < BOWEL_REGULAR_DAYS:
        return (
            ngettext(
                "Because there was no bowel movement on %(count)d of the last %(total)d day.",
                "Because there was no bowel movement on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % values
        )
    return (
        ngettext(
            "Because you noted straining on %(count)d of the last %(total)d day.",
            "Because you noted straining on %(count)d of the last %(total)d days.",
            s.window_days,
        )
        % values
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "procedure",
        ("surgery",),
        lambda s: 1.0 if s.procedure_upcoming_or_recent else 0.0,
        _procedure_reason,
    ),
    Rule(
        "new_medicine",
        ("new_medicine",),
        lambda s: 1.0 if s.new_medicines_recent else 0.0,
        lambda s: (
            ngettext(
                "Because you added %(count)d medicine in the last %(total)d days.",
                "Because you added %(count)d medicines in the last %(total)d days.",
                s.new_medicines_recent,
            )
            % {"count": s.new_medicines_recent, "total": EVENT_WINDOW_DAYS}
        ),
    ),
    Rule(
        "infection",
        ("infection",),
        lambda s: 1.0 if s.infection_recent else 0.0,
        lambda s: (
            gettext("Because you logged an infection or fever in the last %(total)d days.")
            % {"total": EVENT_WINDOW_DAYS}
        ),
    ),
    Rule(
        "falls",
        ("falls",),
        lambda s: 1.0 if s.falls_recent >= 1 else 0.0,
        lambda s: (
            ngettext(
                "Because you logged %(count)d fall or near-fall in the last %(total)d days.",
                "Because you logged %(count)d falls or near-falls in the last %(total)d days.",
                s.falls_recent,
            )
            % {"count": s.falls_recent, "total": FALLS_WINDOW_DAYS}
        ),
    ),
    Rule(
        "high_fatigue",
        ("high_fatigue",),
        lambda s: _share(s.high_fatigue_days, s.fatigue_days_checked, HIGH_FATIGUE_MIN_DAYS),
        lambda s: (
            ngettext(
                "Because your fatigue was 7 or more out of 10 on %(count)d of your last %(total)d logged day.",
                "Because your fatigue was 7 or more out of 10 on %(count)d of your last %(total)d logged days.",
                s.fatigue_days_checked,
            )
            % {"count": s.high_fatigue_days, "total": s.fatigue_days_checked}
        ),
    ),
    Rule(
        "worst_time",
        ("worst_time",),
        lambda s: _share(s.worst_time_days, s.worst_time_days_checked, WORST_TIME_MIN_DAYS) if s.worst_time else 0.0,
        lambda s: (
            ngettext(
                "Because '%(window)s' was your worst time for fatigue on %(count)d of your last %(total)d logged day.",
                "Because '%(window)s' was your worst time for fatigue on %(count)d of your last %(total)d logged days.",
                s.worst_time_days_checked,
            )
            % {
                "window": _worst_time_label(s.worst_time),
                "count": s.worst_time_days,
                "total": s.worst_time_days_checked,
            }
        ),
    ),
    Rule(
        "quick_check_hours",
        ("worst_time",),
        lambda s: QUICK_CHECK_STRENGTH if s.hour_gap is not None else 0.0,
        _hour_reason,
    ),
    Rule(
        "dose_timing",
        ("dose_timing",),
        lambda s: QUICK_CHECK_STRENGTH if s.dose_gap is not None else 0.0,
        _dose_reason,
    ),
    _day_rule(
        "chewing_swallowing",
        ("chewing", "swallowing"),
        "chewing_or_swallowing_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because chewing or swallowing was harder than normal on %(count)d of the last %(total)d day.",
                "Because chewing or swallowing was harder than normal on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    _day_rule(
        "dizziness",
        ("dizziness",),
        "dizziness_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because you felt dizzy on standing repeatedly or for hours on %(count)d of the last %(total)d day.",
                "Because you felt dizzy on standing repeatedly or for hours on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    _day_rule(
        "stairs",
        ("stairs",),
        "stairs_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because stairs needed extra effort or help on %(count)d of the last %(total)d day.",
                "Because stairs needed extra effort or help on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    _day_rule(
        "chair_rise",
        ("chair_rise",),
        "chair_rise_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because getting up from a chair needed extra effort or help on %(count)d of the last %(total)d day.",
                "Because getting up from a chair needed extra effort or help on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    _day_rule(
        "lifting",
        ("reaching",),
        "lifting_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because lifting or reaching needed extra effort or help on %(count)d of the last %(total)d day.",
                "Because lifting or reaching needed extra effort or help on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    Rule(
        "heat",
        ("heat",),
        lambda s: _share(s.hot_days, HEAT_WINDOW_DAYS, HEAT_MIN_DAYS),
        lambda s: (
            ngettext(
                "Because you marked hot weather, a hot room or a hot bath on %(count)d of the last %(total)d day.",
                "Because you marked hot weather, a hot room or a hot bath on %(count)d of the last %(total)d days.",
                HEAT_WINDOW_DAYS,
            )
            % {"count": s.hot_days, "total": HEAT_WINDOW_DAYS}
        ),
    ),
    _day_rule(
        "dry_mouth",
        ("dry_mouth",),
        "dry_mouth_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because your mouth was dry repeatedly or for hours on %(count)d of the last %(total)d day.",
                "Because your mouth was dry repeatedly or for hours on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    Rule(
        "bowels",
        ("constipation",),
        lambda s: _share(s.bowel_days, s.window_days, BOWEL_MIN_DAYS),
        _bowel_reason,
    ),
    Rule(
        "unplanned_rest",
        ("unplanned_rest",),
        lambda s: _share(s.unplanned_rests_recent, s.window_days, UNPLANNED_RESTS_MIN),
        lambda s: (
            ngettext(
                "Because you logged %(count)d rest you had not planned in the last %(total)d days.",
                "Because you logged %(count)d rests you had not planned in the last %(total)d days.",
                s.unplanned_rests_recent,
            )
            % {"count": s.unplanned_rests_recent, "total": s.window_days}
        ),
    ),
    _day_rule(
        "poor_sleep",
        ("poor_sleep",),
        "poor_sleep_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because you rated your sleep 3 or less out of 10 on %(count)d of the last %(total)d day.",
                "Because you rated your sleep 3 or less out of 10 on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
)

GENERAL_TAG = "general"
# --- dismissal -------------------------------------------------------------


def dismissed_until(dismissed_on: dt.date) -> dt.date:
    """The first day a tip dismissed on ``dismissed_on`` may be shown again."""
    return dismissed_on + dt.timedelta(days=DISMISS_DAYS)


def is_dismissed(
    tip_id: str,
    dismissed: Mapping[str, dt.date] | AbstractSet[str] | None,
    today: dt.date,
) -> bool:
    """True while a dismissal is in force.

    ``dismissed`` maps tip id -> the date it was dismissed (hidden until
    ``DISMISS_DAYS`` days later), or is a plain set of ids that are hidden
    now (the caller has already applied the time limit).
    """
    if not dismissed:
        return False
    if isinstance(dismissed, Mapping):
        when = dismissed.get(tip_id)
        return when is not None and today < dismissed_until(when)
    return tip_id in dismissed


# --- selection -------------------------------------------------------------


def fired_rules(signals: Signals) -> list[tuple[Rule, float]]:
    """The rules that fire, strongest first (ties keep the RULES order)."""
    fired = [(index, rule, rule.strength(signals)) for index, rule in enumerate(RULES)]
    fired = [f for f in fired if f[2] > 0]
    fired.sort(key=lambda f: (-f[2], f[0]))
    return [(rule, strength) for _, rule, strength in fired]


def select_tips(
    signals: Signals,
    *,
    dismissed: Mapping[str, dt.date] | AbstractSet[str] | None = None,
    today: dt.date,
    limit: int = DEFAULT_LIMIT,
    tips: Sequence[Tip] | None = None,
) -> list[ChosenTip]:
    """Up to ``limit`` tips for these signals, most relevant first.

    ``tips`` defaults to every tip in the content folder (tests may pass their own).
    """
    pool = tuple(content.all_tips() if tips is None else tips)
    chosen: list[ChosenTip] = []
    used_topics: set[str] = set()
    used_ids: set[str] = set()

    def pick(tags: Iterable[str]) -> Tip | None:
        wanted = set(tags)
        eligible = [
            t
            for t in pool
            if wanted.intersection(t.tags)
            and t.id not in used_ids
            and t.topic not in used_topics
            and not is_dismissed(t.id, dismissed, today)
        ]
        if not eligible:
            return None
        eligible.sort(key=lambda t: t.number)
        return eligible[today.toordinal() % len(eligible)]

    def add(found: Tip, reason: str, rule: str) -> None:
        chosen.append(ChosenTip(tip=found, reason=reason, rule=rule))
        used_ids.add(found.id)
        used_topics.add(found.topic)

    if limit <= 0:
        return chosen
    fired = fired_rules(signals)
    for rule, _strength in fired:
        found = pick(rule.tags)
        if found is not None:
            add(found, rule.reason(signals), rule.key)
            if len(chosen) >= limit:
                return chosen
    # The gentle default only when nothing stands out (not when the tips
    # for a pattern were all dismissed: "no strong pattern" would be untrue).
    if not fired and signals.has_any_data:
        found = pick((GENERAL_TAG,))
        if found is not None:
            add(
                found,
                gettext("A general tip, as your diary shows no strong pattern just now."),
                GENERAL_TAG,
            )
    return chosen


# --- building signals from plain records -----------------------------------


@dataclass(frozen=True)
class DaySummary:
    """One diary day, reduced to what tip selection needs. None = not answered."""

    day: dt.date
    fatigue: int | None = None  # N10
    worst_time: str | None = None  # one of WORST_TIME_KEYS
    hips_thighs: int | None = None  # S3
    shoulders_arms: int | None = None  # S3
    stairs: int | None = None  # S3
    chair_rise: int | None = None  # S3
    lifting: int | None = None  # S3, lifting or reaching
    chewing: int | None = None  # S3
    swallowing: int | None = None  # S3
    dizziness: int | None = None  # F3, on standing
    dry_mouth: int | None = None  # F3
    dry_eyes: int | None = None  # F3 (no tip: no sourced self-care advice was found)
    bowel_movement: bool | None = None
    straining: bool | None = None
    sleep_quality: int | None = None  # N10, 10 = best
    hot: bool | None = None  # hot environment or hot bath
    illness: bool | None = None  # illness or fever


@dataclass(frozen=True)
class QuickCheckPoint:
    """One quick check: its local date and clock hour, leg strength and fatigue (N10; None = not rated).

    ``at`` (any time zone, the same as the dose times) places it after a dose; None leaves it
    out of the dose-timing comparison.
    """

    day: dt.date
    hour: int
    strength: int | None = None
    fatigue: int | None = None
    at: dt.datetime | None = None


def _at_least(value: int | None, level: int) -> bool:
    return value is not None and value >= level


def _widest_gap(binned: Sequence[tuple[int, QuickCheckPoint]]) -> BinGap | None:
    """The two bins whose medians differ most, if by QUICK_CHECK_MIN_GAP or more, with 10+ checks each.

    Leg strength is looked at first; fatigue wins only with a wider gap.
    """
    best: BinGap | None = None
    for measure, higher_is_worse in (("strength", False), ("fatigue", True)):
        by_bin: dict[int, list[int]] = defaultdict(list)
        for key, check in binned:
            value = getattr(check, measure)
            if value is not None:
                by_bin[key].append(value)
        medians = {
            key: (statistics.median(values), len(values))
            for key, values in by_bin.items()
            if len(values) >= QUICK_CHECK_MIN_PER_HOUR
        }
        if len(medians) < 2:
            continue
        ordered = sorted(medians, key=lambda key: (medians[key][0], key))
        low, high = ordered[0], ordered[-1]
        worse, better = (high, low) if higher_is_worse else (low, high)
        gap = float(medians[high][0] - medians[low][0])
        if gap >= QUICK_CHECK_MIN_GAP and (best is None or gap > best.gap):
            best = BinGap(worse, better, gap, medians[worse][1], medians[better][1], measure)
    return best


def _hours_since_dose(
    checks: Sequence[QuickCheckPoint], dose_times: Sequence[dt.datetime]
) -> list[tuple[int, QuickCheckPoint]]:
    """Each check with a time, binned by whole hours since the latest dose before it (up to DOSE_BAND_MAX_HOURS)."""
    doses = sorted(dose_times)
    binned = []
    for check in checks:
        if check.at is None:
            continue
        index = bisect.bisect_right(doses, check.at)
        if index == 0:
            continue
        hours = (check.at - doses[index - 1]).total_seconds() / 3600
        if hours < DOSE_BAND_MAX_HOURS:
            binned.append((int(hours), check))
    return binned


def build_signals(
    days: Iterable[DaySummary],
    *,
    today: dt.date,
    window_days: int = WINDOW_DAYS,
    quick_checks: Iterable[QuickCheckPoint] = (),
    dose_times: Iterable[dt.datetime] = (),
    fall_dates: Iterable[dt.date] = (),
    infection_dates: Iterable[dt.date] = (),
    new_medicine_dates: Iterable[dt.date] = (),
    procedure_dates: Iterable[dt.date] = (),
    unplanned_rest_dates: Iterable[dt.date] = (),
) -> Signals:
    """Turn diary days, quick checks and event dates into :class:`Signals` (thresholds above).

    ``days`` may be in any order; if a date appears twice, the last one wins.
    ``new_medicine_dates`` has one date per medicine added, ``unplanned_rest_dates``
    one per unplanned rest; ``procedure_dates`` may lie in the future. ``dose_times``
    are the times doses were taken of medicines scheduled 2+ times a day.
    """

    def age(day: dt.date) -> int:
        return (today - day).days

    def in_window(day: dt.date) -> bool:
        return 0 <= age(day) < window_days

    by_day = {d.day: d for d in days}
    recent = [d for day, d in sorted(by_day.items()) if in_window(day)]
    newest_first = [d for day, d in sorted(by_day.items(), reverse=True) if 0 <= age(day) < FATIGUE_MAX_AGE_DAYS]

    fatigue_days = [d for d in newest_first if d.fatigue is not None][:FATIGUE_LOOKBACK_ENTRIES]
    worst_times = [d.worst_time for d in newest_first if d.worst_time][:WORST_TIME_LOOKBACK_ENTRIES]
    # The most frequent answer; a tie goes to the earlier window of the day, so the choice is stable.
    counted = Counter(worst_times)
    worst_time, worst_time_days = min(
        counted.items(), key=lambda item: (-item[1], WORST_TIME_KEYS.index(item[0])), default=("", 0)
    )

    def count(test: Callable[[DaySummary], bool]) -> int:
        return sum(1 for d in recent if test(d))

    checks = [c for c in quick_checks if 0 <= age(c.day) < QUICK_CHECK_WINDOW_DAYS]
    procedure_offsets = [
        -age(day) for day in procedure_dates if -PROCEDURE_AHEAD_DAYS <= age(day) <= PROCEDURE_AFTER_DAYS
    ]

    return Signals(
        window_days=window_days,
        days_logged_recent=len(recent),
        fatigue_days_checked=len(fatigue_days),
        high_fatigue_days=sum(1 for d in fatigue_days if _at_least(d.fatigue, HIGH_FATIGUE_SCORE)),
        worst_time_days_checked=len(worst_times),
        worst_time=worst_time,
        worst_time_days=worst_time_days,
        hour_gap=_widest_gap([(c.hour, c) for c in checks]),
        dose_gap=_widest_gap(_hours_since_dose(checks, list(dose_times))),
        stairs_days=count(lambda d: _at_least(d.stairs, SYMPTOM_LEVEL)),
        chair_rise_days=count(lambda d: _at_least(d.chair_rise, SYMPTOM_LEVEL)),
        lifting_days=count(lambda d: _at_least(d.lifting, SYMPTOM_LEVEL)),
        hot_days=sum(1 for d in by_day.values() if d.hot and 0 <= age(d.day) < HEAT_WINDOW_DAYS),
        dizziness_days=count(lambda d: _at_least(d.dizziness, SYMPTOM_LEVEL)),
        dry_mouth_days=count(lambda d: _at_least(d.dry_mouth, SYMPTOM_LEVEL)),
        no_bowel_movement_days=count(lambda d: d.bowel_movement is False),
        bowel_movement_days=count(lambda d: d.bowel_movement is True),
        straining_days=count(lambda d: d.straining is True),
        chewing_or_swallowing_days=count(
            lambda d: _at_least(d.chewing, BULBAR_LEVEL) or _at_least(d.swallowing, BULBAR_LEVEL)
        ),
        unplanned_rests_recent=sum(1 for day in unplanned_rest_dates if in_window(day)),
        poor_sleep_days=count(lambda d: d.sleep_quality is not None and d.sleep_quality <= POOR_SLEEP_SCORE),
        falls_recent=sum(1 for day in fall_dates if 0 <= age(day) < FALLS_WINDOW_DAYS),
        infection_recent=any(0 <= age(day) < EVENT_WINDOW_DAYS for day in infection_dates)
        or any(d.illness for d in by_day.values() if 0 <= age(d.day) < EVENT_WINDOW_DAYS),
        new_medicines_recent=sum(1 for day in new_medicine_dates if 0 <= age(day) < EVENT_WINDOW_DAYS),
        # The nearest procedure; an upcoming one wins a tie with a past one.
        procedure_in_days=min(procedure_offsets, key=lambda days: (abs(days), -days), default=None),
    )
