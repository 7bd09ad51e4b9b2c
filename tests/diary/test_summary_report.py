"""The clinic report's figures in diary/summary.py, against the diary worked out by hand in report_data.py."""

from __future__ import annotations

import datetime as dt

import pytest

from diary import summary
from tests.conftest import People
from tests.diary.report_data import HARD_NOTE, build_known_diary

D = dt.date


@pytest.fixture
def figures(people: People) -> summary.ReportFigures:
    known = build_known_diary(people)
    result = summary.period_summary(diary=people.diary, start=known.start, end=known.end)
    return summary.report_figures(diary=people.diary, summary=result)


def test_first_and_last_fortnight_are_compared_by_median(figures: summary.ReportFigures) -> None:
    assert figures.edge_days == 14
    legs = figures.edges["weakness_hips"]
    assert (legs.first, legs.last, legs.change) == (2.0, 1.0, "better")
    fatigue = figures.edges["fatigue"]
    assert (fatigue.first, fatigue.last, fatigue.change) == (6.0, 4.0, "better")
    percent = figures.edges["percent_normal"]
    assert (percent.first, percent.last, percent.change) == (70.0, 80.0, "better")
    assert figures.edges["weakness_shoulders"].change == "same"
    assert figures.edges["speech"].change is None  # never rated


def test_a_short_period_compares_halves_that_never_overlap(people: People) -> None:
    build_known_diary(people)
    result = summary.period_summary(diary=people.diary, start=D(2025, 3, 4), end=D(2025, 3, 7))
    width, edges = summary.edge_comparisons(result)
    assert width == 2
    assert (edges["weakness_hips"].first, edges["weakness_hips"].last) == (2.5, 2.0)


def test_the_three_hardest_days_with_their_context(figures: summary.ReportFigures) -> None:
    worst = figures.worst_days
    assert [(w.day, w.burden) for w in worst] == [(D(2025, 3, 5), 92), (D(2025, 3, 12), 79), (D(2025, 3, 20), 66)]
    assert worst[0].heat and not worst[0].illness and worst[0].note == HARD_NOTE
    assert worst[1].illness and not worst[1].heat and worst[1].note == ""
    assert worst[0].scores["weakness_hips"] == 3 and worst[0].scores["percent_normal"] == 20


def test_a_day_needs_four_burden_items_rated(people: People) -> None:
    assert summary.day_burden({"fatigue": 10, "weakness_hips": 3, "percent_normal": 0}) is None
    assert summary.day_burden({"fatigue": 10, "weakness_hips": 3, "percent_normal": 0, "walking_distance": 0}) == 1.0
    assert summary.day_burden({"fatigue": 0, "weakness_hips": 0, "percent_normal": 100, "walking_distance": 4}) == 0.0


def test_a_missed_dose_marks_the_day(people: People) -> None:
    known = build_known_diary(people)
    result = summary.period_summary(diary=people.diary, start=known.start, end=known.end)
    assert D(2025, 3, 29) in result.dose_trouble_days  # nothing logged for 14:00
    assert D(2025, 3, 6) in result.dose_trouble_days  # skipped
    assert D(2025, 3, 8) not in result.dose_trouble_days  # late is taken


def test_red_flag_prompts_are_those_stored_when_shown(figures: summary.ReportFigures) -> None:
    prompts = [(p.level, p.reason, p.days) for p in figures.entry_prompts]
    assert prompts == [
        (
            "emergency",
            "Short of breath at rest or lying flat, or cannot finish a sentence without a breath",
            (D(2025, 3, 25),),
        ),
        (
            "urgent",
            "Could not use your hips, shoulders or neck without help",
            (D(2025, 3, 5), D(2025, 3, 12), D(2025, 3, 20)),
        ),
        ("urgent", "A fall where you were hurt or hit your head", (D(2025, 3, 15),)),
        ("discuss", "Possible side effects of a medicine", (D(2025, 3, 4), D(2025, 3, 8))),
        ("discuss", "A near-fall", (D(2025, 3, 22),)),
    ]
    events = [(e.event.kind, e.alert.level if e.alert else None) for e in figures.events]
    assert events == [("fall", "urgent"), ("near_fall", "discuss")]
    assert figures.events_total == 2 and figures.events_not_listed == 0
    assert [(c.label, c.count) for c in figures.event_counts] == [("Fall", 1), ("Near-fall", 1)]


def test_adherence_shares_and_skip_reasons(figures: summary.ReportFigures) -> None:
    a = figures.adherence
    assert (a.scheduled, a.taken, a.on_time, a.late, a.skipped, a.missed, a.extra) == (56, 93, 89, 4, 5, 2, 0)
    assert [(r.label, r.count) for r in figures.skip_reasons] == [("Nausea", 2), ("No reason given", 1)]


def test_side_effects_by_medicine(figures: summary.ReportFigures) -> None:
    [row] = figures.side_effects
    assert row.medicine == "Amifampridine (3,4-DAP)"
    assert (row.count, row.mean_severity, row.worst_severity) == (2, 4.0, 5)


def test_a_treatment_course_with_the_leg_score_before_and_after(figures: summary.ReportFigures) -> None:
    [course] = figures.courses
    assert (course.first, course.last, course.sessions, course.course) == (
        D(2025, 3, 10),
        D(2025, 3, 11),
        2,
        "Course 1",
    )
    assert course.before_days == 7 and course.before_mean == pytest.approx(15 / 7)
    assert course.after_days == 13 and course.after_mean == pytest.approx(15 / 13)
    assert course.benefit == "Better" and course.benefit_started == D(2025, 3, 17)
    assert course.reactions == ("Headache",)


def test_rests_per_day(figures: summary.ReportFigures) -> None:
    assert (figures.rest.planned, figures.rest.unplanned) == (1, 1)
    assert figures.rest.planned_per_day == pytest.approx(1 / 28)
    assert figures.rest.unplanned_per_day == pytest.approx(1 / 28)
    assert figures.rest.minutes_per_day == pytest.approx(50 / 28)


def test_current_medicines_are_those_of_the_last_day(figures: summary.ReportFigures) -> None:
    assert [m.kind for m in figures.current_medications] == ["amifampridine"]


def test_an_empty_period_has_no_figures_but_no_errors(people: People) -> None:
    result = summary.period_summary(diary=people.diary, start=D(2024, 1, 1), end=D(2024, 1, 1))
    figures = summary.report_figures(diary=people.diary, summary=result)
    assert figures.worst_days == () and figures.courses == () and figures.events == ()
    assert figures.adherence.taken is None and figures.edge_days == 0
