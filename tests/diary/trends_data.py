"""A diary of any length, written with bulk_create: for query-count tests and timing.

Every kind of data the Trends page reads: daily entries, quick checks, two
medicines with scheduled doses, rests, treatment sessions and events.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from accounts.models import User
from diary import scales
from diary.models import (
    DayEntry,
    Diary,
    DoseLog,
    DoseStatus,
    Event,
    EventKind,
    Medication,
    MedicineKind,
    QuickCheck,
    RestPeriod,
    TreatmentKind,
    TreatmentSession,
)
from diary.services import local_moment


def fill_diary(*, diary: Diary, user: User, days: int, end: dt.date, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = end - dt.timedelta(days=days - 1)
    every_day = [start + dt.timedelta(days=n) for n in range(days)]
    tracked = {"created_by": user, "updated_by": user}
    medicines = [
        Medication.objects.create(
            diary=diary,
            kind=MedicineKind.AMIFAMPRIDINE,
            dose_amount=Decimal(10),
            times=["07:00", "11:00", "15:00", "19:00"],
            start_date=start,
            **tracked,
        ),
        Medication.objects.create(
            diary=diary,
            kind=MedicineKind.PYRIDOSTIGMINE,
            dose_amount=Decimal(60),
            times=["08:00", "16:00"],
            start_date=start,
            **tracked,
        ),
    ]
    entries, checks, doses, rests = [], [], [], []
    for day in every_day:
        if rng.random() < 0.9:
            scores = {item.field: rng.choice(item.scale.values) for item in scales.ITEMS}
            entries.append(DayEntry(diary=diary, date=day, **scores, **tracked))
        for hour in (9, 13, 17):
            at = local_moment(diary, day, dt.time(hour, rng.randrange(60)))
            checks.append(QuickCheck(diary=diary, taken_at=at, strength=rng.randrange(11), fatigue=rng.randrange(11)))
        for medication in medicines:
            for slot_time in medication.scheduled_times():
                slot = local_moment(diary, day, slot_time)
                roll = rng.random()
                if roll < 0.05:
                    continue  # missed
                status = DoseStatus.SKIPPED if roll < 0.08 else DoseStatus.LATE if roll < 0.2 else DoseStatus.TAKEN
                taken = None if status == DoseStatus.SKIPPED else slot + dt.timedelta(minutes=rng.randrange(90))
                doses.append(
                    DoseLog(
                        diary=diary, medication=medication, scheduled_for=slot, taken_at=taken, status=status, **tracked
                    )
                )
        for hour, planned in ((13, True), (16, rng.random() < 0.5)):
            at = local_moment(diary, day, dt.time(hour, rng.randrange(60)))
            rests.append(
                RestPeriod(
                    diary=diary,
                    started_at=at,
                    ended_at=at + dt.timedelta(minutes=rng.randrange(10, 90)),
                    planned=planned,
                    energy_before=rng.randrange(11),
                    energy_after=rng.randrange(11),
                    **tracked,
                )
            )
    DayEntry.objects.bulk_create(entries, batch_size=500)
    QuickCheck.objects.bulk_create(checks, batch_size=500)
    DoseLog.objects.bulk_create(doses, batch_size=500)
    RestPeriod.objects.bulk_create(rests, batch_size=500)
    TreatmentSession.objects.bulk_create(
        [TreatmentSession(diary=diary, kind=TreatmentKind.IVIG, date=day, **tracked) for day in every_day[::42]]
    )
    Event.objects.bulk_create(
        [
            Event(
                diary=diary,
                kind=EventKind.MEDICINE_CHANGE,
                occurred_at=local_moment(diary, day, dt.time(10)),
                medicine_name="Clarithromycin",
                medicine_started=True,
                **tracked,
            )
            for day in every_day[20::90]
        ]
    )
