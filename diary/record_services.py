"""Writes of a diary's records made from their forms: rests added afterwards, events,
side effects, treatment sessions and new medicines.

Plain, typed, keyword-only functions named ``<thing>_<verb>`` (docs/architecture.md), beside
``diary.services``. A submit carrying a client token lands on one row however often it arrives:
a retry finds the row, and a concurrent twin that loses the race to insert gets the winner's row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from diary.models import Diary, DoseLog, Event, Medication, RestPeriod, SideEffect, TreatmentSession

# --- Rests added afterwards -------------------------------------------------------------


def rest_period_create(
    *,
    diary: Diary,
    token: uuid.UUID,
    by: User,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    energy_before: int | None = None,
    energy_after: int | None = None,
    planned: bool | None = None,
    trigger: str = "",
    position: str = "",
) -> tuple[RestPeriod, bool]:
    """A finished rest, once per token: the rest and whether this call created it."""
    existing = RestPeriod.objects.filter(diary=diary, client_token=token).first()
    if existing is not None:
        return existing, False
    return rest_period_insert(
        diary=diary,
        token=token,
        by=by,
        started_at=started_at,
        ended_at=ended_at,
        energy_before=energy_before,
        energy_after=energy_after,
        planned=planned,
        trigger=trigger,
        position=position,
    )


def rest_period_insert(*, diary: Diary, token: uuid.UUID, by: User, **fields: Any) -> tuple[RestPeriod, bool]:
    """The insert after the lookup found nothing (``fields`` as ``rest_period_create`` takes them);
    a twin submit that inserted first wins."""
    return _insert_once(RestPeriod, diary=diary, token=token, created_by=by, updated_by=by, **fields)


# --- Events ------------------------------------------------------------------------------


def event_create(
    *, diary: Diary, kind: str, token: uuid.UUID, occurred_at: dt.datetime, answers: dict[str, Any], by: User
) -> tuple[Event, bool]:
    """An event, once per token: the event and whether this call created it.

    ``answers`` holds the event form's model fields (the ones its kind asks for).
    """
    existing = Event.objects.filter(diary=diary, client_token=token).first()
    if existing is not None:
        return existing, False
    return event_insert(diary=diary, kind=kind, token=token, occurred_at=occurred_at, answers=answers, by=by)


def event_insert(
    *, diary: Diary, kind: str, token: uuid.UUID, occurred_at: dt.datetime, answers: dict[str, Any], by: User
) -> tuple[Event, bool]:
    """The insert after the lookup found nothing; a twin submit that inserted first wins."""
    return _insert_once(
        Event, diary=diary, token=token, kind=kind, occurred_at=occurred_at, created_by=by, updated_by=by, **answers
    )


def _insert_once[Row: (RestPeriod, Event)](
    model: type[Row], *, diary: Diary, token: uuid.UUID, **fields: Any
) -> tuple[Row, bool]:
    """Insert a row with its client token; when a twin submit inserted it first, return that row."""
    try:
        # A savepoint: on PostgreSQL a failed INSERT would otherwise abort the request's transaction.
        with transaction.atomic():
            return model.objects.create(diary=diary, client_token=token, **fields), True
    except IntegrityError:
        existing = model.objects.filter(diary=diary, client_token=token).first()
        if existing is None:
            raise  # another constraint failed, not the token's: not a double submit
        return existing, False


# --- Side effects of a dose ----------------------------------------------------------------


def side_effect_create(
    *, dose: DoseLog, symptom: str, severity: int, onset_minutes: int | None, by: User
) -> SideEffect | None:
    """The side effect noted with a dose; None when the dose already has one (a resent form)."""
    if dose.side_effects.exists():
        return None
    return SideEffect.objects.create(
        diary_id=dose.diary_id,
        dose=dose,
        symptom=symptom,
        severity=severity,
        onset_minutes=onset_minutes,
        created_by=by,
        updated_by=by,
    )


# --- Treatment sessions and medicines --------------------------------------------------------


def treatment_session_save(
    *, diary: Diary, values: dict[str, Any], by: User, session: TreatmentSession | None = None
) -> TreatmentSession:
    """Add a treatment session, or correct ``session`` (one of ``diary``'s) with ``values``."""
    if session is None:
        return TreatmentSession.objects.create(diary=diary, created_by=by, updated_by=by, **values)
    if session.diary_id != diary.pk:
        raise ValueError("The session belongs to another diary.")
    for name, value in values.items():
        setattr(session, name, value)
    session.updated_by = by
    session.updated_at = timezone.now()
    session.save()
    return session


def medication_create(*, diary: Diary, values: dict[str, Any], times: list[str], by: User) -> Medication:
    """A new prescription as the person entered it (changes go through ``medication_replace``)."""
    return Medication.objects.create(diary=diary, times=times, created_by=by, updated_by=by, **values)
