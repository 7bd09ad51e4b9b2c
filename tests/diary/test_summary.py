"""diary/summary.py against values worked out by hand on small made-up diaries."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest

from diary import summary
from diary.models import Diary, DoseStatus, Event, EventKind, Medication, MedicineKind, TreatmentKind, TreatmentSession
from diary.services import (
    day_entry_save_scores,
    dose_log_record,
    local_moment,
    medication_replace,
    medication_stop,
    quick_check_save,
    rest_end,
    rest_start,
)
from tests.conftest import People

UTC = dt.UTC
D = dt.date


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def log(people: People, day: dt.date, **scores: Any) -> None:
    day_entry_save_scores(diary=people.diary, date=day, scores=scores, by=people.owner)


def check(people: People, at: dt.datetime, strength: int | None = None, fatigue: int | None = None) -> None:
    quick_check_save(
        diary=people.diary, token=uuid.uuid4(), by=people.owner, strength=strength, fatigue=fatigue, taken_at=at
    )


def medicine(people: People, *, times: list[str], start: dt.date, kind: str = MedicineKind.AMIFAMPRIDINE) -> Medication:
    return Medication.objects.create(
        diary=people.diary,
        kind=kind,
        dose_amount=Decimal(10),
        times=times,
        start_date=start,
        created_by=people.owner,
        updated_by=people.owner,
    )


def dose(
    people: People,
    medication: Medication,
    status: str,
    *,
    slot: tuple[dt.date, str] | None = None,
    taken_at: dt.datetime | None = None,
) -> None:
    scheduled_for = local_moment(people.diary, slot[0], dt.time.fromisoformat(slot[1])) if slot else None
    if taken_at is None and status != DoseStatus.SKIPPED:
        taken_at = scheduled_for
    dose_log_record(
        medication=medication,
        token=uuid.uuid4(),
        status=status,
        by=people.owner,
        scheduled_for=scheduled_for,
        taken_at=taken_at,
    )


def rest(
    people: People,
    start: dt.datetime,
    minutes: int,
    *,
    planned: bool | None,
    before: int | None = None,
    after: int | None = None,
) -> None:
    running = rest_start(diary=people.diary, by=people.owner, token=uuid.uuid4(), energy_before=before, at=start)
    rest_end(
        rest=running, by=people.owner, energy_after=after, planned=planned, at=start + dt.timedelta(minutes=minutes)
    )


def period(people: People, start: dt.date, end: dt.date, **kwargs: Any) -> summary.PeriodSummary:
    return summary.period_summary(diary=people.diary, start=start, end=end, **kwargs)


# --- days and items -----------------------------------------------------------------------


def test_an_empty_period_has_every_day_and_nothing_in_it(people: People) -> None:
    result = period(people, D(2024, 1, 1), D(2024, 1, 14))
    assert result.day_count == 14
    assert result.days[0] == D(2024, 1, 1) and result.days[-1] == D(2024, 1, 14)
    assert result.days_logged == 0 and result.share_logged == 0
    assert result.items["fatigue"].values == (None,) * 14
    assert result.items["fatigue"].rolling_median == (None,) * 14
    assert result.items["fatigue"].mean is None
    assert result.checks == () and result.dose_curves == () and result.strength_by_hour == ()
    assert result.adherence == () and result.adherence_total.scheduled == 0
    assert all(r.count == 0 for r in result.rest_days)
    assert result.observations == () and result.treatments == () and result.medication_changes == ()
    assert result.is_empty
    assert [w.start for w in result.weeks] == [D(2024, 1, 1), D(2024, 1, 8)]


def test_a_single_day(people: People) -> None:
    log(people, D(2024, 5, 3), fatigue=5, weakness_hips=2)
    result = period(people, D(2024, 5, 3), D(2024, 5, 3))
    assert result.days == (D(2024, 5, 3),)
    assert result.days_logged == 1 and result.share_logged == 1.0
    assert result.items["fatigue"].values == (5,)
    # One rated day is too few for a 7-day median.
    assert result.items["fatigue"].rolling_median == (None,)
    assert result.items["fatigue"].mean == 5.0
    assert result.items["weakness_neck"].values == (None,)
    assert not result.is_empty


# Fatigue on ten days in a row with gaps (None = no entry that day).
GAPPY = [2, 4, None, 6, 8, None, 1, 3, None, 10]
#  d0: [2] -> too few; d1: [2,4] -> too few; d2: same; d3: [2,4,6] -> 4; d4: [2,4,6,8] -> 5; d5: same -> 5;
#  d6: [2,4,6,8,1] -> 4; d7 (d1..d7): [4,6,8,1,3] -> 4; d8 (d2..d8): [6,8,1,3] -> 4.5;
#  d9 (d3..d9): [6,8,1,3,10] -> 6
GAPPY_MEDIANS = (None, None, None, 4.0, 5.0, 5.0, 4.0, 4.0, 4.5, 6.0)


def log_gappy(people: People, first: dt.date) -> None:
    for n, value in enumerate(GAPPY):
        if value is not None:
            log(people, first + dt.timedelta(days=n), fatigue=value)


def test_gaps_and_the_seven_day_rolling_median(people: People) -> None:
    first = D(2024, 3, 1)
    log_gappy(people, first)
    result = period(people, first, first + dt.timedelta(days=9))
    fatigue = result.items["fatigue"]
    assert fatigue.values == tuple(GAPPY)
    assert fatigue.rolling_median == GAPPY_MEDIANS
    assert fatigue.rated_days == 7 and result.days_logged == 7
    assert fatigue.mean == pytest.approx(34 / 7)
    assert (fatigue.first_median, fatigue.last_median) == (4.0, 6.0)
    assert result.share_logged == pytest.approx(0.7)


def test_the_rolling_median_uses_the_days_before_the_period(people: People) -> None:
    first = D(2024, 3, 1)
    log_gappy(people, first)
    result = period(people, first + dt.timedelta(days=3), first + dt.timedelta(days=9))
    assert result.items["fatigue"].rolling_median == GAPPY_MEDIANS[3:]
    assert result.days_logged == 5


def test_weekly_medians_follow_iso_weeks_cut_to_the_period(people: People) -> None:
    # 2024-03-01 is a Friday: the first "week" is Fri-Sun, the next starts Monday 4 March.
    first = D(2024, 3, 1)
    log_gappy(people, first)
    result = period(people, first, first + dt.timedelta(days=9))
    assert [(w.start, w.end, w.days_logged) for w in result.weeks] == [
        (D(2024, 3, 1), D(2024, 3, 3), 2),
        (D(2024, 3, 4), D(2024, 3, 10), 5),
    ]
    assert result.weeks[0].medians["fatigue"] == 3.0  # 2 and 4
    assert result.weeks[1].medians["fatigue"] == 6.0  # 6, 8, 1, 3, 10
    assert result.weeks[0].medians["weakness_hips"] is None


# --- time zones ------------------------------------------------------------------------------


def test_a_check_half_an_hour_after_local_midnight_belongs_to_the_new_day(people: People) -> None:
    # Europe/London in July is UTC+1: 23:30 UTC on 1 July is 00:30 on 2 July.
    check(people, utc(2024, 7, 1, 23, 30), strength=7)
    check(people, utc(2024, 7, 1, 22, 30), strength=3)  # 23:30 on 1 July
    rest(people, utc(2024, 7, 1, 23, 15), 30, planned=True)  # 00:15 on 2 July
    july_1 = period(people, D(2024, 7, 1), D(2024, 7, 1))
    july_2 = period(people, D(2024, 7, 2), D(2024, 7, 2))
    assert [c.strength for c in july_1.checks] == [3]
    assert [c.strength for c in july_2.checks] == [7]
    assert july_2.checks[0].hour == 0 and july_1.checks[0].hour == 23
    assert july_1.rest_days[0].count == 0
    assert july_2.rest_days[0].planned_minutes == 30


def test_days_and_hours_across_the_spring_daylight_saving_change(people: People) -> None:
    # London: clocks go forward at 01:00 UTC on 31 March 2024, so that day has 23 hours.
    check(people, utc(2024, 3, 30, 23, 30), strength=1)  # 23:30 GMT, 30 March
    check(people, utc(2024, 3, 31, 12, 0), strength=5)  # 13:00 BST, 31 March
    check(people, utc(2024, 3, 31, 22, 30), strength=6)  # 23:30 BST, 31 March
    check(people, utc(2024, 3, 31, 23, 30), strength=9)  # 00:30 BST, 1 April
    # A rest from 23:30 BST to 00:10 BST counts on the day it started.
    rest(people, utc(2024, 3, 31, 22, 30), 40, planned=False)
    result = period(people, D(2024, 3, 31), D(2024, 3, 31))
    assert [(c.strength, c.hour) for c in result.checks] == [(5, 13), (6, 23)]
    assert [(h.hour, h.checks, h.mean_strength) for h in result.strength_by_hour] == [(13, 1, 5.0), (23, 1, 6.0)]
    assert result.rest_days[0].unplanned_minutes == 40 and result.rest_days[0].unplanned_count == 1
    assert [c.strength for c in period(people, D(2024, 4, 1), D(2024, 4, 1)).checks] == [9]


def test_hours_and_days_follow_a_zone_whose_clocks_move_by_half_an_hour(people: People) -> None:
    # Lord Howe Island: +11:00 until 02:00 local on 7 April 2024 (15:00 UTC on 6 April), then +10:30.
    Diary.objects.filter(pk=people.diary.pk).update(time_zone="Australia/Lord_Howe")
    people.diary.refresh_from_db()
    check(people, utc(2024, 4, 6, 14, 50), strength=4)  # 01:50 +11:00, 7 April
    check(people, utc(2024, 4, 6, 15, 10), strength=5)  # 01:40 +10:30, 7 April (after the change)
    check(people, utc(2024, 4, 7, 13, 15), strength=6)  # 23:45 +10:30, 7 April
    check(people, utc(2024, 4, 7, 13, 45), strength=7)  # 00:15 +10:30, 8 April
    rest(people, utc(2024, 4, 6, 12, 50), 20, planned=True)  # 23:50 +11:00, 6 April
    rest(people, utc(2024, 4, 6, 13, 10), 30, planned=True)  # 00:10 +11:00, 7 April
    result = period(people, D(2024, 4, 7), D(2024, 4, 7))
    assert [(c.strength, c.hour) for c in result.checks] == [(4, 1), (5, 1), (6, 23)]
    assert result.rest_days[0].planned_minutes == 30 and result.rest_days[0].planned_count == 1


def test_doses_scheduled_across_both_daylight_saving_changes_are_matched_to_their_slots(people: People) -> None:
    med = medicine(people, times=["01:30", "08:00"], start=D(2024, 3, 30))
    # 01:30 does not exist on 31 March and happens twice on 27 October; Today logs
    # every slot with services.local_moment, and so does the summary.
    for day in (D(2024, 3, 30), D(2024, 3, 31), D(2024, 4, 1), D(2024, 10, 26), D(2024, 10, 27)):
        for at in ("01:30", "08:00"):
            dose(people, med, DoseStatus.TAKEN, slot=(day, at))
    now = utc(2024, 12, 1)
    spring = period(people, D(2024, 3, 30), D(2024, 4, 1), now=now)
    assert (spring.adherence_total.on_time, spring.adherence_total.missed) == (6, 0)
    autumn = period(people, D(2024, 10, 26), D(2024, 10, 28), now=now)
    # 28 October had no doses logged: both of its slots are missed.
    assert (autumn.adherence_total.on_time, autumn.adherence_total.missed) == (4, 2)


# --- strength against time since the last dose ----------------------------------------------


def test_hours_since_the_last_dose_taken_before_each_check_per_medicine(people: People) -> None:
    day = D(2024, 1, 10)  # London is on UTC in January
    amifampridine = medicine(people, times=["08:00", "12:00"], start=D(2024, 1, 1))
    pyridostigmine = medicine(people, times=["12:30", "18:30"], start=D(2024, 1, 1), kind=MedicineKind.PYRIDOSTIGMINE)
    check(people, utc(2024, 1, 10, 7, 0), strength=2)  # before any dose
    dose(people, amifampridine, DoseStatus.TAKEN, slot=(day, "08:00"))
    check(people, utc(2024, 1, 10, 9, 30), strength=6)  # 1.5 h after amifampridine
    dose(people, amifampridine, DoseStatus.SKIPPED, slot=(day, "12:00"))  # skipped: not a dose
    dose(people, pyridostigmine, DoseStatus.LATE, slot=(day, "12:30"), taken_at=utc(2024, 1, 10, 13, 0))
    check(people, utc(2024, 1, 10, 14, 0), strength=4)  # 6 h after amifampridine, 1 h after pyridostigmine
    dose(people, amifampridine, DoseStatus.EXTRA, taken_at=utc(2024, 1, 10, 15, 0))
    check(people, utc(2024, 1, 10, 16, 15), strength=8)  # 1.25 h after the extra amifampridine dose
    check(people, utc(2024, 1, 10, 16, 45), strength=7)  # 1.75 h after it
    result = period(people, day, day)
    keys = {m.label: m.key for m in result.medicines}
    ami, pyr = keys["Amifampridine (3,4-DAP)"], keys["Pyridostigmine"]
    assert [c.hours_since_dose for c in result.checks] == [
        {},
        {ami: 1.5},
        {ami: 6.0, pyr: 1.0},
        {ami: 1.25, pyr: 3.25},
        {ami: 1.75, pyr: 3.75},
    ]
    curves = {c.medicine.key: c for c in result.dose_curves}
    assert curves[ami].points == ((1.25, 8), (1.5, 6), (1.75, 7), (6.0, 4))
    # Three checks fall in the 1-2 hour bin (8, 6 and 7): fewer than a bin needs, so no average.
    assert curves[ami].bins == () and curves[ami].strongest is None
    assert curves[pyr].points == ((1.0, 4), (3.25, 8), (3.75, 7))
    assert curves[pyr].bins == ()


def test_a_dose_before_the_period_and_a_new_version_of_the_prescription_both_count(people: People) -> None:
    old = medicine(people, times=["22:00"], start=D(2024, 1, 1))
    dose(people, old, DoseStatus.TAKEN, slot=(D(2024, 1, 9), "22:00"))
    new = medication_replace(
        current=old, changes={"dose_amount": Decimal(15)}, from_day=D(2024, 1, 10), by=people.owner
    )
    check(people, utc(2024, 1, 10, 1, 0), strength=5)  # 3 h after last night's dose of the old version
    dose(people, new, DoseStatus.TAKEN, slot=(D(2024, 1, 10), "22:00"))
    check(people, utc(2024, 1, 10, 23, 30), strength=7)
    result = period(people, D(2024, 1, 10), D(2024, 1, 10))
    assert len(result.medicines) == 1
    key = result.medicines[0].key
    assert [c.hours_since_dose[key] for c in result.checks] == [3.0, 1.5]
    assert [(c.day, c.change) for c in result.medication_changes] == [(D(2024, 1, 10), "changed")]


def test_a_dose_more_than_a_day_before_a_check_is_not_its_last_dose(people: People) -> None:
    med = medicine(people, times=["08:00", "20:00"], start=D(2024, 1, 1))
    dose(people, med, DoseStatus.TAKEN, slot=(D(2024, 1, 1), "08:00"))
    check(people, utc(2024, 1, 2, 8, 30), strength=5)  # 24.5 h later
    result = period(people, D(2024, 1, 2), D(2024, 1, 2))
    assert result.checks[0].hours_since_dose == {}
    assert result.dose_curves[0].points == ()


def checks_after_morning_doses(people: People, medication: Medication, *, days: int, late_days: int) -> None:
    """Each day a dose at 08:00 and a check at 09:30 (strength 7); on ``late_days`` of them one at 12:30 too (4)."""
    for n in range(days):
        day = D(2024, 1, 1) + dt.timedelta(days=n)  # London is on UTC in January
        dose(people, medication, DoseStatus.TAKEN, slot=(day, "08:00"))
        check(people, utc(2024, 1, 1 + n, 9, 30), strength=7)
        if n < late_days:
            check(people, utc(2024, 1, 1 + n, 12, 30), strength=4)


def test_an_hour_after_a_dose_needs_ten_checks_before_its_average_is_stated(people: People) -> None:
    med = medicine(people, times=["08:00", "20:00"], start=D(2024, 1, 1))
    checks_after_morning_doses(people, med, days=12, late_days=9)
    [curve] = period(people, D(2024, 1, 1), D(2024, 1, 12)).dose_curves
    # 12 checks 1-2 h after the dose, 9 checks 4-5 h after: only the first is a bin.
    assert [(b.start_hour, b.checks, b.mean_strength) for b in curve.bins] == [(1, 12, 7.0)]
    text = curve.sentence(str)
    assert "highest" not in text
    assert "Not enough data to compare hours: an hour needs at least 10 quick checks" in text


def test_a_stated_pattern_after_a_dose_says_how_many_checks_it_rests_on(people: People) -> None:
    med = medicine(people, times=["08:00", "20:00"], start=D(2024, 1, 1))
    checks_after_morning_doses(people, med, days=11, late_days=10)
    [curve] = period(people, D(2024, 1, 1), D(2024, 1, 11)).dose_curves
    assert [(b.start_hour, b.checks) for b in curve.bins] == [(1, 11), (4, 10)]
    assert curve.sentence(lambda v: f"{v:g}") == (
        "21 quick checks within 24 hours after a dose of Amifampridine (3,4-DAP). Average strength was highest "
        "1–2 h after a dose (7 of 10, based on 11 checks) and lowest 4–5 h after (4, based on 10 checks)."
    )


def test_hours_after_a_dose_with_the_same_average_are_not_called_enough_data(people: People) -> None:
    med = medicine(people, times=["08:00", "20:00"], start=D(2024, 1, 1))
    for n in range(10):
        dose(people, med, DoseStatus.TAKEN, slot=(D(2024, 1, 1) + dt.timedelta(days=n), "08:00"))
        check(people, utc(2024, 1, 1 + n, 9, 30), strength=5)
        check(people, utc(2024, 1, 1 + n, 12, 30), strength=5)
    [curve] = period(people, D(2024, 1, 1), D(2024, 1, 10)).dose_curves
    assert curve.sentence(str).endswith("Average strength was the same in each of the 2 hours with at least 10 checks.")


def test_a_medicine_taken_once_a_day_has_no_dose_timing_curve(people: People) -> None:
    prednisone = medicine(people, times=["08:00"], start=D(2024, 1, 1), kind=MedicineKind.PREDNISONE)
    checks_after_morning_doses(people, prednisone, days=11, late_days=10)
    result = period(people, D(2024, 1, 1), D(2024, 1, 11))
    [found] = result.medicines
    assert found.times_a_day == 1 and not found.has_dose_timing
    assert result.dose_curves == ()


def test_an_hour_of_the_day_needs_ten_checks_to_be_the_strongest_or_weakest(people: People) -> None:
    for n in range(10):
        check(people, utc(2024, 1, 1 + n, 9, 30), strength=6)
    for n in range(9):
        check(people, utc(2024, 1, 1 + n, 12, 30), strength=2)  # one check short of a bin
    check(people, utc(2024, 1, 11, 15, 0), strength=10)
    result = period(people, D(2024, 1, 1), D(2024, 1, 11))
    assert [(h.hour, h.checks, h.enough) for h in result.strength_by_hour] == [
        (9, 10, True),
        (12, 9, False),
        (15, 1, False),
    ]
    assert result.strongest_hour == result.weakest_hour == result.strength_by_hour[0]


# --- adherence -------------------------------------------------------------------------------


def test_adherence_counts_on_time_late_skipped_missed_and_extra_per_iso_week(people: People) -> None:
    med = medicine(people, times=["08:00", "20:00"], start=D(2024, 1, 5))  # Friday
    dose(people, med, DoseStatus.TAKEN, slot=(D(2024, 1, 5), "08:00"))
    dose(people, med, DoseStatus.LATE, slot=(D(2024, 1, 5), "20:00"), taken_at=utc(2024, 1, 5, 21, 30))
    dose(people, med, DoseStatus.SKIPPED, slot=(D(2024, 1, 6), "08:00"))
    # 6 January 20:00: nothing logged (missed)
    dose(people, med, DoseStatus.TAKEN, slot=(D(2024, 1, 7), "08:00"))
    dose(people, med, DoseStatus.EXTRA, taken_at=utc(2024, 1, 7, 14, 0))
    # 7 January 20:00: missed. Monday 8 January: 08:00 taken, 20:00 not yet due.
    dose(people, med, DoseStatus.TAKEN, slot=(D(2024, 1, 8), "08:00"))
    result = period(people, D(2024, 1, 3), D(2024, 1, 8), now=utc(2024, 1, 8, 12, 0))
    weeks = [(w.start, w.on_time, w.late, w.skipped, w.missed, w.extra) for w in result.adherence]
    assert weeks == [(D(2024, 1, 1), 2, 1, 1, 2, 1), (D(2024, 1, 8), 1, 0, 0, 0, 0)]
    total = result.adherence_total
    assert (total.scheduled, total.on_time, total.missed, total.extra) == (7, 3, 2, 1)
    assert result.adherence[0].iso_week == (2024, 1)


def test_adherence_is_counted_per_medicine_with_every_version_together(people: People) -> None:
    amifampridine = medicine(people, times=["08:00", "20:00"], start=D(2024, 1, 1))
    pyridostigmine = medicine(people, times=["12:00"], start=D(2024, 1, 1), kind=MedicineKind.PYRIDOSTIGMINE)
    for n in range(4):
        day = D(2024, 1, 1) + dt.timedelta(days=n)
        dose(people, amifampridine, DoseStatus.TAKEN, slot=(day, "08:00"))
        dose(people, amifampridine, DoseStatus.LATE, slot=(day, "20:00"), taken_at=utc(2024, 1, 1 + n, 21, 0))
        dose(people, pyridostigmine, DoseStatus.SKIPPED if n < 2 else DoseStatus.TAKEN, slot=(day, "12:00"))
    # A new version of amifampridine from 5 January: its doses count with the old ones.
    newer = medication_replace(
        current=amifampridine, changes={"dose_amount": Decimal(15)}, from_day=D(2024, 1, 5), by=people.owner
    )
    dose(people, newer, DoseStatus.TAKEN, slot=(D(2024, 1, 5), "08:00"))
    # 5 January 20:00 and pyridostigmine's 12:00: nothing logged.
    dose(people, pyridostigmine, DoseStatus.EXTRA, taken_at=utc(2024, 1, 5, 18, 0))
    result = period(people, D(2024, 1, 1), D(2024, 1, 5), now=utc(2024, 2, 1))
    rows = {
        a.medicine.label: (a.scheduled, a.on_time, a.late, a.skipped, a.missed, a.extra)
        for a in result.adherence_by_medicine
    }
    assert rows == {"Amifampridine (3,4-DAP)": (10, 5, 4, 0, 1, 0), "Pyridostigmine": (5, 2, 0, 2, 1, 1)}
    ami, pyr = result.adherence_by_medicine
    assert (ami.taken_percent, ami.late_percent, ami.skipped_percent, ami.missed_percent) == (90, 40, 0, 10)
    assert (pyr.taken_percent, pyr.late_percent, pyr.skipped_percent, pyr.missed_percent) == (40, 0, 40, 20)
    # The pooled counts are still their sum.
    assert result.adherence_total.scheduled == 15


def test_a_dose_change_reads_old_to_new_with_its_date(people: People) -> None:
    med = Medication.objects.create(
        diary=people.diary,
        kind=MedicineKind.AMIFAMPRIDINE,
        dose_amount=Decimal(10),
        times=["07:00", "11:00", "15:00", "19:00"],
        start_date=D(2024, 1, 1),
        created_by=people.owner,
        updated_by=people.owner,
    )
    newer = medication_replace(
        current=med, changes={"dose_amount": Decimal(15)}, from_day=D(2024, 1, 10), by=people.owner
    )
    medication_replace(
        current=newer, changes={"times": ["07:00", "11:00", "16:00", "19:00"]}, from_day=D(2024, 1, 20), by=people.owner
    )
    result = period(people, D(2024, 1, 5), D(2024, 1, 31))
    assert [(c.day, c.change, c.text) for c in result.medication_changes] == [
        (D(2024, 1, 10), "changed", "Amifampridine (3,4-DAP): 10 mg × 4 a day → 15 mg × 4 a day"),
        (
            D(2024, 1, 20),
            "changed",
            "Amifampridine (3,4-DAP): 15 mg × 4 a day (07:00, 11:00, 15:00, 19:00) → "
            "15 mg × 4 a day (07:00, 11:00, 16:00, 19:00)",
        ),
    ]
    started = period(people, D(2024, 1, 1), D(2024, 1, 2)).medication_changes
    assert [c.text for c in started] == ["Started Amifampridine (3,4-DAP), 10 mg × 4 a day"]


def test_slots_before_the_first_logged_dose_are_not_missed(people: People) -> None:
    med = medicine(people, times=["08:00"], start=D(2023, 1, 1))  # prescribed long before the diary
    dose(people, med, DoseStatus.TAKEN, slot=(D(2024, 1, 10), "08:00"))
    result = period(people, D(2024, 1, 1), D(2024, 1, 11), now=utc(2024, 2, 1))
    assert (result.adherence_total.on_time, result.adherence_total.missed) == (1, 1)  # only 11 January


def test_a_stopped_prescription_has_no_slots_after_it_stops(people: People) -> None:
    med = medicine(people, times=["08:00"], start=D(2024, 1, 1))
    dose(people, med, DoseStatus.TAKEN, slot=(D(2024, 1, 1), "08:00"))
    medication_stop(medication=med, on=D(2024, 1, 3), by=people.owner)
    result = period(people, D(2024, 1, 1), D(2024, 1, 10), now=utc(2024, 2, 1))
    assert (result.adherence_total.on_time, result.adherence_total.missed) == (1, 2)
    assert [(c.day, c.change) for c in result.medication_changes] == [
        (D(2024, 1, 1), "started"),
        (D(2024, 1, 3), "stopped"),
    ]


# --- rests, markers --------------------------------------------------------------------------


def test_rests_per_day_and_energy_before_and_after(people: People) -> None:
    rest(people, utc(2024, 1, 10, 13, 0), 30, planned=True, before=3, after=6)
    rest(people, utc(2024, 1, 10, 16, 0), 20, planned=False, before=2, after=3)
    rest(people, utc(2024, 1, 11, 10, 0), 45, planned=True, before=5, after=6)
    rest(people, utc(2024, 1, 11, 15, 0), 15, planned=None)  # no energy given
    running = rest_start(diary=people.diary, by=people.owner, token=uuid.uuid4(), at=utc(2024, 1, 11, 18, 0))
    assert running.ended_at is None  # a rest still running is not counted yet
    result = period(people, D(2024, 1, 10), D(2024, 1, 12))
    days = [(r.planned_minutes, r.unplanned_minutes, r.unmarked_minutes, r.count) for r in result.rest_days]
    assert days == [(30, 20, 0, 2), (45, 0, 15, 2), (0, 0, 0, 0)]
    energy = {e.kind: (e.rests, e.minutes, e.rated_rests, e.mean_before, e.mean_after) for e in result.rest_energy}
    assert energy["planned"] == (2, 75, 2, 4.0, 6.0)
    assert energy["unplanned"] == (1, 20, 1, 2.0, 3.0)
    assert energy["unmarked"] == (1, 15, 0, None, None)
    assert energy["all"] == (4, 110, 3, pytest.approx(10 / 3), 5.0)
    assert (result.weeks[0].rest_minutes_planned, result.weeks[0].rests) == (75, 4)


def test_treatment_sessions_and_medicine_events_are_markers(people: People) -> None:
    TreatmentSession.objects.create(diary=people.diary, kind=TreatmentKind.IVIG, date=D(2024, 2, 5))
    TreatmentSession.objects.create(diary=people.diary, kind=TreatmentKind.IVIG, date=D(2024, 1, 5))  # before
    Event.objects.create(
        diary=people.diary,
        kind=EventKind.MEDICINE_CHANGE,
        occurred_at=utc(2024, 2, 7, 9),
        medicine_name="Clarithromycin",
        medicine_started=True,
    )
    result = period(people, D(2024, 2, 1), D(2024, 2, 10))
    assert [(t.day, t.label) for t in result.treatments] == [(D(2024, 2, 5), "IVIG (immunoglobulin drip)")]
    assert [(c.day, c.text) for c in result.medication_changes] == [(D(2024, 2, 7), "Started Clarithromycin")]


def test_an_episodic_symptom_counts_its_days_with_any_symptom_beside_its_median(people: People) -> None:
    for n in range(10):
        if n != 9:  # the last day is not logged
            log(people, D(2024, 1, 1) + dt.timedelta(days=n), breathlessness=2 if n in (0, 4, 7) else 0, dry_mouth=1)
    result = period(people, D(2024, 1, 1), D(2024, 1, 10))
    breath = result.items["breathlessness"]
    assert (breath.episodic, breath.symptom_days, breath.rated_days) == (True, 3, 9)
    assert summary.symptom_days_text(breath) == "Any symptom on 3 of 9 days logged."
    assert summary.median([v for v in breath.values if v is not None]) == 0  # what the median alone would say
    assert not result.items["dry_mouth"].episodic
    assert set(summary.EPISODIC_FIELDS) == {
        "speech",
        "chewing",
        "swallowing",
        "choking",
        "double_vision",
        "eyelid_droop",
        "breathlessness",
        "dizziness_standing",
    }


# --- heat map and observations --------------------------------------------------------------


def test_heat_rows_count_the_troubling_answers(people: People) -> None:
    log(people, D(2024, 1, 1), dry_mouth=2, bowel_movement=0, choking=1, straining=0)
    log(people, D(2024, 1, 2), dry_mouth=1, bowel_movement=1, choking=0, straining=1)
    rows = {
        r.item.field: (r.rated_days, r.trouble_days) for r in period(people, D(2024, 1, 1), D(2024, 1, 2)).heat_rows
    }
    assert rows["dry_mouth"] == (2, 1)
    assert rows["bowel_movement"] == (2, 1)
    assert rows["choking"] == (2, 1)
    assert rows["straining"] == (2, 1)
    assert rows["speech"] == (0, 0)


def log_heat_days(people: People, hot_days: int, other_days: int) -> None:
    day = D(2024, 6, 1)
    for n in range(hot_days):
        log(people, day + dt.timedelta(days=n), hot_environment=1, weakness_hips=3 if n % 2 else 2)
    for n in range(other_days):
        # "Not hot" is either a "no" or no answer at all.
        scores = {"weakness_hips": 1} | ({"hot_environment": 0} if n % 2 else {})
        log(people, day + dt.timedelta(days=hot_days + n), **scores)


def test_an_observation_states_the_numbers_with_ten_days_on_each_side(people: People) -> None:
    log_heat_days(people, hot_days=11, other_days=12)
    result = period(people, D(2024, 6, 1), D(2024, 6, 30))
    heat = [o for o in result.observations if o.condition == "heat"]
    assert len(heat) == 1  # fatigue was not rated
    # Hot days: six rated 2 and five rated 3.
    assert (heat[0].days_with, heat[0].mean_with, heat[0].days_without, heat[0].mean_without) == (11, 27 / 11, 12, 1.0)
    assert heat[0].text == (
        "On the 11 days you logged heat, leg weakness (0 to 3) averaged 2.5; on the 12 other days 1."
    )


# A comparison of days needs 10 on each side (docs/clinical-safety.md section 3; it was 5 before).
@pytest.mark.parametrize(("hot_days", "other_days"), [(9, 20), (20, 9)])
def test_no_observation_with_fewer_than_ten_days_on_a_side(people: People, hot_days: int, other_days: int) -> None:
    log_heat_days(people, hot_days=hot_days, other_days=other_days)
    result = period(people, D(2024, 6, 1), D(2024, 6, 30))
    assert [o for o in result.observations if o.condition == "heat"] == []


def test_days_with_a_skipped_or_missed_dose_are_compared_with_other_dose_days(people: People) -> None:
    med = medicine(people, times=["08:00"], start=D(2024, 1, 1))
    for n in range(20):
        day = D(2024, 1, 1) + dt.timedelta(days=n)
        if n < 10:
            dose(people, med, DoseStatus.TAKEN, slot=(day, "08:00"))
        elif n < 14:
            dose(people, med, DoseStatus.SKIPPED, slot=(day, "08:00"))
        # days 14-19: nothing logged (missed)
        log(people, day, weakness_hips=1 if n < 10 else 3)
    result = period(people, D(2024, 1, 1), D(2024, 1, 20), now=utc(2024, 2, 1))
    (found,) = [o for o in result.observations if o.condition == "dose_missed"]
    assert (found.days_with, found.mean_with, found.days_without, found.mean_without) == (10, 3.0, 10, 1.0)
    assert "On the 10 days with a skipped or missed dose" in found.text
    assert found.text.endswith("on the 10 other days with doses scheduled 1.")


# --- weeks and months of a long period -------------------------------------------------------
# 1 January 2024 is a Monday; 1 January to 31 May is 152 days: a point per week, a table row per week.
LONG_START, LONG_END = D(2024, 1, 1), D(2024, 5, 31)


def log_a_long_period(people: People) -> summary.PeriodSummary:
    log(people, D(2024, 1, 1), fatigue=2, dry_mouth=3, bowel_movement=0)
    log(people, D(2024, 1, 3), fatigue=6, dry_mouth=1, bowel_movement=1)
    log(people, D(2024, 1, 6), fatigue=5, dry_mouth=2)
    log(people, D(2024, 1, 9), fatigue=4)  # the second week
    log(people, D(2024, 2, 1), fatigue=8)  # Thursday of the week of 29 January
    rest(people, utc(2024, 1, 2, 13, 0), 30, planned=True)  # London is on UTC in winter
    rest(people, utc(2024, 1, 7, 15, 0), 20, planned=False)
    rest(people, utc(2024, 1, 8, 13, 0), 10, planned=True)
    return period(people, LONG_START, LONG_END)


def test_weekly_medians_heat_levels_and_rest_totals(people: People) -> None:
    result = log_a_long_period(people)
    assert result.weekly_points and not result.daily_rows and not result.monthly_rows
    assert len(result.weeks) == 22 and result.weeks[-1].start == D(2024, 5, 27)
    first, second = result.weeks[0], result.weeks[1]
    assert (first.start, first.end, first.days_logged, second.days_logged) == (D(2024, 1, 1), D(2024, 1, 7), 3, 1)
    assert first.medians["fatigue"] == 5.0  # 2, 6, 5
    assert second.medians["fatigue"] == 4.0
    assert result.weeks[4].start == D(2024, 1, 29) and result.weeks[4].medians["fatigue"] == 8.0
    assert result.weeks[2].medians["fatigue"] is None
    # Dry mouth 3, 1, 2: two troublesome days (2 or more), heat levels 3, 1, 2 -> median 2.
    assert first.heat["dry_mouth"] == summary.HeatSpan(rated_days=3, trouble_days=2, level=2.0)
    # Bowel movement "no" (0) is the troublesome answer: levels 3 and 0 -> median 1.5.
    assert first.heat["bowel_movement"] == summary.HeatSpan(rated_days=2, trouble_days=1, level=1.5)
    assert second.heat["dry_mouth"] == summary.HeatSpan(rated_days=0, trouble_days=0, level=None)
    # 30 min planned on Tuesday and 20 unplanned on Sunday; the 10 on Monday 8 January is the next week.
    assert (first.rest_minutes_planned, first.rest_minutes_unplanned, first.rests) == (30, 20, 2)
    assert (second.rest_minutes_planned, second.rests) == (10, 1)


def test_monthly_medians_and_rest_totals_are_cut_to_the_period(people: People) -> None:
    result = log_a_long_period(people)
    months = [(m.start, m.end, m.days_logged) for m in result.months]
    assert months == [
        (D(2024, 1, 1), D(2024, 1, 31), 4),
        (D(2024, 2, 1), D(2024, 2, 29), 1),
        (D(2024, 3, 1), D(2024, 3, 31), 0),
        (D(2024, 4, 1), D(2024, 4, 30), 0),
        (D(2024, 5, 1), D(2024, 5, 31), 0),
    ]
    assert result.months[0].medians["fatigue"] == 4.5  # 2, 6, 5, 4
    assert result.months[1].medians["fatigue"] == 8.0
    assert result.months[2].medians["fatigue"] is None
    assert (result.months[0].rest_minutes_planned, result.months[0].rest_minutes_unplanned) == (40, 20)
    assert result.months[0].rests == 3
    # A period from the middle of a month starts its first month there.
    short = period(people, D(2024, 1, 3), D(2024, 2, 1))
    assert [(m.start, m.end) for m in short.months] == [(D(2024, 1, 3), D(2024, 1, 31)), (D(2024, 2, 1), D(2024, 2, 1))]
    assert short.months[0].medians["fatigue"] == 5.0  # 6, 5, 4


def test_doses_per_month(people: People) -> None:
    med = medicine(people, times=["08:00"], start=D(2024, 1, 30))
    dose(people, med, DoseStatus.TAKEN, slot=(D(2024, 1, 30), "08:00"))
    dose(people, med, DoseStatus.SKIPPED, slot=(D(2024, 1, 31), "08:00"))
    # 1 and 2 February: nothing logged (missed); 3 February 08:00 is after "now".
    dose(people, med, DoseStatus.EXTRA, taken_at=utc(2024, 2, 2, 14, 0))
    result = period(people, LONG_START, LONG_END, now=utc(2024, 2, 3, 7, 0))
    months = [(m.start, m.on_time, m.late, m.skipped, m.missed, m.extra) for m in result.adherence_months]
    assert months == [(D(2024, 1, 1), 1, 0, 1, 0, 0), (D(2024, 2, 1), 0, 0, 0, 2, 1)]
    # The same doses by ISO week: Tuesday 30 January to Friday 2 February is one week.
    assert [(w.start, w.on_time, w.skipped, w.missed, w.extra) for w in result.adherence] == [
        (D(2024, 1, 29), 1, 1, 2, 1)
    ]


@pytest.mark.parametrize(
    ("days", "weekly_points", "daily_rows", "monthly_rows"),
    [(62, False, True, False), (120, False, False, False), (121, True, False, False), (372, True, False, True)],
)
def test_long_periods_are_drawn_by_week_and_listed_by_week_or_month(
    people: People, days: int, weekly_points: bool, daily_rows: bool, monthly_rows: bool
) -> None:
    result = period(people, D(2024, 1, 1), D(2024, 1, 1) + dt.timedelta(days=days - 1))
    assert (result.weekly_points, result.daily_rows, result.monthly_rows) == (weekly_points, daily_rows, monthly_rows)


# --- bounds and query counts -----------------------------------------------------------------


def test_data_bounds_find_the_first_local_day_of_any_data(people: People) -> None:
    assert summary.data_bounds(diary=people.diary) == summary.DataBounds(None, None)
    log(people, D(2024, 5, 1), fatigue=3)
    check(people, utc(2024, 4, 20, 23, 30), strength=5)  # 00:30 on 21 April in London
    med = medicine(people, times=["08:00"], start=D(2020, 1, 1))  # a prescription date is not data
    dose(people, med, DoseStatus.TAKEN, slot=(D(2024, 4, 25), "08:00"))
    assert summary.data_bounds(diary=people.diary) == summary.DataBounds(D(2024, 4, 21), D(2024, 4, 25))


def test_the_summary_takes_the_same_queries_for_a_week_and_for_years(
    people: People, django_assert_num_queries: Any
) -> None:
    medicine(people, times=["08:00"], start=D(2022, 1, 1))
    medicine(people, times=["09:00"], start=D(2022, 1, 1), kind=MedicineKind.PYRIDOSTIGMINE)
    bounds = summary.data_bounds(diary=people.diary)
    # entries, medications, quick checks, rests, doses, treatment sessions, medicine events
    for start in (D(2024, 1, 1), D(2021, 1, 1)):
        with django_assert_num_queries(7):
            summary.period_summary(diary=people.diary, start=start, end=D(2024, 1, 7), bounds=bounds)


def test_a_period_cannot_end_before_it_starts(people: People) -> None:
    with pytest.raises(ValueError):
        period(people, D(2024, 1, 2), D(2024, 1, 1))


# --- tips -----------------------------------------------------------------------------------


def test_tip_signals_read_recent_days_events_and_unplanned_rests(
    people: People, django_assert_num_queries: Any
) -> None:
    today = D(2024, 1, 20)
    for n in range(3):
        log(people, today - dt.timedelta(days=n), fatigue=8, weakness_hips=2, hot_environment=1)
    log(people, today - dt.timedelta(days=10), fatigue=2)  # outside the 7-day window, inside fatigue's 14
    log(people, today - dt.timedelta(days=20), fatigue=9)  # too old for anything
    Event.objects.create(diary=people.diary, kind=EventKind.NEAR_FALL, occurred_at=utc(2024, 1, 1, 10))
    Event.objects.create(diary=people.diary, kind=EventKind.PROCEDURE, occurred_at=utc(2024, 2, 3, 9))  # 14 days ahead
    Event.objects.create(
        diary=people.diary, kind=EventKind.MEDICINE_CHANGE, occurred_at=utc(2024, 1, 15, 9), medicine_started=False
    )
    for n in range(3):
        rest(people, utc(2024, 1, 18 + n % 2, 14 + n), 20, planned=False)
    rest(people, utc(2024, 1, 19, 9), 20, planned=True)
    # day entries, events, medicines added, rests, quick checks, doses
    with django_assert_num_queries(6):
        signals = summary.tip_signals(diary=people.diary, today=today)
    assert signals.days_logged_recent == 3
    assert (signals.fatigue_days_checked, signals.high_fatigue_days) == (4, 3)
    assert signals.hot_days == 3
    assert signals.falls_recent == 1
    assert signals.procedure_in_days == 14 and signals.procedure_upcoming_or_recent is True
    assert signals.new_medicines_recent == 0  # a stopped medicine is not a new one
    assert signals.unplanned_rests_recent == 3


def test_tip_signals_of_an_empty_diary_have_no_data(people: People) -> None:
    assert summary.tip_signals(diary=people.diary, today=D(2024, 1, 1)).has_any_data is False


def test_the_diary_zone_is_the_people_fixture_zone(people: People) -> None:
    # The tests above reason in London time.
    assert Diary.objects.get(pk=people.diary.pk).time_zone == "Europe/London"
