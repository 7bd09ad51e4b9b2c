"""Tip selection is a pure, predictable function of diary signals."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from education import content
from education.selection import (
    DISMISS_DAYS,
    ChosenTip,
    DaySummary,
    Signals,
    build_signals,
    dismissed_until,
    is_dismissed,
    select_tips,
)

TODAY = dt.date(2026, 11, 24)
LOGGED = {"days_logged_recent": 7}


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def pick(signals: Signals, **kwargs) -> list[ChosenTip]:
    kwargs.setdefault("today", TODAY)
    return select_tips(signals, **kwargs)


# --- each signal picks its topic ---------------------------------------------

SIGNAL_CASES = [
    (
        {"fatigue_days_checked": 5, "high_fatigue_days": 3},
        {"pacing", "planning"},
        "high_fatigue",
    ),
    ({"dizziness_days": 3}, {"standing"}, "dizziness"),
    (
        {
            "hot_days": 2,
            "hot_day_leg_weakness": 2.0,
            "cooler_days": 3,
            "cooler_day_leg_weakness": 1.0,
        },
        {"heat"},
        "heat",
    ),
    ({"dry_mouth_days": 3}, {"dry-mouth"}, "dry_mouth"),
    ({"chewing_or_swallowing_days": 2}, {"eating"}, "chewing_swallowing"),
    ({"constipation_days": 3}, {"bowels"}, "constipation"),
    ({"poor_sleep_days": 3}, {"sleep"}, "poor_sleep"),
    ({"unplanned_rests_recent": 3}, {"pacing", "planning"}, "unplanned_rest"),
    ({"leg_weakness_days": 3}, {"position", "falls"}, "leg_weakness"),
    ({"arm_weakness_days": 3}, {"position"}, "arm_weakness"),
    ({"falls_recent": 1}, {"falls"}, "falls"),
    ({"infection_recent": True}, {"infection"}, "infection"),
    ({"new_medicine_recent": True}, {"medicines"}, "new_medicine"),
    ({"procedure_upcoming_or_recent": True}, {"medicines"}, "procedure"),
]


@pytest.mark.parametrize(("fields", "topics", "rule"), SIGNAL_CASES)
def test_each_signal_picks_the_expected_topic(fields, topics, rule):
    for offset in range(5):  # whatever the rotation, the topic is right
        chosen = pick(Signals(**LOGGED, **fields), today=TODAY + dt.timedelta(days=offset))
        assert len(chosen) == 1
        assert chosen[0].tip.topic in topics
        assert chosen[0].rule == rule
        assert chosen[0].reason


def test_specific_tips_for_single_tip_signals():
    assert pick(Signals(new_medicine_recent=True))[0].tip.id == "T25"
    assert pick(Signals(procedure_upcoming_or_recent=True))[0].tip.id == "T26"
    assert pick(Signals(infection_recent=True))[0].tip.id == "T27"
    # Dry eyes have no sourced self-care tip (the Symptoms page says to ask the team).
    assert [c.rule for c in pick(Signals(**LOGGED, dry_eyes_days=4))] == ["general"]
    heat = Signals(
        **LOGGED,
        hot_days=3,
        hot_day_leg_weakness=2.0,
        cooler_days=4,
        cooler_day_leg_weakness=1.0,
    )
    assert pick(heat)[0].tip.id == "T14"


def test_high_fatigue_picks_pacing_and_prioritising_tips():
    seen = set()
    for offset in range(10):
        chosen = pick(
            Signals(**LOGGED, fatigue_days_checked=5, high_fatigue_days=4),
            today=TODAY + dt.timedelta(offset),
        )
        seen.add(chosen[0].tip.id)
    assert seen <= {"T1", "T2", "T4", "T5"}
    assert {"T1", "T2"} <= seen


@pytest.mark.parametrize(
    "fields",
    [
        {"fatigue_days_checked": 5, "high_fatigue_days": 2},
        {"fatigue_days_checked": 2, "high_fatigue_days": 2},
        {"dizziness_days": 2},
        {"dry_mouth_days": 2},
        {"chewing_or_swallowing_days": 1},
        {"constipation_days": 2},
        {"poor_sleep_days": 2},
        {"unplanned_rests_recent": 2},
        {
            "hot_days": 1,
            "hot_day_leg_weakness": 3.0,
            "cooler_days": 5,
            "cooler_day_leg_weakness": 0.0,
        },
        {
            "hot_days": 3,
            "hot_day_leg_weakness": 1.4,
            "cooler_days": 3,
            "cooler_day_leg_weakness": 1.0,
        },
    ],
)
def test_below_threshold_gives_only_the_general_default(fields):
    chosen = pick(Signals(**LOGGED, **fields))
    assert [c.rule for c in chosen] == ["general"]


# --- no data, default ----------------------------------------------------------


def test_no_data_selects_nothing():
    assert pick(Signals()) == []


def test_logged_days_without_a_pattern_get_one_general_tip():
    chosen = pick(Signals(days_logged_recent=3))
    assert len(chosen) == 1
    assert chosen[0].rule == "general"
    assert "general" in chosen[0].tip.tags
    assert "no strong pattern" in chosen[0].reason


# --- dismissal -------------------------------------------------------------------


def test_dismissed_tip_is_hidden_for_30_days_then_returns():
    signals = Signals(infection_recent=True)  # only T27 fits
    assert DISMISS_DAYS == 30
    for age in range(DISMISS_DAYS):
        assert pick(signals, dismissed={"T27": days_ago(age)}) == [], age
    back = pick(signals, dismissed={"T27": days_ago(DISMISS_DAYS)})
    assert [c.tip.id for c in back] == ["T27"]
    assert dismissed_until(TODAY) == TODAY + dt.timedelta(days=30)


def test_dismissal_moves_on_to_another_tip_of_the_same_rule():
    signals = Signals(**LOGGED, dizziness_days=5)
    first = pick(signals)[0].tip.id
    second = pick(signals, dismissed={first: TODAY})[0].tip.id
    assert first != second
    assert content.tip(second).topic == "standing"
    every = {"T19": TODAY, "T20": TODAY, "T21": TODAY}
    assert pick(signals, dismissed=every) == []  # no "no strong pattern" default then


def test_dismissed_as_a_set():
    assert pick(Signals(infection_recent=True), dismissed={"T27"}) == []
    assert is_dismissed("T1", {"T1"}, TODAY)
    assert not is_dismissed("T1", set(), TODAY)
    assert not is_dismissed("T1", None, TODAY)
    assert is_dismissed("T1", {"T1": TODAY + dt.timedelta(days=2)}, TODAY)  # clock skew: still hidden


# --- limits, ordering, reasons ------------------------------------------------------


EVERYTHING = Signals(
    window_days=7,
    days_logged_recent=7,
    fatigue_days_checked=5,
    high_fatigue_days=5,
    unplanned_rests_recent=4,
    leg_weakness_days=6,
    arm_weakness_days=6,
    dizziness_days=7,
    dry_mouth_days=7,
    dry_eyes_days=7,
    chewing_or_swallowing_days=7,
    constipation_days=7,
    poor_sleep_days=7,
    hot_days=3,
    hot_day_leg_weakness=3.0,
    cooler_days=4,
    cooler_day_leg_weakness=1.0,
    falls_recent=2,
    infection_recent=True,
    new_medicine_recent=True,
    procedure_upcoming_or_recent=True,
)


def test_at_most_three_and_one_per_topic():
    for offset in range(30):
        chosen = pick(EVERYTHING, today=TODAY + dt.timedelta(days=offset))
        assert len(chosen) == 3
        topics = [c.tip.topic for c in chosen]
        assert len(set(topics)) == len(topics)
        assert len({c.tip.id for c in chosen}) == 3


def test_limit_is_respected_and_one_per_topic_holds_for_large_limits():
    assert len(pick(EVERYTHING, limit=1)) == 1
    assert pick(EVERYTHING, limit=0) == []
    chosen = pick(EVERYTHING, limit=20)
    topics = [c.tip.topic for c in chosen]
    assert len(topics) == len(set(topics))
    assert len(chosen) >= 10


def test_strongest_signal_comes_first():
    signals = Signals(**LOGGED, dry_mouth_days=3, dizziness_days=7, constipation_days=5)
    assert [c.rule for c in pick(signals)] == ["dizziness", "constipation", "dry_mouth"]


def test_safety_events_win_ties():
    chosen = pick(EVERYTHING)
    # All events score 1.0, as do several full-week symptoms; the event rules come first.
    assert [c.rule for c in chosen] == [
        "procedure",
        "infection",
        "falls",
    ]  # new_medicine shares T26's topic


def test_selection_is_deterministic_and_rotates_by_day():
    signals = Signals(**LOGGED, dizziness_days=4)
    assert pick(signals) == pick(signals)
    shown = {pick(signals, today=TODAY + dt.timedelta(days=d))[0].tip.id for d in range(3)}
    assert shown == {"T19", "T20", "T21"}


def test_reason_text_contains_the_numbers():
    reason = pick(Signals(**LOGGED, fatigue_days_checked=5, high_fatigue_days=3))[0].reason
    assert reason == "Because you logged high fatigue on 3 of your last 5 diary days."
    reason = pick(Signals(**LOGGED, dizziness_days=4))[0].reason
    assert "4" in reason and "7" in reason
    reason = pick(Signals(falls_recent=1))[0].reason
    assert reason == "Because you logged 1 fall or near-fall in the last 30 days."
    reason = pick(Signals(falls_recent=2))[0].reason
    assert "2 falls or near-falls" in reason
    reason = pick(Signals(**LOGGED, unplanned_rests_recent=5))[0].reason
    assert "5 rests" in reason
    heat = Signals(
        **LOGGED,
        hot_days=2,
        hot_day_leg_weakness=2.0,
        cooler_days=3,
        cooler_day_leg_weakness=1.0,
    )
    assert "2 hot days" in pick(heat)[0].reason


def test_signals_are_frozen_and_default_to_nothing():
    signals = Signals()
    with pytest.raises(dataclasses.FrozenInstanceError):
        signals.dizziness_days = 3  # type: ignore[misc]
    assert not signals.has_any_data
    assert not signals.heat_makes_legs_weaker


def test_custom_tip_pool():
    pool = [t for t in content.all_tips() if t.id in {"T20"}]
    chosen = pick(Signals(**LOGGED, dizziness_days=4), tips=pool)
    assert [c.tip.id for c in chosen] == ["T20"]


# --- build_signals ------------------------------------------------------------------


def test_build_signals_counts_each_threshold():
    days = [
        DaySummary(
            days_ago(0),
            fatigue=8,
            dizziness=2,
            dry_mouth=3,
            hips_thighs=2,
            hot=True,
            sleep_quality=3,
        ),
        DaySummary(
            days_ago(1),
            fatigue=7,
            dizziness=3,
            dry_mouth=1,
            hips_thighs=3,
            hot=True,
            bowel_movement=False,
        ),
        DaySummary(
            days_ago(2),
            fatigue=6,
            dizziness=1,
            chewing=2,
            hips_thighs=1,
            straining=True,
            sleep_quality=4,
        ),
        DaySummary(
            days_ago(3),
            fatigue=9,
            swallowing=3,
            shoulders_arms=2,
            hips_thighs=1,
            dry_eyes=2,
        ),
        DaySummary(days_ago(4), fatigue=2, bowel_movement=True, straining=False),
        DaySummary(days_ago(6), fatigue=10),  # 6th most recent fatigue score: not looked at
        DaySummary(days_ago(7), dizziness=3, dry_mouth=3),  # outside the 7-day window
    ]
    s = build_signals(
        days,
        today=TODAY,
        fall_dates=[days_ago(29), days_ago(30)],
        unplanned_rest_dates=[days_ago(0), days_ago(0), days_ago(6), days_ago(7)],
        new_medicine_dates=[days_ago(13)],
        infection_dates=[days_ago(14)],
        procedure_dates=[TODAY + dt.timedelta(days=30)],
    )
    assert s.window_days == 7
    assert s.days_logged_recent == 6
    assert s.fatigue_days_checked == 5
    assert s.high_fatigue_days == 3  # 8, 7, 9 (the 10 is the sixth entry back)
    assert s.dizziness_days == 2
    assert s.dry_mouth_days == 1
    assert s.dry_eyes_days == 1
    assert s.chewing_or_swallowing_days == 2
    assert s.constipation_days == 2
    assert s.poor_sleep_days == 1
    assert s.leg_weakness_days == 2
    assert s.arm_weakness_days == 1
    assert (s.hot_days, s.hot_day_leg_weakness) == (2, 2.5)
    assert (s.cooler_days, s.cooler_day_leg_weakness) == (2, 1.0)
    assert s.heat_makes_legs_weaker
    assert s.unplanned_rests_recent == 3
    assert s.falls_recent == 1
    assert s.new_medicine_recent
    assert not s.infection_recent  # 14 days ago is outside the 14-day window
    assert s.procedure_upcoming_or_recent


def test_build_signals_illness_flag_and_empty_input():
    s = build_signals([DaySummary(days_ago(10), illness=True)], today=TODAY)
    assert s.infection_recent
    assert s.days_logged_recent == 0
    assert build_signals([], today=TODAY) == Signals()
    assert not build_signals(
        [], today=TODAY, procedure_dates=[TODAY + dt.timedelta(days=31)]
    ).procedure_upcoming_or_recent


def test_build_signals_then_select_end_to_end():
    days = [DaySummary(days_ago(n), fatigue=8, dizziness=2) for n in range(5)]
    chosen = select_tips(build_signals(days, today=TODAY), today=TODAY)
    assert [c.rule for c in chosen] == ["high_fatigue", "dizziness"]
    assert chosen[0].reason == "Because you logged high fatigue on 5 of your last 5 diary days."
