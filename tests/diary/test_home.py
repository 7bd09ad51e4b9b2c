from __future__ import annotations

from django.urls import reverse

from diary.models import Diary, Membership, Role
from tests.conftest import People, make_user


def test_a_new_person_is_sent_to_create_their_diary(db: None, client: object) -> None:
    user = make_user("new@example.com")
    client.force_login(user)  # type: ignore[attr-defined]
    response = client.get(reverse("home"))  # type: ignore[attr-defined]
    assert response["Location"] == reverse("diary:new")


def test_creating_a_diary_makes_the_person_its_owner_and_opens_today(db: None, client: object) -> None:
    user = make_user("new@example.com")
    client.force_login(user)  # type: ignore[attr-defined]
    response = client.post(reverse("diary:new"), {"patient_name": "  Robin   Lee ", "time_zone": "America/Chicago"})  # type: ignore[attr-defined]
    diary = Diary.objects.get()
    assert response["Location"] == reverse("diary:today", args=[diary.pk])
    assert (diary.patient_name, diary.time_zone) == ("Robin Lee", "America/Chicago")
    assert Membership.objects.get(diary=diary).role == Role.OWNER


def test_a_bad_time_zone_or_empty_name_gets_a_message(db: None, client: object) -> None:
    client.force_login(make_user("new@example.com"))  # type: ignore[attr-defined]
    response = client.post(reverse("diary:new"), {"patient_name": "   ", "time_zone": "Mars/Olympus"})  # type: ignore[attr-defined]
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "This field is required" in html or "Enter the patient" in html
    assert not Diary.objects.exists()


def test_an_existing_member_goes_straight_to_today(people: People) -> None:
    response = people.client_for("viewer").get(reverse("home"))
    assert response["Location"] == reverse("diary:today", args=[people.diary.pk])


def test_anonymous_visitors_see_the_welcome_page(client: object, db: None) -> None:
    response = client.get(reverse("home"))  # type: ignore[attr-defined]
    assert "Sign in" in response.content.decode()
