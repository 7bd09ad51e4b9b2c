"""Tip selection is a pure, predictable function of diary signals."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from education import content
from education.selection import (
    DISMISS_DAYS,
    BinGap,
    ChosenTip,
    DaySummary,
    QuickCheckPoint,
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
    ({"worst_time_days_checked": 7, "worst_time": "afternoon", "worst_time_days": 4}, {"planning"}, "worst_time"),
    ({"hour_gap": BinGap(16, 10, 2.0, 10, 12, "strength")}, {"planning"}, "quick_check_hours"),
    ({"dose_gap": BinGap(3, 1, 2.0, 14, 12, "strength")}, {"planning"}, "dose_timing"),
    ({"stairs_days": 3}, {"falls"}, "stairs"),
    ({"chair_rise_days": 3}, {"position"}, "chair_rise"),
    ({"lifting_days": 3}, {"position"}, "lifting"),
    ({"dizziness_days": 3}, {"standing"}, "dizziness"),
    ({"hot_days": 2}, {"heat"}, "heat"),
    ({"dry_mouth_days": 3}, {"dry-mouth"}, "dry_mouth"),
    ({"chewing_or_swallowing_days": 3}, {"eating"}, "chewing_swallowing"),
    ({"no_bowel_movement_days": 3}, {"bowels"}, "bowels"),
    ({"straining_days": 3, "bowel_movement_days": 7}, {"bowels"}, "bowels"),
    ({"poor_sleep_days": 3}, {"sleep"}, "poor_sleep"),
    ({"unplanned_rests_recent": 3}, {"pacing", "planning"}, "unplanned_rest"),
    ({"falls_recent": 1}, {"falls"}, "falls"),
    ({"infection_recent": True}, {"infection"}, "infection"),
    ({"new_medicines_recent": 1}, {"medicines"}, "new_medicine"),
    ({"procedure_in_days": 14}, {"medicines"}, "procedure"),
    ({"procedure_in_days": -7}, {"medicines"}, "procedure"),
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
    assert pick(Signals(new_medicines_recent=1))[0].tip.id == "T25"
    assert pick(Signals(procedure_in_days=3))[0].tip.id == "T26"
    assert pick(Signals(infection_recent=True))[0].tip.id == "T27"
    assert pick(Signals(**LOGGED, stairs_days=3))[0].tip.id == "T9"
    assert pick(Signals(**LOGGED, worst_time="evening", worst_time_days=5, worst_time_days_checked=7))[0].tip.id == "T6"
    for offset in range(4):
        day = TODAY + dt.timedelta(days=offset)
        assert pick(Signals(**LOGGED, chair_rise_days=4), today=day)[0].tip.id in {"T7", "T8"}
        assert pick(Signals(**LOGGED, lifting_days=4), today=day)[0].tip.id in {"T10", "T11"}
    # Dry eyes have no sourced self-care tip (the Symptoms page says to ask the team): no rule reads them.
    dry_eyes = build_signals([DaySummary(days_ago(n), dry_eyes=3) for n in range(7)], today=TODAY)
    assert [c.rule for c in pick(dry_eyes)] == ["general"]
    heat = Signals(**LOGGED, hot_days=3)
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
        {"worst_time_days_checked": 7, "worst_time": "afternoon", "worst_time_days": 3},
        {"worst_time_days_checked": 3, "worst_time": "afternoon", "worst_time_days": 3},
        {"stairs_days": 2},
        {"chair_rise_days": 2},
        {"lifting_days": 2},
        {"hot_days": 1},
        {"dizziness_days": 2},
        {"dry_mouth_days": 2},
        {"chewing_or_swallowing_days": 2},
        {"no_bowel_movement_days": 2},
        {"no_bowel_movement_days": 4, "bowel_movement_days": 3},  # a movement on 3 of 7 days is enough
        {"straining_days": 2},
        {"poor_sleep_days": 2},
        {"unplanned_rests_recent": 2},
        {"procedure_in_days": 15},
        {"procedure_in_days": -8},
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
    worst_time_days_checked=7,
    worst_time="morning",
    worst_time_days=7,
    stairs_days=6,
    chair_rise_days=6,
    lifting_days=6,
    unplanned_rests_recent=4,
    dizziness_days=7,
    dry_mouth_days=7,
    chewing_or_swallowing_days=7,
    no_bowel_movement_days=7,
    poor_sleep_days=7,
    hot_days=3,
    falls_recent=2,
    infection_recent=True,
    new_medicines_recent=1,
    procedure_in_days=2,
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
    signals = Signals(**LOGGED, dry_mouth_days=3, dizziness_days=7, no_bowel_movement_days=5)
    assert [c.rule for c in pick(signals)] == ["dizziness", "bowels", "dry_mouth"]


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


def test_each_reason_says_what_was_logged_with_its_count_and_window():
    def reason(**fields: object) -> str:
        return pick(Signals(**LOGGED, **fields))[0].reason

    assert (
        reason(fatigue_days_checked=5, high_fatigue_days=3)
        == "Because your fatigue was 7 or more out of 10 on 3 of your last 5 logged days."
    )
    assert (
        reason(worst_time_days_checked=7, worst_time="afternoon", worst_time_days=5)
        == "Because 'afternoon' was your worst time for fatigue on 5 of your last 7 logged days."
    )
    assert reason(no_bowel_movement_days=3) == "Because there was no bowel movement on 3 of the last 7 days."
    assert reason(straining_days=4, bowel_movement_days=6) == "Because you noted straining on 4 of the last 7 days."
    assert reason(stairs_days=3) == "Because stairs needed extra effort or help on 3 of the last 7 days."
    assert (
        reason(chair_rise_days=4)
        == "Because getting up from a chair needed extra effort or help on 4 of the last 7 days."
    )
    assert reason(lifting_days=5) == "Because lifting or reaching needed extra effort or help on 5 of the last 7 days."
    assert reason(hot_days=2) == "Because you marked hot weather, a hot room or a hot bath on 2 of the last 14 days."
    assert (
        reason(dizziness_days=4)
        == "Because you felt dizzy on standing repeatedly or for hours on 4 of the last 7 days."
    )
    assert reason(dry_mouth_days=3) == "Because your mouth was dry repeatedly or for hours on 3 of the last 7 days."
    assert (
        reason(chewing_or_swallowing_days=3)
        == "Because chewing or swallowing was harder than normal on 3 of the last 7 days."
    )
    assert reason(poor_sleep_days=3) == "Because you rated your sleep 3 or less out of 10 on 3 of the last 7 days."
    assert (
        reason(hour_gap=BinGap(16, 9, 2.5, 11, 14, "strength"))
        == "Because your quick checks in the hour from 16:00 showed leg strength 2.5 points lower than in the hour "
        "from 09:00 (medians of 11 and 14 checks)."
    )
    assert "fatigue 3 points higher" in reason(hour_gap=BinGap(18, 8, 3.0, 10, 10, "fatigue"))
    assert (
        reason(dose_gap=BinGap(3, 1, 2.0, 14, 12, "strength"))
        == "Because your quick checks showed leg strength 2 points lower 3–4 hours after a dose than 1–2 hours "
        "after (medians of 14 and 12 checks)."
    )
    assert "fatigue 4 points higher 5–6 hours" in reason(dose_gap=BinGap(5, 0, 4.0, 10, 10, "fatigue"))
    assert reason(falls_recent=1) == "Because you logged 1 fall or near-fall in the last 30 days."
    assert "2 falls or near-falls" in reason(falls_recent=2)
    assert "5 rests" in reason(unplanned_rests_recent=5)
    assert reason(new_medicines_recent=1) == "Because you added 1 medicine in the last 14 days."
    assert reason(infection_recent=True) == "Because you logged an infection or fever in the last 14 days."
    assert reason(procedure_in_days=3) == "Because you logged a procedure in 3 days."
    assert reason(procedure_in_days=0) == "Because you logged a procedure for today."
    assert reason(procedure_in_days=-1) == "Because you logged a procedure 1 day ago."


def test_no_reason_names_a_diagnosis():
    texts = [c.reason for c in pick(EVERYTHING, limit=20)]
    for text in texts:
        assert "constipation" not in text.lower() and "you logged high fatigue" not in text.lower()


def test_signals_are_frozen_and_default_to_nothing():
    signals = Signals()
    with pytest.raises(dataclasses.FrozenInstanceError):
        signals.dizziness_days = 3  # type: ignore[misc]
    assert not signals.has_any_data
    assert not signals.procedure_upcoming_or_recent


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
            worst_time="afternoon",
            dizziness=2,
            dry_mouth=3,
            stairs=2,
            chair_rise=3,
            hot=True,
            sleep_quality=3,
        ),
        DaySummary(
            days_ago(1),
            fatigue=7,
            worst_time="afternoon",
            dizziness=3,
            dry_mouth=1,
            stairs=3,
            lifting=2,
            hot=True,
            bowel_movement=False,
        ),
        DaySummary(
            days_ago(2),
            fatigue=6,
            worst_time="morning",
            dizziness=1,
            chewing=1,
            stairs=1,
            straining=True,
            sleep_quality=4,
        ),
        DaySummary(days_ago(3), fatigue=9, worst_time="afternoon", swallowing=3, dry_eyes=2),
        DaySummary(days_ago(4), fatigue=2, worst_time="afternoon", bowel_movement=True, straining=False),
        DaySummary(days_ago(6), fatigue=10),  # 6th most recent fatigue score: not looked at
        DaySummary(days_ago(7), dizziness=3, dry_mouth=3, stairs=3),  # outside the 7-day window
        DaySummary(days_ago(13), hot=True),  # inside the 14-day heat window
        DaySummary(days_ago(14), hot=True, worst_time="afternoon"),  # outside every window
    ]
    s = build_signals(
        days,
        today=TODAY,
        fall_dates=[days_ago(29), days_ago(30)],
        unplanned_rest_dates=[days_ago(0), days_ago(0), days_ago(6), days_ago(7)],
        new_medicine_dates=[days_ago(13), days_ago(2), days_ago(14)],
        infection_dates=[days_ago(14)],
        procedure_dates=[TODAY + dt.timedelta(days=14), days_ago(9)],
    )
    assert s.window_days == 7
    assert s.days_logged_recent == 6
    assert s.fatigue_days_checked == 5
    assert s.high_fatigue_days == 3  # 8, 7, 9 (the 10 is the sixth entry back)
    assert (s.worst_time, s.worst_time_days, s.worst_time_days_checked) == ("afternoon", 4, 5)
    assert s.dizziness_days == 2
    assert s.dry_mouth_days == 1
    assert s.chewing_or_swallowing_days == 2  # chewing 1 counts now: any chewing trouble is a sign
    assert (s.no_bowel_movement_days, s.bowel_movement_days, s.straining_days) == (1, 1, 1)
    assert s.poor_sleep_days == 1
    assert (s.stairs_days, s.chair_rise_days, s.lifting_days) == (2, 1, 1)
    assert s.hot_days == 3
    assert s.unplanned_rests_recent == 3
    assert s.falls_recent == 1
    assert s.new_medicines_recent == 2
    assert not s.infection_recent  # 14 days ago is outside the 14-day window
    assert s.procedure_in_days == 14 and s.procedure_upcoming_or_recent
    assert s.hour_gap is None and s.dose_gap is None


def test_a_procedure_counts_from_14_days_ahead_to_7_days_after():
    def offset(day: dt.date) -> int | None:
        return build_signals([], today=TODAY, procedure_dates=[day]).procedure_in_days

    assert offset(TODAY + dt.timedelta(days=14)) == 14
    assert offset(TODAY + dt.timedelta(days=15)) is None
    assert offset(days_ago(7)) == -7
    assert offset(days_ago(8)) is None
    both = build_signals([], today=TODAY, procedure_dates=[days_ago(2), TODAY + dt.timedelta(days=2)])
    assert both.procedure_in_days == 2  # the upcoming one wins a tie


def test_the_worst_time_needs_four_of_the_last_seven_answers():
    def signals(answers: list[str]) -> Signals:
        return build_signals([DaySummary(days_ago(n), worst_time=a) for n, a in enumerate(answers)], today=TODAY)

    four = signals(["evening", "evening", "morning", "evening", "midday", "evening", "morning", "evening"])
    assert (four.worst_time, four.worst_time_days, four.worst_time_days_checked) == ("evening", 4, 7)
    assert [c.rule for c in select_tips(four, today=TODAY)] == ["worst_time"]
    three = signals(["evening", "morning", "evening", "midday", "evening", "morning", "midday"])
    assert three.worst_time_days == 3
    assert [c.rule for c in select_tips(three, today=TODAY)] == ["general"]


def checks(hour: int, n: int, strength: int | None, fatigue: int | None = None) -> list[QuickCheckPoint]:
    return [QuickCheckPoint(days_ago(i % 20), hour, strength=strength, fatigue=fatigue) for i in range(n)]


def test_quick_checks_by_hour_need_ten_checks_in_each_hour_and_a_two_point_gap():
    enough = build_signals([], today=TODAY, quick_checks=checks(10, 10, 7) + checks(16, 12, 4))
    assert enough.hour_gap == BinGap(worse=16, better=10, gap=3.0, worse_count=12, better_count=10, measure="strength")
    chosen = select_tips(enough, today=TODAY)
    assert [c.tip.id for c in chosen] == ["T6"]
    assert "leg strength 3 points lower" in chosen[0].reason and "12 and 10 checks" in chosen[0].reason
    too_few = build_signals([], today=TODAY, quick_checks=checks(10, 9, 7) + checks(16, 12, 2))
    assert too_few.hour_gap is None
    too_close = build_signals([], today=TODAY, quick_checks=checks(10, 10, 6) + checks(16, 10, 5))
    assert too_close.hour_gap is None
    old = [QuickCheckPoint(days_ago(28), 10, strength=9)] * 10 + checks(16, 10, 2)
    assert build_signals([], today=TODAY, quick_checks=old).hour_gap is None
    tired = build_signals([], today=TODAY, quick_checks=checks(9, 10, None, 2) + checks(19, 10, None, 6))
    assert tired.hour_gap == BinGap(19, 9, 4.0, 10, 10, "fatigue")


def test_dose_timing_bins_checks_by_whole_hours_since_the_last_dose():
    doses = [dt.datetime.combine(days_ago(n), dt.time(8), tzinfo=dt.UTC) for n in range(20)]

    def after(hours: float, n: int, strength: int) -> list[QuickCheckPoint]:
        return [
            QuickCheckPoint(days_ago(i), 0, strength=strength, at=doses[i] + dt.timedelta(hours=hours))
            for i in range(n)
        ]

    signals = build_signals([], today=TODAY, quick_checks=after(1.5, 12, 7) + after(3.25, 14, 4), dose_times=doses)
    assert signals.dose_gap == BinGap(worse=3, better=1, gap=3.0, worse_count=14, better_count=12, measure="strength")
    (chosen,) = select_tips(signals, today=TODAY)
    assert chosen.tip.id == "T6" and chosen.rule == "dose_timing"
    assert "3–4 hours after a dose" in chosen.reason and "14 and 12 checks" in chosen.reason
    # Fewer than ten checks in a band, checks long after the last dose, or no doses: no statement.
    assert (
        build_signals([], today=TODAY, quick_checks=after(1.5, 12, 7) + after(3.25, 9, 4), dose_times=doses).dose_gap
        is None
    )
    assert (
        build_signals([], today=TODAY, quick_checks=after(1.5, 12, 7) + after(9, 14, 4), dose_times=doses).dose_gap
        is None
    )
    assert build_signals([], today=TODAY, quick_checks=after(1.5, 12, 7) + after(3.25, 14, 4)).dose_gap is None


def test_bowel_rule_reads_no_movement_or_straining():
    def rule_for(days: list[DaySummary]) -> list[str]:
        return [c.rule for c in select_tips(build_signals(days, today=TODAY), today=TODAY)]

    no_movement = [DaySummary(days_ago(n), bowel_movement=False) for n in range(3)]
    assert rule_for(no_movement) == ["bowels"]
    regular = no_movement + [DaySummary(days_ago(n), bowel_movement=True) for n in range(3, 6)]
    assert rule_for(regular) == ["general"]
    straining = [DaySummary(days_ago(n), bowel_movement=True, straining=True) for n in range(3)]
    assert rule_for(straining) == ["bowels"]


def test_build_signals_illness_flag_and_empty_input():
    s = build_signals([DaySummary(days_ago(10), illness=True)], today=TODAY)
    assert s.infection_recent
    assert s.days_logged_recent == 0
    assert build_signals([], today=TODAY) == Signals()


def test_build_signals_then_select_end_to_end():
    days = [DaySummary(days_ago(n), fatigue=8, dizziness=2) for n in range(5)]
    chosen = select_tips(build_signals(days, today=TODAY), today=TODAY)
    assert [c.rule for c in chosen] == ["high_fatigue", "dizziness"]
    assert chosen[0].reason == "Because your fatigue was 7 or more out of 10 on 5 of your last 5 logged days."
