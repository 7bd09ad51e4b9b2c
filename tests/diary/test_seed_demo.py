"""The demo account built by ``manage.py seed_demo``."""

from __future__ import annotations

import datetime as dt
import statistics
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from diary import redflags, scales
from diary.management.commands.seed_demo import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    DEMO_URL,
    build_demo,
    demo_today,
)
from diary.models import DayEntry, Diary, QuickCheck


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
    rated = [entry for entry in half_year if entry.rated_count() == len(scales.ITEMS)]
    assert len(rated) >= 0.85 * len(half_year)


def test_today_shows_no_alert(half_year: list[DayEntry]) -> None:
    today = half_year[-1]
    assert today.date == demo_today()
    assert redflags.day_entry_alert(today) is None


def test_about_ninety_percent_of_days_logged(half_year: list[DayEntry]) -> None:
    assert 155 <= len(half_year) <= 170
    assert half_year[0].date == demo_today() - dt.timedelta(days=181)


def test_hot_days_are_weaker(half_year: list[DayEntry]) -> None:
    hot = [entry.weakness_hips for entry in half_year if entry.hot_environment == 1]
    other = [entry.weakness_hips for entry in half_year if entry.hot_environment == 0]
    assert 0.05 * len(half_year) <= len(hot) <= 0.35 * len(half_year)
    assert statistics.mean(hot) > statistics.mean(other) + 0.4


def test_bad_spells_and_sleep(half_year: list[DayEntry]) -> None:
    ill = [entry for entry in half_year if entry.illness_fever == 1]
    well = [entry for entry in half_year if entry.illness_fever == 0]
    assert ill
    assert statistics.mean(e.percent_normal for e in ill) < statistics.mean(e.percent_normal for e in well) - 10
    rated = [entry for entry in half_year if entry.fatigue is not None and entry.sleep_quality is not None]
    assert statistics.correlation([e.fatigue for e in rated], [e.sleep_quality for e in rated]) < -0.2
    assert any(entry.note for entry in half_year)
