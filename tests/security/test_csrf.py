"""Every state change needs the page's CSRF token: a tap or an event sent from elsewhere writes nothing."""

from __future__ import annotations

import re
import uuid

from django.test import Client
from django.urls import reverse

from diary.models import DayEntry, Event
from tests.conftest import People


def _checking_client(people: People) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.owner)
    return client


def test_a_tap_without_the_csrf_token_is_refused_and_writes_nothing(people: People) -> None:
    client = _checking_client(people)
    url = reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), "fatigue"])
    response = client.post(url, {"fatigue": "5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert not DayEntry.objects.filter(diary=people.diary).exists()


def test_a_tap_with_the_token_of_todays_page_is_saved(people: People) -> None:
    client = _checking_client(people)
    html = client.get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)  # type: ignore[union-attr]
    url = reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), "fatigue"])
    response = client.post(url, {"fatigue": "5"}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert DayEntry.objects.get(diary=people.diary).fatigue == 5


def test_an_event_form_without_the_csrf_token_is_refused_and_writes_nothing(people: People) -> None:
    client = _checking_client(people)
    url = reverse("diary:event_add", args=[people.diary.pk, "near_fall"])
    when = people.diary.local_now().replace(second=0, microsecond=0)
    data = {"token": str(uuid.uuid4()), "when_0": when.date().isoformat(), "when_1": when.strftime("%H:%M")}
    response = client.post(url, data)
    assert response.status_code == 403
    assert not Event.objects.exists()
