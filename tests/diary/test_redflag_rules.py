"""Every red-flag rule of docs/clinical-safety.md section 1, one answer at a time, without a database.

The rules are pure functions of the answers and a ``DayContext``, so these tests build
plain mappings and unsaved ``Event`` instances. Each test pins the exact hits (level, key
and the answer that raised them), so a change to any threshold, comparison or wording of
a rule fails here; ``make mutation`` checks that it does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from diary import redflags
from diary.models import Benefit, Event, EventKind, Injury, SideEffectSymptom
from diary.redflags import (
    DISCUSS,
    EMERGENCY,
    URGENT,
    Alert,
    DayContext,
    Hit,
    alerts_for,
    breathing_hits,
    chokes_counted,
    choking_hits,
    day_entry_hits,
    event_hits,
    ivig_hits,
    long_cough_hits,
    night_breathing_hits,
    reason_text,
    side_effect_hits,
    speech_and_swallowing_hits,
    suggested_question,
    unplanned_rest_hits,
    weakness_hits,
    weight_hits,
)
from education import content

CLEAR = DayContext()


def previous(field: str, *values: int | None) -> DayContext:
    """A context whose earlier logged days answered ``field`` with ``values``, newest first."""
    return DayContext(previous=[{field: value} for value in values])


def event(kind: str, **answers: Any) -> Event:
    return Event(kind=kind, **answers)


# --- Breathing ---------------------------------------------------------------------------


def test_breathless_at_rest_is_an_emergency() -> None:
    assert breathing_hits({"breathlessness": 3}, CLEAR) == [Hit(EMERGENCY, "breathless_rest", "breathlessness=3")]


def test_breathing_rising_to_2_after_a_week_of_at_most_1_is_urgent() -> None:
    assert breathing_hits({"breathlessness": 2}, previous("breathlessness", 1, 0, 1)) == [
        Hit(URGENT, "breathing_rising", "breathlessness=2")
    ]


def test_breathing_2_as_the_first_answer_ever_is_treated_as_new_and_urgent() -> None:
    assert breathing_hits({"breathlessness": 2}, CLEAR) == [Hit(URGENT, "breathing_rising", "breathlessness=2")]


def test_breathing_2_after_a_previous_2_is_for_the_next_visit() -> None:
    assert breathing_hits({"breathlessness": 2}, previous("breathlessness", 1, 2, 0)) == [
        Hit(DISCUSS, "breathing_light", "breathlessness=2")
    ]


def test_breathing_2_ignores_earlier_days_that_left_breathing_unanswered() -> None:
    assert breathing_hits({"breathlessness": 2}, previous("breathlessness", None, 1)) == [
        Hit(URGENT, "breathing_rising", "breathlessness=2")
    ]
    assert breathing_hits({"breathlessness": 2}, previous("breathlessness", None, 2)) == [
        Hit(DISCUSS, "breathing_light", "breathlessness=2")
    ]


def test_earlier_answers_to_other_questions_do_not_count_for_breathing() -> None:
    assert breathing_hits({"breathlessness": 2}, previous("swallowing", 3, 3)) == [
        Hit(URGENT, "breathing_rising", "breathlessness=2")
    ]


@pytest.mark.parametrize("value", [None, 0, 1])
def test_breathing_below_2_raises_nothing(value: int | None) -> None:
    assert breathing_hits({"breathlessness": value}, previous("breathlessness", 0)) == []


# --- Speech, swallowing and a weak cough -----------------------------------------------------


def test_cannot_speak_with_breathing_2_is_an_emergency() -> None:
    hits = speech_and_swallowing_hits({"speech": 3, "breathlessness": 2}, CLEAR)
    assert hits == [Hit(EMERGENCY, "speech_breathing", "speech=3")]


def test_cannot_speak_with_breathing_3_is_an_emergency() -> None:
    hits = speech_and_swallowing_hits({"speech": 3, "breathlessness": 3}, CLEAR)
    assert hits == [Hit(EMERGENCY, "speech_breathing", "speech=3")]


def test_cannot_speak_and_cannot_swallow_is_an_emergency_and_the_swallowing_is_urgent_too() -> None:
    hits = speech_and_swallowing_hits({"speech": 3, "swallowing": 3, "breathlessness": 0}, CLEAR)
    assert hits == [Hit(EMERGENCY, "speech_breathing", "speech=3"), Hit(URGENT, "swallowing_cannot", "swallowing=3")]


@pytest.mark.parametrize("breathing", [None, 0, 1])
def test_cannot_speak_alone_is_urgent(breathing: int | None) -> None:
    hits = speech_and_swallowing_hits({"speech": 3, "swallowing": 0, "breathlessness": breathing}, CLEAR)
    assert hits == [Hit(URGENT, "speech_cannot", "speech=3")]


def test_speech_2_with_hard_breathing_raises_nothing_for_speech() -> None:
    assert speech_and_swallowing_hits({"speech": 2, "breathlessness": 3}, CLEAR) == []


def test_cannot_swallow_is_urgent() -> None:
    assert speech_and_swallowing_hits({"swallowing": 3}, previous("swallowing", 3)) == [
        Hit(URGENT, "swallowing_cannot", "swallowing=3")
    ]


def test_swallowing_2_after_a_week_with_no_trouble_is_urgent() -> None:
    assert speech_and_swallowing_hits({"swallowing": 2}, previous("swallowing", 0, None, 0)) == [
        Hit(URGENT, "new_swallowing", "swallowing=2")
    ]


def test_swallowing_2_as_the_first_answer_ever_is_urgent() -> None:
    assert speech_and_swallowing_hits({"swallowing": 2}, CLEAR) == [Hit(URGENT, "new_swallowing", "swallowing=2")]


def test_swallowing_2_after_any_trouble_in_the_week_raises_nothing() -> None:
    assert speech_and_swallowing_hits({"swallowing": 2}, previous("swallowing", 0, 1, 0)) == []


@pytest.mark.parametrize("value", [None, 0, 1])
def test_swallowing_below_2_raises_nothing(value: int | None) -> None:
    assert speech_and_swallowing_hits({"swallowing": value}, CLEAR) == []


def test_a_cough_too_weak_to_clear_saliva_is_an_emergency() -> None:
    assert speech_and_swallowing_hits({"cough_too_weak": 1}, CLEAR) == [
        Hit(EMERGENCY, "weak_cough", "cough_too_weak=yes")
    ]


@pytest.mark.parametrize("value", [None, 0])
def test_a_cough_strong_enough_raises_nothing(value: int | None) -> None:
    assert speech_and_swallowing_hits({"cough_too_weak": value}, CLEAR) == []


# --- Choking -------------------------------------------------------------------------------


def test_choking_with_trouble_breathing_is_an_emergency() -> None:
    assert choking_hits(2, DayContext(chokes_in_week=1)) == [Hit(EMERGENCY, "choking_breathing", "choking=2")]


def test_one_cleared_choke_is_for_the_next_visit() -> None:
    assert choking_hits(1, DayContext(chokes_in_week=1)) == [Hit(DISCUSS, "single_choke", "choking=1")]


def test_two_chokes_in_a_week_are_urgent_instead_of_a_single_choke() -> None:
    assert choking_hits(1, DayContext(chokes_in_week=2)) == [Hit(URGENT, "repeated_choking", "choking=1 (2 in 7 days)")]


def test_two_chokes_in_a_week_with_trouble_breathing_are_an_emergency_and_urgent() -> None:
    assert choking_hits(2, DayContext(chokes_in_week=3)) == [
        Hit(EMERGENCY, "choking_breathing", "choking=2"),
        Hit(URGENT, "repeated_choking", "choking=2 (3 in 7 days)"),
    ]


def test_two_choking_events_in_the_week_are_urgent_on_a_day_answered_0() -> None:
    assert choking_hits(0, DayContext(chokes_in_week=2)) == [Hit(URGENT, "repeated_choking", "choking=0 (2 in 7 days)")]


@pytest.mark.parametrize("value", [None, 0])
def test_no_choking_raises_nothing(value: int | None) -> None:
    assert choking_hits(value, DayContext(chokes_in_week=1)) == []


def test_chokes_counted_adds_days_answered_1_or_2_to_choking_events() -> None:
    assert chokes_counted([None, 0, 1, 2, 1], 2) == 5
    assert chokes_counted([None, 0], 0) == 0
    assert chokes_counted([], 1) == 1


# --- Weakness ------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["weakness_hips", "weakness_shoulders", "weakness_neck"])
def test_a_region_that_cannot_be_used_is_urgent(region: str) -> None:
    assert weakness_hits({region: 3}, previous(region, 3, 3)) == [Hit(URGENT, "weakness_cannot", f"{region}=3")]


@pytest.mark.parametrize("region", ["weakness_hips", "weakness_shoulders", "weakness_neck"])
def test_a_region_exactly_2_above_its_weekly_median_is_urgent(region: str) -> None:
    assert weakness_hits({region: 2}, previous(region, 0, 0, 1)) == [Hit(URGENT, "weakness_rising", f"{region}=2")]


def test_a_region_1_above_its_weekly_median_raises_nothing() -> None:
    assert weakness_hits({"weakness_hips": 2}, previous("weakness_hips", 1, 1, 0)) == []
    assert weakness_hits({"weakness_hips": 2}, previous("weakness_hips", 0, 1)) == []


def test_weakness_with_no_earlier_days_is_not_compared_with_anything() -> None:
    assert weakness_hits({"weakness_hips": 2}, CLEAR) == []
    assert weakness_hits({"weakness_hips": 2}, previous("weakness_hips", None)) == []


def test_each_region_is_judged_on_its_own() -> None:
    ratings = {"weakness_hips": None, "weakness_shoulders": 3, "weakness_neck": 2}
    context = DayContext(previous=[{"weakness_shoulders": 0, "weakness_neck": 0}])
    assert weakness_hits(ratings, context) == [
        Hit(URGENT, "weakness_cannot", "weakness_shoulders=3"),
        Hit(URGENT, "weakness_rising", "weakness_neck=2"),
    ]
    ratings = {"weakness_hips": 3, "weakness_shoulders": 2, "weakness_neck": 3}
    assert weakness_hits(ratings, context) == [
        Hit(URGENT, "weakness_cannot", "weakness_hips=3"),
        Hit(URGENT, "weakness_rising", "weakness_shoulders=2"),
        Hit(URGENT, "weakness_cannot", "weakness_neck=3"),
    ]


def test_a_weakness_trigger_within_two_weeks_of_a_new_medicine_is_also_flagged_as_after_a_new_medicine() -> None:
    context = DayContext(medicine_started_recently=True)
    assert weakness_hits({"weakness_neck": 3}, context) == [
        Hit(URGENT, "weakness_cannot", "weakness_neck=3"),
        Hit(URGENT, "new_medicine_weakness", "weakness after a new medicine"),
    ]


def test_a_new_medicine_without_a_weakness_trigger_raises_nothing() -> None:
    context = DayContext(previous=[{"weakness_hips": 1}], medicine_started_recently=True)
    assert weakness_hits({"weakness_hips": 2, "weakness_neck": 0}, context) == []


def test_a_weakness_trigger_without_a_new_medicine_is_not_blamed_on_one() -> None:
    assert weakness_hits({"weakness_neck": 3}, CLEAR) == [Hit(URGENT, "weakness_cannot", "weakness_neck=3")]


# --- Headache after IVIG -------------------------------------------------------------------


def test_a_severe_headache_with_stiff_neck_in_the_week_after_ivig_is_urgent() -> None:
    assert ivig_hits({"ivig_headache": 1}, DayContext(ivig_recently=True)) == [
        Hit(URGENT, "ivig_headache", "ivig_headache=yes")
    ]


def test_a_headache_with_no_ivig_that_week_raises_nothing() -> None:
    assert ivig_hits({"ivig_headache": 1}, CLEAR) == []


@pytest.mark.parametrize("value", [None, 0])
def test_no_headache_after_ivig_raises_nothing(value: int | None) -> None:
    assert ivig_hits({"ivig_headache": value}, DayContext(ivig_recently=True)) == []


# --- A whole day ---------------------------------------------------------------------------


def test_a_day_raises_every_rule_in_order_breathing_speech_choking_weakness_ivig() -> None:
    ratings = {
        "breathlessness": 3,
        "speech": 3,
        "swallowing": 1,
        "cough_too_weak": 1,
        "choking": 2,
        "weakness_hips": 3,
        "ivig_headache": 1,
    }
    context = DayContext(chokes_in_week=1, ivig_recently=True)
    assert day_entry_hits(ratings, context) == [
        Hit(EMERGENCY, "breathless_rest", "breathlessness=3"),
        Hit(EMERGENCY, "speech_breathing", "speech=3"),
        Hit(EMERGENCY, "weak_cough", "cough_too_weak=yes"),
        Hit(EMERGENCY, "choking_breathing", "choking=2"),
        Hit(URGENT, "weakness_cannot", "weakness_hips=3"),
        Hit(URGENT, "ivig_headache", "ivig_headache=yes"),
    ]


def test_a_day_reads_its_own_choking_answer() -> None:
    assert day_entry_hits({"choking": 1}, DayContext(chokes_in_week=1)) == [Hit(DISCUSS, "single_choke", "choking=1")]


def test_a_day_judges_breathing_and_swallowing_against_the_days_before() -> None:
    ratings = {"breathlessness": 2, "swallowing": 2}
    assert day_entry_hits(ratings, DayContext(previous=[{"breathlessness": 2, "swallowing": 1}])) == [
        Hit(DISCUSS, "breathing_light", "breathlessness=2")
    ]
    assert day_entry_hits(ratings, DayContext(previous=[{"breathlessness": 1, "swallowing": 0}])) == [
        Hit(URGENT, "breathing_rising", "breathlessness=2"),
        Hit(URGENT, "new_swallowing", "swallowing=2"),
    ]


def test_an_all_clear_day_raises_nothing() -> None:
    ratings = {"breathlessness": 0, "speech": 0, "swallowing": 0, "choking": 0, "weakness_hips": 1}
    assert day_entry_hits(ratings, previous("weakness_hips", 1)) == []


# --- Events --------------------------------------------------------------------------------


def test_a_seizure_event_is_an_emergency() -> None:
    assert event_hits(event(EventKind.SEIZURE)) == [Hit(EMERGENCY, "seizure", "event:seizure")]


def test_an_allergic_reaction_with_swelling_is_an_emergency() -> None:
    assert event_hits(event(EventKind.ALLERGIC_REACTION, face_throat_swelling=True, breathing_difficulty=False)) == [
        Hit(EMERGENCY, "swelling", "event:allergic_reaction")
    ]


def test_an_allergic_reaction_with_trouble_breathing_is_an_emergency() -> None:
    assert event_hits(event(EventKind.ALLERGIC_REACTION, face_throat_swelling=False, breathing_difficulty=True)) == [
        Hit(EMERGENCY, "allergic_breathing", "event:allergic_reaction")
    ]


def test_an_allergic_reaction_with_swelling_and_trouble_breathing_names_both() -> None:
    assert event_hits(event(EventKind.ALLERGIC_REACTION, face_throat_swelling=True, breathing_difficulty=True)) == [
        Hit(EMERGENCY, "swelling", "event:allergic_reaction"),
        Hit(EMERGENCY, "allergic_breathing", "event:allergic_reaction"),
    ]


@pytest.mark.parametrize("answer", [None, False])
def test_a_mild_allergic_reaction_is_a_side_effect_for_the_next_visit(answer: bool | None) -> None:
    assert event_hits(event(EventKind.ALLERGIC_REACTION, face_throat_swelling=answer, breathing_difficulty=answer)) == [
        Hit(DISCUSS, "side_effects", "event:allergic_reaction")
    ]


def test_choking_then_trouble_breathing_is_an_emergency() -> None:
    assert event_hits(event(EventKind.CHOKING, breathing_difficulty=True, cough_too_weak=False)) == [
        Hit(EMERGENCY, "choking_breathing", "event:choking")
    ]


def test_choking_with_a_cough_too_weak_to_clear_it_is_an_emergency() -> None:
    assert event_hits(event(EventKind.CHOKING, breathing_difficulty=False, cough_too_weak=True)) == [
        Hit(EMERGENCY, "weak_cough", "event:choking")
    ]


def test_choking_with_both_names_both() -> None:
    assert event_hits(event(EventKind.CHOKING, breathing_difficulty=True, cough_too_weak=True)) == [
        Hit(EMERGENCY, "choking_breathing", "event:choking"),
        Hit(EMERGENCY, "weak_cough", "event:choking"),
    ]


def test_a_choke_that_cleared_raises_nothing_on_its_own_as_repeats_are_a_day_rule() -> None:
    assert event_hits(event(EventKind.CHOKING, cleared_by_itself=True, breathing_difficulty=False)) == []


@pytest.mark.parametrize("temperature", ["38.0", "38", "39.5"])
def test_a_temperature_of_38_or_more_is_urgent(temperature: str) -> None:
    assert event_hits(event(EventKind.INFECTION, temperature=Decimal(temperature), chest_symptoms=False)) == [
        Hit(URGENT, "fever_chest", "event:infection")
    ]


def test_a_temperature_of_37_9_raises_nothing() -> None:
    assert event_hits(event(EventKind.INFECTION, temperature=Decimal("37.9"), chest_symptoms=False)) == []


def test_an_infection_with_chest_symptoms_is_urgent_without_a_temperature() -> None:
    assert event_hits(event(EventKind.INFECTION, temperature=None, chest_symptoms=True)) == [
        Hit(URGENT, "fever_chest", "event:infection")
    ]


def test_ill_today_alone_raises_nothing() -> None:
    assert event_hits(event(EventKind.INFECTION)) == []
    assert event_hits(event(EventKind.INFECTION, chest_symptoms=False, coughing_blood=False)) == []


def test_coughing_up_blood_is_urgent() -> None:
    assert event_hits(event(EventKind.INFECTION, coughing_blood=True)) == [
        Hit(URGENT, "coughing_blood", "event:infection")
    ]


def test_a_fever_with_coughing_up_blood_names_both() -> None:
    assert event_hits(event(EventKind.INFECTION, temperature=Decimal("38.5"), coughing_blood=True)) == [
        Hit(URGENT, "fever_chest", "event:infection"),
        Hit(URGENT, "coughing_blood", "event:infection"),
    ]


@pytest.mark.parametrize("injury", [Injury.MINOR, Injury.SOUGHT_CARE])
def test_a_fall_with_an_injury_is_urgent(injury: str) -> None:
    assert event_hits(event(EventKind.FALL, injury=injury, head_strike=False)) == [
        Hit(URGENT, "fall_injury", "event:fall")
    ]


def test_a_fall_with_a_head_strike_is_urgent_even_when_not_hurt() -> None:
    assert event_hits(event(EventKind.FALL, injury=Injury.NONE, head_strike=True)) == [
        Hit(URGENT, "fall_injury", "event:fall")
    ]


@pytest.mark.parametrize("injury", [Injury.NONE, ""])
def test_a_fall_without_injury_or_head_strike_raises_nothing(injury: str) -> None:
    assert event_hits(event(EventKind.FALL, injury=injury, head_strike=False)) == []


def test_a_near_fall_is_for_the_next_visit() -> None:
    assert event_hits(event(EventKind.NEAR_FALL)) == [Hit(DISCUSS, "near_falls", "event:near_fall")]


def test_weakness_worse_after_starting_a_medicine_is_urgent() -> None:
    started = event(EventKind.MEDICINE_CHANGE, medicine_started=True, weakness_change=Benefit.WORSE)
    assert event_hits(started) == [Hit(URGENT, "new_medicine_weakness", "event:medicine_change")]


@pytest.mark.parametrize("started", [False, None])
def test_weakness_worse_after_stopping_a_medicine_raises_nothing(started: bool | None) -> None:
    assert event_hits(event(EventKind.MEDICINE_CHANGE, medicine_started=started, weakness_change=Benefit.WORSE)) == []


@pytest.mark.parametrize("change", [Benefit.SAME, Benefit.BETTER, ""])
def test_a_new_medicine_without_worse_weakness_raises_nothing(change: str) -> None:
    assert event_hits(event(EventKind.MEDICINE_CHANGE, medicine_started=True, weakness_change=change)) == []


@pytest.mark.parametrize(
    "kind", [EventKind.EMERGENCY_VISIT, EventKind.PROCEDURE, EventKind.BLOOD_PRESSURE, EventKind.TEST_OR_SCAN]
)
def test_other_events_raise_nothing_even_with_alarming_answers(kind: str) -> None:
    alarming = event(
        kind,
        breathing_difficulty=True,
        cough_too_weak=True,
        face_throat_swelling=True,
        temperature=Decimal("40"),
        chest_symptoms=True,
        coughing_blood=True,
        head_strike=True,
        injury=Injury.SOUGHT_CARE,
        medicine_started=True,
        weakness_change=Benefit.WORSE,
    )
    assert event_hits(alarming) == []


# --- Side effects --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symptom", "key"),
    [
        (SideEffectSymptom.SEIZURE, "seizure"),
        (SideEffectSymptom.SWELLING, "swelling"),
        (SideEffectSymptom.ALLERGIC_BREATHING, "allergic_breathing"),
    ],
)
def test_a_seizure_or_allergy_side_effect_is_an_emergency(symptom: str, key: str) -> None:
    assert side_effect_hits([symptom]) == [Hit(EMERGENCY, key, f"side effect:{symptom}")]


def test_any_other_side_effect_is_for_the_next_visit() -> None:
    assert side_effect_hits([SideEffectSymptom.TINGLING]) == [Hit(DISCUSS, "side_effects", "side effect:tingling")]


def test_every_side_effect_is_named_in_the_order_logged() -> None:
    symptoms = [SideEffectSymptom.NAUSEA, SideEffectSymptom.SEIZURE, SideEffectSymptom.HEADACHE]
    assert side_effect_hits(symptoms) == [
        Hit(DISCUSS, "side_effects", "side effect:nausea"),
        Hit(EMERGENCY, "seizure", "side effect:seizure"),
        Hit(DISCUSS, "side_effects", "side effect:headache"),
    ]


def test_no_side_effects_raise_nothing() -> None:
    assert side_effect_hits([]) == []


# --- The weeks before Today ----------------------------------------------------------------


def test_unplanned_rests_up_by_one_a_day_are_for_the_next_visit() -> None:
    assert unplanned_rest_hits(2.0, 1.0) == [Hit(DISCUSS, "more_unplanned_rests", "2.0 a day, was 1.0")]
    assert unplanned_rest_hits(1.5, 0.5) == [Hit(DISCUSS, "more_unplanned_rests", "1.5 a day, was 0.5")]


def test_unplanned_rests_up_by_less_than_one_a_day_raise_nothing() -> None:
    assert unplanned_rest_hits(1.5, 1.0) == []
    assert unplanned_rest_hits(0.9, 0.0) == []


def test_fewer_unplanned_rests_raise_nothing() -> None:
    assert unplanned_rest_hits(0.0, 3.0) == []


def test_weight_down_exactly_5_percent_is_for_the_next_visit() -> None:
    assert weight_hits(95.0, 100.0) == [Hit(DISCUSS, "weight_loss", "100.0 kg to 95.0 kg")]


def test_weight_down_more_than_5_percent_is_for_the_next_visit() -> None:
    assert weight_hits(60.0, 80.0) == [Hit(DISCUSS, "weight_loss", "80.0 kg to 60.0 kg")]


def test_weight_down_less_than_5_percent_raises_nothing() -> None:
    assert weight_hits(96.0, 100.0) == []


def test_weight_up_raises_nothing() -> None:
    assert weight_hits(110.0, 100.0) == []


@pytest.mark.parametrize(("latest", "highest"), [(None, 100.0), (70.0, None), (70.0, 0.0), (None, None)])
def test_weight_without_both_readings_raises_nothing(latest: float | None, highest: float | None) -> None:
    assert weight_hits(latest, highest) == []


@pytest.mark.parametrize(("headaches", "sleepiness"), [(2, None), (None, 2), (3, 0), (0, 3)])
def test_morning_headaches_or_daytime_sleepiness_of_2_or_more_are_for_the_next_visit(
    headaches: int | None, sleepiness: int | None
) -> None:
    assert night_breathing_hits(headaches, sleepiness) == [Hit(DISCUSS, "night_breathing", "weekly answers")]


@pytest.mark.parametrize(("headaches", "sleepiness"), [(None, None), (1, 1), (0, None), (None, 1)])
def test_morning_headaches_and_daytime_sleepiness_below_2_raise_nothing(
    headaches: int | None, sleepiness: int | None
) -> None:
    assert night_breathing_hits(headaches, sleepiness) == []


def test_a_cough_open_for_exactly_three_weeks_is_for_the_next_visit() -> None:
    today = dt.date(2026, 3, 22)
    assert long_cough_hits([dt.date(2026, 3, 1)], today) == [Hit(DISCUSS, "long_cough", "cough open for 3 weeks")]
    assert long_cough_hits([dt.date(2026, 3, 20), dt.date(2026, 2, 1)], today) == [
        Hit(DISCUSS, "long_cough", "cough open for 3 weeks")
    ]


def test_a_cough_open_for_20_days_raises_nothing() -> None:
    assert long_cough_hits([dt.date(2026, 3, 2)], dt.date(2026, 3, 22)) == []
    assert long_cough_hits([], dt.date(2026, 3, 22)) == []


# --- Banners -------------------------------------------------------------------------------


def guidance_level(level: str) -> content.RedFlagLevel:
    return {item.level: item for item in content.red_flags().levels}[level]


def text_of(level: str, key: str) -> str:
    item = guidance_level(level).item(key)
    assert item is not None
    return item.text


def test_one_banner_per_level_most_serious_first_worded_for_today() -> None:
    hits = [
        Hit(DISCUSS, "near_falls"),
        Hit(URGENT, "fall_injury"),
        Hit(EMERGENCY, "seizure"),
        Hit(URGENT, "coughing_blood"),
    ]
    alerts = alerts_for(hits)
    emergency, urgent, discuss = guidance_level(EMERGENCY), guidance_level(URGENT), guidance_level(DISCUSS)
    number = content.emergency_number()
    assert alerts == (
        Alert(
            level=EMERGENCY,
            title=emergency.title,
            message=emergency.message,
            reasons=(text_of(EMERGENCY, "seizure"),),
            emergency_number=number,
            keys=("seizure",),
            past=False,
        ),
        Alert(
            level=URGENT,
            title=urgent.title,
            message=urgent.message,
            reasons=(text_of(URGENT, "fall_injury"), text_of(URGENT, "coughing_blood")),
            emergency_number=number,
            keys=("fall_injury", "coughing_blood"),
            past=False,
        ),
        Alert(
            level=DISCUSS,
            title=discuss.title,
            message=discuss.message,
            reasons=(text_of(DISCUSS, "near_falls"),),
            emergency_number=number,
            keys=("near_falls",),
            past=False,
        ),
    )
    assert [alert.is_emergency for alert in alerts] == [True, False, False]
    assert all(alert.past is False for alert in alerts)


def test_banners_for_a_past_day_use_the_past_wording() -> None:
    alerts = alerts_for([Hit(URGENT, "fall_injury"), Hit(EMERGENCY, "seizure")], past=True)
    emergency, urgent = guidance_level(EMERGENCY), guidance_level(URGENT)
    assert [(alert.level, alert.title, alert.message) for alert in alerts] == [
        (EMERGENCY, emergency.past_title, emergency.past_message),
        (URGENT, urgent.past_title, urgent.past_message),
    ]
    assert all(alert.past is True for alert in alerts)
    assert emergency.past_title != emergency.title
    assert urgent.past_message != urgent.message


def test_a_reason_raised_twice_is_shown_once() -> None:
    hits = [
        Hit(URGENT, "fall_injury", "event:fall"),
        Hit(URGENT, "fall_injury", "event:fall"),
        Hit(URGENT, "ivig_headache"),
    ]
    (alert,) = alerts_for(hits)
    assert alert.keys == ("fall_injury", "ivig_headache")
    assert alert.reasons == (text_of(URGENT, "fall_injury"), text_of(URGENT, "ivig_headache"))


def test_a_reason_already_shown_at_a_higher_level_is_not_shown_again() -> None:
    hits = [Hit(URGENT, "new_medicine_weakness"), Hit(DISCUSS, "side_effects"), Hit(EMERGENCY, "seizure")]
    hits += [Hit(DISCUSS, "seizure")]
    alerts = alerts_for(hits)
    assert [(alert.level, alert.keys) for alert in alerts] == [
        (EMERGENCY, ("seizure",)),
        (URGENT, ("new_medicine_weakness",)),
        (DISCUSS, ("side_effects",)),
    ]


def test_levels_with_no_reason_get_no_banner() -> None:
    alerts = alerts_for([Hit(DISCUSS, "single_choke"), Hit(EMERGENCY, "weak_cough")])
    assert [(alert.level, alert.keys) for alert in alerts] == [
        (EMERGENCY, ("weak_cough",)),
        (DISCUSS, ("single_choke",)),
    ]
    assert [alert.level for alert in alerts_for([Hit(DISCUSS, "near_falls")])] == [DISCUSS]


def test_no_hits_no_banners() -> None:
    assert alerts_for([]) == ()


def test_reason_text_is_the_guidance_wording_or_the_key_when_unknown() -> None:
    assert reason_text(Hit(URGENT, "coughing_blood")) == text_of(URGENT, "coughing_blood")
    assert reason_text(Hit(URGENT, "no_such_rule")) == "no_such_rule"


def test_a_discuss_rule_suggests_its_visit_question_and_other_rules_none() -> None:
    question = guidance_level(DISCUSS).item("near_falls")
    assert question is not None and question.question
    assert suggested_question("near_falls") == question.question
    assert suggested_question("seizure") == ""


# --- A worsening trend (the last two weeks against the two before) ---------------------------


def days_of(value: int, count: int = 10) -> list[int]:
    return [value] * count


def test_legs_a_level_worse_over_two_weeks_is_for_the_next_visit() -> None:
    hits = redflags.worsening_hits({"weakness_hips": days_of(2)}, {"weakness_hips": days_of(1)})
    assert hits == [Hit(DISCUSS, "slow_worsening", "weakness_hips: 1 to 2")]


def test_a_change_smaller_than_the_scales_step_raises_nothing() -> None:
    assert redflags.worsening_hits({"fatigue": days_of(6)}, {"fatigue": days_of(5)}) == []
    assert redflags.worsening_hits({"fatigue": days_of(7)}, {"fatigue": days_of(5)}) == [
        Hit(DISCUSS, "slow_worsening", "fatigue: 5 to 7")
    ]


def test_percent_normal_falling_by_ten_is_worse_and_rising_is_not() -> None:
    assert redflags.worsening_hits({"percent_normal": days_of(60)}, {"percent_normal": days_of(70)}) == [
        Hit(DISCUSS, "slow_worsening", "percent_normal: 70 to 60")
    ]
    assert redflags.worsening_hits({"percent_normal": days_of(80)}, {"percent_normal": days_of(70)}) == []
    assert redflags.worsening_hits({"percent_normal": days_of(61)}, {"percent_normal": days_of(70)}) == []


def test_getting_better_raises_nothing() -> None:
    assert redflags.worsening_hits({"weakness_hips": days_of(0)}, {"weakness_hips": days_of(2)}) == []


def test_fewer_than_ten_days_in_either_window_raises_nothing() -> None:
    assert redflags.worsening_hits({"weakness_hips": days_of(3, 9)}, {"weakness_hips": days_of(0)}) == []
    assert redflags.worsening_hits({"weakness_hips": days_of(3)}, {"weakness_hips": days_of(0, 9)}) == []
    assert redflags.worsening_hits({"weakness_hips": days_of(3, 10)}, {"weakness_hips": days_of(0, 10)}) != []


def test_the_trend_reads_the_median_not_the_mean() -> None:
    recent = [0] * 6 + [3] * 4  # mean 1.2, median 0
    assert redflags.worsening_hits({"weakness_neck": recent}, {"weakness_neck": days_of(0)}) == []


def test_items_outside_the_trend_are_not_read() -> None:
    assert redflags.worsening_hits({"dry_mouth": days_of(3)}, {"dry_mouth": days_of(0)}) == []


def test_the_first_worse_item_is_named_once() -> None:
    recent = {"weakness_hips": days_of(3), "fatigue": days_of(9)}
    earlier = {"weakness_hips": days_of(1), "fatigue": days_of(2)}
    assert redflags.worsening_hits(recent, earlier) == [Hit(DISCUSS, "slow_worsening", "weakness_hips: 1 to 3")]


def test_an_item_with_no_earlier_window_at_all_raises_nothing() -> None:
    assert redflags.worsening_hits({"weakness_hips": days_of(3)}, {}) == []
    assert redflags.worsening_hits({}, {"weakness_hips": days_of(3)}) == []
