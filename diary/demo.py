"""A demo account with about six months of made-up LEMS diary data.

Used by ``manage.py seed_demo`` (``build_demo``) and by the benchmark's data builder
(``bench/data.py``, which calls the generators below on bigger plans). Everything is generated from ``--seed``, so the same seed and the same "today"
give the same diary. The data follow a simple story: a latent daily "burden"
(baseline + weekly and daily noise + two or three bad spells) drives every
item, hot days make weakness, fatigue and dizziness about one step worse, and
the quick checks dip in the afternoon.

Around it: amifampridine four times a day (raised from 10 to 15 mg about two
thirds of the way in, the old prescription kept as history), pyridostigmine
three times a day and prednisone from some weeks in, with a log for every
scheduled dose of every logged day (mostly on time, a few late or skipped, a
few extra); quick-check strength follows the time since the last amifampridine
dose; a little tingling after amifampridine; one to three rests a day; one
IVIG course about ten weeks ago that helps for about five weeks; and a few
events (a near-fall, a fall, an infection, a blood-pressure pair, a dental
filling), none of them today. Nothing is logged after "now".

To add a new kind of data (medications, doses, rests, treatments, events), write
one more ``create_*`` function that takes the diary, the user and the day plan,
give it its own random stream with ``_rng(seed, "name")`` (so the data already
built do not change), and call it from ``build_demo``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from diary import alerts, scales
from diary.models import (
    Benefit,
    DayEntry,
    Diary,
    DoseLog,
    DoseStatus,
    DoseUnit,
    Event,
    EventKind,
    Injury,
    Medication,
    MedicineKind,
    Membership,
    QuickCheck,
    RestPeriod,
    RestPosition,
    RestTrigger,
    Role,
    ScanType,
    SideEffect,
    SideEffectSymptom,
    TreatmentKind,
    TreatmentSession,
    WeeklyEntry,
)
from diary.services import diary_create, local_moment

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
#: Quick-check slots: local time, how much strength and fatigue move from the day's level,
#: and how many minutes earlier or later the check may be. The later slots reach back to
#: the hour of the amifampridine dose, so some checks come just before or just after it.
CHECK_SLOTS: tuple[tuple[dt.time, float, float, int, int], ...] = (
    (dt.time(8, 30), -0.2, -1.0, -25, 25),
    (dt.time(12, 0), 0.0, 0.0, -60, 25),
    (dt.time(16, 0), -1.5, 1.5, -60, 25),
    (dt.time(20, 0), -0.8, 1.0, -60, 25),
)
#: Strength points between an amifampridine dose at full effect and one worn off.
DOSE_STRENGTH_GAIN = 2.0
#: The dose effect (0 to 1) a check has on average, so the day's level stays where it was.
DOSE_EFFECT_MEAN = 0.7

PRESCRIBER = "Dr Okafor"
AMIFAMPRIDINE_TIMES = ("07:00", "11:00", "15:00", "19:00")
PYRIDOSTIGMINE_TIMES = ("08:00", "14:00", "20:00")
PREDNISONE_TIMES = ("08:00",)
#: Share of scheduled doses taken 40-150 minutes late, and skipped.
LATE_SHARE = 0.065
SKIP_SHARE = 0.03
SKIP_REASONS = ("Forgot", "Nausea", "Asleep", "Out of the house")
#: Chance that a dose is logged as taken with food, by medicine.
WITH_FOOD_CHANCE: dict[str, float] = {
    MedicineKind.AMIFAMPRIDINE: 0.2,
    MedicineKind.PYRIDOSTIGMINE: 0.45,
    MedicineKind.PREDNISONE: 0.85,
}
TINGLING_NOTES = (
    "Tingling round the lips.",
    "Pins and needles in the fingertips.",
    "Lips and fingertips tingled for about half an hour.",
    "",
)

#: The IVIG course: about this many days before today, and how much it lowers the burden.
IVIG_DAYS_AGO = 70
IVIG_DAYS = 5
IVIG_RELIEF = 0.45
IVIG_PRODUCT = "Privigen"
IVIG_REACTION = "Mild headache in the evening, eased with paracetamol and water."

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


@dataclass(frozen=True)
class IvigCourse:
    first: dt.date
    benefit_started: dt.date
    benefit_faded: dt.date

    @property
    def dates(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=offset) for offset in range(IVIG_DAYS)]


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
        user, diary = create_account(start=start, now=now)
        plan = plan_days(start=start, days=days, rng=_rng(seed, "plan"))
        ivig = _plan_ivig(plan, _rng(seed, "ivig"))
        create_day_entries(diary=diary, user=user, plan=plan, now=now, rng=_rng(seed, "entries"))
        medications = create_medications(diary=diary, user=user, plan=plan, now=now, rng=_rng(seed, "medications"))
        doses = create_dose_logs(
            diary=diary, user=user, plan=plan, medications=medications, now=now, rng=_rng(seed, "doses")
        )
        amifampridine = sorted(
            (dose.taken_at, dose.amount or Decimal(0))
            for dose in doses
            if dose.taken_at is not None and dose.medication.kind == MedicineKind.AMIFAMPRIDINE
        )
        create_quick_checks(
            diary=diary, user=user, plan=plan, now=now, rng=_rng(seed, "quick_checks"), doses=amifampridine
        )
        create_side_effects(diary=diary, user=user, doses=doses, now=now, rng=_rng(seed, "side_effects"))
        create_rest_periods(diary=diary, user=user, plan=plan, now=now, rng=_rng(seed, "rests"))
        create_treatments(diary=diary, user=user, course=ivig, now=now, rng=_rng(seed, "treatments"))
        busy = set(ivig.dates) if ivig else set()
        create_events(diary=diary, user=user, plan=plan, now=now, rng=_rng(seed, "events"), busy=busy)
        create_weekly_entries(diary=diary, user=user, plan=plan, now=now, rng=_rng(seed, "weekly"))
        _record_prompts(diary=diary, user=user, plan=plan)
    return diary


def create_weekly_entries(
    *, diary: Diary, user: User, plan: list[DayPlan], now: dt.datetime, rng: random.Random
) -> list[WeeklyEntry]:
    """The optional weekly questions, answered on most Mondays: a steady weight, little else."""
    weeks = []
    for day in plan:
        if day.date.weekday() != 0 or rng.random() < 0.2:
            continue
        moment = min(local_at(diary, day.date, dt.time(9, 0)), now)
        weeks.append(
            WeeklyEntry(
                diary=diary,
                week_start=day.date,
                weight_kg=Decimal(str(round(71.5 + rng.gauss(0, 0.4), 1))),
                decreased_sweating=rng.choice((0, 1, 1)),
                morning_headaches=0,
                daytime_sleepiness=rng.choice((0, 0, 1)),
                created_by=user,
                updated_by=user,
                **saved_stamps(moment, now),
            )
        )
    return WeeklyEntry.objects.bulk_create(weeks)


def _record_prompts(*, diary: Diary, user: User, plan: list[DayPlan]) -> None:
    """The guidance each demo day would have shown as it was logged, kept as the app keeps it."""
    entries = {entry.date: entry for entry in DayEntry.objects.filter(diary=diary)}
    for day in plan:
        hits = alerts.all_day_hits(diary=diary, day=day.date, entry=entries.get(day.date))
        alerts.prompts_record(
            diary=diary, day=day.date, hits=hits, by=user, at=local_at(diary, day.date, dt.time(21, 0))
        )


def _rng(seed: int, stream: str) -> random.Random:
    """A random stream of its own per kind of data, so adding a kind leaves the others unchanged."""
    return random.Random(f"{seed}:{stream}")


def local_at(diary: Diary, date: dt.date, at: dt.time) -> dt.datetime:
    """``date`` ``at`` local time in the diary's zone, as an aware UTC datetime."""
    return local_moment(diary, date, at).astimezone(dt.UTC)


def _clamp(value: float, scale: scales.Scale) -> int:
    """Round ``value`` to the nearest allowed value of ``scale``."""
    return min(scale.values, key=lambda allowed: (abs(allowed - value), allowed))


def create_account(*, start: dt.date, now: dt.datetime) -> tuple[User, Diary]:
    user = User.objects.create_user(DEMO_EMAIL, DEMO_PASSWORD, display_name=DEMO_DISPLAY_NAME)
    EmailAddress.objects.create(user=user, email=DEMO_EMAIL, primary=True, verified=True)
    diary = diary_create(owner=user, patient_name=DEMO_PATIENT_NAME, time_zone=DEMO_TIME_ZONE)
    # Pretend the account was opened the morning the diary starts.
    joined = min(local_at(diary, start, dt.time(9, 40)), now)
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    Diary.objects.filter(pk=diary.pk).update(created_at=joined)
    Membership.objects.filter(diary=diary).update(created_at=joined)
    user.date_joined = diary.created_at = joined
    return user, diary


def plan_days(*, start: dt.date, days: int, rng: random.Random) -> list[DayPlan]:
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


def _plan_ivig(plan: list[DayPlan], rng: random.Random) -> IvigCourse | None:
    """Five infusions on consecutive days about ten weeks ago, on days without fever; from about
    a week after the course the burden is a little lower, for about five weeks."""
    today = len(plan) - 1
    target = today - IVIG_DAYS_AGO + rng.randint(-3, 3)
    first = next(
        (
            index
            for index in sorted(range(target - 10, target + 11), key=lambda index: (abs(index - target), index))
            if index >= 0 and index + IVIG_DAYS < today and not any(day.ill for day in plan[index : index + IVIG_DAYS])
        ),
        None,
    )
    if first is None:
        return None
    last = plan[first + IVIG_DAYS - 1].date
    started = last + dt.timedelta(days=rng.randint(5, 8))
    faded = min(started + dt.timedelta(days=rng.randint(32, 38)), plan[-1].date - dt.timedelta(days=1))
    if faded < started:
        return None
    for day in plan:
        since, until = (day.date - started).days, (faded - day.date).days
        if since >= 0 and until >= 0:
            # Builds up over a few days, wears off over the last week and a half.
            day.burden -= IVIG_RELIEF * min(1.0, (since + 1) / 4, (until + 1) / 10)
    return IvigCourse(first=plan[first].date, benefit_started=started, benefit_faded=faded)


def _add_gaps(plan: list[DayPlan], rng: random.Random) -> None:
    """About one day in ten missed; today and yesterday are always logged."""
    candidates = list(range(max(len(plan) - 2, 0)))
    missing = min(round(len(plan) * GAP_SHARE), len(candidates))
    for index in rng.sample(candidates, missing):
        plan[index].logged = False


def create_day_entries(
    *, diary: Diary, user: User, plan: list[DayPlan], now: dt.datetime, rng: random.Random
) -> list[DayEntry]:
    today = plan[-1].date
    entries = []
    for day in plan:
        if not day.logged:
            continue
        scores = day_scores(day, rng, is_last=day.date == today)
        if day.date != today and rng.random() < PARTIAL_SHARE:
            scores = {field: value if field in PARTIAL_FIELDS else None for field, value in scores.items()}
        created = local_at(diary, day.date, dt.time(20, 30)) + dt.timedelta(minutes=rng.randint(0, 120))
        updated = created + dt.timedelta(minutes=rng.randint(0, 25))
        if rng.random() < 0.08:  # finished the next morning
            updated = local_at(diary, day.date + dt.timedelta(days=1), dt.time(8, 0)) + dt.timedelta(
                minutes=rng.randint(0, 90)
            )
        note = day_note(day, scores, rng)
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


def day_scores(day: DayPlan, rng: random.Random, *, is_last: bool) -> dict[str, int | None]:
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
    # Follow-ups are asked only on some days: the weak-cough question once breathing or swallowing is hard.
    s["cough_too_weak"] = 0 if scales.breathing_or_swallowing_hard(s["breathlessness"], s["swallowing"]) else None
    s["ivig_headache"] = None
    return {item.field: s[item.field] for item in scales.ITEMS}


def day_note(day: DayPlan, scores: dict[str, int | None], rng: random.Random) -> str:
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


def _dose_effect(hours: float) -> float:
    """How much of an amifampridine dose is working ``hours`` after it was taken (0 to 1):
    from about 15 minutes, fully from about half an hour to an hour and a half, mostly gone by four."""
    if hours < 0.2:
        return 0.0
    if hours < 0.6:
        return (hours - 0.2) / 0.4
    if hours <= 1.5:
        return 1.0
    if hours <= 4.0:
        return 1.0 - 0.85 * (hours - 1.5) / 2.5
    return max(0.0, 0.15 * (6.0 - hours) / 2.0)


def working_dose(at: dt.datetime, doses: Sequence[tuple[dt.datetime, Decimal]], times: list[dt.datetime]) -> float:
    """The amifampridine effect at ``at`` from the last two doses taken before it (15 mg a little more than 10)."""
    index = bisect.bisect_right(times, at)
    return max(
        (
            _dose_effect((at - taken).total_seconds() / 3600) * math.sqrt(float(amount) / 10)
            for taken, amount in doses[max(index - 2, 0) : index]
        ),
        default=0.0,
    )


def create_quick_checks(
    *,
    diary: Diary,
    user: User,
    plan: list[DayPlan],
    now: dt.datetime,
    rng: random.Random,
    doses: Sequence[tuple[dt.datetime, Decimal]] = (),
) -> list[QuickCheck]:
    """Two to four checks a day. With ``doses`` (amifampridine ``(taken_at, amount)`` in time order),
    strength is best from half an hour to an hour and a half after a dose and weaker before the next."""
    times = [taken for taken, _amount in doses]
    checks = []
    for day in plan:
        if not day.logged:
            continue
        count = rng.choices((2, 3, 4), weights=(3, 4, 3))[0]
        slots = sorted(rng.sample(range(len(CHECK_SLOTS)), count))
        load = max(day.burden, 0.0)
        heat = 1 if day.hot else 0
        for slot in slots:
            at, strength_shift, fatigue_shift, earliest, latest = CHECK_SLOTS[slot]
            taken_at = local_at(diary, day.date, at) + dt.timedelta(minutes=rng.randint(earliest, latest))
            if taken_at > now:
                continue
            strength = 8.0 - 1.6 * load + strength_shift - 0.8 * heat + rng.gauss(0, 0.6)
            fatigue = 1.5 + 2.0 * load + fatigue_shift + 0.8 * heat + rng.gauss(0, 0.7)
            if doses:
                working = working_dose(taken_at, doses, times) - DOSE_EFFECT_MEAN
                strength += DOSE_STRENGTH_GAIN * working
                fatigue -= 0.6 * working
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


def saved_stamps(moment: dt.datetime, now: dt.datetime) -> dict[str, dt.datetime]:
    """``created_at`` and ``updated_at`` for a record saved at ``moment`` (never after ``now``)."""
    moment = min(moment, now)
    return {"created_at": moment, "updated_at": moment}


def is_current(medication: Medication, date: dt.date) -> bool:
    return medication.start_date <= date and (medication.end_date is None or date <= medication.end_date)


def create_medications(
    *, diary: Diary, user: User, plan: list[DayPlan], now: dt.datetime, rng: random.Random
) -> list[Medication]:
    """Amifampridine 10 mg four times a day, raised to 15 mg about two thirds of the way in
    (a new row linked to the old, which ends the day before); pyridostigmine throughout;
    prednisone from some weeks in."""
    start, days = plan[0].date, len(plan)

    def prescription(
        kind: str, strength: str, amount: str, times: Sequence[str], first: dt.date, **extra: Any
    ) -> Medication:
        entered = local_at(diary, first, dt.time(9, 45)) + dt.timedelta(minutes=rng.randint(0, 600))
        return Medication(
            diary=diary,
            kind=kind,
            strength=Decimal(strength),
            unit=DoseUnit.MG,
            dose_amount=Decimal(amount),
            times=list(times),
            start_date=first,
            prescriber=PRESCRIBER,
            created_by=user,
            updated_by=user,
            **saved_stamps(entered, now),
            **extra,
        )

    amifampridine = prescription(MedicineKind.AMIFAMPRIDINE, "10", "10", AMIFAMPRIDINE_TIMES, start)
    first_rows = [amifampridine, prescription(MedicineKind.PYRIDOSTIGMINE, "60", "60", PYRIDOSTIGMINE_TIMES, start)]
    prednisone_from = rng.randint(4, 7) * 7 + rng.randint(0, 6)
    if prednisone_from < days:
        first_rows.append(
            prescription(
                MedicineKind.PREDNISONE, "5", "10", PREDNISONE_TIMES, start + dt.timedelta(days=prednisone_from)
            )
        )
    change = min(max(round(days * 2 / 3) + rng.randint(-4, 4), 1), days - 1)
    raised = None
    if days >= 2:
        change_day = start + dt.timedelta(days=change)
        raised = prescription(MedicineKind.AMIFAMPRIDINE, "10", "15", AMIFAMPRIDINE_TIMES, change_day)
        amifampridine.end_date = change_day - dt.timedelta(days=1)
        amifampridine.updated_at = raised.created_at
    medications = Medication.objects.bulk_create(first_rows)
    if raised is not None:
        raised.previous = amifampridine
        medications += Medication.objects.bulk_create([raised])
    return medications


def create_dose_logs(
    *,
    diary: Diary,
    user: User,
    plan: list[DayPlan],
    medications: list[Medication],
    now: dt.datetime,
    rng: random.Random,
) -> list[DoseLog]:
    """A log for every scheduled dose of every logged day up to now, and a few extra doses."""
    logs = []
    for day in plan:
        if not day.logged:
            continue
        late_share = LATE_SHARE + (0.03 if day.burden > 2 else 0.0)
        for medication in medications:
            if not is_current(medication, day.date):
                continue
            for at in medication.scheduled_times():
                slot = local_at(diary, day.date, at)
                if slot > now:
                    continue
                log = dose_log(diary, user, medication, slot, at, late_share, rng)
                if log.taken_at is not None and log.taken_at > now:
                    continue  # due a moment ago and not logged yet
                log.created_at = log.updated_at = min(log.created_at, now)
                logs.append(log)
    logs += _extra_doses(diary=diary, user=user, plan=plan, medications=medications, now=now, rng=rng)
    return DoseLog.objects.bulk_create(logs)


def dose_log(
    diary: Diary,
    user: User,
    medication: Medication,
    slot: dt.datetime,
    at: dt.time,
    late_share: float,
    rng: random.Random,
) -> DoseLog:
    roll = rng.random()
    food = rng.random()
    with_food = True if food < WITH_FOOD_CHANCE[medication.kind] else (None if food < 0.9 else False)
    if roll < SKIP_SHARE:
        reasons = ["Forgot", "Nausea", "Asleep" if at.hour < 9 else "Out of the house"]
        return DoseLog(
            diary=diary,
            medication=medication,
            scheduled_for=slot,
            taken_at=None,
            status=DoseStatus.SKIPPED,
            amount=None,
            skip_reason=rng.choice(reasons),
            created_by=user,
            updated_by=user,
            **saved_stamps(slot + dt.timedelta(minutes=rng.randint(20, 240)), slot + dt.timedelta(days=1)),
        )
    if roll < SKIP_SHARE + late_share:
        status, taken_at = DoseStatus.LATE, slot + dt.timedelta(minutes=rng.randint(40, 150))
    else:
        status, taken_at = DoseStatus.TAKEN, slot + dt.timedelta(minutes=max(-20, min(20, round(rng.gauss(0, 8)))))
    return DoseLog(
        diary=diary,
        medication=medication,
        scheduled_for=slot,
        taken_at=taken_at,
        status=status,
        amount=medication.dose_amount,
        with_food=with_food,
        created_by=user,
        updated_by=user,
        **saved_stamps(taken_at + dt.timedelta(minutes=rng.randint(0, 8)), taken_at + dt.timedelta(days=1)),
    )


def _extra_doses(
    *,
    diary: Diary,
    user: User,
    plan: list[DayPlan],
    medications: list[Medication],
    now: dt.datetime,
    rng: random.Random,
) -> list[DoseLog]:
    """An extra pyridostigmine in the afternoon before going out, on a few hot or harder days (never today)."""
    past = [day for day in plan[:-1] if day.logged]
    harder = [day for day in past if day.hot or day.burden > 1.6] or past
    extras = []
    for day in sorted(rng.sample(harder, min(len(harder), max(1, round(len(plan) / 40)))), key=lambda d: d.date):
        medication = next(
            (m for m in medications if m.kind == MedicineKind.PYRIDOSTIGMINE and is_current(m, day.date)), None
        )
        taken_at = local_at(diary, day.date, dt.time(16, 0)) + dt.timedelta(minutes=rng.randint(0, 150))
        if medication is None or taken_at > now:
            continue
        extras.append(
            DoseLog(
                diary=diary,
                medication=medication,
                scheduled_for=None,
                taken_at=taken_at,
                status=DoseStatus.EXTRA,
                amount=medication.dose_amount,
                created_by=user,
                updated_by=user,
                **saved_stamps(taken_at + dt.timedelta(minutes=rng.randint(0, 5)), now),
            )
        )
    return extras


def create_side_effects(
    *, diary: Diary, user: User, doses: list[DoseLog], now: dt.datetime, rng: random.Random
) -> list[SideEffect]:
    """A handful of mild tingling spells after amifampridine, mostly in the days after the dose went up."""
    candidates = [
        dose
        for dose in doses
        if dose.medication.kind == MedicineKind.AMIFAMPRIDINE
        and dose.taken_at is not None
        and dose.taken_at + dt.timedelta(hours=2) < now
    ]
    raised_from = min(
        (dose.medication.start_date for dose in candidates if dose.medication.previous_id is not None), default=None
    )

    def weight(dose: DoseLog) -> float:
        if raised_from is None or dose.medication.start_date < raised_from:
            return 1.0
        return 30.0 if (diary.local(dose.scheduled_for or dose.taken_at).date() - raised_from).days < 4 else 3.0

    # Weighted sample without replacement: the largest random keys win.
    keyed = sorted(candidates, key=lambda dose: rng.random() ** (1 / weight(dose)), reverse=True)
    effects = []
    for dose in sorted(keyed[: rng.randint(5, 8)], key=lambda d: d.taken_at):
        onset = rng.randint(15, 40)
        effects.append(
            SideEffect(
                diary=diary,
                dose=dose,
                symptom=SideEffectSymptom.TINGLING,
                severity=rng.choice((1, 1, 2, 2, 3)),
                onset_minutes=onset,
                note=rng.choice(TINGLING_NOTES),
                created_by=user,
                updated_by=user,
                **saved_stamps(dose.taken_at + dt.timedelta(minutes=onset + rng.randint(5, 40)), now),
            )
        )
    return SideEffect.objects.bulk_create(effects)


def create_rest_periods(
    *, diary: Diary, user: User, plan: list[DayPlan], now: dt.datetime, rng: random.Random
) -> list[RestPeriod]:
    """One to three rests a logged day: mostly the planned rest after lunch, and unplanned ones
    (weakness, heat, after an activity) more often on hot and bad days. All ended, none after now."""
    rests = []
    for day in plan:
        if not day.logged:
            continue
        load = max(day.burden, 0.0)
        unplanned_chance = 0.12 + 0.45 * day.hot + 0.5 * min(1.0, max(0.0, load - 1.1))
        windows: list[tuple[dt.time, int, int, bool]] = []  # start, latest shift, longest minutes, planned
        if rng.random() < unplanned_chance * 0.5:
            windows.append((dt.time(10, 0), 90, 60, False))
        if rng.random() < 0.9:
            windows.append((dt.time(13, 15), 60, 90, True))
        if rng.random() < unplanned_chance:
            windows.append((dt.time(16, 0), 120, 60, False))
        if not windows:
            windows.append((dt.time(13, 15), 60, 90, True))
        for at, shift, longest, planned in windows:
            started = local_at(diary, day.date, at) + dt.timedelta(minutes=rng.randint(0, shift))
            ended = started + dt.timedelta(minutes=rng.randint(30 if planned else 20, longest))
            if planned:
                trigger = RestTrigger.SCHEDULED
            elif day.hot and rng.random() < 0.7:
                trigger = RestTrigger.HEAT
            else:
                trigger = RestTrigger.WEAKNESS if rng.random() < 0.75 else RestTrigger.ACTIVITY
            before = min(8, max(0, round((5.5 if planned else 4.0) - 1.2 * load + rng.gauss(0, 1))))
            after = min(10, before + rng.randint(1, 3 if planned else 2))
            rated = rng.random() < 0.92
            position = rng.choices((RestPosition.LYING, RestPosition.SITTING, ""), weights=(6 if planned else 3, 4, 1))
            if ended > now:
                continue
            rests.append(
                RestPeriod(
                    diary=diary,
                    started_at=started,
                    ended_at=ended,
                    planned=planned,
                    trigger=trigger,
                    position=position[0],
                    energy_before=before if rated else None,
                    energy_after=after if rated else None,
                    created_by=user,
                    updated_by=user,
                    **saved_stamps(ended, now),
                )
            )
    return RestPeriod.objects.bulk_create(rests)


def create_treatments(
    *, diary: Diary, user: User, course: IvigCourse | None, now: dt.datetime, rng: random.Random
) -> list[TreatmentSession]:
    """The IVIG course: five infusions, a mild headache after the second, the benefit noted on the last."""
    if course is None:
        return []
    sessions = []
    for cycle, date in enumerate(course.dates, start=1):
        entered = local_at(diary, date, dt.time(18, 0)) + dt.timedelta(minutes=rng.randint(0, 180))
        last = cycle == len(course.dates)
        session = TreatmentSession(
            diary=diary,
            kind=TreatmentKind.IVIG,
            course="Course 1",
            cycle=cycle,
            date=date,
            product=IVIG_PRODUCT,
            reactions=IVIG_REACTION if cycle == 2 else "",
            benefit=Benefit.BETTER if last else "",
            benefit_started=course.benefit_started if last else None,
            benefit_faded=course.benefit_faded if last else None,
            created_by=user,
            updated_by=user,
            **saved_stamps(entered, now),
        )
        if last:  # the benefit was filled in once it had faded
            session.updated_at = min(local_at(diary, course.benefit_faded, dt.time(20, 15)), now)
        sessions.append(session)
    return TreatmentSession.objects.bulk_create(sessions)


def create_events(
    *,
    diary: Diary,
    user: User,
    plan: list[DayPlan],
    now: dt.datetime,
    rng: random.Random,
    busy: set[dt.date] | frozenset[dt.date] = frozenset(),
) -> list[Event]:
    """A near-fall and a fall (not hurt), an infection during a fever spell, a blood-pressure pair
    that drops on standing, a dental filling and a chest CT. Never today, never a seizure."""
    past = [day for day in plan[:-1] if day.logged]
    used = set(busy)

    def pick(preferred: list[DayPlan]) -> DayPlan | None:
        for pool in (preferred, past):
            free = [day for day in pool if day.date not in used]
            if free:
                day = rng.choice(free)
                used.add(day.date)
                return day
        return None

    events = []

    def add(day: DayPlan | None, at: dt.time, latest: int, kind: str, **fields: Any) -> None:
        if day is None:
            return
        occurred = local_at(diary, day.date, at) + dt.timedelta(minutes=rng.randint(0, latest))
        if occurred > now:
            return
        saved = occurred + dt.timedelta(minutes=rng.randint(10, 180))
        events.append(
            Event(
                diary=diary,
                kind=kind,
                occurred_at=occurred,
                created_by=user,
                updated_by=user,
                **saved_stamps(saved, now),
                **fields,
            )
        )

    fever_starts = [day for index, day in enumerate(past) if day.ill and (index == 0 or not past[index - 1].ill)]
    if fever_starts:
        day = fever_starts[0]
        used.add(day.date)
        add(
            day,
            dt.time(10, 0),
            120,
            EventKind.INFECTION,
            ended_on=min(day.date + dt.timedelta(days=6), plan[-1].date - dt.timedelta(days=1)),
            temperature=Decimal(f"{rng.uniform(38.1, 38.7):.1f}"),
            chest_symptoms=True,
            antibiotic="Amoxicillin",
            note="Chest infection. The GP chose an antibiotic that is safe with LEMS.",
        )
    harder = [day for day in past if day.hot or day.burden > 1.8]
    add(
        pick(harder),
        dt.time(15, 0),
        180,
        EventKind.NEAR_FALL,
        activity="Getting up from the low sofa",
        location="Living room",
        note="Knees buckled; caught the arm of the sofa.",
    )
    add(
        pick([day for day in past if day.spell == "overdone"] or [day for day in past if day.burden > 2.2]),
        dt.time(11, 0),
        240,
        EventKind.FALL,
        activity="Stepping down from the kerb",
        location="High Street, outside the chemist",
        injury=Injury.NONE,
        head_strike=False,
        note="Legs gave way. Got up with help from a passer-by; not hurt.",
    )
    lying_systolic, lying_diastolic = rng.randint(122, 134), rng.randint(74, 82)
    add(
        pick([day for day in past if day.hot] or harder),
        dt.time(9, 30),
        90,
        EventKind.BLOOD_PRESSURE,
        bp_lying_systolic=lying_systolic,
        bp_lying_diastolic=lying_diastolic,
        bp_standing_systolic=lying_systolic - rng.randint(22, 30),
        bp_standing_diastolic=lying_diastolic - rng.randint(4, 10),
        note="Light-headed on standing up. Home monitor, lying then after a minute standing.",
    )
    add(
        pick([day for day in past if not day.spell and not day.hot]),
        dt.time(9, 0),
        300,
        EventKind.PROCEDURE,
        procedure_type="Dental filling with local anaesthetic",
        note="Told the dentist about LEMS beforehand. No problems.",
    )
    add(
        pick([day for day in past if not day.spell]),
        dt.time(13, 0),
        120,
        EventKind.TEST_OR_SCAN,
        scan_type=ScanType.TUMOUR_CT,
        result="Nothing of concern, as the chest clinic told me",
        note="Six-monthly chest CT.",
    )
    events.sort(key=lambda event: event.occurred_at)
    return Event.objects.bulk_create(events)
