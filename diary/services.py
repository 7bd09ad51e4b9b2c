"""Workflows that span models: plain, typed, keyword-only functions."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import User
from diary import scales
from diary.models import (
    DayEntry,
    Diary,
    DoseLog,
    DoseStatus,
    Medication,
    Membership,
    QuickCheck,
    RestPeriod,
    Role,
    WeeklyEntry,
    new_revision,
)

#: Inside a logging view's one transaction (diary.transactions), the diaries to mark changed,
#: written once at its end; None elsewhere (marked at once).
_gathered_touches: ContextVar[set[int] | None] = ContextVar("gathered_diary_touches", default=None)


def diary_touch(*diary_ids: int) -> None:
    """Mark diaries as changed: the cached parts of their pages (diary.fragments) are made afresh."""
    gathered = _gathered_touches.get()
    if gathered is not None:
        gathered.update(diary_ids)
        return
    for diary_id in sorted(set(diary_ids)):
        Diary.objects.filter(pk=diary_id).update(revision=new_revision())


@contextlib.contextmanager
def diary_touches_gathered() -> Iterator[set[int]]:
    """Gather the touches of a block that runs inside one transaction, for the caller to write
    (once each, before that transaction commits)."""
    gathered: set[int] = set()
    token = _gathered_touches.set(gathered)
    try:
        yield gathered
    finally:
        _gathered_touches.reset(token)


def diaries_touch_for(user: User) -> None:
    """A person's name shows on what they logged in every diary they share: refresh those pages."""
    diary_touch(*Membership.objects.filter(user=user).values_list("diary_id", flat=True))


def diary_create(*, owner: User, patient_name: str, time_zone: str) -> Diary:
    with transaction.atomic():
        diary = Diary.objects.create(patient_name=patient_name, time_zone=time_zone)
        Membership.objects.create(diary=diary, user=owner, role=Role.OWNER)
    return diary


def membership_grant(*, diary: Diary, user: User, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(diary=diary, user=user, defaults={"role": role})
    return membership


def day_entry_for(*, diary: Diary, date: dt.date) -> DayEntry | None:
    return DayEntry.objects.select_related("updated_by").filter(diary=diary, date=date).first()


def day_entry_save_scores(*, diary: Diary, date: dt.date, scores: dict[str, Any], by: User) -> DayEntry:
    """Save some scores of one day, leaving the others as they are.

    Only the fields given are written, so two people rating different items of
    the same day never overwrite each other (docs/security.md).
    """
    unknown = set(scores) - set(scales.ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Not diary items: {sorted(unknown)}")
    now = timezone.now()
    # No savepoint of its own inside a logging view's transaction (diary.transactions): a failure here fails the request.
    with transaction.atomic(savepoint=False):
        entry, created = _entry_get_or_create(diary=diary, date=date, by=by, values=scores)
        if not created and scores:
            DayEntry.objects.filter(pk=entry.pk).update(**scores, updated_by=by, updated_at=now)
            diary_touch(diary.pk)
            for field, value in scores.items():
                setattr(entry, field, value)
            entry.updated_by = by
            entry.updated_at = now
    return entry


def week_start_of(day: dt.date) -> dt.date:
    """The Monday that starts the week holding ``day``."""
    return day - dt.timedelta(days=day.weekday())


def weekly_entry_save(*, diary: Diary, week_start: dt.date, values: dict[str, Any], by: User) -> WeeklyEntry:
    """Save one week's optional answers (only the fields given), creating the week if needed."""
    entry, created = WeeklyEntry.objects.get_or_create(
        diary=diary, week_start=week_start, defaults={**values, "created_by": by, "updated_by": by}
    )
    if not created:
        for name, value in values.items():
            setattr(entry, name, value)
        entry.updated_by = by
        entry.updated_at = timezone.now()
        entry.save()
    diary_touch(diary.pk)
    return entry


def day_entry_update_scores(*, diary: Diary, date: dt.date, scores: dict[str, Any], by: User) -> bool:
    """The everyday tap: write some scores of a day that already has an entry, in one UPDATE.

    False, writing nothing, when the day has no entry yet (``day_entry_save_scores`` makes it).
    """
    unknown = set(scores) - set(scales.ITEM_FIELDS)
    if unknown or not scores:
        raise ValueError(f"Not diary items: {sorted(unknown)}")
    with transaction.atomic(savepoint=False):
        updated = DayEntry.objects.filter(diary=diary, date=date).update(
            **scores, updated_by=by, updated_at=timezone.now()
        )
        if updated:
            diary_touch(diary.pk)
    return bool(updated)


class NoteConflict(Exception):
    """Someone else saved the note after this person opened it."""

    def __init__(self, current: DayEntry) -> None:
        super().__init__("The note was changed by someone else.")
        self.current = current


def day_entry_save_note(*, diary: Diary, date: dt.date, note: str, seen_version: int, by: User) -> DayEntry:
    with transaction.atomic():
        entry, created = _entry_get_or_create(diary=diary, date=date, by=by, values={})
        if created:
            seen_version = entry.note_version
        changed = DayEntry.objects.filter(pk=entry.pk, note_version=seen_version).update(
            note=note, note_version=seen_version + 1, updated_by=by, updated_at=timezone.now()
        )
        if not changed:
            raise NoteConflict(DayEntry.objects.get(pk=entry.pk))
        diary_touch(diary.pk)
        entry.refresh_from_db()
    return entry


def _entry_get_or_create(*, diary: Diary, date: dt.date, by: User, values: dict[str, Any]) -> tuple[DayEntry, bool]:
    try:
        # get(), not first(): one entry per day, and no ORDER BY to compile.
        return DayEntry.objects.select_for_update().get(diary=diary, date=date), False
    except DayEntry.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            entry = DayEntry.objects.create(diary=diary, date=date, created_by=by, updated_by=by, **values)
        return entry, True
    except IntegrityError:
        # Another tap created the day a moment ago; use that one.
        return DayEntry.objects.select_for_update().get(diary=diary, date=date), False


def quick_check_save(
    *,
    diary: Diary,
    token: uuid.UUID,
    by: User,
    strength: int | None = None,
    fatigue: int | None = None,
    note: str | None = None,
    taken_at: dt.datetime | None = None,
) -> QuickCheck:
    """Create or complete the quick check started with ``token``.

    The same token always lands on the same row, so a retried or double-tapped
    submit never creates a second check (docs/security.md).
    """
    values: dict[str, Any] = {}
    if strength is not None:
        values["strength"] = strength
    if fatigue is not None:
        values["fatigue"] = fatigue
    if note is not None:
        values["note"] = note
    now = timezone.now()
    with transaction.atomic():
        check = QuickCheck.objects.select_for_update().filter(diary=diary, client_token=token).first()
        if check is None:
            try:
                with transaction.atomic():
                    return QuickCheck.objects.create(
                        diary=diary,
                        client_token=token,
                        taken_at=taken_at or now,
                        created_by=by,
                        updated_by=by,
                        **values,
                    )
            except IntegrityError:
                check = QuickCheck.objects.select_for_update().get(diary=diary, client_token=token)
        for field, value in values.items():
            setattr(check, field, value)
        check.updated_by = by
        check.updated_at = now
        check.save(update_fields=[*values, "updated_by", "updated_at"])
    return check


# --- Medications and doses ------------------------------------------------------------


def medication_replace(*, current: Medication, changes: dict[str, Any], from_day: dt.date, by: User) -> Medication:
    """Change a prescription from ``from_day`` on, keeping the old one as history.

    The old row ends the day before; a new row (linked to it) starts on ``from_day``.
    A change that starts on the old row's first day simply corrects that row's values
    in a new version (the old one ends that same day, so history still shows it).
    """
    with transaction.atomic():
        old = Medication.objects.select_for_update().get(pk=current.pk)
        old.end_date = max(old.start_date, from_day - dt.timedelta(days=1))
        old.updated_by = by
        old.updated_at = timezone.now()
        old.save(update_fields=["end_date", "updated_by", "updated_at"])
        fields = {
            f: getattr(old, f) for f in ("kind", "name", "strength", "unit", "dose_amount", "times", "prescriber")
        }
        fields.update(changes)
        return Medication.objects.create(
            diary=old.diary,
            start_date=from_day,
            end_date=None,
            previous=old,
            created_by=by,
            updated_by=by,
            **fields,
        )


def medication_stop(*, medication: Medication, on: dt.date, by: User) -> Medication:
    medication.end_date = max(medication.start_date, on)
    medication.updated_by = by
    medication.updated_at = timezone.now()
    medication.save(update_fields=["end_date", "updated_by", "updated_at"])
    return medication


class DuplicateDose(Exception):
    """This scheduled dose has already been answered."""

    def __init__(self, existing: DoseLog) -> None:
        super().__init__("This dose is already logged.")
        self.existing = existing


def dose_log_record(
    *,
    medication: Medication,
    token: uuid.UUID,
    status: str,
    by: User,
    scheduled_for: dt.datetime | None = None,
    taken_at: dt.datetime | None = None,
    amount: Decimal | None = None,
    with_food: bool | None = None,
    skip_reason: str = "",
) -> DoseLog:
    """Log one dose. The same token returns the same row (a retried submit);
    a second answer for the same scheduled slot raises DuplicateDose."""
    with transaction.atomic():
        again = DoseLog.objects.filter(diary=medication.diary, client_token=token).first()
        if again is not None:
            return again
        if scheduled_for is not None:
            existing = DoseLog.objects.filter(medication=medication, scheduled_for=scheduled_for).first()
            if existing is not None:
                raise DuplicateDose(existing)
        try:
            with transaction.atomic():
                return DoseLog.objects.create(
                    diary=medication.diary,
                    medication=medication,
                    client_token=token,
                    status=status,
                    scheduled_for=scheduled_for,
                    taken_at=None if status == DoseStatus.SKIPPED else (taken_at or timezone.now()),
                    amount=None if status == DoseStatus.SKIPPED else (amount or medication.dose_amount),
                    with_food=with_food,
                    skip_reason=skip_reason if status == DoseStatus.SKIPPED else "",
                    created_by=by,
                    updated_by=by,
                )
        except IntegrityError:
            again = DoseLog.objects.filter(diary=medication.diary, client_token=token).first()
            if again is not None:
                return again
            raise DuplicateDose(DoseLog.objects.get(medication=medication, scheduled_for=scheduled_for)) from None


# --- Rest --------------------------------------------------------------------------------


class RestAlreadyRunning(Exception):
    def __init__(self, running: RestPeriod) -> None:
        super().__init__("A rest is already running.")
        self.running = running


def rest_start(
    *, diary: Diary, by: User, token: uuid.UUID, energy_before: int | None = None, at: dt.datetime | None = None
) -> RestPeriod:
    """Start the rest timer. A second tap (or a retry) finds the rest already running."""
    with transaction.atomic():
        same = RestPeriod.objects.filter(diary=diary, client_token=token).first()
        if same is not None:
            return same
        running = RestPeriod.objects.filter(diary=diary, ended_at__isnull=True).first()
        if running is not None:
            return running
        try:
            with transaction.atomic():
                return RestPeriod.objects.create(
                    diary=diary,
                    client_token=token,
                    started_at=at or timezone.now(),
                    energy_before=energy_before,
                    created_by=by,
                    updated_by=by,
                )
        except IntegrityError:
            return RestPeriod.objects.get(diary=diary, ended_at__isnull=True)


def rest_end(
    *,
    rest: RestPeriod,
    by: User,
    energy_after: int | None,
    planned: bool | None,
    trigger: str = "",
    position: str = "",
    at: dt.datetime | None = None,
) -> RestPeriod:
    with transaction.atomic():
        rest = RestPeriod.objects.select_for_update().get(pk=rest.pk)
        if rest.ended_at is None:
            # A rest shorter than a minute still ends after it started.
            rest.ended_at = max(at or timezone.now(), rest.started_at + dt.timedelta(seconds=1))
        rest.energy_after = energy_after
        rest.planned = planned
        rest.trigger = trigger or rest.trigger
        rest.position = position or rest.position
        rest.updated_by = by
        rest.updated_at = timezone.now()
        rest.save()
    return rest


@dataclass(frozen=True)
class DueDose:
    medication: Medication
    scheduled_for: dt.datetime  # UTC
    log: DoseLog | None


def local_moment(diary: Diary, day: dt.date, at: dt.time) -> dt.datetime:
    """A wall-clock time on a diary day, as an aware datetime (fold=0 in a DST overlap)."""
    return dt.datetime.combine(day, at, tzinfo=diary.zone)


def doses_due(*, diary: Diary, day: dt.date) -> tuple[list[DueDose], list[DoseLog]]:
    """The scheduled doses of a day in time order, each with its log if answered,
    and the day's extra (unscheduled) doses. Two queries whatever the diary's size."""
    medications = list(Medication.objects.filter(diary=diary).current_on(day))
    start = local_moment(diary, day, dt.time.min)
    end = local_moment(diary, day + dt.timedelta(days=1), dt.time.min)
    logs = list(
        DoseLog.objects.filter(diary=diary)
        .filter(
            models.Q(scheduled_for__gte=start, scheduled_for__lt=end)
            | models.Q(scheduled_for__isnull=True, taken_at__gte=start, taken_at__lt=end)
        )
        .select_related("created_by", "medication")
    )
    by_slot = {(log.medication_id, log.scheduled_for): log for log in logs if log.scheduled_for is not None}
    due = [
        DueDose(medication, slot, by_slot.get((medication.pk, slot)))
        for medication in medications
        for slot in (local_moment(diary, day, at) for at in medication.scheduled_times())
    ]
    due.sort(key=lambda d: (d.scheduled_for, d.medication.display_name))
    extras = sorted((log for log in logs if log.scheduled_for is None), key=lambda log: log.taken_at)
    return due, extras
