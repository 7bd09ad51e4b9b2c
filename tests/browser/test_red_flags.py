"""Every red-flag trigger of docs/clinical-safety.md, proven on a phone in a real browser.

Each test starts from a fresh diary, opens the page as the patient would, picks the
answer by its accessible name, and finds the guidance in the banner (``#red-flag-banner``,
role alert) before anything else is done: Today saves each tap by itself, and the event
forms ask for their guidance the moment an answer changes, before the Save button.
Which answer raises which rule is in diary/redflags.py; the words are in
education/content/red_flags.toml, read here by key so that the reason shown is the rule's own.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from diary.models import DoseLog, Event, EventKind, Medication, SideEffect, TreatmentSession
from diary.services import (
    day_entry_save_scores,
    rest_end,
    rest_start,
    week_start_of,
    weekly_entry_save,
)
from education import content
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, People

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMERGENCY = "Call emergency services now"
URGENT = "Contact your neurology team today"
DISCUSS = "Talk about it at your next visit"
PAST_EMERGENCY = "If this is still happening, call emergency services now"
PAST_URGENT = "If this is still happening, contact your neurology team today"

# The answers as the buttons name them on Today (number, then words).
BREATHLESS_AT_REST = "3 Short of breath at rest or lying flat"
BREATHLESS_WITH_LIGHT_ACTIVITY = "2 Short of breath with light activity"
COULD_NOT = "3 Could not do it, or needed another person"
NEEDED_EXTRA_EFFORT = "2 Needed extra effort, a rest or a workaround"
CHOKED_WITH_TROUBLE_BREATHING = "2 Choked, with trouble breathing afterwards"
CHOKED_AND_CLEARED = "1 Choked or coughed on food or drink, then cleared it"
YES_ON_TODAY = "1 Yes"
WEAK_COUGH_QUESTION = "Is your cough too weak to clear saliva or phlegm?"
IVIG_HEADACHE_QUESTION = "A severe headache with a stiff neck"


# --- Finding things as a person does ---------------------------------------------------------


def banner(page: Page) -> Locator:
    return page.locator("#red-flag-banner")


def reason(key: str) -> str:
    """The sentence a rule shows under its banner, as red_flags.toml words it."""
    for level in content.red_flags().levels:
        item = level.item(key)
        if item is not None:
            return item.text
    raise KeyError(key)


def question(page: Page, name: str) -> Locator:
    """One question (a fieldset, role group) by its legend, whole and in any case."""
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(name)}$", re.IGNORECASE))


def choose(page: Page, asked: str, answer: str) -> None:
    """Tap the answer's button as a person does: the label that holds the (visually hidden) radio."""
    group = question(page, asked)
    radio = group.get_by_role("radio", name=answer, exact=True)
    group.locator("label").filter(has=page.get_by_role("radio", name=answer, exact=True)).click()
    expect(radio).to_be_checked()


def tap(page: Page, asked: str, answer: str) -> None:
    """Tap one answer on a diary day and wait for htmx to have saved it (no button pressed)."""
    with page.expect_response(lambda r: "/item/" in r.url and r.request.method == "POST") as saved:
        choose(page, asked, answer)
    assert saved.value.status == 200, f"{asked} = {answer!r} answered {saved.value.status}"


def answer_event(page: Page, asked: str, answer: str) -> None:
    """Pick one answer on an event form and wait for the guidance it asks for (nothing is saved)."""
    with page.expect_response(lambda r: "/events/guidance/" in r.url) as guidance:
        choose(page, asked, answer)
    assert guidance.value.status == 200
    assert guidance.value.request.method == "GET"


def type_event_answer(page: Page, label: str, text: str) -> None:
    """Type into one field of an event form and move on (Tab), which is when it changes."""
    with page.expect_response(lambda r: "/events/guidance/" in r.url) as guidance:
        field = page.get_by_label(label, exact=True)
        field.fill(text)
        field.press("Tab")
    assert guidance.value.status == 200


def expect_guidance(page: Page, heading: str, key: str) -> Locator:
    """The banner of one level, with the rule's reason under it; returns that banner."""
    expect(banner(page)).to_have_attribute("role", "alert")
    expect(banner(page).get_by_role("heading", name=heading, exact=True)).to_be_visible()
    # ``has`` is looked for inside each section, so it is written from the page, not the banner.
    shown = banner(page).locator("section.alert").filter(has=page.get_by_role("heading", name=heading, exact=True))
    expect(shown.get_by_role("listitem").filter(has_text=reason(key))).to_have_count(1)
    if heading in (EMERGENCY, PAST_EMERGENCY):
        # The number is shown with the guidance, never behind another step.
        call = shown.get_by_role("link", name=re.compile(r"^Call \d+$"))
        expect(call).to_have_attribute("href", re.compile(r"^tel:\+?\d+$"))
    return shown


def expect_headings(page: Page, *headings: str) -> None:
    """Exactly these banners, in this order (most serious first)."""
    expect(banner(page).get_by_role("heading", level=2)).to_have_text(list(headings))


def expect_no_guidance(page: Page) -> None:
    expect(banner(page)).to_be_empty()
    expect(banner(page)).to_be_hidden()


def today_url(base_url: str, people: People) -> str:
    return base_url + reverse("diary:today", args=[people.diary.pk])


def go_to(page: Page, link: str) -> None:
    """A page of the main menu; the rarer ones are folded under "More" on a phone."""
    nav = page.get_by_role("navigation", name="Main")
    target = nav.get_by_role("link", name=link, exact=True)
    if not target.is_visible():
        nav.locator("summary", has_text="More").click()
    target.click()


def open_event_form(page: Page, kind: str) -> None:
    """More, Events, then the kind of event: a blank form with no guidance yet."""
    go_to(page, "Events")
    page.get_by_role("link", name=kind, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(kind)


def add_ivig_session(page: Page, on: dt.date) -> None:
    """An IVIG session logged through the Treatments page, as the patient would."""
    go_to(page, "Treatments")
    page.get_by_role("link", name="Add a session").click()
    choose(page, "Treatment", "IVIG (immunoglobulin drip)")
    page.get_by_label("Date", exact=True).fill(on.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Treatment session saved.")


def medicine_due_at_midnight(people: People) -> Medication:
    # Due at 00:00, so always due earlier today whatever time the test runs (as test_logging does).
    return Medication.objects.create(
        diary=people.diary,
        kind="amifampridine",
        dose_amount=10,
        unit="mg",
        times=["00:00"],
        start_date=people.diary.today() - dt.timedelta(days=3),
    )


@pytest.fixture
def patient(phone: Page, live_server: Any, people: People) -> Page:
    """The patient, signed in, on Today of a diary with nothing logged yet."""
    sign_in(phone, live_server.url, people.owner.email, PASSWORD)
    expect(phone).to_have_url(today_url(live_server.url, people))
    expect_no_guidance(phone)
    return phone


# --- Today: each tap saves itself and brings its guidance along ------------------------------


def test_breathless_at_rest_calls_for_emergency_services_at_once(patient: Page) -> None:
    tap(patient, "Shortness of breath", BREATHLESS_AT_REST)
    expect_guidance(patient, EMERGENCY, "breathless_rest")
    expect_headings(patient, EMERGENCY)


@pytest.mark.parametrize(
    ("also_asked", "also_answered", "also_raised"),
    [
        ("Shortness of breath", BREATHLESS_WITH_LIGHT_ACTIVITY, "breathing_rising"),
        ("Swallowing", COULD_NOT, "swallowing_cannot"),
    ],
    ids=["with breathing 2", "with swallowing 3"],
)
def test_unable_to_speak_with_hard_breathing_or_swallowing_calls_for_emergency_services(
    patient: Page, also_asked: str, also_answered: str, also_raised: str
) -> None:
    tap(patient, also_asked, also_answered)
    expect_guidance(patient, URGENT, also_raised)
    tap(patient, "Speaking", COULD_NOT)
    expect_guidance(patient, EMERGENCY, "speech_breathing")
    expect_headings(patient, EMERGENCY, URGENT)
    # The same answer is not also given as the lesser "could not speak".
    expect(banner(patient).get_by_text(reason("speech_cannot"), exact=True)).to_have_count(0)


def test_unable_to_speak_alone_calls_for_the_neurology_team_today(patient: Page) -> None:
    tap(patient, "Speaking", COULD_NOT)
    expect_guidance(patient, URGENT, "speech_cannot")
    expect_headings(patient, URGENT)


def test_unable_to_swallow_calls_for_the_neurology_team_today(patient: Page) -> None:
    tap(patient, "Swallowing", COULD_NOT)
    expect_guidance(patient, URGENT, "swallowing_cannot")
    expect_headings(patient, URGENT)


def test_new_trouble_swallowing_on_a_fresh_diary_calls_for_the_neurology_team_today(patient: Page) -> None:
    tap(patient, "Swallowing", NEEDED_EXTRA_EFFORT)
    expect_guidance(patient, URGENT, "new_swallowing")
    expect_headings(patient, URGENT)


def test_new_shortness_of_breath_with_light_activity_calls_for_the_neurology_team_today(patient: Page) -> None:
    tap(patient, "Shortness of breath", BREATHLESS_WITH_LIGHT_ACTIVITY)
    expect_guidance(patient, URGENT, "breathing_rising")
    expect_headings(patient, URGENT)


@pytest.mark.parametrize(
    ("asked", "answered"),
    [
        ("Shortness of breath", BREATHLESS_WITH_LIGHT_ACTIVITY),
        ("Swallowing", NEEDED_EXTRA_EFFORT),
    ],
    ids=["breathing 2", "swallowing 2"],
)
def test_weak_cough_question_appears_once_breathing_or_swallowing_is_hard_and_yes_calls_for_emergency_services(
    patient: Page, asked: str, answered: str
) -> None:
    expect(question(patient, WEAK_COUGH_QUESTION)).to_have_count(0)
    tap(patient, asked, answered)
    expect(question(patient, WEAK_COUGH_QUESTION)).to_be_visible()
    tap(patient, WEAK_COUGH_QUESTION, YES_ON_TODAY)
    expect_guidance(patient, EMERGENCY, "weak_cough")
    expect_headings(patient, EMERGENCY, URGENT)


def test_choking_with_trouble_breathing_calls_for_emergency_services(patient: Page) -> None:
    tap(patient, "Choking", CHOKED_WITH_TROUBLE_BREATHING)
    expect_guidance(patient, EMERGENCY, "choking_breathing")
    expect_headings(patient, EMERGENCY)


def test_one_choke_that_cleared_is_for_the_next_visit(patient: Page) -> None:
    tap(patient, "Choking", CHOKED_AND_CLEARED)
    expect_guidance(patient, DISCUSS, "single_choke")
    expect_headings(patient, DISCUSS)
    expect(banner(patient).get_by_role("link", name="Your questions for the next visit")).to_be_visible()


@pytest.mark.parametrize("region", ["Hips and thighs", "Shoulders and arms", "Neck (head feels heavy or droops)"])
def test_any_weakness_region_at_3_calls_for_the_neurology_team_today(patient: Page, region: str) -> None:
    tap(patient, region, COULD_NOT)
    expect_guidance(patient, URGENT, "weakness_cannot")
    expect_headings(patient, URGENT)


@pytest.mark.parametrize("days_before", [None, 8], ids=["no IVIG", "IVIG 8 days ago"])
def test_headache_question_is_not_asked_outside_the_week_after_ivig(
    patient: Page, live_server: Any, people: People, days_before: int | None
) -> None:
    if days_before is not None:
        add_ivig_session(patient, people.diary.today() - dt.timedelta(days=days_before))
        go_to(patient, "Today")
    expect(patient).to_have_url(today_url(live_server.url, people))
    expect(question(patient, "Illness or fever")).to_be_visible()
    expect(question(patient, IVIG_HEADACHE_QUESTION)).to_have_count(0)


@pytest.mark.parametrize("days_before", [0, 7], ids=["IVIG today", "IVIG 7 days ago"])
def test_headache_question_is_asked_in_the_week_after_ivig_and_yes_calls_for_the_neurology_team_today(
    patient: Page, people: People, days_before: int
) -> None:
    add_ivig_session(patient, people.diary.today() - dt.timedelta(days=days_before))
    assert TreatmentSession.objects.filter(diary=people.diary, kind="ivig").count() == 1
    go_to(patient, "Today")
    expect(question(patient, IVIG_HEADACHE_QUESTION)).to_be_visible()
    expect_no_guidance(patient)
    tap(patient, IVIG_HEADACHE_QUESTION, YES_ON_TODAY)
    expect_guidance(patient, URGENT, "ivig_headache")
    expect_headings(patient, URGENT)


# --- Today: rules that read the days before (earlier days logged through the services) --------


def log_day(people: People, days_ago: int, **scores: int) -> None:
    day = people.diary.today() - dt.timedelta(days=days_ago)
    day_entry_save_scores(diary=people.diary, date=day, scores=scores, by=people.owner)


def test_choking_again_within_a_week_calls_for_the_neurology_team_today(patient: Page, people: People) -> None:
    log_day(people, 3, choking=1)
    tap(patient, "Choking", CHOKED_AND_CLEARED)
    expect_guidance(patient, URGENT, "repeated_choking")
    expect_headings(patient, URGENT)


def test_a_saved_choking_event_and_a_choke_today_call_for_the_neurology_team_today(patient: Page) -> None:
    open_event_form(patient, "Choking")
    answer_event(patient, "It cleared by itself", "Yes")
    patient.get_by_role("button", name="Save").click()
    expect(patient.get_by_role("heading", level=1)).to_have_text("Events")
    expect_guidance(patient, DISCUSS, "single_choke")
    go_to(patient, "Today")
    tap(patient, "Choking", CHOKED_AND_CLEARED)
    expect_guidance(patient, URGENT, "repeated_choking")
    expect_headings(patient, URGENT)


def test_weakness_two_levels_above_its_usual_for_the_week_calls_for_the_neurology_team_today(
    patient: Page, people: People
) -> None:
    for days_ago in (1, 2, 3):
        log_day(people, days_ago, weakness_hips=0)
    tap(patient, "Hips and thighs", NEEDED_EXTRA_EFFORT)
    expect_guidance(patient, URGENT, "weakness_rising")
    expect_headings(patient, URGENT)


def test_a_weakness_answer_within_two_weeks_of_a_new_medicine_names_the_medicine_too(
    patient: Page, people: People
) -> None:
    medicine_due_at_midnight(people)  # started three days ago
    tap(patient, "Shoulders and arms", COULD_NOT)
    shown = expect_guidance(patient, URGENT, "new_medicine_weakness")
    expect(shown.get_by_role("listitem")).to_have_text([reason("weakness_cannot"), reason("new_medicine_weakness")])


def test_breathing_2_after_a_week_with_it_is_for_the_next_visit(patient: Page, people: People) -> None:
    log_day(people, 1, breathlessness=2)
    tap(patient, "Shortness of breath", BREATHLESS_WITH_LIGHT_ACTIVITY)
    expect_guidance(patient, DISCUSS, "breathing_light")
    expect_headings(patient, DISCUSS)


def test_swallowing_2_after_a_week_with_some_trouble_swallowing_is_not_urgent(patient: Page, people: People) -> None:
    log_day(people, 1, swallowing=1)
    tap(patient, "Swallowing", NEEDED_EXTRA_EFFORT)
    expect(question(patient, WEAK_COUGH_QUESTION)).to_be_visible()
    expect_no_guidance(patient)


def unplanned_rests_this_week(people: People) -> None:
    """Two unplanned rests a day over the last six days, none in the two weeks before."""
    now = dt.datetime.now(dt.UTC)
    for hours_ago in range(2, 6 * 24, 12):
        started = now - dt.timedelta(hours=hours_ago)
        rest = rest_start(diary=people.diary, by=people.owner, token=uuid.uuid4(), at=started)
        rest_end(rest=rest, by=people.owner, energy_after=5, planned=False, at=started + dt.timedelta(minutes=20))


def weight_down_six_percent(people: People) -> None:
    this_week = week_start_of(people.diary.today())
    for weeks_ago, kg in ((8, 70), (0, 65.8)):
        week = this_week - dt.timedelta(weeks=weeks_ago)
        weekly_entry_save(diary=people.diary, week_start=week, values={"weight_kg": kg}, by=people.owner)


def morning_headaches_this_week(people: People) -> None:
    this_week = week_start_of(people.diary.today())
    weekly_entry_save(diary=people.diary, week_start=this_week, values={"morning_headaches": 2}, by=people.owner)


def chest_infection_three_weeks_open(people: People) -> None:
    Event.objects.create(
        diary=people.diary,
        kind=EventKind.INFECTION,
        occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=22),
        chest_symptoms=True,
        created_by=people.owner,
        updated_by=people.owner,
    )


@pytest.mark.parametrize(
    ("seed", "key"),
    [
        (unplanned_rests_this_week, "more_unplanned_rests"),
        (weight_down_six_percent, "weight_loss"),
        (morning_headaches_this_week, "night_breathing"),
        (chest_infection_three_weeks_open, "long_cough"),
    ],
    ids=["unplanned rests", "weight loss", "morning headaches", "long cough"],
)
def test_a_change_over_recent_weeks_is_for_the_next_visit_when_today_opens(
    patient: Page, people: People, seed: Callable[[People], None], key: str
) -> None:
    seed(people)
    go_to(patient, "Today")
    expect_guidance(patient, DISCUSS, key)
    expect_headings(patient, DISCUSS)
    expect(banner(patient).get_by_role("link", name="Your questions for the next visit")).to_be_visible()


# --- Event forms: guidance on each change, before Save -----------------------------------------


def test_a_seizure_form_shows_emergency_guidance_at_its_first_answer(patient: Page) -> None:
    open_event_form(patient, "Seizure")
    answer_event(patient, "Emergency help called", "No")
    expect_guidance(patient, EMERGENCY, "seizure")
    expect_headings(patient, EMERGENCY)
    assert not Event.objects.exists()


def test_a_seizure_form_shows_emergency_guidance_as_soon_as_it_opens(patient: Page) -> None:
    open_event_form(patient, "Seizure")
    expect_guidance(patient, EMERGENCY, "seizure")


@pytest.mark.parametrize(
    ("kind", "asked", "answer", "heading", "key"),
    [
        ("Allergic reaction", "Swelling of face, lips or throat", "Yes", EMERGENCY, "swelling"),
        ("Allergic reaction", "Trouble breathing", "Yes", EMERGENCY, "allergic_breathing"),
        ("Choking", "Trouble breathing afterwards", "Yes", EMERGENCY, "choking_breathing"),
        ("Choking", "Cough too weak to clear it", "Yes", EMERGENCY, "weak_cough"),
        ("Infection or fever", "Cough or chest symptoms", "Yes", URGENT, "fever_chest"),
        ("Infection or fever", "Coughing up blood", "Yes", URGENT, "coughing_blood"),
        ("Fall", "Hit your head", "Yes", URGENT, "fall_injury"),
        ("Fall", "Injury", "Minor injury", URGENT, "fall_injury"),
        ("Allergic reaction", "Swelling of face, lips or throat", "No", DISCUSS, "side_effects"),
    ],
    ids=[
        "allergy swelling",
        "allergy breathing",
        "choking breathing",
        "choking weak cough",
        "infection chest",
        "infection blood",
        "fall head strike",
        "fall injury",
        "allergy without swelling",
    ],
)
def test_an_event_answer_shows_its_guidance_before_saving(
    patient: Page, kind: str, asked: str, answer: str, heading: str, key: str
) -> None:
    open_event_form(patient, kind)
    answer_event(patient, asked, answer)
    expect_guidance(patient, heading, key)
    expect_headings(patient, heading)
    assert not Event.objects.exists()


def test_an_infection_with_a_temperature_of_38_calls_for_the_neurology_team_today(patient: Page) -> None:
    open_event_form(patient, "Infection or fever")
    type_event_answer(patient, "Temperature (°C)", "38")
    expect_guidance(patient, URGENT, "fever_chest")
    expect_headings(patient, URGENT)
    assert not Event.objects.exists()


def test_an_infection_at_37_5_without_chest_symptoms_shows_no_guidance(patient: Page) -> None:
    open_event_form(patient, "Infection or fever")
    type_event_answer(patient, "Temperature (°C)", "37.5")
    answer_event(patient, "Cough or chest symptoms", "No")
    expect_no_guidance(patient)
    # The same form does answer once the temperature reaches 38.
    type_event_answer(patient, "Temperature (°C)", "38")
    expect_guidance(patient, URGENT, "fever_chest")


def test_a_fall_without_hurt_or_head_strike_shows_no_guidance(patient: Page) -> None:
    open_event_form(patient, "Fall")
    answer_event(patient, "Injury", "Not hurt")
    answer_event(patient, "Hit your head", "No")
    expect_no_guidance(patient)
    answer_event(patient, "Hit your head", "Yes")
    expect_guidance(patient, URGENT, "fall_injury")


def set_event_day(page: Page, day: dt.date) -> None:
    when = question(page, "When")
    with page.expect_response(lambda r: "/events/guidance/" in r.url) as guidance:
        when.get_by_label("Date", exact=True).fill(day.isoformat())
        when.get_by_label("Date", exact=True).press("Tab")
    assert guidance.value.status == 200


def test_a_fall_logged_for_an_earlier_day_is_worded_in_the_past_tense_once_saved(patient: Page, people: People) -> None:
    open_event_form(patient, "Fall")
    set_event_day(patient, people.diary.today() - dt.timedelta(days=3))
    answer_event(patient, "Hit your head", "Yes")
    patient.get_by_role("button", name="Save").click()
    expect(patient.get_by_role("heading", level=1)).to_have_text("Events")
    expect_guidance(patient, PAST_URGENT, "fall_injury")
    expect_headings(patient, PAST_URGENT)


def test_a_fall_logged_for_an_earlier_day_is_worded_in_the_past_tense_before_saving(
    patient: Page, people: People
) -> None:
    open_event_form(patient, "Fall")
    set_event_day(patient, people.diary.today() - dt.timedelta(days=3))
    answer_event(patient, "Hit your head", "Yes")
    expect_guidance(patient, PAST_URGENT, "fall_injury")
    expect_headings(patient, PAST_URGENT)


def test_a_near_fall_is_for_the_next_visit(patient: Page) -> None:
    open_event_form(patient, "Near-fall")
    type_event_answer(patient, "What you were doing", "Turning round in the kitchen")
    expect_guidance(patient, DISCUSS, "near_falls")
    expect_headings(patient, DISCUSS)
    assert not Event.objects.exists()


def test_more_weakness_after_starting_a_new_medicine_calls_for_the_neurology_team_today(patient: Page) -> None:
    open_event_form(patient, "New or stopped medicine (any condition)")
    type_event_answer(patient, "Medicine", "Ciprofloxacin")
    answer_event(patient, "Started (yes) or stopped (no)", "Yes")
    expect_no_guidance(patient)
    answer_event(patient, "Weakness afterwards", "Worse")
    expect_guidance(patient, URGENT, "new_medicine_weakness")
    expect_headings(patient, URGENT)
    assert not Event.objects.exists()


# --- A side effect logged with a dose ---------------------------------------------------------


def open_other_dose_answer(page: Page) -> None:
    page.get_by_role("link", name=re.compile(r"^Other answer for Amifampridine")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amifampridine")


EMERGENCY_SIDE_EFFECTS = [
    ("Seizure (fit)", "seizure"),
    ("Swelling of the face, lips or throat", "swelling"),
    ("Allergic reaction with trouble breathing", "allergic_breathing"),
]


@pytest.mark.parametrize(("side_effect", "key"), EMERGENCY_SIDE_EFFECTS, ids=["seizure", "swelling", "breathing"])
def test_an_emergency_side_effect_chosen_with_a_dose_shows_emergency_guidance_before_saving(
    patient: Page, people: People, side_effect: str, key: str
) -> None:
    medicine_due_at_midnight(people)
    patient.reload()
    open_other_dose_answer(patient)
    patient.get_by_label("Side effect (optional)").select_option(label=side_effect)
    expect_guidance(patient, EMERGENCY, key)
    assert not DoseLog.objects.exists()


@pytest.mark.parametrize(
    ("side_effect", "heading", "key"),
    [*((label, EMERGENCY, key) for label, key in EMERGENCY_SIDE_EFFECTS), ("Nausea", DISCUSS, "side_effects")],
    ids=["seizure", "swelling", "breathing", "nausea"],
)
def test_a_side_effect_saved_with_a_dose_shows_its_guidance_on_today(
    patient: Page, people: People, side_effect: str, heading: str, key: str
) -> None:
    medicine_due_at_midnight(people)
    patient.reload()
    open_other_dose_answer(patient)
    choose(patient, "What happened", "Taken")
    patient.get_by_label("Side effect (optional)").select_option(label=side_effect)
    choose(patient, "How bad was it? (0 = barely, 10 = worst)", "8")
    patient.get_by_role("button", name="Save").click()
    expect(patient.get_by_role("status").filter(has_text="Dose saved")).to_be_visible()
    expect_guidance(patient, heading, key)
    expect_headings(patient, heading)
    assert SideEffect.objects.get().dose is not None


# --- How banners are shown --------------------------------------------------------------------


def test_two_emergency_answers_share_one_emergency_banner_with_both_reasons(patient: Page) -> None:
    tap(patient, "Shortness of breath", BREATHLESS_AT_REST)
    tap(patient, "Choking", CHOKED_WITH_TROUBLE_BREATHING)
    shown = expect_guidance(patient, EMERGENCY, "breathless_rest")
    expect(shown.get_by_role("listitem")).to_have_text([reason("breathless_rest"), reason("choking_breathing")])
    expect_headings(patient, EMERGENCY)
    expect(banner(patient).locator("section.alert")).to_have_count(1)


def test_the_same_reason_from_a_saved_event_and_a_tap_is_shown_once(patient: Page) -> None:
    open_event_form(patient, "Choking")
    answer_event(patient, "Trouble breathing afterwards", "Yes")
    patient.get_by_role("button", name="Save").click()
    expect(patient.get_by_role("heading", level=1)).to_have_text("Events")
    expect_guidance(patient, EMERGENCY, "choking_breathing")
    go_to(patient, "Today")
    expect_guidance(patient, EMERGENCY, "choking_breathing")
    tap(patient, "Choking", CHOKED_WITH_TROUBLE_BREATHING)
    # Now two chokes in the week as well: one more banner, and the emergency reason still once.
    expect_headings(patient, EMERGENCY, URGENT)
    expect_guidance(patient, URGENT, "repeated_choking")
    expect(banner(patient).get_by_text(reason("choking_breathing"), exact=True)).to_have_count(1)


def test_an_emergency_and_an_urgent_answer_show_two_banners_emergency_first(patient: Page) -> None:
    # The urgent answer is given first: the order on the page is by seriousness, not by tap.
    tap(patient, "Hips and thighs", COULD_NOT)
    tap(patient, "Shortness of breath", BREATHLESS_AT_REST)
    expect_headings(patient, EMERGENCY, URGENT)
    expect_guidance(patient, EMERGENCY, "breathless_rest")
    expect_guidance(patient, URGENT, "weakness_cannot")


def active_element(page: Page) -> dict[str, str]:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName, id: document.activeElement.id,"
        " name: document.activeElement.getAttribute('name') || '', text: document.activeElement.textContent.trim()})"
    )


def test_a_new_emergency_answer_moves_focus_to_the_banner_heading_even_when_a_banner_is_shown(
    patient: Page,
) -> None:
    tap(patient, "Hips and thighs", COULD_NOT)
    expect_headings(patient, URGENT)
    # The patient goes on rating: the focus is on that answer, below the banner.
    tap(patient, "Overall fatigue", "6")
    assert (active_element(patient)["tag"], active_element(patient)["name"]) == ("INPUT", "fatigue")

    tap(patient, "Shortness of breath", BREATHLESS_AT_REST)
    expect_headings(patient, EMERGENCY, URGENT)
    expect(banner(patient).get_by_role("heading", name=EMERGENCY, exact=True)).to_be_focused()
    assert active_element(patient) == {"tag": "H2", "id": "alert-title-emergency", "name": "", "text": EMERGENCY}

    # With the emergency banner already up, another emergency answer takes the reader there again.
    tap(patient, "Overall fatigue", "7")
    assert (active_element(patient)["tag"], active_element(patient)["name"]) == ("INPUT", "fatigue")
    tap(patient, "Choking", CHOKED_WITH_TROUBLE_BREATHING)
    expect_guidance(patient, EMERGENCY, "choking_breathing")
    expect(banner(patient).get_by_role("heading", name=EMERGENCY, exact=True)).to_be_focused()
    assert active_element(patient) == {"tag": "H2", "id": "alert-title-emergency", "name": "", "text": EMERGENCY}


def test_a_past_day_with_breathlessness_at_rest_is_worded_in_the_past_tense(
    patient: Page, live_server: Any, people: People
) -> None:
    yesterday = people.diary.today() - dt.timedelta(days=1)
    day_entry_save_scores(diary=people.diary, date=yesterday, scores={"breathlessness": 3}, by=people.owner)
    go_to(patient, "History")
    patient.locator("ul.days > li").get_by_role("link").click()
    expect(patient).to_have_url(live_server.url + reverse("diary:day", args=[people.diary.pk, yesterday.isoformat()]))
    shown = expect_guidance(patient, PAST_EMERGENCY, "breathless_rest")
    expect(shown).to_contain_text("If this is still happening")
    expect(shown).to_contain_text("On this day you answered:")
    expect_headings(patient, PAST_EMERGENCY)


def test_a_second_answer_raising_the_same_guidance_moves_focus_to_it_again(patient: Page) -> None:
    tap(patient, "Hips and thighs", COULD_NOT)
    shown = expect_guidance(patient, URGENT, "weakness_cannot")
    tap(patient, "Overall fatigue", "6")
    assert (active_element(patient)["tag"], active_element(patient)["name"]) == ("INPUT", "fatigue")
    # The banner's words do not change (one reason per rule), yet the tap raised it: focus goes there.
    tap(patient, "Shoulders and arms", COULD_NOT)
    expect(shown.get_by_role("listitem")).to_have_text([reason("weakness_cannot")])
    expect(banner(patient).get_by_role("heading", name=URGENT, exact=True)).to_be_focused()
    assert active_element(patient)["id"] == "alert-title-urgent"
