"""Workflows that span models: plain, typed, keyword-only functions."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from diary import scales
from diary.models import DayEntry, Diary, Membership, QuickCheck, Role


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
    the same day never overwrite each other (SECURITY.md item 20).
    """
    unknown = set(scores) - set(scales.ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Not diary items: {sorted(unknown)}")
    now = timezone.now()
    with transaction.atomic():
        entry, created = _entry_get_or_create(diary=diary, date=date, by=by, values=scores)
        if not created and scores:
            DayEntry.objects.filter(pk=entry.pk).update(**scores, updated_by=by, updated_at=now)
            for field, value in scores.items():
                setattr(entry, field, value)
            entry.updated_by = by
            entry.updated_at = now
    return entry


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
        entry.refresh_from_db()
    return entry


def _entry_get_or_create(*, diary: Diary, date: dt.date, by: User, values: dict[str, Any]) -> tuple[DayEntry, bool]:
    existing = DayEntry.objects.select_for_update().filter(diary=diary, date=date).first()
    if existing is not None:
        return existing, False
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
    submit never creates a second check (SECURITY.md item 21).
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
