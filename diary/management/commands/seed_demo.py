"""Build a demo account with about six months of made-up LEMS diary data.

    .venv/bin/python manage.py seed_demo               # replace the demo account
    .venv/bin/python manage.py seed_demo --if-missing  # keep it if it exists

Everything is generated from ``--seed``, so the same seed and the same "today"
give the same diary. The data follow a simple story: a latent daily "burden"
(baseline + weekly and daily noise + two or three bad spells) drives every
item, hot days make weakness, fatigue and dizziness about one step worse, and
the quick checks dip in the afternoon.

To add a new kind of data (medications, doses, rests, treatments, events), write
one more ``_create_*`` function that takes the diary, the user and the day plan,
give it its own random stream with ``_rng(seed, "name")`` (so the data already
built do not change), and call it from ``build_demo``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import zoneinfo
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from diary import scales
from diary.models import DayEntry, Diary, Membership, QuickCheck, Role
from diary.services import diary_create

DEMO_EMAIL = "demo@lems-diary.example"
DEMO_PASSWORD = "lems-demo-2026"
DEMO_DISPLAY_NAME = "Demo patient"
DEMO_PATIENT_NAME = "Alex Demo"
DEMO_TIME_ZONE = "Europe/London"
DEMO_URL = "http://127.0.0.1:8000"
DEFAULT_DAYS = 182
DEFAULT_SEED = 7

#: Chance of a hot day (weather, hot room or hot bath) by month: more in summer.
HOT_CHANCE_BY_MONTH: dict[int, float] = {
    1: 0.05,
    2: 0.05,
    3: 0.05,
    4: 0.07,
    5: 0.12,
    6: 0.22,
    7: 0.28,
    8: 0.24,
    9: 0.12,
    10: 0.07,
    11: 0.05,
    12: 0.05,
}
#: Share of days with no entry at all.
GAP_SHARE = 0.10
#: Share of logged days where only the main items were rated.
PARTIAL_SHARE = 0.07
#: Items rated even on a hurried day.
PARTIAL_FIELDS = frozenset(
    {"weakness_hips", "weakness_shoulders", "fatigue", "percent_normal", "hot_environment", "illness_fever"}
)
#: Quick-check slots: local time and how much strength and fatigue move from the day's level.
CHECK_SLOTS: tuple[tuple[dt.time, float, float], ...] = (
    (dt.time(8, 30), -0.2, -1.0),
    (dt.time(12, 0), 0.0, 0.0),
    (dt.time(16, 0), -1.5, 1.5),
    (dt.time(20, 0), -0.8, 1.0),
)

NOTES_HOT = (
    "Hot day, stayed in after lunch.",
    "Warm and muggy. Legs like lead by the afternoon.",
    "Long hot bath in the evening, wobbly getting out.",
    "Sat in the garden in the sun too long, arms heavy after.",
    "Office heating up full, felt drained all afternoon.",
    "Hot on the bus, needed a sit down when I got home.",
)
NOTES_ILL = (
    "Temperature 38.1, cold coming on. Everything weaker.",
    "Still feverish, stayed in bed most of the day.",
    "Cough and sore throat. Stairs very hard.",
    "Rang the GP about the fever, to call back if breathing changes.",
    "Fever gone but wiped out.",
)
NOTES_BAD = (
    "Bad week. Needed the banister with both hands.",
    "Could not get out of the low chair without pushing up.",
    "Busy week with visitors, paying for it now.",
    "Tired all day, cancelled the shopping trip.",
    "Neck felt heavy by the evening, propped my head up.",
)
NOTES_GOOD = (
    "Good day. Walked to the park and back.",
    "Managed the shopping on my own.",
    "Felt almost normal this morning.",
    "Did some gardening, a rest after lunch helped.",
    "Slept well, stronger all day.",
)
NOTES_ORDINARY = (
    "Usual afternoon dip.",
    "Dry mouth again, carrying water everywhere.",
    "Legs stronger after a few steps, then tired on the hill.",
    "Rested after lunch as planned.",
    "Blurry reading in the evening.",
    "Physio exercises done, slow but OK.",
    "Short walk with the dog.",
)
CHECK_NOTES = (
    "After walking to the shop.",
    "Just got up from a nap.",
    "After climbing the stairs.",
    "Before lunch.",
    "After the physio exercises.",
)


@dataclass
class DayPlan:
    """What kind of day it was; every kind of data is drawn from the same plan."""

    date: dt.date
    logged: bool
    #: 0 is a perfect day, about 1 an ordinary one, 2.5 or more a bad one.
    burden: float
    hot: bool = False
    ill: bool = False
    #: "fever" or "overdone" during a bad spell, else "".
    spell: str = ""


def demo_user() -> User | None:
    return User.objects.filter(email=DEMO_EMAIL).first()


def demo_today() -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(DEMO_TIME_ZONE)).date()


def delete_demo() -> None:
    """Delete the demo user and the diaries it owns."""
    user = demo_user()
    if user is None:
        return
    Diary.objects.filter(memberships__user=user, memberships__role=Role.OWNER).delete()
    user.delete()


def build_demo(*, days: int = DEFAULT_DAYS, seed: int = DEFAULT_SEED, today: dt.date | None = None) -> Diary:
    """Replace the demo account with a fresh one holding ``days`` days ending ``today`` (diary zone)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    today = today or demo_today()
    start = today - dt.timedelta(days=days - 1)
    now = timezone.now()
    with transaction.atomic():
        delete_demo()
        user, diary = _create_account(start=start, now=now)
        plan = _plan_days(start=start, days=days, rng=_rng(seed, "plan"))
        _create_day_entries(diary=diary, user=user, plan=plan, now=now, rng=_rng(seed, "entries"))
        _create_quick_checks(diary=diary, user=user, plan=plan, now=now, rng=_rng(seed, "quick_checks"))
    return diary


def _rng(seed: int, stream: str) -> random.Random:
    """A random stream of its own per kind of data, so adding a kind leaves the others unchanged."""
    return random.Random(f"{seed}:{stream}")


def _local(diary: Diary, date: dt.date, at: dt.time) -> dt.datetime:
    """``date`` ``at`` local time in the diary's zone, as an aware UTC datetime."""
    return dt.datetime.combine(date, at, tzinfo=diary.zone).astimezone(dt.UTC)


def _clamp(value: float, scale: scales.Scale) -> int:
    """Round ``value`` to the nearest allowed value of ``scale``."""
    return min(scale.values, key=lambda allowed: (abs(allowed - value), allowed))


def _create_account(*, start: dt.date, now: dt.datetime) -> tuple[User, Diary]:
    user = User.objects.create_user(DEMO_EMAIL, DEMO_PASSWORD, display_name=DEMO_DISPLAY_NAME)
    EmailAddress.objects.create(user=user, email=DEMO_EMAIL, primary=True, verified=True)
    diary = diary_create(owner=user, patient_name=DEMO_PATIENT_NAME, time_zone=DEMO_TIME_ZONE)
    # Pretend the account was opened the morning the diary starts.
    joined = min(_local(diary, start, dt.time(9, 40)), now)
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    Diary.objects.filter(pk=diary.pk).update(created_at=joined)
    Membership.objects.filter(diary=diary).update(created_at=joined)
    user.date_joined = diary.created_at = joined
    return user, diary


def _plan_days(*, start: dt.date, days: int, rng: random.Random) -> list[DayPlan]:
    dates = [start + dt.timedelta(days=offset) for offset in range(days)]
    week_offset = {week: rng.gauss(0, 0.25) for week in range((days + 6) // 7 + 1)}
    # A slow drift over the months, so the charts are not flat.
    drift_phase = rng.uniform(0, 2 * math.pi)
    plan = []
    for index, date in enumerate(dates):
        drift = 0.15 * math.sin(drift_phase + index / 30)
        burden = 1.0 + drift + week_offset[index // 7] + rng.gauss(0, 0.25)
        hot = rng.random() < HOT_CHANCE_BY_MONTH[date.month]
        plan.append(DayPlan(date=date, logged=True, burden=burden, hot=hot))
    _add_bad_spells(plan, rng)
    _add_gaps(plan, rng)
    return plan


def _add_bad_spells(plan: list[DayPlan], rng: random.Random) -> None:
    """Two or three bad weeks, at least one with a fever; none in the last ten days."""
    days = len(plan)
    usable = days - 10
    if usable < 14:
        return
    count = 3 if rng.random() < 0.5 and usable >= 120 else 2 if usable >= 60 else 1
    section = usable // count
    kinds = ["fever", "overdone", "fever"][:count]
    rng.shuffle(kinds)
    for number, kind in enumerate(kinds):
        length = rng.randint(6, 9)
        margin = section // 6  # keeps spells apart
        first = number * section + rng.randint(margin, max(section - length - margin, margin))
        peak = rng.uniform(1.2, 1.6)
        fever_days = rng.randint(3, 5) if kind == "fever" else 0
        for step in range(length):
            index = first + step
            if index >= usable:
                break
            # Quick onset, slower recovery.
            shape = min(1.0, (step + 1) / 2) * (1 - max(0, step - 2) / length)
            day = plan[index]
            day.burden += peak * shape
            day.spell = kind
            day.ill = step < fever_days


def _add_gaps(plan: list[DayPlan], rng: random.Random) -> None:
    """About one day in ten missed; today and yesterday are always logged."""
    candidates = list(range(max(len(plan) - 2, 0)))
    missing = min(round(len(plan) * GAP_SHARE), len(candidates))
    for index in rng.sample(candidates, missing):
        plan[index].logged = False


def _create_day_entries(
    *, diary: Diary, user: User, plan: list[DayPlan], now: dt.datetime, rng: random.Random
) -> list[DayEntry]:
    today = plan[-1].date
    entries = []
    for day in plan:
        if not day.logged:
            continue
        scores = _day_scores(day, rng, is_last=day.date == today)
        if day.date != today and rng.random() < PARTIAL_SHARE:
            scores = {field: value if field in PARTIAL_FIELDS else None for field, value in scores.items()}
        created = _local(diary, day.date, dt.time(20, 30)) + dt.timedelta(minutes=rng.randint(0, 120))
        updated = created + dt.timedelta(minutes=rng.randint(0, 25))
        if rng.random() < 0.08:  # finished the next morning
            updated = _local(diary, day.date + dt.timedelta(days=1), dt.time(8, 0)) + dt.timedelta(
                minutes=rng.randint(0, 90)
            )
        note = _day_note(day, scores, rng)
        entries.append(
            DayEntry(
                diary=diary,
                date=day.date,
                note=note,
                note_version=1 if note else 0,
                created_by=user,
                updated_by=user,
                created_at=min(created, now),
                updated_at=min(updated, now),
                **scores,
            )
        )
    return DayEntry.objects.bulk_create(entries)


def _day_scores(day: DayPlan, rng: random.Random, *, is_last: bool) -> dict[str, int | None]:
    """One value per item of ``scales.ITEMS``, each on its own scale."""
    items = scales.ITEMS_BY_FIELD
    load = max(day.burden, 0.0)
    heat = 1 if day.hot else 0

    def noise(spread: float = 0.35) -> float:
        return rng.gauss(0, spread)

    def score(field: str, value: float) -> int:
        return _clamp(value, items[field].scale)

    hips_level = 1.05 * load + 0.1 + noise(0.3)
    s: dict[str, Any] = {}
    s["weakness_hips"] = score("weakness_hips", hips_level + heat)
    s["weakness_shoulders"] = score("weakness_shoulders", 0.8 * load + noise() + heat)
    s["weakness_neck"] = score("weakness_neck", 0.5 * load - 0.25 + noise())
    s["stairs"] = score("stairs", hips_level + 0.2 + 0.6 * heat + noise(0.25))
    s["chair_rise"] = score("chair_rise", hips_level + 0.6 * heat + noise(0.3))
    s["walking_distance"] = score("walking_distance", 4.2 - 1.2 * load - 0.5 * heat + noise(0.4))
    s["lifting"] = score("lifting", 0.75 * load + 0.5 * heat + noise())
    s["sleep_quality"] = score("sleep_quality", 7.6 - 0.9 * load - 1.5 * day.ill - 0.5 * heat + noise(1.0))
    fatigue = 2.2 * load + 1.3 + 0.35 * (6 - s["sleep_quality"]) + noise(0.7) + heat
    s["fatigue"] = score("fatigue", fatigue)
    s["fatigue_worst_time"] = rng.choices((1, 2, 3, 4), weights=(1, 2, 10, 5))[0]
    s["facilitation_noticed"] = rng.choices((1, 0, 2), weights=(35, 25, 40))[0]
    s["long_effort_weaker"] = int(rng.random() < 0.15 + 0.25 * load)
    s["speech"] = score("speech", 0.3 * load - 0.15 + noise())
    s["chewing"] = score("chewing", 0.35 * load - 0.1 + noise())
    s["swallowing"] = score("swallowing", 0.25 * load - 0.15 + noise())
    s["choking"] = int(not is_last and rng.random() < (0.06 if load > 2 else 0.015))
    s["double_vision"] = score("double_vision", 0.4 * load - 0.1 + noise())
    s["eyelid_droop"] = score("eyelid_droop", 0.45 * load - 0.1 + noise())
    breath = 1 if rng.random() < 0.15 + 0.2 * load else 0
    if load > 2.2 and rng.random() < 0.3:
        breath = 2
    s["breathlessness"] = breath  # never 3: that is the emergency answer
    s["dry_mouth"] = score("dry_mouth", 1.4 + 0.2 * load + 0.3 * heat + noise(0.5))
    s["dry_eyes"] = score("dry_eyes", 0.8 + 0.1 * load + noise(0.5))
    s["dizziness_standing"] = score("dizziness_standing", 0.4 * load + noise(0.4) + heat)
    s["bowel_movement"] = int(rng.random() < 0.72)
    s["straining"] = int(s["bowel_movement"] == 1 and rng.random() < 0.35)
    s["muscle_pain"] = score("muscle_pain", 1.5 * load + 0.5 + 2 * day.ill + noise(0.8))
    s["percent_normal"] = score(
        "percent_normal",
        10 * (9.6 - 1.1 * s["weakness_hips"] - 0.6 * s["weakness_shoulders"] - 0.25 * s["fatigue"] + noise(0.4)),
    )
    s["hot_environment"] = heat
    s["illness_fever"] = int(day.ill)
    return {item.field: s[item.field] for item in scales.ITEMS}


def _day_note(day: DayPlan, scores: dict[str, int | None], rng: random.Random) -> str:
    if day.ill:
        pool, chance = NOTES_ILL, 0.7
    elif day.spell:
        pool, chance = NOTES_BAD, 0.45
    elif day.hot:
        pool, chance = NOTES_HOT, 0.5
    elif (scores["percent_normal"] or 0) >= 80:
        pool, chance = NOTES_GOOD, 0.4
    else:
        pool, chance = NOTES_ORDINARY, 0.12
    return rng.choice(pool) if rng.random() < chance else ""


def _create_quick_checks(
    *, diary: Diary, user: User, plan: list[DayPlan], now: dt.datetime, rng: random.Random
) -> list[QuickCheck]:
    checks = []
    for day in plan:
        if not day.logged:
            continue
        count = rng.choices((2, 3, 4), weights=(3, 4, 3))[0]
        slots = sorted(rng.sample(range(len(CHECK_SLOTS)), count))
        load = max(day.burden, 0.0)
        heat = 1 if day.hot else 0
        for slot in slots:
            at, strength_shift, fatigue_shift = CHECK_SLOTS[slot]
            taken_at = _local(diary, day.date, at) + dt.timedelta(minutes=rng.randint(-25, 25))
            if taken_at > now:
                continue
            strength = 8.0 - 1.6 * load + strength_shift - 0.8 * heat + rng.gauss(0, 0.6)
            fatigue = 1.5 + 2.0 * load + fatigue_shift + 0.8 * heat + rng.gauss(0, 0.7)
            saved = taken_at + dt.timedelta(seconds=rng.randint(10, 90))
            checks.append(
                QuickCheck(
                    diary=diary,
                    taken_at=taken_at,
                    strength=min(10, max(0, round(strength))),
                    fatigue=min(10, max(0, round(fatigue))),
                    note=rng.choice(CHECK_NOTES) if rng.random() < 0.05 else "",
                    created_by=user,
                    updated_by=user,
                    created_at=saved,
                    updated_at=saved,
                )
            )
    return QuickCheck.objects.bulk_create(checks)


class Command(BaseCommand):
    help = "Create a demo account with about six months of made-up LEMS diary data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if the demo account already exists.")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="Days of data, ending today.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same data).")

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"]
        if days < 1:
            raise CommandError("--days must be at least 1.")
        if options["if_missing"] and demo_user() is not None:
            self.stdout.write("The demo account already exists; nothing changed.")
        else:
            started = time.perf_counter()
            diary = build_demo(days=days, seed=options["seed"])
            elapsed = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(
                    f"Built the demo diary '{diary.patient_name}': {diary.day_entries.count()} days, "
                    f"{diary.quick_checks.count()} quick checks over {days} days in {elapsed:.2f} s."
                )
            )
        self.stdout.write(f"Open {DEMO_URL} and sign in with")
        self.stdout.write(f"  email:    {DEMO_EMAIL}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
