"""The demo account built by ``manage.py seed_demo``."""

from __future__ import annotations

import bisect
import collections
import datetime as dt
import re
import statistics
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from accounts.models import User
from diary import alerts, redflags, scales
from diary.demo import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    DEMO_URL,
    SKIP_REASONS,
    build_demo,
    demo_today,
)
from diary.models import (
    DayEntry,
    Diary,
    DoseLog,
    DoseStatus,
    Event,
    EventKind,
    Injury,
    Medication,
    MedicineKind,
    QuickCheck,
    RestPeriod,
    RestTrigger,
    SideEffect,
    SideEffectSymptom,
    TreatmentKind,
    TreatmentSession,
)
from diary.services import doses_due, local_moment


def run(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def demo_diary() -> Diary:
    return Diary.objects.for_user(User.objects.get(email=DEMO_EMAIL)).get()


@pytest.fixture
def half_year(db: None) -> list[DayEntry]:
    """The default 182 days ending today."""
    run()
    return list(demo_diary().day_entries.order_by("date"))


@pytest.fixture
def summer_half_year(db: None) -> list[DayEntry]:
    """182 days ending on a fixed day: a winter run date can hold too few hot days to compare."""
    build_demo(today=dt.date(2026, 9, 30))
    return list(demo_diary().day_entries.order_by("date"))


@pytest.mark.django_db
def test_builds_an_account_that_can_sign_in() -> None:
    out = run("--days", "30")

    user = User.objects.get(email=DEMO_EMAIL)
    assert user.check_password(DEMO_PASSWORD)
    assert user.display_name == "Demo patient"
    diary = demo_diary()
    assert diary.patient_name == "Alex Demo"
    assert diary.time_zone == "Europe/London"
    entries = diary.day_entries.all()
    assert 27 <= entries.count() <= 30
    assert entries.filter(date=demo_today()).exists()
    assert entries.order_by("date").first().date >= demo_today() - dt.timedelta(days=29)
    assert diary.quick_checks.count() >= 2 * (entries.count() - 1)
    assert not entries.exclude(created_by=user).exists()
    assert not diary.quick_checks.exclude(updated_by=user).exists()
    for text in (DEMO_URL, DEMO_EMAIL, DEMO_PASSWORD):
        assert text in out


@pytest.mark.django_db
def test_if_missing_keeps_the_existing_demo() -> None:
    run("--days", "30")
    diary = demo_diary()
    entries, checks = DayEntry.objects.count(), QuickCheck.objects.count()

    out = run("--if-missing", "--days", "30")

    assert "already exists" in out
    assert DEMO_PASSWORD in out
    assert demo_diary().pk == diary.pk
    assert (DayEntry.objects.count(), QuickCheck.objects.count()) == (entries, checks)


@pytest.mark.django_db
def test_running_again_replaces_the_demo() -> None:
    run("--days", "30")
    first = demo_diary()
    entries = DayEntry.objects.count()

    run("--days", "30")

    assert User.objects.filter(email=DEMO_EMAIL).count() == 1
    assert Diary.objects.count() == 1
    assert demo_diary().pk != first.pk
    assert DayEntry.objects.count() == entries


@pytest.mark.django_db
def test_same_seed_same_data() -> None:
    today = dt.date(2026, 7, 15)

    def values() -> list[tuple[object, ...]]:
        diary = build_demo(days=60, seed=3, today=today)
        return list(diary.day_entries.order_by("date").values_list("date", "note", *scales.ITEM_FIELDS))

    first = values()
    assert values() == first
    assert first[-1][0] == today


@pytest.mark.django_db
def test_quick_checks_are_at_local_daytime() -> None:
    diary = build_demo(days=30, seed=7, today=dt.date(2026, 3, 31))  # crosses the change to summer time

    hours = {diary.local(check.taken_at).hour for check in diary.quick_checks.all()}
    assert hours <= {8, 11, 12, 15, 16, 19, 20}
    for check in diary.quick_checks.all():
        assert 0 <= check.strength <= 10
        assert 0 <= check.fatigue <= 10
    per_day = {}
    for check in diary.quick_checks.all():
        per_day.setdefault(diary.local(check.taken_at).date(), []).append(check)
    assert set(per_day) == set(diary.day_entries.values_list("date", flat=True))
    assert all(2 <= len(checks) <= 4 for checks in per_day.values())


def test_every_value_is_on_its_scale(half_year: list[DayEntry]) -> None:
    for entry in half_year:
        for item in scales.ITEMS:
            value = getattr(entry, item.field)
            assert value is None or value in item.scale.values, (entry.date, item.field, value)
        assert entry.breathlessness != 3
        assert entry.choking != 2
    rated = [entry for entry in half_year if entry.rated_count() == len(scales.DAILY_ITEMS)]
    assert len(rated) >= 0.85 * len(half_year)


def test_today_shows_no_emergency_or_same_day_alert(half_year: list[DayEntry]) -> None:
    today = half_year[-1]
    assert today.date == demo_today()
    hits = alerts.all_day_hits(diary=demo_diary(), day=today.date, entry=today)
    assert [hit for hit in hits if hit.level != redflags.DISCUSS] == []


def test_about_ninety_percent_of_days_logged(half_year: list[DayEntry]) -> None:
    assert 155 <= len(half_year) <= 170
    assert half_year[0].date == demo_today() - dt.timedelta(days=181)


def test_hot_days_are_weaker(summer_half_year: list[DayEntry]) -> None:
    hot = [entry.weakness_hips for entry in summer_half_year if entry.hot_environment == 1]
    other = [entry.weakness_hips for entry in summer_half_year if entry.hot_environment == 0]
    assert 0.05 * len(summer_half_year) <= len(hot) <= 0.35 * len(summer_half_year)
    assert statistics.mean(hot) > statistics.mean(other) + 0.4


def test_bad_spells_and_sleep(half_year: list[DayEntry]) -> None:
    ill = [entry for entry in half_year if entry.illness_fever == 1]
    well = [entry for entry in half_year if entry.illness_fever == 0]
    assert ill
    assert statistics.mean(e.percent_normal for e in ill) < statistics.mean(e.percent_normal for e in well) - 10
    rated = [entry for entry in half_year if entry.fatigue is not None and entry.sleep_quality is not None]
    assert statistics.correlation([e.fatigue for e in rated], [e.sleep_quality for e in rated]) < -0.2
    assert any(entry.note for entry in half_year)


# --- Medications, doses, rests, treatments and events -------------------------------------


def local_date(diary: Diary, moment: dt.datetime) -> dt.date:
    return diary.local(moment).date()


def test_command_reports_what_it_built(db: None) -> None:
    out = run()

    for kind in (
        "days",
        "quick checks",
        "medications",
        "doses",
        "side effects",
        "rests",
        "treatment sessions",
        "events",
    ):
        assert re.search(rf"\d+ {kind}", out), kind
    # Timing is machine-dependent, so it is shown (pytest -s), not asserted.
    print(re.search(r"in [\d.]+ s", out).group(0))  # type: ignore[union-attr]


def test_medications_keep_their_history(half_year: list[DayEntry]) -> None:
    diary = demo_diary()
    first_day, today = half_year[0].date, demo_today()
    old, new = diary.medications.filter(kind=MedicineKind.AMIFAMPRIDINE).order_by("start_date")
    assert (old.dose_amount, new.dose_amount) == (Decimal(10), Decimal(15))
    assert old.times == new.times == ["07:00", "11:00", "15:00", "19:00"]
    assert old.start_date == first_day
    assert old.end_date == new.start_date - dt.timedelta(days=1)
    assert new.previous == old
    assert new.end_date is None
    assert new.prescriber == "Dr Okafor"
    assert 0.55 <= (new.start_date - first_day).days / 182 <= 0.75  # about two thirds of the way in

    pyridostigmine = diary.medications.get(kind=MedicineKind.PYRIDOSTIGMINE)
    assert pyridostigmine.dose_amount == Decimal(60)
    assert pyridostigmine.times == ["08:00", "14:00", "20:00"]
    assert (pyridostigmine.start_date, pyridostigmine.end_date) == (first_day, None)
    prednisone = diary.medications.get(kind=MedicineKind.PREDNISONE)
    assert prednisone.dose_amount == Decimal(10)
    assert prednisone.times == ["08:00"]
    assert prednisone.start_date >= first_day + dt.timedelta(weeks=3)

    for medication in diary.medications.all():
        assert medication.strength is not None
        assert medication.unit == "mg"
    assert set(diary.medications.current_on(today)) == {new, pyridostigmine, prednisone}


def test_a_dose_log_for_every_scheduled_dose(half_year: list[DayEntry]) -> None:
    diary = demo_diary()
    today = demo_today()
    logged_days = {entry.date for entry in half_year}
    for day in sorted(logged_days - {today}):
        due, _extras = doses_due(diary=diary, day=day)
        expected = sum(len(m.times) for m in diary.medications.current_on(day))
        assert len(due) == expected
        assert all(d.log is not None for d in due), day
    due_today, _extras = doses_due(diary=diary, day=today)
    now = timezone.now()
    assert all(d.log is None for d in due_today if d.scheduled_for > now)
    # No doses on the days the diary was not filled in.
    assert {local_date(diary, log.scheduled_for or log.taken_at) for log in diary.dose_logs.all()} <= logged_days

    logs = list(diary.dose_logs.select_related("medication"))
    scheduled = [log for log in logs if log.scheduled_for is not None]
    share = collections.Counter(log.status for log in scheduled)
    assert share[DoseStatus.TAKEN] >= 0.85 * len(scheduled)
    assert 0.03 * len(scheduled) <= share[DoseStatus.LATE] <= 0.12 * len(scheduled)
    assert 0.01 * len(scheduled) <= share[DoseStatus.SKIPPED] <= 0.06 * len(scheduled)
    for log in scheduled:
        if log.status == DoseStatus.SKIPPED:
            assert log.skip_reason in SKIP_REASONS
            assert log.taken_at is None and log.amount is None
            continue
        assert log.amount == log.medication.dose_amount
        minutes = (log.taken_at - log.scheduled_for).total_seconds() / 60
        if log.status == DoseStatus.TAKEN:
            assert -20 <= minutes <= 20
        else:
            assert 40 <= minutes <= 150
    extras = [log for log in logs if log.status == DoseStatus.EXTRA]
    assert 1 <= len(extras) <= 10
    assert all(log.scheduled_for is None and log.taken_at is not None for log in extras)
    assert any(log.with_food for log in logs)


def test_nothing_in_the_future_and_no_running_rest(half_year: list[DayEntry]) -> None:
    diary = demo_diary()
    now = timezone.now()
    start_of_today = local_moment(diary, demo_today(), dt.time.min)
    assert not diary.dose_logs.filter(models.Q(taken_at__gt=now) | models.Q(scheduled_for__gt=now)).exists()
    assert not diary.rest_periods.filter(models.Q(started_at__gt=now) | models.Q(ended_at__gt=now)).exists()
    assert not diary.rest_periods.filter(ended_at__isnull=True).exists()
    assert not diary.quick_checks.filter(taken_at__gt=now).exists()
    assert not diary.events.filter(occurred_at__gte=start_of_today).exists()
    assert not diary.treatment_sessions.filter(date__gte=demo_today()).exists()
    for model in (Medication, DoseLog, SideEffect, RestPeriod, TreatmentSession, Event, QuickCheck, DayEntry):
        assert not model.objects.filter(diary=diary, created_at__gt=now).exists(), model
        assert not model.objects.filter(diary=diary, updated_at__gt=now).exists(), model
        assert not model.objects.filter(diary=diary, updated_at__lt=models.F("created_at")).exists(), model


def test_rests(half_year: list[DayEntry]) -> None:
    diary = demo_diary()
    today = demo_today()
    rests = list(diary.rest_periods.all())
    per_day: dict[dt.date, list[RestPeriod]] = collections.defaultdict(list)
    for rest in rests:
        per_day[local_date(diary, rest.started_at)].append(rest)
        assert local_date(diary, rest.ended_at) == local_date(diary, rest.started_at)
        assert 20 <= rest.minutes <= 90
    logged = [entry for entry in half_year if entry.date != today]
    assert all(1 <= len(per_day[entry.date]) <= 3 for entry in logged)
    assert set(per_day) <= {entry.date for entry in half_year}

    planned = [rest for rest in rests if rest.planned]
    assert len(planned) >= 0.6 * len(rests)
    assert all(
        rest.trigger == RestTrigger.SCHEDULED and diary.local(rest.started_at).hour in (13, 14) for rest in planned
    )
    unplanned = [rest for rest in rests if not rest.planned]
    assert unplanned
    assert {rest.trigger for rest in unplanned} <= {RestTrigger.WEAKNESS, RestTrigger.HEAT, RestTrigger.ACTIVITY}
    rated = [rest for rest in rests if rest.energy_before is not None]
    assert len(rated) >= 0.8 * len(rests)
    assert all(0 <= rest.energy_before < rest.energy_after <= 10 for rest in rated)

    def unplanned_on(entries: list[DayEntry]) -> float:
        return statistics.mean(sum(not rest.planned for rest in per_day[entry.date]) for entry in entries)

    hot = [entry for entry in logged if entry.hot_environment == 1]
    mild = [entry for entry in logged if entry.hot_environment == 0 and (entry.weakness_hips or 0) <= 1]
    bad = [entry for entry in logged if entry.hot_environment == 0 and (entry.weakness_hips or 0) >= 2]
    assert unplanned_on(hot) > unplanned_on(mild) + 0.2
    assert unplanned_on(bad) > unplanned_on(mild)


def test_an_ivig_course_that_helped_for_some_weeks(half_year: list[DayEntry]) -> None:
    diary = demo_diary()
    today = demo_today()
    sessions = list(diary.treatment_sessions.order_by("date"))
    assert len(sessions) == 5
    assert {(s.kind, s.course, s.product) for s in sessions} == {(TreatmentKind.IVIG, "Course 1", "Privigen")}
    assert [s.cycle for s in sessions] == [1, 2, 3, 4, 5]
    assert [s.date for s in sessions] == [sessions[0].date + dt.timedelta(days=n) for n in range(5)]
    assert 60 <= (today - sessions[0].date).days <= 84  # about ten weeks ago
    assert [bool(s.reactions) for s in sessions] == [False, True, False, False, False]
    assert "headache" in sessions[1].reactions.lower()

    (noted,) = [s for s in sessions if s.benefit]
    assert noted.benefit == "better"
    assert 5 <= (noted.benefit_started - sessions[-1].date).days <= 9
    assert 28 <= (noted.benefit_faded - noted.benefit_started).days <= 42
    assert noted.benefit_faded < today

    def weakness(inside: bool) -> float:
        return statistics.mean(
            entry.weakness_hips
            for entry in half_year
            if (noted.benefit_started <= entry.date <= noted.benefit_faded) == inside
            and entry.weakness_hips is not None
            and entry.hot_environment == 0
            and entry.illness_fever == 0
        )

    assert weakness(inside=True) < weakness(inside=False) - 0.15


def test_events(half_year: list[DayEntry]) -> None:
    diary = demo_diary()
    today = demo_today()
    entries = {entry.date: entry for entry in half_year}
    events = {event.kind: event for event in diary.events.all()}
    assert diary.events.count() == len(events) == 6
    assert set(events) == {
        EventKind.NEAR_FALL,
        EventKind.FALL,
        EventKind.INFECTION,
        EventKind.BLOOD_PRESSURE,
        EventKind.PROCEDURE,
        EventKind.TEST_OR_SCAN,
    }
    assert all(local_date(diary, event.occurred_at) < today for event in events.values())
    assert len({local_date(diary, event.occurred_at) for event in events.values()}) == 6
    assert events[EventKind.TEST_OR_SCAN].scan_type == "tumour_ct"

    fall, near_fall = events[EventKind.FALL], events[EventKind.NEAR_FALL]
    assert fall.activity and fall.location and near_fall.activity and near_fall.location
    assert (fall.injury, fall.head_strike) == (Injury.NONE, False)
    infection = events[EventKind.INFECTION]
    assert infection.temperature >= Decimal("38.0")
    assert infection.antibiotic == "Amoxicillin"
    # Over within a week: the demo has no cough that is still open.
    assert infection.ended_on is not None and infection.ended_on < today
    assert "LEMS" in infection.note
    assert entries[local_date(diary, infection.occurred_at)].illness_fever == 1
    pressure = events[EventKind.BLOOD_PRESSURE]
    assert pressure.blood_pressure_drop
    assert pressure.bp_lying_diastolic < pressure.bp_lying_systolic
    assert pressure.bp_standing_diastolic < pressure.bp_standing_systolic
    assert "dental" in events[EventKind.PROCEDURE].procedure_type.lower()
    # Only the infection calls for emergency or same-day guidance, and it was long ago.
    serious = [
        kind for kind, event in events.items() if any(h.level != redflags.DISCUSS for h in redflags.event_hits(event))
    ]
    assert serious == [EventKind.INFECTION]


def test_a_little_tingling_after_amifampridine(half_year: list[DayEntry]) -> None:
    diary = demo_diary()
    effects = list(diary.side_effects.select_related("dose__medication"))
    assert 3 <= len(effects) <= 10
    for effect in effects:
        assert effect.symptom == SideEffectSymptom.TINGLING
        assert 1 <= effect.severity <= 3
        assert 15 <= effect.onset_minutes <= 40
        assert effect.dose.medication.kind == MedicineKind.AMIFAMPRIDINE
        assert effect.dose.taken_at is not None
        assert effect.created_at > effect.dose.taken_at


def test_quick_check_strength_follows_the_amifampridine_dose(half_year: list[DayEntry]) -> None:
    diary = demo_diary()
    doses = sorted(
        diary.dose_logs.filter(medication__kind=MedicineKind.AMIFAMPRIDINE, taken_at__isnull=False).values_list(
            "taken_at", flat=True
        )
    )
    near_peak, worn_off = [], []
    for check in diary.quick_checks.all():
        index = bisect.bisect_right(doses, check.taken_at)
        hours = (check.taken_at - doses[index - 1]).total_seconds() / 3600 if index else 24.0
        if 0.5 <= hours <= 1.5:
            near_peak.append(check.strength)
        elif hours >= 3:
            worn_off.append(check.strength)
    assert len(worn_off) >= 20
    assert statistics.mean(near_peak) > statistics.mean(worn_off) + 0.8


def test_every_check_constraint_holds(half_year: list[DayEntry]) -> None:
    diary = demo_diary()
    for model in (DayEntry, QuickCheck, Medication, DoseLog, SideEffect, RestPeriod, TreatmentSession, Event):
        rows = model.objects.filter(diary=diary)
        total = rows.count()
        assert total, model
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                # True for every row, not merely "not false" (NULL) as the database requires.
                assert rows.filter(constraint.condition).count() == total, constraint.name
        # The form-level validators and choices too, on every few rows.
        step = max(1, total // 25)
        for row in list(rows.order_by("pk"))[::step]:
            row.full_clean()


@pytest.mark.django_db
def test_same_seed_same_doses_rests_and_events() -> None:
    today = dt.date(2026, 7, 15)

    def values() -> list[list[tuple[object, ...]]]:
        diary = build_demo(days=100, seed=3, today=today)
        return [
            list(diary.medications.order_by("kind", "start_date").values_list("kind", "dose_amount", "start_date")),
            list(
                diary.dose_logs.order_by("taken_at", "scheduled_for", "medication__kind").values_list(
                    "medication__kind", "scheduled_for", "taken_at", "status", "skip_reason", "with_food"
                )
            ),
            list(diary.quick_checks.order_by("taken_at").values_list("taken_at", "strength", "fatigue")),
            list(diary.rest_periods.order_by("started_at").values_list("started_at", "ended_at", "trigger")),
            list(diary.treatment_sessions.order_by("date").values_list("date", "benefit_started")),
            list(diary.events.order_by("occurred_at").values_list("kind", "occurred_at")),
            list(diary.side_effects.order_by("dose__taken_at").values_list("dose__taken_at", "severity")),
        ]

    first = values()
    assert values() == first
    assert all(first)


@pytest.mark.django_db
@pytest.mark.parametrize("days", [1, 2, 20])
def test_short_demos_still_build(days: int) -> None:
    diary = build_demo(days=days, seed=5)

    assert diary.day_entries.count() >= 1
    assert diary.medications.filter(kind=MedicineKind.AMIFAMPRIDINE, end_date__isnull=True).count() == 1
    assert not diary.rest_periods.filter(ended_at__isnull=True).exists()
    assert not diary.events.filter(occurred_at__gte=local_moment(diary, demo_today(), dt.time.min)).exists()
