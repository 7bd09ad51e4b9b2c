"""The write services behind the rest, event, side-effect, treatment and medicine forms."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from diary.models import DoseStatus, Event, EventKind, Medication, RestPeriod, SideEffect, TreatmentSession
from diary.record_services import (
    event_create,
    event_insert,
    medication_create,
    rest_period_create,
    rest_period_insert,
    side_effect_create,
    treatment_session_save,
)
from diary.services import dose_log_record
from tests.conftest import People


def _rest_times() -> tuple[dt.datetime, dt.datetime]:
    end = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    return end - dt.timedelta(minutes=30), end


def _rest(people: People, token: uuid.UUID, *, insert_only: bool = False) -> tuple[RestPeriod, bool]:
    started_at, ended_at = _rest_times()
    write = rest_period_insert if insert_only else rest_period_create
    return write(diary=people.diary, token=token, by=people.editor, started_at=started_at, ended_at=ended_at)


def _event(people: People, token: uuid.UUID, *, insert_only: bool = False) -> tuple[Event, bool]:
    write = event_insert if insert_only else event_create
    return write(
        diary=people.diary,
        kind=EventKind.NEAR_FALL,
        token=token,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        answers={"activity": "Getting up", "note": ""},
        by=people.editor,
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_rest_token_twice_gives_one_rest(people: People) -> None:
    token = uuid.uuid4()
    first, created = _rest(people, token)
    again, created_again = _rest(people, token)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert RestPeriod.objects.filter(diary=people.diary).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_rest_inserted_by_a_twin_submit_after_the_lookup_is_returned_not_a_500(people: People) -> None:
    token = uuid.uuid4()
    winner, _created = _rest(people, token)
    # The loser's lookup found nothing, then the winner committed: it reaches the insert.
    with transaction.atomic():  # the request's transaction, which must stay usable
        loser, created = _rest(people, token, insert_only=True)
        assert RestPeriod.objects.filter(diary=people.diary).count() == 1
    assert (loser.pk, created) == (winner.pk, False)


@pytest.mark.django_db(transaction=True)
def test_the_same_event_token_twice_gives_one_event(people: People) -> None:
    token = uuid.uuid4()
    first, created = _event(people, token)
    again, created_again = _event(people, token)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Event.objects.filter(diary=people.diary).count() == 1
    assert (first.kind, first.activity, first.created_by) == (EventKind.NEAR_FALL, "Getting up", people.editor)


@pytest.mark.django_db(transaction=True)
def test_an_event_inserted_by_a_twin_submit_after_the_lookup_is_returned_not_a_500(people: People) -> None:
    token = uuid.uuid4()
    winner, _created = _event(people, token)
    with transaction.atomic():
        loser, created = _event(people, token, insert_only=True)
        assert Event.objects.filter(diary=people.diary).count() == 1
    assert (loser.pk, created) == (winner.pk, False)


def test_a_rest_that_breaks_another_rule_still_fails(people: People) -> None:
    started_at, _ended_at = _rest_times()
    with pytest.raises(IntegrityError):
        rest_period_insert(
            diary=people.diary, token=uuid.uuid4(), by=people.editor, started_at=started_at, ended_at=started_at
        )


def _medication(people: People) -> Medication:
    return medication_create(
        diary=people.diary,
        values={
            "kind": "amifampridine",
            "name": "",
            "strength": Decimal("10"),
            "unit": "mg",
            "dose_amount": Decimal("10"),
            "start_date": people.diary.today() - dt.timedelta(days=3),
            "end_date": None,
            "prescriber": "",
        },
        times=["07:00", "19:00"],
        by=people.owner,
    )


def test_a_medicine_is_added_with_its_times_and_who_added_it(people: People) -> None:
    medication = _medication(people)
    assert (medication.diary, medication.times, medication.created_by) == (
        people.diary,
        ["07:00", "19:00"],
        people.owner,
    )


def test_a_dose_keeps_one_side_effect_when_the_form_is_sent_again(people: People) -> None:
    dose = dose_log_record(
        medication=_medication(people), token=uuid.uuid4(), status=DoseStatus.TAKEN, by=people.editor
    )
    noted = side_effect_create(dose=dose, symptom="tingling", severity=3, onset_minutes=20, by=people.editor)
    again = side_effect_create(dose=dose, symptom="tingling", severity=3, onset_minutes=20, by=people.editor)
    assert noted is not None and noted.diary == people.diary
    assert again is None
    assert SideEffect.objects.filter(dose=dose).count() == 1


def test_a_treatment_session_is_added_then_corrected_keeping_who_created_it(people: People) -> None:
    values = {"kind": "ivig", "date": people.diary.today(), "product": "Privigen"}
    session = treatment_session_save(diary=people.diary, values=values, by=people.owner)
    corrected = treatment_session_save(
        diary=people.diary, values={**values, "product": "Octagam"}, by=people.editor, session=session
    )
    session = TreatmentSession.objects.get()
    assert corrected.pk == session.pk
    assert (session.product, session.created_by, session.updated_by) == ("Octagam", people.owner, people.editor)


def test_a_treatment_session_of_another_diary_is_not_corrected(people: People) -> None:
    values = {"kind": "ivig", "date": people.diary.today()}
    session = treatment_session_save(diary=people.stranger_diary, values=values, by=people.stranger)
    with pytest.raises(ValueError):
        treatment_session_save(diary=people.diary, values=values, by=people.editor, session=session)
