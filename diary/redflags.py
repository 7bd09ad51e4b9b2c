"""Which red-flag guidance (DOMAIN.md section 4) a person's own answers call for.

Rule-based and generic on purpose: an answer maps to a level and to the
sentence that names it; nothing here judges how ill anyone is.
"""

from __future__ import annotations

from dataclasses import dataclass

from diary.models import DayEntry
from education import content

#: (field, value) -> (level, red-flag item key in education/content/red_flags.toml)
DAY_ENTRY_RULES: dict[tuple[str, int], tuple[str, str]] = {
    ("breathlessness", 3): ("emergency", "breathless_rest"),
    ("choking", 2): ("emergency", "choking_breathing"),
    # Choking that cleared is not an emergency, but it is a same-day call (§4 "repeated choking").
    ("choking", 1): ("urgent", "new_swallowing"),
    ("illness_fever", 1): ("urgent", "fever_chest"),
}


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
