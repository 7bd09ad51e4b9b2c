"""Which red-flag guidance (DOMAIN.md section 4) a person's own answers call for.

Rule-based and generic on purpose: an answer maps to a level and to the
sentence that names it; nothing here judges how ill anyone is.
"""

from __future__ import annotations

from dataclasses import dataclass

from diary.models import Benefit, DayEntry, Event, EventKind, Injury
from education import content

#: (field, value) -> (level, red-flag item key in education/content/red_flags.toml)
DAY_ENTRY_RULES: dict[tuple[str, int], tuple[str, str]] = {
    ("breathlessness", 3): ("emergency", "breathless_rest"),
    ("choking", 2): ("emergency", "choking_breathing"),
    # Choking that cleared is not an emergency, but it is a same-day call (§4 "repeated choking").
    ("choking", 1): ("urgent", "new_swallowing"),
    ("illness_fever", 1): ("urgent", "fever_chest"),
}

#: The daily items whose answer can raise a red flag.
DAY_ENTRY_FIELDS: frozenset[str] = frozenset(field for field, _value in DAY_ENTRY_RULES)


@dataclass(frozen=True)
class Alert:
    level: str  # "emergency" or "urgent"
    title: str
    message: str
    reasons: tuple[str, ...]
    emergency_number: str

    @property
    def is_emergency(self) -> bool:
        return self.level == "emergency"


def alert_for_keys(hits: list[tuple[str, str]]) -> Alert | None:
    if not hits:
        return None
    guidance = content.red_flags()
    level = "emergency" if any(lvl == "emergency" for lvl, _key in hits) else "urgent"
    table = guidance.emergency if level == "emergency" else guidance.urgent
    texts = {item.key: item.text for lvl in (guidance.emergency, guidance.urgent) for item in lvl.items}
    reasons = tuple(dict.fromkeys(texts[key] for _lvl, key in hits))
    return Alert(
        level=level,
        title=table.title,
        message=table.message,
        reasons=reasons,
        emergency_number=content.emergency_number(),
    )


def day_entry_alert(entry: DayEntry | None) -> Alert | None:
    if entry is None:
        return None
    hits = [rule for (field, value), rule in DAY_ENTRY_RULES.items() if getattr(entry, field) == value]
    return alert_for_keys(hits)


def event_alert(event: Event) -> Alert | None:
    """Guidance for a logged event (DOMAIN.md section 4)."""
    hits: list[tuple[str, str]] = []
    if event.kind == EventKind.SEIZURE:
        hits.append(("emergency", "seizure"))
    if event.kind == EventKind.ALLERGIC_REACTION and event.face_throat_swelling:
        hits.append(("emergency", "face_throat_swelling"))
    if event.kind == EventKind.CHOKING:
        hits.append(("emergency", "choking_breathing") if event.breathing_difficulty else ("urgent", "new_swallowing"))
    if event.kind == EventKind.INFECTION:
        hits.append(("urgent", "fever_chest"))
    if event.kind == EventKind.FALL and (event.head_strike or event.injury in (Injury.MINOR, Injury.SOUGHT_CARE)):
        hits.append(("urgent", "fall_injury"))
    if event.kind == EventKind.MEDICINE_CHANGE and event.medicine_started and event.weakness_change == Benefit.WORSE:
        hits.append(("urgent", "new_medicine_weakness"))
    return alert_for_keys(hits)
