"""The benchmark diaries: one with years of full daily data, many with a month each.

Built with ``bulk_create`` from the generators of ``seed_demo`` (the same story:
a daily burden drives every item, bad spells, hot days), but denser than the
demo: every day is logged and every item rated, amifampridine four times a day
(raised from 10 to 15 mg two thirds of the way in, the old prescription kept as
history), two rests and three quick checks a day, an IVIG course every four
months and a few events every half year.

The first ``tap_diaries`` small diaries also hold "Benchmark drops": a medicine
taken twelve times a day that ended the day before the month of data began,
with no dose logged. Its scheduled slots are the open doses the dose-tap
benchmarks mark taken (each slot once), and the empty days before the month are
the days the load test rates, each item once, so every acknowledged save can be
checked afterwards. The Trends "all" period starts at the first logged day, so
the stopped medicine does not stretch it.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from diary import scales
from diary.management.commands import seed_demo as demo
from diary.models import (
    Benefit,
    DayEntry,
    Diary,
    DoseLog,
    DoseUnit,
    Medication,
    MedicineKind,
    Membership,
    QuickCheck,
    RestPeriod,
    RestPosition,
    RestTrigger,
    Role,
    TreatmentKind,
    TreatmentSession,
)
from diary.services import local_moment

EMAIL_DOMAIN = "bench.invalid"
PASSWORD = "bench-password-not-secret"
TIME_ZONE = "Europe/London"
BIG_DAYS = 3 * 365
SMALL_DAYS = 30
SMALL_COUNT = 200
TAP_DIARIES = 64
#: "Benchmark drops": twelve scheduled doses a day, on this many days before the month of data.
TAP_TIMES = tuple(f"{hour:02d}:00" for hour in range(6, 18))
TAP_DAYS = 5 * 365
TAP_NAME = "Benchmark drops"
#: An IVIG course every this many days, the first this many days in.
COURSE_EVERY = 120
COURSE_FIRST = 40
#: Events are drawn once per this many days (about five each time).
EVENT_CHUNK = 183
#: Quick-check slots used each day (three of seed_demo's four) and rest windows (two).
CHECK_SLOT_INDEXES = (0, 2, 3)
#: The smoke version (``bench.run --smoke``, tests/test_bench_smoke.py): a "big" diary long enough
#: that a query growing with the data would show, small enough to build in a second.
SMOKE_BUILD: dict[str, int] = {"big_days": 75, "small_count": 2, "small_days": 7, "tap_diaries": 1, "tap_days": 30}
#: Items the load test and the rating benchmark leave alone: their answers raise red flags.
RED_FLAG_FIELDS = ("breathlessness", "choking")


@dataclass(frozen=True)
class DiaryRef:
    diary_id: int
    user_id: int
    email: str
    first_day: dt.date
    days: int
    tap_medication_id: int | None = None


@dataclass(frozen=True)
class BenchData:
    today: dt.date
    big: DiaryRef
    small: tuple[DiaryRef, ...]

    @property
    def month(self) -> DiaryRef:
        """The month diary whose pages are measured: one without the tap medicine."""
        return self.small[-1]

    @property
    def taps(self) -> tuple[DiaryRef, ...]:
        return tuple(ref for ref in self.small if ref.tap_medication_id is not None)

    def to_json(self) -> dict[str, Any]:
        def one(ref: DiaryRef) -> dict[str, Any]:
            return {**asdict(ref), "first_day": ref.first_day.isoformat()}

        return {"today": self.today.isoformat(), "big": one(self.big), "small": [one(r) for r in self.small]}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> BenchData:
        def one(row: dict[str, Any]) -> DiaryRef:
            return DiaryRef(**{**row, "first_day": dt.date.fromisoformat(row["first_day"])})

        return cls(dt.date.fromisoformat(raw["today"]), one(raw["big"]), tuple(one(r) for r in raw["small"]))


def diary_today() -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(TIME_ZONE)).date()


def delete_bench_data() -> None:
    """Remove the diaries and people a previous build left (only ours: the bench email domain)."""
    users = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    Diary.objects.filter(memberships__user__in=users).delete()
    users.delete()


def build(
    *,
    big_days: int = BIG_DAYS,
    small_count: int = SMALL_COUNT,
    small_days: int = SMALL_DAYS,
    tap_diaries: int = TAP_DIARIES,
    tap_days: int = TAP_DAYS,
    seed: int = 8,
) -> BenchData:
    """Build the benchmark diaries (after removing an earlier build) and return where they are."""
    today = diary_today()
    now = timezone.now()
    password = make_password(PASSWORD)
    with transaction.atomic():
        delete_bench_data()
        specs = [("big", big_days)] + [(f"{n:03d}", small_days) for n in range(1, small_count + 1)]
        users = User.objects.bulk_create(
            [
                User(email=f"bench-{name}@{EMAIL_DOMAIN}", display_name=f"Bench {name}", password=password)
                for name, _days in specs
            ]
        )
        diaries = Diary.objects.bulk_create(
            [Diary(patient_name=f"Bench patient {name}", time_zone=TIME_ZONE) for name, _days in specs]
        )
        Membership.objects.bulk_create(
            [Membership(diary=diary, user=user, role=Role.OWNER) for diary, user in zip(diaries, users, strict=True)]
        )
        refs = []
        for index, ((name, days), diary, user) in enumerate(zip(specs, diaries, users, strict=True)):
            tap = 0 < index <= tap_diaries
            refs.append(
                _fill_diary(
                    diary=diary,
                    user=user,
                    days=days,
                    today=today,
                    now=now,
                    seed=f"{seed}:{name}",
                    tap_days=tap_days if tap else 0,
                )
            )
    return BenchData(today=today, big=refs[0], small=tuple(refs[1:]))


def _fill_diary(
    *, diary: Diary, user: User, days: int, today: dt.date, now: dt.datetime, seed: str, tap_days: int
) -> DiaryRef:
    start = today - dt.timedelta(days=days - 1)

    def rng(stream: str) -> random.Random:
        return random.Random(f"{seed}:{stream}")

    plan = demo._plan_days(start=start, days=days, rng=rng("plan"))
    for day in plan:
        day.logged = True  # every day logged ...
    _entries(diary, user, plan, now, rng("entries"))  # ... and every item rated
    medications = _medications(diary, user, plan, now, rng("medications"))
    doses = _doses(diary, user, plan, medications, now, rng("doses"))
    taken = sorted((d.taken_at, d.amount or Decimal(0)) for d in doses if d.taken_at is not None)
    _quick_checks(diary, user, plan, now, rng("checks"), taken)
    # None today: side effects raise guidance, and each diary's Today must read alike whenever it is built.
    earlier = [d for d in doses if diary.local(d.scheduled_for or d.taken_at).date() < today]  # type: ignore[arg-type]
    demo._create_side_effects(diary=diary, user=user, doses=earlier, now=now, rng=rng("side_effects"))
    _rests(diary, user, plan, now, rng("rests"))
    busy = _treatments(diary, user, plan, now, rng("treatments"))
    for offset in range(0, len(plan), EVENT_CHUNK):
        chunk = plan[offset : offset + EVENT_CHUNK + 1]
        demo._create_events(diary=diary, user=user, plan=chunk, now=now, rng=rng(f"events{offset}"), busy=busy)
    tap_id = _tap_medication(diary, user, start, tap_days, now).pk if tap_days else None
    return DiaryRef(diary.pk, user.pk, user.email, start, days, tap_id)


def _entries(diary: Diary, user: User, plan: list[demo.DayPlan], now: dt.datetime, rng: random.Random) -> None:
    today = plan[-1].date
    rows = []
    for day in plan:
        scores = demo._day_scores(day, rng, is_last=day.date == today)
        saved = min(demo._local(diary, day.date, dt.time(20, 30)) + dt.timedelta(minutes=rng.randint(0, 120)), now)
        note = demo._day_note(day, scores, rng)
        rows.append(
            DayEntry(
                diary=diary,
                date=day.date,
                note=note,
                note_version=1 if note else 0,
                created_by=user,
                updated_by=user,
                created_at=saved,
                updated_at=saved,
                **scores,
            )
        )
    DayEntry.objects.bulk_create(rows)


def _medications(
    diary: Diary, user: User, plan: list[demo.DayPlan], now: dt.datetime, rng: random.Random
) -> list[Medication]:
    """Amifampridine four times a day, raised from 10 to 15 mg two thirds of the way in."""
    start = plan[0].date

    def prescription(amount: str, first: dt.date) -> Medication:
        entered = demo._local(diary, first, dt.time(9, 45)) + dt.timedelta(minutes=rng.randint(0, 600))
        return Medication(
            diary=diary,
            kind=MedicineKind.AMIFAMPRIDINE,
            strength=Decimal("10"),
            unit=DoseUnit.MG,
            dose_amount=Decimal(amount),
            times=list(demo.AMIFAMPRIDINE_TIMES),
            start_date=first,
            prescriber=demo.PRESCRIBER,
            created_by=user,
            updated_by=user,
            **demo._saved(entered, now),
        )

    first = prescription("10", start)
    if len(plan) < 2:
        return Medication.objects.bulk_create([first])
    change_day = plan[max(1, len(plan) * 2 // 3)].date
    first.end_date = change_day - dt.timedelta(days=1)
    rows = Medication.objects.bulk_create([first])
    raised = prescription("15", change_day)
    raised.previous = first
    return rows + Medication.objects.bulk_create([raised])


def _doses(
    diary: Diary,
    user: User,
    plan: list[demo.DayPlan],
    medications: list[Medication],
    now: dt.datetime,
    rng: random.Random,
) -> list[DoseLog]:
    """Every scheduled dose up to now answered (mostly on time, a few late or skipped)."""
    rows = []
    for day in plan:
        late_share = demo.LATE_SHARE + (0.03 if day.burden > 2 else 0.0)
        for medication in medications:
            if not demo._is_current(medication, day.date):
                continue
            for at in medication.scheduled_times():
                slot = demo._local(diary, day.date, at)
                if slot > now:
                    continue
                log = demo._dose_log(diary, user, medication, slot, at, late_share, rng)
                if log.taken_at is not None and log.taken_at > now:
                    continue
                log.created_at = log.updated_at = min(log.created_at, now)
                rows.append(log)
    return DoseLog.objects.bulk_create(rows)


def _quick_checks(
    diary: Diary,
    user: User,
    plan: list[demo.DayPlan],
    now: dt.datetime,
    rng: random.Random,
    doses: list[tuple[dt.datetime, Decimal]],
) -> None:
    """Three checks a day; strength follows the time since the last amifampridine dose."""
    times = [taken for taken, _amount in doses]
    rows = []
    for day in plan:
        load = max(day.burden, 0.0)
        heat = 1 if day.hot else 0
        for index in CHECK_SLOT_INDEXES:
            at, strength_shift, fatigue_shift, earliest, latest = demo.CHECK_SLOTS[index]
            taken_at = demo._local(diary, day.date, at) + dt.timedelta(minutes=rng.randint(earliest, latest))
            if taken_at > now:
                continue
            working = demo._working_dose(taken_at, doses, times) - demo.DOSE_EFFECT_MEAN
            strength = 8.0 - 1.6 * load + strength_shift - 0.8 * heat + rng.gauss(0, 0.6)
            strength += demo.DOSE_STRENGTH_GAIN * working
            fatigue = 1.5 + 2.0 * load + fatigue_shift + 0.8 * heat + rng.gauss(0, 0.7) - 0.6 * working
            saved = taken_at + dt.timedelta(seconds=rng.randint(10, 90))
            rows.append(
                QuickCheck(
                    diary=diary,
                    taken_at=taken_at,
                    strength=min(10, max(0, round(strength))),
                    fatigue=min(10, max(0, round(fatigue))),
                    created_by=user,
                    updated_by=user,
                    created_at=saved,
                    updated_at=saved,
                )
            )
    QuickCheck.objects.bulk_create(rows)


def _rests(diary: Diary, user: User, plan: list[demo.DayPlan], now: dt.datetime, rng: random.Random) -> None:
    """Two rests a day: the planned one after lunch and an unplanned one in the afternoon."""
    rows = []
    for day in plan:
        load = max(day.burden, 0.0)
        for at, shift, shortest, longest, planned in (
            (dt.time(13, 15), 60, 30, 90, True),
            (dt.time(16, 0), 120, 20, 60, False),
        ):
            started = demo._local(diary, day.date, at) + dt.timedelta(minutes=rng.randint(0, shift))
            ended = started + dt.timedelta(minutes=rng.randint(shortest, longest))
            if ended > now:
                continue
            trigger = RestTrigger.SCHEDULED if planned else (RestTrigger.HEAT if day.hot else RestTrigger.WEAKNESS)
            before = min(8, max(0, round((5.5 if planned else 4.0) - 1.2 * load + rng.gauss(0, 1))))
            rows.append(
                RestPeriod(
                    diary=diary,
                    started_at=started,
                    ended_at=ended,
                    planned=planned,
                    trigger=trigger,
                    position=RestPosition.LYING if planned else RestPosition.SITTING,
                    energy_before=before,
                    energy_after=min(10, before + rng.randint(1, 3)),
                    created_by=user,
                    updated_by=user,
                    **demo._saved(ended, now),
                )
            )
    RestPeriod.objects.bulk_create(rows)


def _treatments(
    diary: Diary, user: User, plan: list[demo.DayPlan], now: dt.datetime, rng: random.Random
) -> set[dt.date]:
    """An IVIG course (five infusions) every four months; returns the infusion days."""
    first = min(COURSE_FIRST, max(len(plan) // 3, 0))
    rows, busy = [], set()
    for course, offset in enumerate(range(first, len(plan) - demo.IVIG_DAYS, COURSE_EVERY), start=1):
        dates = [plan[offset + n].date for n in range(demo.IVIG_DAYS)]
        busy.update(dates)
        for cycle, date in enumerate(dates, start=1):
            last = cycle == demo.IVIG_DAYS
            started = date + dt.timedelta(days=rng.randint(5, 8))
            rows.append(
                TreatmentSession(
                    diary=diary,
                    kind=TreatmentKind.IVIG,
                    course=f"Course {course}",
                    cycle=cycle,
                    date=date,
                    product=demo.IVIG_PRODUCT,
                    reactions=demo.IVIG_REACTION if cycle == 2 else "",
                    benefit=Benefit.BETTER if last else "",
                    benefit_started=started if last else None,
                    benefit_faded=started + dt.timedelta(days=rng.randint(32, 38)) if last else None,
                    created_by=user,
                    updated_by=user,
                    **demo._saved(demo._local(diary, date, dt.time(18, 0)), now),
                )
            )
    TreatmentSession.objects.bulk_create(rows)
    return busy


def _tap_medication(diary: Diary, user: User, first_day: dt.date, tap_days: int, now: dt.datetime) -> Medication:
    end = first_day - dt.timedelta(days=1)
    return Medication.objects.create(
        diary=diary,
        kind=MedicineKind.OTHER,
        name=TAP_NAME,
        unit=DoseUnit.TABLET,
        dose_amount=Decimal("1"),
        times=list(TAP_TIMES),
        start_date=end - dt.timedelta(days=tap_days - 1),
        end_date=end,
        created_by=user,
        updated_by=user,
        created_at=now,
        updated_at=now,
    )


def tap_slots(ref: DiaryRef) -> Iterator[dt.datetime]:
    """The open slots of a tap diary's "Benchmark drops", newest first (UTC)."""
    diary = Diary(time_zone=TIME_ZONE)
    day = ref.first_day - dt.timedelta(days=1)
    for _n in range(TAP_DAYS):
        for at in reversed(TAP_TIMES):
            yield local_moment(diary, day, dt.time.fromisoformat(at)).astimezone(dt.UTC)
        day -= dt.timedelta(days=1)


def rating_cells(ref: DiaryRef) -> Iterator[tuple[dt.date, str]]:
    """Empty (day, item) cells of a tap diary: the days before its month, newest first, every item."""
    fields = [f for f in scales.ITEM_FIELDS if f not in RED_FLAG_FIELDS]
    day = ref.first_day - dt.timedelta(days=1)
    while True:
        for field in fields:
            yield day, field
        day -= dt.timedelta(days=1)


def rating_choices() -> list[tuple[str, list[int]]]:
    """Every item a tap may rate, with the values its scale allows (red-flag items left out)."""
    return [(item.field, list(item.scale.values)) for item in scales.ITEMS if item.field not in RED_FLAG_FIELDS]
