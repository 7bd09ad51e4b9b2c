"""The smoke version of `make bench`, so the benchmark cannot rot: no wrk, no gunicorn.

Builds the benchmark's diaries in miniature, counts the queries of every measured page for the
month diary and the longer one (they must be equal: no query may grow with the data), times
them, and counts the bytes a first and a repeat visit of Today send.
"""

from __future__ import annotations

import pytest

from bench import data, measure, results
from bench.results import markdown, targets


@pytest.mark.django_db
def test_bench_smoke_python_side() -> None:
    bench = data.build(**data.SMOKE_BUILD)
    assert bench.big.days > bench.month.days
    assert bench.taps and bench.taps[0].tap_medication_id is not None

    month = measure.query_counts(bench.month, bench.today)
    big = measure.query_counts(bench.big, bench.today)
    assert set(month) == set(measure.PAGES) | set(measure.SAVES)
    assert month == big, "a page's query count grows with the diary's length"
    assert big["today"] <= results.TODAY_QUERY_LIMIT and big["today_changed"] <= results.TODAY_QUERY_LIMIT
    assert big["today"] < big["today_changed"], "an unchanged Today takes its parts from the cache"
    times = measure.server_times(bench.month, bench.today, repeat=1)
    assert set(times) == set(month) and all(t["median_ms"] > 0 for t in times.values())
    fetch = measure.client_fetcher(measure.signed_in_client(bench.big))
    side = {
        "queries": {"month": month, "big": big},
        "server_ms": {"month": times},
        "bytes": measure.page_bytes(fetch, bench.big, bench.today, ("today",)),
    }
    today = side["bytes"]["today"]
    assert today["html_bytes"] > 0 and today["static_bytes"] > 0
    assert today["first_visit_bytes"] > today["repeat_visit_bytes"] > 0
    assert any(row["kind"] == "fragment" for row in today["files"]), "Today's tips, loaded after the page"

    rows = targets(side)
    assert {r["figure"] for r in rows if r["pass"] is not None} >= {"queries per page", "Today first visit"}
    assert "| queries per page | same for 1 month and 3 years | all equal | pass |" in markdown(side)


@pytest.mark.django_db
def test_bench_tap_slots_are_open_and_distinct() -> None:
    bench = data.build(**data.SMOKE_BUILD)
    ref = bench.taps[0]
    slots = [slot for _n, slot in zip(range(50), data.tap_slots(ref), strict=False)]
    assert len(set(slots)) == 50
    assert all(slot.date() < ref.first_day for slot in slots)
    cells = [cell for _n, cell in zip(range(40), data.rating_cells(ref), strict=False)]
    assert len(set(cells)) == 40 and all(day < ref.first_day for day, _item in cells)


def test_the_rating_saves_targets_take_the_median_of_its_runs() -> None:
    runs = [{"ratio": 0.31, "rps": 500, "p95_ms": 41.0}, {"ratio": 0.42, "rps": 700, "p95_ms": 22.0}]
    runs.append({"ratio": 0.40, "rps": 650, "p95_ms": 24.0})
    save = {"ratio": 0.31, "p95_ms": 41.0, "runs": runs, "median_ratio": 0.40, "median_p95_ms": 24.0}
    rows = [r for r in targets({"wrk": {"rating_save": save}}) if r["figure"] == "rating save"]
    assert [r["pass"] for r in rows] == [True, True]
    assert rows[0]["measured"] == "0.40 × (median of 3 runs: 0.31, 0.42, 0.40)"
    assert rows[1]["measured"] == "24.0 ms (median of 3 runs: 41.0, 22.0, 24.0)"
    # Results of one run (older files) are read as before.
    single = [
        r for r in targets({"wrk": {"rating_save": {"ratio": 0.31, "p95_ms": 41.0}}}) if r["figure"] == "rating save"
    ]
    assert [(r["measured"], r["pass"]) for r in single] == [("0.31 ×", False), ("41.0 ms", False)]
