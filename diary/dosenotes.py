"""The one thing the diary may say about amounts: that a dose, or a day's doses, exceed the
prescription the person entered (docs/clinical-safety.md). It compares only with that
prescription, never with label maxima, and never suggests a dose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from diary.models import DoseLog, DoseStatus, Medication

ONE_DOSE = "dose"
DAY_TOTAL = "day"


@dataclass(frozen=True)
class DoseNote:
    medication: Medication
    #: ONE_DOSE (a single dose above the amount per dose) or DAY_TOTAL (the day's doses above the daily total).
    kind: str
    logged: Decimal
    prescribed: Decimal
    #: When the single dose was taken (ONE_DOSE only).
    taken_at: dt.datetime | None = None

    @property
    def is_one_dose(self) -> bool:
        return self.kind == ONE_DOSE


def dose_notes(logs: Iterable[DoseLog]) -> list[DoseNote]:
    """Every single dose above its prescription's amount per dose, then every medicine whose
    doses of the day add up to more than its daily total. Skipped doses and doses without an
    amount count for nothing."""
    notes: list[DoseNote] = []
    totals: dict[int, Decimal] = {}
    medications: dict[int, Medication] = {}
    for log in logs:
        if log.status == DoseStatus.SKIPPED or log.amount is None:
            continue
        medication = log.medication
        medications[medication.pk] = medication
        totals[medication.pk] = totals.get(medication.pk, Decimal(0)) + log.amount
        if log.amount > medication.dose_amount:
            notes.append(DoseNote(medication, ONE_DOSE, log.amount, medication.dose_amount, log.taken_at))
    for pk, total in totals.items():
        medication = medications[pk]
        if total > medication.daily_total:
            notes.append(DoseNote(medication, DAY_TOTAL, total, medication.daily_total))
    return notes
