"""Which tips to show: a pure function of a few diary signals.

The diary app turns recent entries into a :class:`Signals` value (by hand, or
with :func:`build_signals` from plain :class:`DaySummary` records and event
dates). :func:`select_tips` then picks up to three tips, each with a short
reason the person can read ("Because you logged ..."). Nothing here reads the
database, the clock or the request: the same input always gives the same tips.

Rules (each rule fires on its own threshold and offers tips with its tags):

=====================  =====================================================  ==============
rule                   fires when                                             tags
=====================  =====================================================  ==============
procedure              an operation/procedure in the next 30 or last 14 days  surgery
new_medicine           a new medicine started in the last 14 days             new_medicine
infection              an infection or fever in the last 14 days              infection
falls                  1+ fall or near-fall in the last 30 days               falls
high_fatigue           fatigue >= 7/10 on 3+ of the last (up to) 5 diary days  high_fatigue
unplanned_rest         3+ unplanned rests in the window                       unplanned_rest
chewing_swallowing     chewing or swallowing >= 2 (S3) on 2+ days             chewing, swallowing
dizziness              dizziness on standing >= 2 (F3) on 3+ days             dizziness
heat                   2+ hot days and 2+ cooler days, and hips/thighs were   heat
                       at least 0.5 points weaker (S3) on hot days
leg_weakness           hips/thighs >= 2 (S3) on 3+ days                       leg_weakness
arm_weakness           shoulders/arms >= 2 (S3) on 3+ days                    arm_weakness
dry_mouth              dry mouth >= 2 (F3) on 3+ days                         dry_mouth
constipation           no bowel movement, or straining, on 3+ days            constipation
poor_sleep             sleep quality <= 3/10 on 3+ days                       poor_sleep
=====================  =====================================================  ==============

"Days" counts cover the window of ``Signals.window_days`` calendar days
(default 7) ending today.

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

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from . import content
from .content import Tip

DISMISS_DAYS = 30
DEFAULT_LIMIT = 3

# Thresholds (scales as in DOMAIN.md section 1.1).
WINDOW_DAYS = 7  # calendar days the "*_days" counts cover
HIGH_FATIGUE_SCORE = 7  # N10 fatigue at or above this is "high"
FATIGUE_LOOKBACK_ENTRIES = 5  # look at the last N diary days that have a fatigue score ...
FATIGUE_MAX_AGE_DAYS = 14  # ... but none older than this
HIGH_FATIGUE_MIN_DAYS = 3
SYMPTOM_LEVEL = 2  # S3 or F3 at or above this counts as a symptom day
SYMPTOM_MIN_DAYS = 3
BULBAR_MIN_DAYS = 2  # chewing or swallowing: fewer days are enough
POOR_SLEEP_SCORE = 3  # N10 sleep quality at or below this is "poor"
UNPLANNED_RESTS_MIN = 3
HEAT_MIN_DAYS = 2  # hot days, and cooler days, needed for a comparison
HEAT_MIN_DIFFERENCE = 0.5  # S3 points weaker (hips/thighs) on hot days
FALLS_WINDOW_DAYS = 30
EVENT_WINDOW_DAYS = 14  # infection, new medicine, a past procedure
PROCEDURE_AHEAD_DAYS = 30  # an upcoming procedure


@dataclass(frozen=True)
class Signals:
    """What the diary shows lately. Every field defaults to "nothing seen".

    Day counts cover the last ``window_days`` calendar days (today included).
    """

    window_days: int = WINDOW_DAYS
    #: Days in the window with a daily entry.
    days_logged_recent: int = 0
    #: How many recent diary days were looked at for fatigue (at most 5,
    #: none older than 14 days) ...
    fatigue_days_checked: int = 0
    #: ... and on how many of them fatigue was 7 or more out of 10.
    high_fatigue_days: int = 0
    #: Unplanned rests logged in the window.
    unplanned_rests_recent: int = 0
    #: Days with hips/thighs weakness 2 or more (S3: needed extra effort or help).
    leg_weakness_days: int = 0
    #: Days with shoulders/arms weakness 2 or more (S3).
    arm_weakness_days: int = 0
    #: Days with dizziness on standing 2 or more (F3: repeatedly or for hours).
    dizziness_days: int = 0
    #: Days with dry mouth 2 or more (F3).
    dry_mouth_days: int = 0
    #: Days with dry eyes 2 or more (F3).
    dry_eyes_days: int = 0
    #: Days with chewing or swallowing 2 or more (S3).
    chewing_or_swallowing_days: int = 0
    #: Days with no bowel movement, or with straining.
    constipation_days: int = 0
    #: Days with sleep quality 3 or less out of 10.
    poor_sleep_days: int = 0
    #: Days marked "hot environment or hot bath" that have a hips/thighs score,
    #: and the mean of that score on those days ...
    hot_days: int = 0
    hot_day_leg_weakness: float = 0.0
    #: ... and the same for the other days with a hips/thighs score.
    cooler_days: int = 0
    cooler_day_leg_weakness: float = 0.0
    #: Falls or near-falls in the last 30 days.
    falls_recent: int = 0
    #: An infection or fever in the last 14 days (event or daily "illness").
    infection_recent: bool = False
    #: A new medicine started in the last 14 days.
    new_medicine_recent: bool = False
    #: An operation, procedure or anaesthetic in the next 30 or last 14 days.
    procedure_upcoming_or_recent: bool = False

    @property
    def heat_makes_legs_weaker(self) -> bool:
        return (
            self.hot_days >= HEAT_MIN_DAYS
            and self.cooler_days >= HEAT_MIN_DAYS
            and self.hot_day_leg_weakness - self.cooler_day_leg_weakness >= HEAT_MIN_DIFFERENCE
        )

    @property
    def has_any_data(self) -> bool:
        return bool(
            self.days_logged_recent
            or self.falls_recent
            or self.infection_recent
            or self.new_medicine_recent
            or self.procedure_upcoming_or_recent
        )


@dataclass(frozen=True)
class ChosenTip:
    tip: Tip
    reason: str  # translated, e.g. "Because you logged high fatigue on 3 of your last 5 diary days."
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
    """A rule that fires when ``field`` (a day count) reaches ``minimum``.

    ``reason`` gets the signals and {"count": days, "total": window_days}; it
    must call ngettext with literal strings so makemessages can find them.
    """
    return Rule(
        key=key,
        tags=tags,
        strength=lambda s: _share(getattr(s, field), s.window_days, minimum),
        reason=lambda s: reason(s, {"count": getattr(s, field), "total": s.window_days}),
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "procedure",
        ("surgery",),
        lambda s: 1.0 if s.procedure_upcoming_or_recent else 0.0,
        lambda s: gettext("Because you logged an operation or procedure, coming up or recent."),
    ),
    Rule(
        "new_medicine",
        ("new_medicine",),
        lambda s: 1.0 if s.new_medicine_recent else 0.0,
        lambda s: gettext("Because you logged a new medicine recently."),
    ),
    Rule(
        "infection",
        ("infection",),
        lambda s: 1.0 if s.infection_recent else 0.0,
        lambda s: gettext("Because you logged an infection or fever recently."),
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
                "Because you logged high fatigue on %(count)d of your last %(total)d diary day.",
                "Because you logged high fatigue on %(count)d of your last %(total)d diary days.",
                s.fatigue_days_checked,
            )
            % {"count": s.high_fatigue_days, "total": s.fatigue_days_checked}
        ),
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
        "chewing_swallowing",
        ("chewing", "swallowing"),
        "chewing_or_swallowing_days",
        BULBAR_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because chewing or swallowing was hard on %(count)d of the last %(total)d day.",
                "Because chewing or swallowing was hard on %(count)d of the last %(total)d days.",
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
                "Because you felt dizzy on standing on %(count)d of the last %(total)d day.",
                "Because you felt dizzy on standing on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    Rule(
        "heat",
        ("heat",),
        lambda s: (s.hot_days / (s.hot_days + s.cooler_days)) if s.heat_makes_legs_weaker else 0.0,
        lambda s: (
            ngettext(
                "Because your legs felt weaker on the %(count)d hot day you logged than on cooler days.",
                "Because your legs felt weaker on the %(count)d hot days you logged than on cooler days.",
                s.hot_days,
            )
            % {"count": s.hot_days}
        ),
    ),
    _day_rule(
        "leg_weakness",
        ("leg_weakness",),
        "leg_weakness_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because your hips or thighs were weak on %(count)d of the last %(total)d day.",
                "Because your hips or thighs were weak on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    _day_rule(
        "arm_weakness",
        ("arm_weakness",),
        "arm_weakness_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because your shoulders or arms were weak on %(count)d of the last %(total)d day.",
                "Because your shoulders or arms were weak on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    _day_rule(
        "dry_mouth",
        ("dry_mouth",),
        "dry_mouth_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because you logged a dry mouth on %(count)d of the last %(total)d day.",
                "Because you logged a dry mouth on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    _day_rule(
        "constipation",
        ("constipation",),
        "constipation_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because you logged constipation on %(count)d of the last %(total)d day.",
                "Because you logged constipation on %(count)d of the last %(total)d days.",
                s.window_days,
            )
            % n
        ),
    ),
    _day_rule(
        "poor_sleep",
        ("poor_sleep",),
        "poor_sleep_days",
        SYMPTOM_MIN_DAYS,
        lambda s, n: (
            ngettext(
                "Because you logged poor sleep on %(count)d of the last %(total)d day.",
                "Because you logged poor sleep on %(count)d of the last %(total)d days.",
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
    hips_thighs: int | None = None  # S3
    shoulders_arms: int | None = None  # S3
    chewing: int | None = None  # S3
    swallowing: int | None = None  # S3
    dizziness: int | None = None  # F3, on standing
    dry_mouth: int | None = None  # F3
    dry_eyes: int | None = None  # F3
    bowel_movement: bool | None = None
    straining: bool | None = None
    sleep_quality: int | None = None  # N10, 10 = best
    hot: bool | None = None  # hot environment or hot bath
    illness: bool | None = None  # illness or fever


def _at_least(value: int | None, level: int) -> bool:
    return value is not None and value >= level


def build_signals(
    days: Iterable[DaySummary],
    *,
    today: dt.date,
    window_days: int = WINDOW_DAYS,
    fall_dates: Iterable[dt.date] = (),
    infection_dates: Iterable[dt.date] = (),
    new_medicine_dates: Iterable[dt.date] = (),
    procedure_dates: Iterable[dt.date] = (),
    unplanned_rest_dates: Iterable[dt.date] = (),
) -> Signals:
    """Turn diary days and event dates into :class:`Signals` (thresholds above).

    ``days`` may be in any order; if a date appears twice, the last one wins.
    ``unplanned_rest_dates`` has one date per unplanned rest.
    """

    def age(day: dt.date) -> int:
        return (today - day).days

    def in_window(day: dt.date) -> bool:
        return 0 <= age(day) < window_days

    by_day = {d.day: d for d in days}
    recent = [d for day, d in sorted(by_day.items()) if in_window(day)]

    fatigue_days = [
        d
        for day, d in sorted(by_day.items(), reverse=True)
        if d.fatigue is not None and 0 <= age(day) < FATIGUE_MAX_AGE_DAYS
    ][:FATIGUE_LOOKBACK_ENTRIES]

    def count(test: Callable[[DaySummary], bool]) -> int:
        return sum(1 for d in recent if test(d))

    hot = [d.hips_thighs for d in recent if d.hot and d.hips_thighs is not None]
    cooler = [d.hips_thighs for d in recent if not d.hot and d.hips_thighs is not None]

    def mean(values: list[int]) -> float:
        return sum(values) / len(values) if values else 0.0

    return Signals(
        window_days=window_days,
        days_logged_recent=len(recent),
        fatigue_days_checked=len(fatigue_days),
        high_fatigue_days=sum(1 for d in fatigue_days if _at_least(d.fatigue, HIGH_FATIGUE_SCORE)),
        unplanned_rests_recent=sum(1 for day in unplanned_rest_dates if in_window(day)),
        leg_weakness_days=count(lambda d: _at_least(d.hips_thighs, SYMPTOM_LEVEL)),
        arm_weakness_days=count(lambda d: _at_least(d.shoulders_arms, SYMPTOM_LEVEL)),
        dizziness_days=count(lambda d: _at_least(d.dizziness, SYMPTOM_LEVEL)),
        dry_mouth_days=count(lambda d: _at_least(d.dry_mouth, SYMPTOM_LEVEL)),
        dry_eyes_days=count(lambda d: _at_least(d.dry_eyes, SYMPTOM_LEVEL)),
        chewing_or_swallowing_days=count(
            lambda d: _at_least(d.chewing, SYMPTOM_LEVEL) or _at_least(d.swallowing, SYMPTOM_LEVEL)
        ),
        constipation_days=count(lambda d: d.bowel_movement is False or d.straining is True),
        poor_sleep_days=count(lambda d: d.sleep_quality is not None and d.sleep_quality <= POOR_SLEEP_SCORE),
        hot_days=len(hot),
        hot_day_leg_weakness=mean(hot),
        cooler_days=len(cooler),
        cooler_day_leg_weakness=mean(cooler),
        falls_recent=sum(1 for day in fall_dates if 0 <= age(day) < FALLS_WINDOW_DAYS),
        infection_recent=any(0 <= age(day) < EVENT_WINDOW_DAYS for day in infection_dates)
        or any(d.illness for d in by_day.values() if 0 <= age(d.day) < EVENT_WINDOW_DAYS),
        new_medicine_recent=any(0 <= age(day) < EVENT_WINDOW_DAYS for day in new_medicine_dates),
        procedure_upcoming_or_recent=any(
            -PROCEDURE_AHEAD_DAYS <= age(day) < EVENT_WINDOW_DAYS for day in procedure_dates
        ),
    )
