from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from diary.models import Medication
from tests.conftest import People


def add(people: People, who: str = "owner", **overrides: str):  # type: ignore[no-untyped-def]
    data = {
        "kind": "amifampridine",
        "name": "",
        "strength": "10",
        "unit": "mg",
        "dose_amount": "10",
        "times_text": "7:00, 11:00 15:00;19:00",
        "start_date": (people.diary.today() - dt.timedelta(days=30)).isoformat(),
        "end_date": "",
        "prescriber": "Dr Okafor",
        **overrides,
    }
    return people.client_for(who).post(reverse("diary:medication_add", args=[people.diary.pk]), data)


def test_a_medicine_is_entered_as_prescribed(people: People) -> None:
    response = add(people)
    assert response.status_code == 302
    medication = Medication.objects.get()
    assert medication.times == ["07:00", "11:00", "15:00", "19:00"]
    assert medication.daily_total == Decimal("40")
    assert medication.created_by == people.owner
    html = people.client_for("viewer").get(reverse("diary:medications", args=[people.diary.pk])).content.decode()
    assert "Amifampridine" in html and "07:00, 11:00, 15:00, 19:00" in html


def test_another_medicine_needs_its_name(people: People) -> None:
    response = add(people, kind="other")
    assert response.status_code == 400
    assert "Enter the medicine" in response.content.decode()
    assert add(people, kind="other", name="Metformin").status_code == 302


def test_bad_times_and_amounts_get_clear_messages(people: People) -> None:
    for overrides, message in [
        ({"times_text": "25:00"}, "is not a time"),
        ({"times_text": "08:00, 08:00"}, "only once"),
        ({"times_text": " "}, "This field is required"),
        ({"dose_amount": "0"}, "above zero"),
        ({"dose_amount": "-5"}, "above zero"),
        ({"dose_amount": "ten"}, "Enter a number"),
        ({"end_date": "2000-01-01"}, "before the start date"),
    ]:
        response = add(people, **overrides)
        assert response.status_code == 400, overrides
        assert message in response.content.decode(), overrides
    assert not Medication.objects.exists()


def test_an_absurd_dose_asks_for_confirmation_instead_of_saving(people: People) -> None:
    response = add(people, dose_amount="100")
    assert response.status_code == 400
    assert "Is that right?" in response.content.decode()
    assert not Medication.objects.exists()
    assert add(people, dose_amount="100", confirm_large="on").status_code == 302
    assert Medication.objects.get().dose_amount == Decimal("100")


def test_a_change_keeps_the_old_prescription_as_history(people: People) -> None:
    add(people)
    old = Medication.objects.get()
    change_day = people.diary.today()
    url = reverse("diary:medication_change", args=[people.diary.pk, old.pk])
    response = people.client_for("editor").post(
        url,
        {
            "kind": "amifampridine",
            "unit": "mg",
            "strength": "10",
            "dose_amount": "15",
            "times_text": "07:00, 12:00, 17:00",
            "change_from": change_day.isoformat(),
            "prescriber": "Dr Okafor",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    new = Medication.objects.exclude(pk=old.pk).get()
    assert old.end_date == change_day - dt.timedelta(days=1)
    assert old.dose_amount == Decimal("10")
    assert (new.dose_amount, new.times, new.start_date, new.previous) == (
        Decimal("15"),
        ["07:00", "12:00", "17:00"],
        change_day,
        old,
    )
    html = people.client_for("owner").get(reverse("diary:medications", args=[people.diary.pk])).content.decode()
    assert "Earlier prescriptions" in html


def test_stopping_a_medicine_sets_its_last_day(people: People) -> None:
    add(people)
    medication = Medication.objects.get()
    url = reverse("diary:medication_stop", args=[people.diary.pk, medication.pk])
    bad = people.client_for("owner").post(url, {"stop_on": "1999-01-01"})
    assert bad.status_code == 400
    assert people.client_for("owner").post(url, {"stop_on": people.diary.today().isoformat()}).status_code == 302
    medication.refresh_from_db()
    assert medication.end_date == people.diary.today()


def test_a_medicine_of_another_diary_cannot_be_changed_through_this_one(people: People) -> None:
    theirs = Medication.objects.create(
        diary=people.stranger_diary,
        kind="pyridostigmine",
        dose_amount=60,
        times=["08:00"],
        start_date=dt.date(2026, 1, 1),
    )
    url = reverse("diary:medication_change", args=[people.diary.pk, theirs.pk])
    assert people.client_for("owner").get(url).status_code == 404
    url = reverse("diary:medication_stop", args=[people.diary.pk, theirs.pk])
    assert people.client_for("owner").post(url, {"stop_on": "2026-02-01"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.end_date is None
