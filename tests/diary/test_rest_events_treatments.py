from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils import timezone

from diary.models import Event, RestPeriod, TreatmentSession
from tests.conftest import People


def test_start_rest_shows_a_timer_and_end_rest_asks_energy_and_planned(people: People) -> None:
    client = people.client_for("owner")
    token = str(uuid.uuid4())
    start_url = reverse("diary:rest_start", args=[people.diary.pk])
    client.post(start_url, {"token": token})
    client.post(start_url, {"token": token})  # a retried tap
    client.post(start_url, {"token": str(uuid.uuid4())})  # a second tap from a stale page
    assert RestPeriod.objects.count() == 1
    html = client.get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert "Resting since" in html and "End rest" in html
    response = client.post(
        reverse("diary:rest_end", args=[people.diary.pk]), {"energy_after": "6", "planned": "false"}, follow=True
    )
    assert "Rest ended after" in response.content.decode()
    rest = RestPeriod.objects.get()
    assert rest.ended_at > rest.started_at
    assert (rest.energy_after, rest.planned) == (6, False)
    again = client.post(reverse("diary:rest_end", args=[people.diary.pk]), {"energy_after": "2"}, follow=True)
    assert "No rest is running" in again.content.decode()


def test_a_rest_can_be_added_afterwards_and_ends_must_follow_starts(people: People) -> None:
    client = people.client_for("editor")
    url = reverse("diary:rest_add", args=[people.diary.pk])
    day = (people.diary.today() - dt.timedelta(days=1)).isoformat()
    token = str(uuid.uuid4())
    bad = client.post(url, {"token": token, "day": day, "start": "14:00", "end": "13:30"})
    assert bad.status_code == 400
    assert "The end is before the start" in bad.content.decode()
    future = (people.diary.today() + dt.timedelta(days=1)).isoformat()
    bad = client.post(url, {"token": token, "day": future, "start": "14:00", "end": "14:30"})
    assert "in the future" in bad.content.decode()
    assert not RestPeriod.objects.exists()
    good = {
        "token": token,
        "day": day,
        "start": "14:00",
        "end": "14:45",
        "planned": "true",
        "energy_before": "3",
        "energy_after": "6",
    }
    assert client.post(url, good).status_code == 302
    assert client.post(url, good).status_code == 302  # resubmitted
    rest = RestPeriod.objects.get()
    assert (rest.minutes, rest.planned, rest.created_by) == (45, True, people.editor)


def test_a_fall_with_a_head_strike_shows_same_day_guidance(people: People) -> None:
    client = people.client_for("owner")
    now = timezone.now().astimezone(people.diary.zone) - dt.timedelta(minutes=5)
    data = {
        "token": str(uuid.uuid4()),
        "when_0": now.date().isoformat(),
        "when_1": now.strftime("%H:%M"),
        "activity": "Getting out of the bath",
        "location": "Bathroom",
        "injury": "minor",
        "head_strike": "true",
    }
    url = reverse("diary:event_add", args=[people.diary.pk, "fall"])
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Contact your neurology team today" in html
    client.post(url, data)  # resubmitted
    event = Event.objects.get()
    assert (event.kind, event.head_strike, event.injury) == ("fall", True, "minor")
    # The day the fall was logged on (five minutes ago is yesterday just after midnight).
    day = client.get(reverse("diary:day", args=[people.diary.pk, now.date().isoformat()])).content.decode()
    assert "Fall" in day and "logged by Pat" in day


def test_a_seizure_is_an_emergency(people: People) -> None:
    now = timezone.now().astimezone(people.diary.zone) - dt.timedelta(minutes=1)
    data = {
        "token": str(uuid.uuid4()),
        "when_0": now.date().isoformat(),
        "when_1": now.strftime("%H:%M"),
        "description": "Shaking",
    }
    response = people.client_for("editor").post(
        reverse("diary:event_add", args=[people.diary.pk, "seizure"]), data, follow=True
    )
    html = response.content.decode()
    assert "Call emergency services now" in html
    assert html.index("Call emergency services now") < html.index('id="main"')


def test_events_refuse_future_times_unknown_kinds_and_impossible_readings(people: People) -> None:
    client = people.client_for("owner")
    future = timezone.now().astimezone(people.diary.zone) + dt.timedelta(hours=3)
    data = {"token": str(uuid.uuid4()), "when_0": future.date().isoformat(), "when_1": future.strftime("%H:%M")}
    response = client.post(reverse("diary:event_add", args=[people.diary.pk, "near_fall"]), data)
    assert response.status_code == 400 and "in the future" in response.content.decode()
    assert client.get(reverse("diary:event_add", args=[people.diary.pk, "party"])).status_code == 404
    past = timezone.now().astimezone(people.diary.zone) - dt.timedelta(hours=1)
    bp = {
        "token": str(uuid.uuid4()),
        "when_0": past.date().isoformat(),
        "when_1": past.strftime("%H:%M"),
        "bp_lying_systolic": "1300",
        "bp_lying_diastolic": "80",
        "bp_standing_systolic": "110",
        "bp_standing_diastolic": "70",
    }
    response = client.post(reverse("diary:event_add", args=[people.diary.pk, "blood_pressure"]), bp)
    assert response.status_code == 400 and "typing error" in response.content.decode()
    assert not Event.objects.exists()
    bp["bp_lying_systolic"] = "135"
    assert client.post(reverse("diary:event_add", args=[people.diary.pk, "blood_pressure"]), bp).status_code == 302
    event = Event.objects.get()
    assert event.blood_pressure_drop
    assert "worth reporting" in client.get(reverse("diary:events", args=[people.diary.pk])).content.decode()


def test_treatment_sessions_record_course_cycle_and_benefit(people: People) -> None:
    client = people.client_for("owner")
    today = people.diary.today()
    url = reverse("diary:treatment_add", args=[people.diary.pk])
    data = {
        "kind": "ivig",
        "course": "Course 1",
        "cycle": "2",
        "date": (today - dt.timedelta(days=20)).isoformat(),
        "product": "Privigen",
        "reactions": "Headache",
        "benefit": "better",
        "benefit_started": (today - dt.timedelta(days=15)).isoformat(),
        "benefit_faded": (today - dt.timedelta(days=16)).isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "cannot fade before it started" in response.content.decode()
    data["benefit_faded"] = (today - dt.timedelta(days=2)).isoformat()
    assert client.post(url, data).status_code == 302
    session = TreatmentSession.objects.get()
    assert (session.kind, session.cycle, session.benefit) == ("ivig", 2, "better")
    edit = reverse("diary:treatment_edit", args=[people.diary.pk, session.pk])
    assert client.post(edit, {**data, "benefit": "same"}).status_code == 302
    session.refresh_from_db()
    assert session.benefit == "same" and TreatmentSession.objects.count() == 1
    html = people.client_for("viewer").get(reverse("diary:treatments", args=[people.diary.pk])).content.decode()
    assert "IVIG" in html and "Course 1" in html


def test_a_treatment_of_another_diary_is_not_found(people: People) -> None:
    theirs = TreatmentSession.objects.create(diary=people.stranger_diary, kind="ivig", date=dt.date(2026, 1, 1))
    assert (
        people.client_for("owner").get(reverse("diary:treatment_edit", args=[people.diary.pk, theirs.pk])).status_code
        == 404
    )
