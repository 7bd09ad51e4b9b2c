"""The rating scales and the daily items.

One registry drives the model's validators, the Today form and its template, the
history summary and (later) the charts, so every screen uses the same scale and
the same words. Anchors are this project's own wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Scale:
    key: str
    choices: tuple[tuple[int, Promise], ...]
    #: Shown above the buttons: what the numbers mean on this scale.
    legend: Promise
    #: The smallest difference of two medians called "better" or "worse" (less is "about the same").
    #: An app convention, not a validated threshold (docs/clinical-safety.md section 3).
    meaningful_change: int = 1

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(value for value, _label in self.choices)

    @property
    def low(self) -> int:
        return min(self.values)

    @property
    def high(self) -> int:
        return max(self.values)


S3 = Scale(
    "S3",
    (
        (0, _("No problem")),
        (1, _("Noticeable, managed without help or extra rest")),
        (2, _("Needed extra effort, a rest or a workaround")),
        (3, _("Could not do it, or needed another person")),
    ),
    _("0 = no problem, 3 = could not do it or needed help"),
)
F3 = Scale(
    "F3",
    (
        (0, _("Not at all")),
        (1, _("Once or twice, briefly")),
        (2, _("Repeatedly, or for hours")),
        (3, _("Most of the waking day")),
    ),
    _("How often today: 0 = not at all, 3 = most of the day"),
)
N10 = Scale(
    "N10",
    tuple(
        (n, _("None") if n == 0 else _("Worst imaginable") if n == 10 else _("%(n)d of 10") % {"n": n})
        for n in range(11)
    ),
    _("0 = none, 10 = worst imaginable"),
    meaningful_change=2,
)
# Sleep quality is the one 0-10 item where a high number is good.
N10_GOOD = Scale(
    "N10_GOOD",
    tuple(
        (n, _("Very poor") if n == 0 else _("Very good") if n == 10 else _("%(n)d of 10") % {"n": n}) for n in range(11)
    ),
    _("0 = very poor, 10 = very good"),
    meaningful_change=2,
)
STRENGTH10 = Scale(
    "STRENGTH10",
    tuple(
        (n, _("No strength") if n == 0 else _("Full strength") if n == 10 else _("%(n)d of 10") % {"n": n})
        for n in range(11)
    ),
    _("0 = no strength, 10 = full, normal strength"),
    meaningful_change=2,
)
BREATHING = Scale(
    "BREATHING",
    (
        (0, _("No shortness of breath")),
        (1, _("Short of breath with exertion")),
        (2, _("Short of breath with light activity")),
        (3, _("Short of breath at rest or lying flat")),
    ),
    _("0 = none, 3 = at rest or lying flat"),
)
WALKING = Scale(
    "WALKING",
    (
        (0, _("Less than 10 m")),
        (1, _("10 to 50 m")),
        (2, _("50 to 200 m")),
        (3, _("200 m to 1 km")),
        (4, _("More than 1 km")),
    ),
    _("The furthest you walked today without stopping"),
)
PERCENT = Scale(
    "PERCENT",
    tuple((n, _("%(n)d%%") % {"n": n}) for n in range(0, 101, 10)),
    _("How close to your normal self do you feel? 100% = fully normal"),
    meaningful_change=10,
)
WORST_TIME = Scale(
    "WORST_TIME",
    ((1, _("Morning")), (2, _("Midday")), (3, _("Afternoon")), (4, _("Evening"))),
    _("When was fatigue worst today?"),
)
YES_NO = Scale("YES_NO", ((1, _("Yes")), (0, _("No"))), _("Yes or no"))
YES_NO_UNSURE = Scale(
    "YES_NO_UNSURE",
    ((1, _("Yes")), (0, _("No")), (2, _("Didn't notice"))),
    _("Yes, no, or didn't notice"),
)
CHOKING = Scale(
    "CHOKING",
    (
        (0, _("No choking")),
        (1, _("Choked or coughed on food or drink, then cleared it")),
        (2, _("Choked, with trouble breathing afterwards")),
    ),
    _("Did you choke on food, drink or saliva today?"),
)


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise


SECTIONS = (
    Section("weakness", _("Weakness by body region")),
    Section("function", _("Everyday tasks")),
    Section("fatigue", _("Fatigue")),
    Section("facilitation", _("Effort and repetition")),
    Section("bulbar", _("Speaking, chewing and swallowing")),
    Section("eyes", _("Eyes")),
    Section("breathing", _("Breathing")),
    Section("autonomic", _("Dryness, dizziness and bowels")),
    Section("pain", _("Pain")),
    Section("overall", _("Overall")),
    Section("context", _("What else was going on")),
)


@dataclass(frozen=True)
class Item:
    field: str
    label: Promise
    section: str
    scale: Scale
    #: Higher is worse (most items) or better (sleep, walking, %normal).
    higher_is_worse: bool = True
    #: Short label for compact summaries (history rows, chart legends).
    short: Promise | None = None
    #: A follow-up asked only on some days (a key of FOLLOW_UPS); ``None``: asked every day.
    follow_up: str | None = None

    @property
    def short_label(self) -> Promise:
        return self.short or self.label


ITEMS: tuple[Item, ...] = (
    Item("weakness_hips", _("Hips and thighs"), "weakness", S3, short=_("Legs")),
    Item("weakness_shoulders", _("Shoulders and arms"), "weakness", S3, short=_("Arms")),
    Item("weakness_neck", _("Neck (head feels heavy or droops)"), "weakness", S3, short=_("Neck")),
    Item("stairs", _("Climbing stairs"), "function", S3, short=_("Stairs")),
    Item("chair_rise", _("Getting up from a chair without using your hands"), "function", S3, short=_("Chair")),
    Item("walking_distance", _("Walking distance"), "function", WALKING, higher_is_worse=False, short=_("Walk")),
    Item(
        "lifting",
        _("Lifting an everyday object, such as a kettle or a shopping bag"),
        "function",
        S3,
        short=_("Lifting"),
    ),
    Item("fatigue", _("Overall fatigue"), "fatigue", N10, short=_("Fatigue")),
    Item("fatigue_worst_time", _("Worst time of day for fatigue"), "fatigue", WORST_TIME, short=_("Worst time")),
    Item(
        "facilitation_noticed",
        _("Strength got briefly better after a few repetitions"),
        "facilitation",
        YES_NO_UNSURE,
        short=_("Brief boost"),
    ),
    Item("long_effort_weaker", _("A long effort made me much weaker"), "facilitation", YES_NO, short=_("Long effort")),
    Item("speech", _("Speaking"), "bulbar", S3, short=_("Speech")),
    Item("chewing", _("Chewing"), "bulbar", S3, short=_("Chewing")),
    Item("swallowing", _("Swallowing"), "bulbar", S3, short=_("Swallowing")),
    Item("choking", _("Choking"), "bulbar", CHOKING, short=_("Choking")),
    Item("double_vision", _("Double or blurred vision"), "eyes", F3, short=_("Vision")),
    Item("eyelid_droop", _("Drooping eyelid"), "eyes", F3, short=_("Eyelid")),
    Item("breathlessness", _("Shortness of breath"), "breathing", BREATHING, short=_("Breath")),
    Item(
        "cough_too_weak",
        _("Is your cough too weak to clear saliva or phlegm?"),
        "breathing",
        YES_NO,
        short=_("Weak cough"),
        follow_up="breathing_or_swallowing",
    ),
    Item("dry_mouth", _("Dry mouth"), "autonomic", F3, short=_("Dry mouth")),
    Item("dry_eyes", _("Dry eyes"), "autonomic", F3, short=_("Dry eyes")),
    Item("dizziness_standing", _("Dizziness when standing up"), "autonomic", F3, short=_("Dizzy")),
    Item("bowel_movement", _("Bowel movement today"), "autonomic", YES_NO, higher_is_worse=False, short=_("Bowels")),
    Item("straining", _("Straining on the toilet"), "autonomic", YES_NO, short=_("Straining")),
    Item("muscle_pain", _("Muscle pain"), "pain", N10, short=_("Pain")),
    Item(
        "percent_normal",
        _("How close to your normal self do you feel?"),
        "overall",
        PERCENT,
        higher_is_worse=False,
        short=_("% normal"),
    ),
    Item("sleep_quality", _("Sleep quality last night"), "context", N10_GOOD, higher_is_worse=False, short=_("Sleep")),
    Item("hot_environment", _("Hot weather, a hot room or a hot bath"), "context", YES_NO, short=_("Heat")),
    Item("illness_fever", _("Illness or fever"), "context", YES_NO, short=_("Ill")),
    Item(
        "ivig_headache",
        _("A severe headache with a stiff neck"),
        "context",
        YES_NO,
        short=_("Headache, stiff neck"),
        follow_up="after_ivig",
    ),
)

#: When a follow-up item is asked (docs/clinical-safety.md): the weak-cough question
#: once breathing or swallowing is hard, the headache question in the week after IVIG.
FOLLOW_UPS: dict[str, Promise] = {
    "breathing_or_swallowing": _("Asked because breathing or swallowing was hard today."),
    "after_ivig": _("Asked every day for a week after an IVIG treatment."),
}

ITEMS_BY_FIELD: dict[str, Item] = {item.field: item for item in ITEMS}
ITEM_FIELDS: tuple[str, ...] = tuple(ITEMS_BY_FIELD)
#: The items asked every day (follow-ups left out): what "N of M rated" counts.
DAILY_ITEMS: tuple[Item, ...] = tuple(item for item in ITEMS if item.follow_up is None)

#: The items a history row shows, in order: the ones a neurologist scans first.
SUMMARY_FIELDS: tuple[str, ...] = (
    "weakness_hips",
    "weakness_shoulders",
    "fatigue",
    "swallowing",
    "double_vision",
    "breathlessness",
    "percent_normal",
)


def breathing_or_swallowing_hard(breathlessness: int | None, swallowing: int | None) -> bool:
    """The weak-cough follow-up is asked when either answer is 2 or more."""
    return (breathlessness or 0) >= 2 or (swallowing or 0) >= 2


def items_in(section_key: str) -> tuple[Item, ...]:
    return tuple(item for item in ITEMS if item.section == section_key)
