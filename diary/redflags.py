"""Which red-flag guidance (docs/clinical-safety.md) a person's own answers call for.

Rule-based and generic on purpose: an answer maps to a level and to the sentence
that names it; nothing here judges how ill anyone is. The rules are pure functions
of the answers and of the few facts around them (``DayContext``), so each can be
tested on its own; ``day_context`` reads those facts from the database. Every rule,
its cause and its test are listed in docs/clinical-safety.md.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from diary import scales
from diary.models import Benefit, Event, EventKind, Injury, SideEffectSymptom

EMERGENCY = "emergency"
URGENT = "urgent"
DISCUSS = "discuss"
#: Most serious first: the order banners are shown in.
LEVELS: tuple[str, ...] = (EMERGENCY, URGENT, DISCUSS)

#: Days around a treatment or a new medicine that some rules look at (docs/clinical-safety.md).
IVIG_HEADACHE_DAYS = 7
NEW_MEDICINE_DAYS = 14
CHOKING_WINDOW_DAYS = 7
FEVER_CELSIUS = 38
LONG_COUGH_DAYS = 21
WEIGHT_LOSS_SHARE = 0.05
WEIGHT_WINDOW_DAYS = 183
#: How many logged days before a day its "previous week" rules look at.
PREVIOUS_DAYS = 7

WEAKNESS_FIELDS: tuple[str, ...] = ("weakness_hips", "weakness_shoulders", "weakness_neck")
SIDE_EFFECT_EMERGENCIES: dict[str, str] = {
    SideEffectSymptom.SEIZURE: "seizure",
    SideEffectSymptom.SWELLING: "swelling",
    SideEffectSymptom.ALLERGIC_BREATHING: "allergic_breathing",
}


@dataclass(frozen=True)
class Hit:
    """One rule that fired: its level, its key in red_flags.toml and the answer that raised it."""

    level: str
    key: str
    answer: str = ""


@dataclass(frozen=True)
class DayContext:
    """What a day's rules need beyond the day's own answers.

    ``previous`` holds the answers of up to seven logged days before the day, newest first.
    With no earlier days "the previous week was all clear" holds: a first answer of 2 for
    breathing is treated as new, the safer reading.
    """

    previous: Sequence[Mapping[str, int | None]] = ()
    #: Choking answers (1 or 2) and choking events in the seven days ending on the day, the day's own included.
    chokes_in_week: int = 0
    medicine_started_recently: bool = False
    ivig_recently: bool = False


def _previous_values(context: DayContext, field_name: str) -> list[int]:
    return [value for day in context.previous if (value := day.get(field_name)) is not None]


def breathing_hits(ratings: Mapping[str, int | None], context: DayContext) -> list[Hit]:
    breathing = ratings.get("breathlessness")
    if breathing == 3:
        return [Hit(EMERGENCY, "breathless_rest", "breathlessness=3")]
    if breathing == 2:
        if all(value <= 1 for value in _previous_values(context, "breathlessness")):
            return [Hit(URGENT, "breathing_rising", "breathlessness=2")]
        return [Hit(DISCUSS, "breathing_light", "breathlessness=2")]
    return []


def speech_and_swallowing_hits(ratings: Mapping[str, int | None], context: DayContext) -> list[Hit]:
    speech = ratings.get("speech")
    swallowing = ratings.get("swallowing")
    breathing = ratings.get("breathlessness")
    hits: list[Hit] = []
    if speech == 3:
        if (breathing is not None and breathing >= 2) or swallowing == 3:
            hits.append(Hit(EMERGENCY, "speech_breathing", "speech=3"))
        else:
            hits.append(Hit(URGENT, "speech_cannot", "speech=3"))
    if swallowing == 3:
        hits.append(Hit(URGENT, "swallowing_cannot", "swallowing=3"))
    elif swallowing == 2 and all(value == 0 for value in _previous_values(context, "swallowing")):
        hits.append(Hit(URGENT, "new_swallowing", "swallowing=2"))
    if ratings.get("cough_too_weak") == 1:
        hits.append(Hit(EMERGENCY, "weak_cough", "cough_too_weak=yes"))
    return hits


def choking_hits(choking: int | None, context: DayContext) -> list[Hit]:
    hits: list[Hit] = []
    if choking == 2:
        hits.append(Hit(EMERGENCY, "choking_breathing", "choking=2"))
    if context.chokes_in_week >= 2:
        hits.append(Hit(URGENT, "repeated_choking", f"choking={choking} ({context.chokes_in_week} in 7 days)"))
    elif choking == 1:
        hits.append(Hit(DISCUSS, "single_choke", "choking=1"))
    return hits


def weakness_hits(ratings: Mapping[str, int | None], context: DayContext) -> list[Hit]:
    hits: list[Hit] = []
    for name in WEAKNESS_FIELDS:
        value = ratings.get(name)
        if value is None:
            continue
        if value == 3:
            hits.append(Hit(URGENT, "weakness_cannot", f"{name}=3"))
            continue
        earlier = _previous_values(context, name)
        if earlier and value - statistics.median(earlier) >= 2:
            hits.append(Hit(URGENT, "weakness_rising", f"{name}={value}"))
    if hits and context.medicine_started_recently:
        hits.append(Hit(URGENT, "new_medicine_weakness", "weakness after a new medicine"))
    return hits


def ivig_hits(ratings: Mapping[str, int | None], context: DayContext) -> list[Hit]:
    if ratings.get("ivig_headache") == 1 and context.ivig_recently:
        return [Hit(URGENT, "ivig_headache", "ivig_headache=yes")]
    return []


def day_entry_hits(ratings: Mapping[str, int | None], context: DayContext) -> list[Hit]:
    """Every rule a day's answers raise, the day's own choking answer and events counted in ``context``."""
    return [
        *breathing_hits(ratings, context),
        *speech_and_swallowing_hits(ratings, context),
        *choking_hits(ratings.get("choking"), context),
        *weakness_hits(ratings, context),
        *ivig_hits(ratings, context),
    ]


def event_hits(event: Event) -> list[Hit]:
    """Guidance for one logged event, on its own (repeated choking is a day rule)."""
    answer = f"event:{event.kind}"
    hits: list[Hit] = []
    if event.kind == EventKind.SEIZURE:
        hits.append(Hit(EMERGENCY, "seizure", answer))
    elif event.kind == EventKind.ALLERGIC_REACTION:
        if event.face_throat_swelling:
            hits.append(Hit(EMERGENCY, "swelling", answer))
        if event.breathing_difficulty:
            hits.append(Hit(EMERGENCY, "allergic_breathing", answer))
        if not hits:
            hits.append(Hit(DISCUSS, "side_effects", answer))
    elif event.kind == EventKind.CHOKING:
        if event.breathing_difficulty:
            hits.append(Hit(EMERGENCY, "choking_breathing", answer))
        if event.cough_too_weak:
            hits.append(Hit(EMERGENCY, "weak_cough", answer))
    elif event.kind == EventKind.INFECTION:
        if (event.temperature is not None and event.temperature >= FEVER_CELSIUS) or event.chest_symptoms:
            hits.append(Hit(URGENT, "fever_chest", answer))
        if event.coughing_blood:
            hits.append(Hit(URGENT, "coughing_blood", answer))
    elif event.kind == EventKind.FALL:
        if event.head_strike or event.injury in (Injury.MINOR, Injury.SOUGHT_CARE):
            hits.append(Hit(URGENT, "fall_injury", answer))
    elif event.kind == EventKind.NEAR_FALL:
        hits.append(Hit(DISCUSS, "near_falls", answer))
    elif event.kind == EventKind.MEDICINE_CHANGE and event.medicine_started and event.weakness_change == Benefit.WORSE:
        hits.append(Hit(URGENT, "new_medicine_weakness", answer))
    return hits


def side_effect_hits(symptoms: Iterable[str]) -> list[Hit]:
    """Any side effect is worth a word at the next visit; seizure and allergy are emergencies."""
    hits: list[Hit] = []
    for symptom in symptoms:
        key = SIDE_EFFECT_EMERGENCIES.get(symptom)
        if key:
            hits.append(Hit(EMERGENCY, key, f"side effect:{symptom}"))
        else:
            hits.append(Hit(DISCUSS, "side_effects", f"side effect:{symptom}"))
    return hits


def chokes_counted(choking_answers: Iterable[int | None], choking_events: int) -> int:
    """Choking in a week: each day whose choking answer was 1 or 2, and each choking event."""
    return sum(1 for value in choking_answers if value is not None and value >= 1) + choking_events


# --- Rules that read the weeks before Today ------------------------------------------------


def unplanned_rest_hits(recent_per_day: float, earlier_per_day: float) -> list[Hit]:
    """Unplanned rests up by one a day or more against the two weeks before."""
    if recent_per_day - earlier_per_day >= 1:
        return [Hit(DISCUSS, "more_unplanned_rests", f"{recent_per_day:.1f} a day, was {earlier_per_day:.1f}")]
    return []


def weight_hits(latest_kg: float | None, highest_earlier_kg: float | None) -> list[Hit]:
    """Weight down 5% or more against the highest weight of the six months before."""
    if latest_kg is None or not highest_earlier_kg:
        return []
    if (highest_earlier_kg - latest_kg) / highest_earlier_kg >= WEIGHT_LOSS_SHARE:
        return [Hit(DISCUSS, "weight_loss", f"{highest_earlier_kg} kg to {latest_kg} kg")]
    return []


def night_breathing_hits(morning_headaches: int | None, daytime_sleepiness: int | None) -> list[Hit]:
    if any(answer is not None and answer >= 2 for answer in (morning_headaches, daytime_sleepiness)):
        return [Hit(DISCUSS, "night_breathing", "weekly answers")]
    return []


#: The answers a worsening trend is read from, and the two windows it compares.
TREND_FIELDS: tuple[str, ...] = (*WEAKNESS_FIELDS, "fatigue", "percent_normal")
TREND_DAYS = 14
TREND_MIN_DAYS = 10


def worsening_hits(recent: Mapping[str, Sequence[int]], earlier: Mapping[str, Sequence[int]]) -> list[Hit]:
    """Worse over the last two weeks than the two before: medians apart by at least the scale's
    meaningful change, with 10 or more days rated in each window (the figures' own rule)."""
    for name in TREND_FIELDS:
        now, before = recent.get(name, ()), earlier.get(name, ())
        if len(now) < TREND_MIN_DAYS or len(before) < TREND_MIN_DAYS:
            continue
        item = scales.ITEMS_BY_FIELD[name]
        now_median, before_median = statistics.median(now), statistics.median(before)
        worse_by = now_median - before_median if item.higher_is_worse else before_median - now_median
        if worse_by >= item.scale.meaningful_change:
            return [Hit(DISCUSS, "slow_worsening", f"{name}: {before_median:g} to {now_median:g}")]
    return []


def long_cough_hits(cough_started: Sequence[dt.date], today: dt.date) -> list[Hit]:
    """A chest infection logged with no end date, started three weeks ago or more."""
    if any((today - started).days >= LONG_COUGH_DAYS for started in cough_started):
        return [Hit(DISCUSS, "long_cough", "cough open for 3 weeks")]
    return []


# --- From rules to banners -----------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """One banner: every reason of one level, worded for today or for a day gone by."""

    level: str
    title: str
    message: str
    reasons: tuple[str, ...]
    emergency_number: str
    keys: tuple[str, ...] = field(default=())
    #: Worded for a day gone by ("if this is still happening ...").
    past: bool = False

    @property
    def is_emergency(self) -> bool:
        return self.level == EMERGENCY


def alerts_for(hits: Iterable[Hit], *, past: bool = False) -> tuple[Alert, ...]:
    """One banner per level, most serious first; a reason already shown at a higher level,
    or twice within one, is not shown again."""
    from education import content

    hits = list(hits)  # read once per level
    guidance = content.red_flags()
    by_level = {level.level: level for level in guidance.levels}
    seen: set[str] = set()
    alerts: list[Alert] = []
    for level_key in LEVELS:
        level = by_level[level_key]
        keys: list[str] = []
        for hit in hits:
            if hit.level == level_key and hit.key not in seen:
                seen.add(hit.key)
                keys.append(hit.key)
        if not keys:
            continue
        texts = {item.key: item.text for item in level.items}
        alerts.append(
            Alert(
                level=level_key,
                title=level.past_title if past else level.title,
                message=level.past_message if past else level.message,
                reasons=tuple(dict.fromkeys(texts[key] for key in keys)),
                emergency_number=content.emergency_number(),
                keys=tuple(keys),
                past=past,
            )
        )
    return tuple(alerts)


def reason_text(hit: Hit) -> str:
    from education import content

    level = {lvl.level: lvl for lvl in content.red_flags().levels}[hit.level]
    item = level.item(hit.key)
    return item.text if item else hit.key


def suggested_question(key: str) -> str:
    """The visit question a "discuss" rule suggests ('' for rules of other levels)."""
    from education import content

    item = content.red_flags().discuss.item(key)
    return item.question if item else ""
