"""Red-flag guidance as people meet it: the banners of a day, the follow-up questions, event
and side-effect guidance before saving, prompts kept as shown, suggested visit questions and
the weekly questions. The rules alone are tested in test_redflag_rules.py."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

from django.urls import reverse

from diary import alerts, report_figures, summary
from diary.models import (
    DayEntry,
    DoseStatus,
    Event,
    EventKind,
    Medication,
    MedicineKind,
    RedFlagPrompt,
    SideEffect,
    TreatmentKind,
    TreatmentSession,
    VisitQuestion,
    WeeklyEntry,
)
from diary.services import day_entry_save_scores, dose_log_record, local_moment, week_start_of
from tests.conftest import People

HTMX = {"HTTP_HX_REQUEST": "true"}


def tap(people: People, field: str, value: str, day: dt.date | None = None) -> str:
    day = day or people.diary.today()
    url = reverse("diary:day_field", args=[people.diary.pk, day.isoformat(), field])
    response = people.client_for("owner").post(url, {field: value}, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def today_html(people: People, who: str = "owner") -> str:
    return people.client_for(who).get(reverse("diary:today", args=[people.diary.pk])).content.decode()


def banners(html: str) -> list[str]:
    return re.findall(r'<section class="alert (\w+)"', html)


def test_two_emergency_answers_give_one_banner_with_both_reasons_and_urgent_comes_after(people: People) -> None:
    tap(people, "breathlessness", "3")
    tap(people, "choking", "2")
    html = tap(people, "weakness_hips", "3")
    assert banners(html) == ["emergency", "urgent"]
    assert html.count("Call emergency services now</h2>") == 1
    assert "Short of breath at rest" in html and "Choking, then trouble breathing" in html
    assert "Could not use your hips, shoulders or neck without help" in html
    page = today_html(people)
    assert banners(page) == ["emergency", "urgent"]
    # The same reason never twice on the page.
    assert page.count("Choking, then trouble breathing") == 1


def test_a_tap_that_raises_serious_guidance_asks_to_be_focused_and_another_tap_does_not(people: People) -> None:
    assert "data-focus" in tap(people, "breathlessness", "3")
    assert "data-focus" in tap(people, "speech", "3")
    assert "data-focus" not in tap(people, "swallowing", "0")


def test_a_past_day_speaks_in_the_past_tense(people: People) -> None:
    past = people.diary.today() - dt.timedelta(days=40)
    day_entry_save_scores(diary=people.diary, date=past, scores={"breathlessness": 3}, by=people.owner)
    url = reverse("diary:day", args=[people.diary.pk, past.isoformat()])
    html = people.client_for("owner").get(url).content.decode()
    assert "If this is still happening, call emergency services now" in html
    assert "On this day you answered:" in html
    assert ">Call emergency services now<" not in html
    assert "Because of these answers:" not in html


def test_ill_today_alone_raises_nothing_but_an_infection_with_a_fever_does(people: People) -> None:
    html = tap(people, "illness_fever", "1")
    assert banners(html) == []
    client = people.client_for("owner")
    url = reverse("diary:event_guidance", args=[people.diary.pk, EventKind.INFECTION])
    assert banners(client.get(url, {"temperature": "37.9"}).content.decode()) == []
    assert banners(client.get(url, {"temperature": "38.0"}).content.decode()) == ["urgent"]
    assert "Coughing up blood" in client.get(url, {"coughing_blood": "true"}).content.decode()


def test_the_weak_cough_question_appears_once_breathing_or_swallowing_is_hard(people: People) -> None:
    assert 'id="item-cough_too_weak"' not in today_html(people)
    response = tap(people, "breathlessness", "2")
    # Sent out of band with the tap, so it appears at once.
    assert 'id="follow-up-cough_too_weak" hx-swap-oob="outerHTML"' in response
    assert 'id="item-cough_too_weak"' in response
    assert 'id="item-cough_too_weak"' in today_html(people)
    # Breathing easier again before it was answered: the question goes away.
    assert 'id="item-cough_too_weak"' not in tap(people, "breathlessness", "0")
    tap(people, "swallowing", "2")
    html = tap(people, "cough_too_weak", "1")
    assert "A cough too weak to clear saliva or phlegm" in html and banners(html)[0] == "emergency"
    # Once answered it stays on the page, so the answer can be seen and changed.
    tap(people, "swallowing", "0")
    assert 'id="item-cough_too_weak"' in today_html(people)


def test_the_headache_question_is_asked_only_in_the_week_after_ivig(people: People) -> None:
    assert 'id="item-ivig_headache"' not in today_html(people)
    session = TreatmentSession.objects.create(
        diary=people.diary, kind=TreatmentKind.IVIG, date=people.diary.today() - dt.timedelta(days=3)
    )
    assert 'id="item-ivig_headache"' in today_html(people)
    assert banners(tap(people, "ivig_headache", "1")) == ["urgent"]
    session.date = people.diary.today() - dt.timedelta(days=8)
    session.save()
    DayEntry.objects.filter(diary=people.diary).update(ivig_headache=None)
    assert 'id="item-ivig_headache"' not in today_html(people)


def test_weakness_after_starting_a_medicine_names_the_medicine_and_not_after_an_old_one(people: People) -> None:
    Medication.objects.create(
        diary=people.diary,
        kind=MedicineKind.OTHER,
        name="Ciprofloxacin",
        dose_amount=Decimal(500),
        times=["08:00"],
        start_date=people.diary.today() - dt.timedelta(days=20),
    )
    assert "More weakness after starting a new medicine" not in tap(people, "weakness_hips", "3")
    Medication.objects.create(
        diary=people.diary,
        kind=MedicineKind.OTHER,
        name="Atenolol",
        dose_amount=Decimal(25),
        times=["08:00"],
        start_date=people.diary.today() - dt.timedelta(days=5),
    )
    assert "More weakness after starting a new medicine" in tap(people, "weakness_shoulders", "3")


def test_choking_on_two_days_of_one_week_is_a_same_day_call(people: People) -> None:
    yesterday = people.diary.today() - dt.timedelta(days=1)
    day_entry_save_scores(diary=people.diary, date=yesterday, scores={"choking": 1}, by=people.owner)
    html = tap(people, "choking", "1")
    assert "Choking two or more times within a week" in html and "Choking once, which cleared" not in html


def test_event_guidance_comes_before_saving_and_writes_nothing(people: People) -> None:
    client = people.client_for("owner")
    url = reverse("diary:event_guidance", args=[people.diary.pk, EventKind.ALLERGIC_REACTION])
    html = client.get(url, {"face_throat_swelling": "true"}).content.decode()
    assert banners(html) == ["emergency"] and "Swelling of the face, lips or throat" in html
    html = client.get(url, {"breathing_difficulty": "true"}).content.decode()
    assert "An allergic reaction with trouble breathing" in html
    assert Event.objects.count() == 0 and RedFlagPrompt.objects.count() == 0
    # The form asks for it on every change, with the answers only (never the typed text).
    form = client.get(reverse("diary:event_add", args=[people.diary.pk, EventKind.ALLERGIC_REACTION])).content.decode()
    assert 'hx-get="' + url + '"' in form and 'hx-params="when_0,face_throat_swelling,' in form
    assert "description" not in re.search(r'hx-params="([^"]*)"', form).group(1)  # type: ignore[union-attr]


def test_an_event_form_sent_back_with_a_mistake_still_shows_its_guidance(people: People) -> None:
    url = reverse("diary:event_add", args=[people.diary.pk, EventKind.CHOKING])
    response = people.client_for("owner").post(url, {"breathing_difficulty": "true", "token": str(uuid.uuid4())})
    assert response.status_code == 400
    assert "Call emergency services now" in response.content.decode()


def test_a_saved_event_keeps_its_prompt_and_the_events_page_shows_it(people: People) -> None:
    url = reverse("diary:event_add", args=[people.diary.pk, EventKind.SEIZURE])
    when = people.diary.local_now()
    data = {
        "token": str(uuid.uuid4()),
        "when_0": when.date().isoformat(),
        "when_1": when.strftime("%H:%M"),
        "description": "Shaking of both arms",
    }
    response = people.client_for("owner").post(url, data, follow=True)
    assert "A seizure (fit)" in response.content.decode()
    [prompt] = RedFlagPrompt.objects.filter(diary=people.diary)
    assert (prompt.level, prompt.key, prompt.answer) == ("emergency", "seizure", "event:seizure")


def test_a_seizure_chosen_as_a_side_effect_shows_guidance_at_once_and_on_today(people: People) -> None:
    client = people.client_for("owner")
    url = reverse("diary:side_effect_guidance", args=[people.diary.pk])
    assert banners(client.get(url, {"side_effect": "seizure"}).content.decode()) == ["emergency"]
    assert banners(client.get(url, {"side_effect": "nausea"}).content.decode()) == ["discuss"]
    assert banners(client.get(url, {"side_effect": "not-a-symptom"}).content.decode()) == []
    medication = Medication.objects.create(
        diary=people.diary,
        kind=MedicineKind.AMIFAMPRIDINE,
        dose_amount=Decimal(10),
        times=["00:00"],
        start_date=people.diary.today() - dt.timedelta(days=60),
    )
    log = dose_log_record(medication=medication, token=uuid.uuid4(), status=DoseStatus.EXTRA, by=people.owner)
    SideEffect.objects.create(diary=people.diary, dose=log, symptom="seizure", severity=8)
    assert "A seizure (fit)" in today_html(people) and banners(today_html(people))[0] == "emergency"


def test_prompts_are_kept_once_as_shown_and_the_report_lists_what_was_shown(people: People) -> None:
    tap(people, "breathlessness", "3")
    tap(people, "breathlessness", "3")
    today_html(people)
    assert RedFlagPrompt.objects.filter(key="breathless_rest").count() == 1
    # The answer changes later: the report still says what was shown that day.
    tap(people, "breathlessness", "0")
    # A day whose answers were never shown to anyone (written straight into the database) has no prompt.
    long_ago = people.diary.today() - dt.timedelta(days=10)
    DayEntry.objects.create(diary=people.diary, date=long_ago, breathlessness=3)
    result = summary.period_summary(
        diary=people.diary, start=people.diary.today() - dt.timedelta(days=20), end=people.diary.today()
    )
    prompts = report_figures.entry_prompts(diary=people.diary, start=result.start, end=result.end)
    assert [(p.level, p.days) for p in prompts] == [("emergency", (people.diary.today(),))]


def test_a_viewer_opening_today_keeps_no_prompt(people: People) -> None:
    day_entry_save_scores(diary=people.diary, date=people.diary.today(), scores={"speech": 3}, by=people.owner)
    assert "Could not speak" in today_html(people, "viewer")
    assert RedFlagPrompt.objects.count() == 0


def test_a_next_visit_answer_suggests_a_question_once_which_can_be_kept_or_dismissed(people: People) -> None:
    html = tap(people, "choking", "1")
    assert "Your questions for the next visit" in html
    [question] = VisitQuestion.objects.filter(diary=people.diary)
    assert question.suggested and question.suggestion_key == "single_choke"
    tap(people, "choking", "1", day=people.diary.today() - dt.timedelta(days=9))
    assert VisitQuestion.objects.filter(diary=people.diary).count() == 1
    client = people.client_for("owner")
    page = client.get(reverse("diary:questions", args=[people.diary.pk])).content.decode()
    assert "Suggested by the diary" in page and question.text in page
    # Not on the clinic summary until kept.
    report = client.get(reverse("diary:report", args=[people.diary.pk])).content.decode()
    assert question.text not in report
    keep = reverse("diary:question_suggestion", args=[people.diary.pk, question.pk, "keep"])
    assert client.post(keep).status_code == 302
    question.refresh_from_db()
    assert not question.suggested
    assert question.text in client.get(reverse("diary:report", args=[people.diary.pk])).content.decode()


def test_a_dismissed_suggestion_is_not_made_again_soon(people: People) -> None:
    question = alerts.question_suggest(diary=people.diary, key="near_falls", by=people.owner)
    assert question is not None
    client = people.client_for("owner")
    client.post(reverse("diary:question_suggestion", args=[people.diary.pk, question.pk, "dismiss"]))
    assert alerts.question_suggest(diary=people.diary, key="near_falls", by=people.owner) is None
    page = client.get(reverse("diary:questions", args=[people.diary.pk])).content.decode()
    assert question.text not in page
    # A viewer may not decide for the patient.
    other = alerts.question_suggest(diary=people.diary, key="long_cough", by=people.owner)
    assert other is not None
    url = reverse("diary:question_suggestion", args=[people.diary.pk, other.pk, "keep"])
    assert people.client_for("viewer").post(url).status_code == 403


def test_the_weekly_questions_are_saved_and_morning_headaches_suggest_a_question(people: People) -> None:
    client = people.client_for("owner")
    url = reverse("diary:weekly", args=[people.diary.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"weight_kg": "71.4", "morning_headaches": "2"})
    assert response.status_code == 302
    week = WeeklyEntry.objects.get(diary=people.diary)
    assert (week.week_start, week.weight_kg, week.morning_headaches) == (
        week_start_of(people.diary.today()),
        Decimal("71.4"),
        2,
    )
    assert VisitQuestion.objects.filter(diary=people.diary, suggestion_key="night_breathing").exists()
    bad = client.post(url, {"weight_kg": "7000"})
    assert bad.status_code == 400 and "Ensure" in bad.content.decode()
    assert people.client_for("viewer").post(url, {"weight_kg": "60"}).status_code == 403


def test_weight_down_five_percent_within_six_months_is_for_the_next_visit(people: People) -> None:
    today = people.diary.today()
    for weeks_ago, kg in ((20, "80.0"), (10, "78.0"), (0, "75.9")):
        WeeklyEntry.objects.create(
            diary=people.diary, week_start=week_start_of(today - dt.timedelta(weeks=weeks_ago)), weight_kg=Decimal(kg)
        )
    html = today_html(people)
    assert "Weight down by 5% or more within six months" in html


def test_the_clinic_summary_names_the_last_tumour_scan_and_the_weight(people: People) -> None:
    today = people.diary.today()
    day_entry_save_scores(diary=people.diary, date=today, scores={"fatigue": 4}, by=people.owner)
    Event.objects.create(
        diary=people.diary,
        kind=EventKind.TEST_OR_SCAN,
        scan_type="tumour_pet",
        result="Clear",
        occurred_at=local_moment(people.diary, today - dt.timedelta(days=30), dt.time(10, 0)),
    )
    WeeklyEntry.objects.create(diary=people.diary, week_start=week_start_of(today), weight_kg=Decimal("64.2"))
    start = (today - dt.timedelta(days=27)).isoformat()
    response = people.client_for("owner").get(
        reverse("diary:report_print", args=[people.diary.pk]), {"start": start, "end": today.isoformat()}
    )
    html = response.content.decode()
    assert "Last tumour-screening scan:" in html and "Tumour screening: PET scan" in html
    assert "64.2 kg (one weighing)" in html
