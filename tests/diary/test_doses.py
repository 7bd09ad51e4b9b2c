from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from diary.dosenotes import dose_notes
from diary.models import DoseLog, DoseStatus, Medication, SideEffect
from diary.services import dose_log_record, doses_due, local_moment
from tests.conftest import People


@pytest.fixture
def amifampridine(people: People) -> Medication:
    return Medication.objects.create(
        diary=people.diary,
        kind="amifampridine",
        dose_amount=Decimal("10"),
        unit="mg",
        times=["00:00", "00:01"],
        start_date=people.diary.today() - dt.timedelta(days=5),
    )


def slot(people: People, medication: Medication, index: int = 0) -> dt.datetime:
    return local_moment(people.diary, people.diary.today(), medication.scheduled_times()[index])


def take(people: People, medication: Medication, token: str | None = None, who: str = "owner", index: int = 0):  # type: ignore[no-untyped-def]
    data = {
        "medication": medication.pk,
        "scheduled_for": slot(people, medication, index).isoformat(),
        "token": token or str(uuid.uuid4()),
    }
    return people.client_for(who).post(reverse("diary:dose_take", args=[people.diary.pk]), data, follow=True)


def test_today_lists_the_doses_due_in_time_order(people: People, amifampridine: Medication) -> None:
    Medication.objects.create(
        diary=people.diary,
        kind="pyridostigmine",
        dose_amount=60,
        unit="mg",
        times=["00:00"],
        start_date=people.diary.today(),
    )
    due, _extras = doses_due(diary=people.diary, day=people.diary.today())
    assert [d.scheduled_for.astimezone(people.diary.zone).strftime("%H:%M") for d in due] == ["00:00", "00:00", "00:01"]
    html = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert html.count("Taken now") >= 3


def test_one_tap_marks_a_dose_taken_with_who_logged_it(people: People, amifampridine: Medication) -> None:
    response = take(people, amifampridine, who="editor")
    assert "marked taken" in response.content.decode()
    log = DoseLog.objects.get()
    assert log.status in (DoseStatus.TAKEN, DoseStatus.LATE)
    assert log.amount == Decimal("10")
    assert log.created_by == people.editor
    assert "logged by Carla" in response.content.decode()


def test_a_double_tap_or_retry_logs_the_dose_once(people: People, amifampridine: Medication) -> None:
    token = str(uuid.uuid4())
    take(people, amifampridine, token=token)
    take(people, amifampridine, token=token)
    second = take(people, amifampridine)  # a fresh page, same slot
    assert "already logged" in second.content.decode()
    assert DoseLog.objects.count() == 1


def test_a_medication_of_another_diary_is_refused(people: People) -> None:
    theirs = Medication.objects.create(
        diary=people.stranger_diary,
        kind="amifampridine",
        dose_amount=5,
        times=["08:00"],
        start_date=dt.date(2026, 1, 1),
    )
    response = take(people, theirs)
    assert "not in this diary" in response.content.decode()
    assert not DoseLog.objects.exists()


def test_a_skip_needs_a_reason_and_is_recorded(people: People, amifampridine: Medication) -> None:
    url = reverse("diary:dose_detail", args=[people.diary.pk])
    base = {
        "medication": amifampridine.pk,
        "scheduled_for": slot(people, amifampridine).isoformat(),
        "token": str(uuid.uuid4()),
    }
    response = people.client_for("owner").post(url, {**base, "status": "skipped"})
    assert response.status_code == 400
    assert "why it was skipped" in response.content.decode()
    response = people.client_for("owner").post(url, {**base, "status": "skipped", "skip_reason": "Nausea"})
    assert response.status_code == 302
    log = DoseLog.objects.get()
    assert (log.status, log.taken_at, log.skip_reason) == ("skipped", None, "Nausea")


def test_taken_at_another_time_with_a_side_effect(people: People, amifampridine: Medication) -> None:
    url = reverse("diary:dose_detail", args=[people.diary.pk])
    response = people.client_for("owner").post(
        url,
        {
            "medication": amifampridine.pk,
            "scheduled_for": slot(people, amifampridine).isoformat(),
            "token": str(uuid.uuid4()),
            "status": "late",
            "taken_time": "00:00",
            "with_food": "true",
            "side_effect": "tingling",
            "side_effect_severity": "3",
            "side_effect_onset": "20",
        },
    )
    assert response.status_code == 302
    log = DoseLog.objects.get()
    assert log.taken_at.astimezone(people.diary.zone).strftime("%H:%M") == "00:00"
    assert log.with_food is True
    effect = SideEffect.objects.get()
    assert (effect.symptom, effect.severity, effect.onset_minutes, effect.dose) == ("tingling", 3, 20, log)


def test_a_future_time_or_absurd_amount_is_refused_or_questioned(people: People, amifampridine: Medication) -> None:
    url = reverse("diary:dose_detail", args=[people.diary.pk])
    future = timezone.now().astimezone(people.diary.zone) + dt.timedelta(hours=2)
    base = {"medication": amifampridine.pk, "token": str(uuid.uuid4()), "status": "extra"}
    response = people.client_for("owner").post(
        url, {**base, "taken_time": future.strftime("%H:%M"), "taken_date": future.date().isoformat()}
    )
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    response = people.client_for("owner").post(url, {**base, "amount": "100"})
    assert response.status_code == 400
    assert "Is that right?" in response.content.decode()
    assert not DoseLog.objects.exists()
    response = people.client_for("owner").post(url, {**base, "amount": "100", "confirm_large": "on"})
    assert response.status_code == 302
    assert DoseLog.objects.get().amount == Decimal("100")


def test_more_than_the_prescribed_daily_total_says_contact_the_prescriber(
    people: People, amifampridine: Medication
) -> None:
    take(people, amifampridine, index=0)
    take(people, amifampridine, index=1)
    html = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert "contact your prescriber" not in html
    dose_log_record(medication=amifampridine, token=uuid.uuid4(), status=DoseStatus.EXTRA, by=people.owner)
    html = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert "which exceeds the prescription you entered (20 mg a day)" in html
    assert "contact your prescriber" in html


def test_over_prescription_ignores_skipped_doses(people: People, amifampridine: Medication) -> None:
    for index in (0, 1):
        dose_log_record(
            medication=amifampridine,
            token=uuid.uuid4(),
            status=DoseStatus.SKIPPED,
            scheduled_for=slot(people, amifampridine, index),
            skip_reason="x",
            by=people.owner,
        )
    due, extras = doses_due(diary=people.diary, day=people.diary.today())
    assert dose_notes([d.log for d in due if d.log] + extras) == []


def test_one_dose_above_the_amount_per_dose_gets_its_own_note(people: People, amifampridine: Medication) -> None:
    # One extra dose far above the per-dose prescription, while the day's total stays within it.
    dose_log_record(
        medication=amifampridine, token=uuid.uuid4(), status=DoseStatus.EXTRA, amount=Decimal(15), by=people.owner
    )
    html = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert "(15 mg) exceeds the prescription you entered (10 mg a dose)" in html
    assert "a day). Please contact your prescriber" not in html
    assert "dose" in html and "increase" not in html.lower()


def test_a_dose_at_the_prescribed_amount_gets_no_note(people: People, amifampridine: Medication) -> None:
    take(people, amifampridine, index=0)
    due, extras = doses_due(diary=people.diary, day=people.diary.today())
    assert dose_notes([d.log for d in due if d.log] + extras) == []


def test_the_dose_form_for_another_diarys_medicine_is_not_found(people: People) -> None:
    theirs = Medication.objects.create(
        diary=people.stranger_diary,
        kind="amifampridine",
        dose_amount=5,
        times=["08:00"],
        start_date=dt.date(2026, 1, 1),
    )
    url = reverse("diary:dose_detail", args=[people.diary.pk])
    assert people.client_for("owner").get(url, {"medication": theirs.pk}).status_code == 404
    assert people.client_for("owner").get(url, {"medication": "x"}).status_code == 404


def test_a_made_up_scheduled_time_is_refused(people: People, amifampridine: Medication) -> None:
    url = reverse("diary:dose_take", args=[people.diary.pk])
    for made_up in [
        local_moment(people.diary, people.diary.today(), dt.time(3, 33)),  # not one of the prescribed times
        local_moment(people.diary, people.diary.today() + dt.timedelta(days=2), dt.time(0, 0)),  # a future day
        local_moment(people.diary, people.diary.today() - dt.timedelta(days=30), dt.time(0, 0)),  # before it started
    ]:
        data = {"medication": amifampridine.pk, "scheduled_for": made_up.isoformat(), "token": str(uuid.uuid4())}
        response = people.client_for("owner").post(url, data, follow=True)
        assert "not a scheduled time" in response.content.decode()
    assert not DoseLog.objects.exists()
