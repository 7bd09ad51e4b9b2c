from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from diary.models import QuickCheck
from tests.conftest import People

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(people: People) -> str:
    return reverse("diary:quick_check", args=[people.diary.pk])


def test_two_taps_make_one_complete_check(people: People) -> None:
    client = people.client_for("owner")
    token = str(uuid.uuid4())
    first = client.post(url(people), {"token": token, "strength": "6"}, **HTMX)
    assert "Now tap the other number" in first.content.decode()
    second = client.post(url(people), {"token": token, "strength": "6", "fatigue": "3"}, **HTMX)
    assert "Quick check saved at" in second.content.decode()
    check = QuickCheck.objects.get()
    assert (check.strength, check.fatigue, check.created_by) == (6, 3, people.owner)
    # The next check starts with a fresh token.
    assert token not in second.content.decode()


def test_a_retried_submit_never_makes_a_second_check(people: People) -> None:
    client = people.client_for("owner")
    data = {"token": str(uuid.uuid4()), "strength": "5", "fatigue": "5"}
    for _ in range(3):
        client.post(url(people), data, **HTMX)
    assert QuickCheck.objects.count() == 1


def test_the_same_token_in_another_diary_is_a_separate_check(people: People) -> None:
    token = str(uuid.uuid4())
    people.client_for("owner").post(url(people), {"token": token, "strength": "5"})
    stranger_url = reverse("diary:quick_check", args=[people.stranger_diary.pk])
    people.client_for("stranger").post(stranger_url, {"token": token, "strength": "2"})
    assert QuickCheck.objects.count() == 2
    assert QuickCheck.objects.get(diary=people.diary).strength == 5


@pytest.mark.parametrize(
    "data",
    [
        {"token": "not-a-uuid", "strength": "5"},
        {"strength": "5"},
        {"token": "7f8a3f5e-0d7c-4a38-9a54-2f6f4d0f1a11", "strength": "11"},
        {"token": "7f8a3f5e-0d7c-4a38-9a54-2f6f4d0f1a11", "fatigue": "-2"},
        {"token": "7f8a3f5e-0d7c-4a38-9a54-2f6f4d0f1a11"},
    ],
)
def test_bad_quick_checks_get_a_message_and_save_nothing(people: People, data: dict[str, str]) -> None:
    client = people.client_for("owner")
    htmx = client.post(url(people), data, **HTMX)
    assert htmx.status_code == 400
    plain = client.post(url(people), data, follow=True)
    assert plain.status_code == 200
    assert 'class="message error"' in plain.content.decode()
    assert not QuickCheck.objects.exists()


def test_todays_checks_are_listed_with_who_logged_them(people: People) -> None:
    people.client_for("editor").post(url(people), {"token": str(uuid.uuid4()), "strength": "4", "fatigue": "7"})
    html = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert "strength 4, fatigue 7" in html
    assert "logged by Carla" in html
