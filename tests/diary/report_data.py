"""A small diary whose clinic-summary figures are worked out by hand (tests/diary/test_report.py).

Four weeks, 3 to 30 March 2025 (Monday to Sunday), every day logged:

- legs 2 in the first fortnight and 1 in the second, fatigue 6 then 4, arms 1, %normal 70 then 80;
- three hard days: 5 Mar (legs 3, arms 3, fatigue 9, 20%, heat, a note) = burden 92%,
  12 Mar (legs 3, arms 2, fatigue 8, 30%, illness) = 79%, 20 Mar (legs 3, arms 1, fatigue 7, 40%) = 66%;
- breathless at rest on 25 Mar (an emergency prompt); illness on 12 Mar (a same-day prompt);
- amifampridine at 08:00 and 14:00: of 56 slots 50 on time, 2 late, 3 skipped (2 "Nausea",
  1 without a reason) and 1 with nothing logged: taken 93%, on time 89%, late 4%, skipped 5%, missed 2%;
- quick checks at 09:00 (strength 7) and 13:30 (strength 4) every day: 1-2 h after a dose 7, 5-6 h after 4;
- tingling after two doses, severity 3 and 5;
- IVIG "Course 1" on 10 and 11 Mar: legs before (3-9 Mar) 15/7 = 2.1 over 7 days,
  days 7-21 after (18 Mar on, to the end of the data on 30 Mar) 15/13 = 1.2 over 13 days;
- a fall with a head strike on 15 Mar (same-day prompt) and a near-fall on 22 Mar;
- a planned rest (energy 3 -> 6) and an unplanned one (2 -> 4);
- four open questions and one ticked off.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from diary import alerts
from diary.models import (
    DayEntry,
    DoseStatus,
    Event,
    EventKind,
    Medication,
    MedicineKind,
    SideEffect,
    SideEffectSymptom,
    TreatmentKind,
    TreatmentSession,
)
from diary.questions import question_add, question_set_done
from diary.services import (
    day_entry_save_note,
    day_entry_save_scores,
    dose_log_record,
    local_moment,
    quick_check_save,
    rest_end,
    rest_start,
    weekly_entry_save,
)
from tests.conftest import People

START = dt.date(2025, 3, 3)
END = dt.date(2025, 3, 30)
HARD_DAYS = {
    dt.date(2025, 3, 5): {
        "weakness_hips": 3,
        "weakness_shoulders": 3,
        "fatigue": 9,
        "percent_normal": 20,
        "hot_environment": 1,
    },
    dt.date(2025, 3, 12): {
        "weakness_hips": 3,
        "weakness_shoulders": 2,
        "fatigue": 8,
        "percent_normal": 30,
        "illness_fever": 1,
    },
    dt.date(2025, 3, 20): {"weakness_hips": 3, "weakness_shoulders": 1, "fatigue": 7, "percent_normal": 40},
}
HARD_NOTE = "Very hot; could not climb the stairs <b>at all</b>"
QUESTIONS = ("Should the dose times change?", "Is the tingling a worry?", "Can I have IVIG again?", "Fourth one")
SKIPPED = {(dt.date(2025, 3, 6), "08:00"): "Nausea", (dt.date(2025, 3, 13), "14:00"): "Nausea"}
SKIPPED_NO_REASON = (dt.date(2025, 3, 21), "08:00")
LATE = {(dt.date(2025, 3, 8), "14:00"), (dt.date(2025, 3, 27), "08:00")}
NOT_LOGGED = (dt.date(2025, 3, 29), "14:00")


@dataclass(frozen=True)
class KnownDiary:
    start: dt.date
    end: dt.date
    medication: Medication


def days() -> list[dt.date]:
    return [START + dt.timedelta(days=n) for n in range((END - START).days + 1)]


def build_known_diary(people: People) -> KnownDiary:
    diary, owner = people.diary, people.owner
    for day in days():
        first_half = day < START + dt.timedelta(days=14)
        scores = {
            "weakness_hips": 2 if first_half else 1,
            "weakness_shoulders": 1,
            "fatigue": 6 if first_half else 4,
            "percent_normal": 70 if first_half else 80,
            "hot_environment": 0,
            "illness_fever": 0,
        }
        scores.update(HARD_DAYS.get(day, {}))
        if day == dt.date(2025, 3, 25):
            scores["breathlessness"] = 3
        day_entry_save_scores(diary=diary, date=day, scores=scores, by=owner)
    day_entry_save_note(diary=diary, date=dt.date(2025, 3, 5), note=HARD_NOTE, seen_version=0, by=owner)

    medication = Medication.objects.create(
        diary=diary,
        kind=MedicineKind.AMIFAMPRIDINE,
        dose_amount=Decimal(10),
        times=["08:00", "14:00"],
        start_date=dt.date(2025, 1, 1),
        prescriber="Dr Okafor",
        created_by=owner,
        updated_by=owner,
    )
    doses = []
    for day in days():
        for at in ("08:00", "14:00"):
            slot = (day, at)
            if slot == NOT_LOGGED:
                continue
            scheduled = local_moment(diary, day, dt.time.fromisoformat(at))
            if slot in SKIPPED or slot == SKIPPED_NO_REASON:
                status, taken = DoseStatus.SKIPPED, None
            elif slot in LATE:
                status, taken = DoseStatus.LATE, scheduled + dt.timedelta(minutes=50)
            else:
                status, taken = DoseStatus.TAKEN, scheduled
            doses.append(
                dose_log_record(
                    medication=medication,
                    token=uuid.uuid4(),
                    status=status,
                    by=owner,
                    scheduled_for=scheduled,
                    taken_at=taken,
                    skip_reason=SKIPPED.get(slot, ""),
                )
            )
        for at, strength in (("09:00", 7), ("13:30", 4)):
            quick_check_save(
                diary=diary,
                token=uuid.uuid4(),
                by=owner,
                strength=strength,
                fatigue=5,
                taken_at=local_moment(diary, day, dt.time.fromisoformat(at)),
            )
    for dose, severity in ((doses[2], 3), (doses[10], 5)):
        SideEffect.objects.create(
            diary=diary,
            dose=dose,
            symptom=SideEffectSymptom.TINGLING,
            severity=severity,
            onset_minutes=20,
            created_by=owner,
            updated_by=owner,
        )
    for cycle, day in enumerate((dt.date(2025, 3, 10), dt.date(2025, 3, 11)), start=1):
        TreatmentSession.objects.create(
            diary=diary,
            kind=TreatmentKind.IVIG,
            course="Course 1",
            cycle=cycle,
            date=day,
            product="Privigen",
            reactions="Headache" if cycle == 2 else "",
            benefit="better" if cycle == 2 else "",
            benefit_started=dt.date(2025, 3, 17) if cycle == 2 else None,
            created_by=owner,
            updated_by=owner,
        )
    Event.objects.create(
        diary=diary,
        kind=EventKind.FALL,
        occurred_at=local_moment(diary, dt.date(2025, 3, 15), dt.time(10, 0)),
        activity="Getting out of the bath",
        head_strike=True,
        injury="minor",
        created_by=owner,
        updated_by=owner,
    )
    Event.objects.create(
        diary=diary,
        kind=EventKind.NEAR_FALL,
        occurred_at=local_moment(diary, dt.date(2025, 3, 22), dt.time(16, 0)),
        activity="Stairs",
        created_by=owner,
        updated_by=owner,
    )
    for planned, hour, minutes, before, after in ((True, 15, 30, 3, 6), (False, 17, 20, 2, 4)):
        at = local_moment(diary, dt.date(2025, 3, 18), dt.time(hour, 0))
        running = rest_start(diary=diary, by=owner, token=uuid.uuid4(), energy_before=before, at=at)
        rest_end(rest=running, by=owner, energy_after=after, planned=planned, at=at + dt.timedelta(minutes=minutes))
    added = [question_add(diary=diary, text=text, by=owner) for text in QUESTIONS]
    done = question_add(diary=diary, text="Already asked", by=owner)
    question_set_done(question=done, done=True, by=owner)
    assert added
    weekly_entry_save(
        diary=diary,
        week_start=dt.date(2025, 3, 10),
        values={"weight_kg": Decimal("68.5"), "morning_headaches": 0},
        by=owner,
    )
    record_prompts_as_shown(people)
    return KnownDiary(START, END, medication)


def record_prompts_as_shown(people: People) -> None:
    """Each day's guidance kept as the app keeps it when it is shown (the evening's logging)."""
    for day in days():
        entry = DayEntry.objects.filter(diary=people.diary, date=day).first()
        hits = alerts.all_day_hits(diary=people.diary, day=day, entry=entry)
        at = local_moment(people.diary, day, dt.time(21, 0))
        alerts.prompts_record(diary=people.diary, day=day, hits=hits, by=people.owner, at=at)
