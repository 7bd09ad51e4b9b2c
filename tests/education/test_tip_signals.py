"""diary.summary.tip_signals reads what the tip rules need from the database."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from diary import summary
from diary.models import DoseStatus, Event, EventKind, Medication, MedicineKind
from diary.services import day_entry_save_scores, dose_log_record, quick_check_save
from education.selection import select_tips
from tests.conftest import People

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 3, 20)
LONDON = ZoneInfo("Europe/London")


def log(people: People, day: dt.date, **scores: Any) -> None:
    day_entry_save_scores(diary=people.diary, date=day, scores=scores, by=people.owner)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_worst_time_stairs_chair_lifting_and_bowels_come_from_the_day_entries(people: People) -> None:
    for n in range(5):
        log(people, days_ago(n), fatigue_worst_time=3, stairs=2, chair_rise=3, lifting=2, bowel_movement=0)
    log(people, days_ago(5), fatigue_worst_time=1, stairs=1, bowel_movement=1)
    signals = summary.tip_signals(diary=people.diary, today=TODAY)
    assert (signals.worst_time, signals.worst_time_days, signals.worst_time_days_checked) == ("afternoon", 5, 6)
    assert (signals.stairs_days, signals.chair_rise_days, signals.lifting_days) == (5, 5, 5)
    assert (signals.no_bowel_movement_days, signals.bowel_movement_days) == (5, 1)
    reasons = [c.reason for c in select_tips(signals, today=TODAY, limit=10)]
    assert "Because 'afternoon' was your worst time for fatigue on 5 of your last 6 logged days." in reasons
    assert "Because there was no bowel movement on 5 of the last 7 days." in reasons


def test_quick_checks_are_binned_by_the_diary_s_local_hour(people: People) -> None:
    for n in range(10):
        day = days_ago(n)
        for hour, strength in ((9, 8), (15, 5)):
            at = dt.datetime.combine(day, dt.time(hour, 20), tzinfo=LONDON)
            quick_check_save(diary=people.diary, token=uuid.uuid4(), by=people.owner, strength=strength, taken_at=at)
    signals = summary.tip_signals(diary=people.diary, today=TODAY)
    assert signals.hour_gap is not None
    assert (signals.hour_gap.worse, signals.hour_gap.better, signals.hour_gap.gap) == (15, 9, 3.0)
    assert signals.hour_gap.worse_count == 10
    (chosen,) = select_tips(signals, today=TODAY)
    assert chosen.tip.id == "T6" and "hour from 15:00" in chosen.reason


def test_a_medicine_added_as_a_prescription_or_an_event_counts_once(people: People) -> None:
    Medication.objects.create(
        diary=people.diary, kind=MedicineKind.PYRIDOSTIGMINE, dose_amount=Decimal("1"), start_date=days_ago(3)
    )
    Event.objects.create(
        diary=people.diary,
        kind=EventKind.MEDICINE_CHANGE,
        occurred_at=dt.datetime.combine(days_ago(3), dt.time(9), tzinfo=LONDON),
        medicine_name="Pyridostigmine",
        medicine_started=True,
    )
    Medication.objects.create(
        diary=people.diary, kind=MedicineKind.OTHER, name="Old", dose_amount=Decimal("1"), start_date=days_ago(14)
    )
    signals = summary.tip_signals(diary=people.diary, today=TODAY)
    assert signals.new_medicines_recent == 1
    (chosen,) = select_tips(signals, today=TODAY)
    assert chosen.tip.id == "T25" and chosen.reason == "Because you added 1 medicine in the last 14 days."


def test_a_procedure_shows_from_two_weeks_before_to_a_week_after(people: People) -> None:
    def procedure_on(day: dt.date) -> None:
        Event.objects.all().delete()
        Event.objects.create(
            diary=people.diary,
            kind=EventKind.PROCEDURE,
            occurred_at=dt.datetime.combine(day, dt.time(9), tzinfo=LONDON),
        )

    procedure_on(TODAY + dt.timedelta(days=15))
    assert summary.tip_signals(diary=people.diary, today=TODAY).procedure_in_days is None
    procedure_on(TODAY + dt.timedelta(days=14))
    assert summary.tip_signals(diary=people.diary, today=TODAY).procedure_in_days == 14
    procedure_on(days_ago(7))
    assert summary.tip_signals(diary=people.diary, today=TODAY).procedure_in_days == -7
    procedure_on(days_ago(8))
    assert summary.tip_signals(diary=people.diary, today=TODAY).procedure_in_days is None


def test_dose_timing_reads_doses_of_medicines_taken_twice_a_day_or_more(people: People) -> None:
    twice = Medication.objects.create(
        diary=people.diary,
        kind=MedicineKind.AMIFAMPRIDINE,
        dose_amount=Decimal("1"),
        times=["08:00", "14:00"],
        start_date=days_ago(30),
    )
    for n in range(12):
        dosed = dt.datetime.combine(days_ago(n), dt.time(8), tzinfo=LONDON)
        dose_log_record(medication=twice, token=uuid.uuid4(), status=DoseStatus.EXTRA, by=people.owner, taken_at=dosed)
        for hours, strength in ((1.5, 8), (3.5, 5)):
            quick_check_save(
                diary=people.diary,
                token=uuid.uuid4(),
                by=people.owner,
                strength=strength,
                taken_at=dosed + dt.timedelta(hours=hours),
            )
    signals = summary.tip_signals(diary=people.diary, today=TODAY)
    assert signals.dose_gap is not None
    assert (signals.dose_gap.worse, signals.dose_gap.better, signals.dose_gap.gap) == (3, 1, 3.0)
    # The same doses of a medicine scheduled once a day say nothing about timing.
    Medication.objects.filter(pk=twice.pk).update(times=["08:00"])
    assert summary.tip_signals(diary=people.diary, today=TODAY).dose_gap is None
