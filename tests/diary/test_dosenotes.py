"""The "exceeds the prescription you entered" notes, on unsaved doses and prescriptions.

The notes compare only with the prescription the person entered; these tests pin each
comparison at its boundary so that a changed rule fails here (``make mutation``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from diary.dosenotes import DAY_TOTAL, ONE_DOSE, DoseNote, dose_notes
from diary.models import DoseLog, DoseStatus, Medication

MORNING = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def prescription(pk: int, dose: str = "10", times: int = 2) -> Medication:
    """A prescription of ``dose`` per dose, ``times`` a day (daily total ``dose * times``)."""
    return Medication(
        pk=pk,
        kind="amifampridine",
        dose_amount=Decimal(dose),
        times=[f"{8 + 4 * n:02d}:00" for n in range(times)],
        start_date=dt.date(2026, 1, 1),
    )


def dose(
    medication: Medication, amount: str | None, status: str = DoseStatus.TAKEN, at: dt.datetime = MORNING
) -> DoseLog:
    return DoseLog(
        medication=medication, amount=None if amount is None else Decimal(amount), status=status, taken_at=at
    )


def test_doses_within_the_prescription_get_no_note() -> None:
    medicine = prescription(1)
    assert dose_notes([dose(medicine, "10"), dose(medicine, "10", at=NOON)]) == []


def test_no_doses_no_notes() -> None:
    assert dose_notes([]) == []


def test_a_dose_above_the_amount_per_dose_gets_its_own_note() -> None:
    medicine = prescription(1, times=3)
    assert dose_notes([dose(medicine, "10.5", at=NOON)]) == [
        DoseNote(medicine, ONE_DOSE, Decimal("10.5"), Decimal("10"), NOON)
    ]


def test_a_dose_exactly_the_amount_per_dose_gets_no_note() -> None:
    assert dose_notes([dose(prescription(1, times=3), "10")]) == []


def test_a_day_above_the_daily_total_gets_a_note_with_the_days_total() -> None:
    medicine = prescription(1, times=2)
    logs = [dose(medicine, "10"), dose(medicine, "10", at=NOON), dose(medicine, "5", status=DoseStatus.EXTRA)]
    assert dose_notes(logs) == [DoseNote(medicine, DAY_TOTAL, Decimal("25"), Decimal("20"))]


def test_a_day_of_exactly_the_daily_total_gets_no_note() -> None:
    medicine = prescription(1, times=2)
    assert dose_notes([dose(medicine, "5"), dose(medicine, "10"), dose(medicine, "5", status=DoseStatus.LATE)]) == []


def test_one_large_dose_above_both_gets_a_dose_note_then_a_day_note() -> None:
    medicine = prescription(1, dose="10", times=1)
    assert dose_notes([dose(medicine, "15", at=NOON)]) == [
        DoseNote(medicine, ONE_DOSE, Decimal("15"), Decimal("10"), NOON),
        DoseNote(medicine, DAY_TOTAL, Decimal("15"), Decimal("10")),
    ]


def test_skipped_doses_count_for_nothing_even_with_an_amount() -> None:
    medicine = prescription(1, times=1)
    logs = [dose(medicine, "50", status=DoseStatus.SKIPPED), dose(medicine, "10")]
    assert dose_notes(logs) == []


def test_a_skipped_dose_does_not_stop_the_doses_after_it_from_counting() -> None:
    medicine = prescription(1, times=1)
    logs = [dose(medicine, "10", status=DoseStatus.SKIPPED), dose(medicine, "12", at=NOON)]
    assert dose_notes(logs) == [
        DoseNote(medicine, ONE_DOSE, Decimal("12"), Decimal("10"), NOON),
        DoseNote(medicine, DAY_TOTAL, Decimal("12"), Decimal("10")),
    ]


def test_doses_without_an_amount_count_for_nothing() -> None:
    medicine = prescription(1, times=1)
    logs = [dose(medicine, None), dose(medicine, None, status=DoseStatus.EXTRA), dose(medicine, "10")]
    assert dose_notes(logs) == []


def test_each_medicine_is_totalled_against_its_own_prescription() -> None:
    first, second = prescription(1, dose="10", times=2), prescription(2, dose="5", times=1)
    logs = [dose(first, "10"), dose(second, "5"), dose(first, "10"), dose(second, "1", status=DoseStatus.EXTRA)]
    assert dose_notes(logs) == [DoseNote(second, DAY_TOTAL, Decimal("6"), Decimal("5"))]


def test_dose_notes_come_before_day_notes_and_day_notes_follow_the_first_dose_of_each_medicine() -> None:
    first, second = prescription(1, dose="10", times=1), prescription(2, dose="5", times=1)
    logs = [dose(second, "3"), dose(first, "11", at=NOON), dose(second, "3")]
    assert dose_notes(logs) == [
        DoseNote(first, ONE_DOSE, Decimal("11"), Decimal("10"), NOON),
        DoseNote(second, DAY_TOTAL, Decimal("6"), Decimal("5")),
        DoseNote(first, DAY_TOTAL, Decimal("11"), Decimal("10")),
    ]


@pytest.mark.parametrize(("kind", "expected"), [(ONE_DOSE, True), (DAY_TOTAL, False)])
def test_a_note_says_whether_it_is_about_one_dose(kind: str, expected: bool) -> None:
    note = DoseNote(prescription(1), kind, Decimal("12"), Decimal("10"))
    assert note.is_one_dose is expected
    assert note.taken_at is None
