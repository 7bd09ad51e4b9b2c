"""The benchmark's targets, checked against what was measured, written as Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.measure import PAGES, SAVES

KB = 1000  # bytes; "KB" in the targets is read as 1000 bytes (the stricter reading)

#: wrk runs: key -> label, in the order they run.
WRK_RUNS: dict[str, str] = {
    "hello": "hello world (ceiling; mean of the runs between the others)",
    "today": "Today (unchanged: its cached parts)",
    "history": "History",
    "day": "A past day's timeline",
    "trends_3m": "Trends, 3 months",
    "trends_all": "Trends, 3 years",
    "rating_save": "Rating save (htmx POST), 1st run",
    "dose_take": "Dose marked taken (POST)",
    "rating_save_run2": "Rating save, 2nd run",
    "rating_save_run3": "Rating save, 3rd run",
    "rating_save_2c": "Rating save at 2 connections (one per worker)",
}

#: Today's queries: the page and the red-flag rules that read the day's side effects, the
#: previous logged days, the week after an IVIG session and the weeks before (unplanned rests,
#: weekly answers, four weeks of ratings, a long cough), and the prompts shown (docs/clinical-safety.md).
TODAY_QUERY_LIMIT = 17


def _get(results: dict[str, Any], *path: str) -> Any:
    value: Any = results
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _at_least(value: float | None, bound: float) -> bool | None:
    return None if value is None else value >= bound


def _at_most(value: float | None, bound: float) -> bool | None:
    return None if value is None else value <= bound


def _fmt(value: Any, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the issue: what it asks, what was measured, and whether it passes (None: not measured)."""
    rows: list[dict[str, Any]] = []

    def add(figure: str, target: str, measured: str, passed: bool | None) -> None:
        rows.append({"figure": figure, "target": target, "measured": measured, "pass": passed})

    today_ratio = _get(results, "wrk", "today", "ratio")
    add("Today, 3-year diary", "≥ 0.30 × hello-world req/s", _fmt(today_ratio, " ×"), _at_least(today_ratio, 0.30))
    # Three runs, each between its own hello-world runs: the median of them (older results: the one run).
    save_runs = _get(results, "wrk", "rating_save", "runs") or []
    save_ratio = _get(results, "wrk", "rating_save", "median_ratio") or _get(results, "wrk", "rating_save", "ratio")
    save_p95 = _get(results, "wrk", "rating_save", "median_p95_ms") or _get(results, "wrk", "rating_save", "p95_ms")

    def of_runs(key: str, fmt: str) -> str:
        """The runs after their median, as " (median of 3 runs: a, b, c)"; nothing after a single run."""
        if len(save_runs) < 2:
            return ""
        return f" (median of {len(save_runs)} runs: {', '.join(format(r[key], fmt) for r in save_runs)})"

    add(
        "rating save",
        "≥ 0.40 × hello-world req/s",
        _fmt(save_ratio, " ×") + of_runs("ratio", ".2f"),
        _at_least(save_ratio, 0.40),
    )
    add(
        "rating save",
        "p95 ≤ 25 ms at 16 connections",
        _fmt(save_p95, " ms", 1) + of_runs("p95_ms", ".1f"),
        _at_most(save_p95, 25),
    )
    trends_ms = _get(results, "server_ms", "big", "trends_all", "median_ms")
    add("Trends, 3 years", "server time ≤ 150 ms", _fmt(trends_ms, " ms", 1), _at_most(trends_ms, 150))
    month, big = _get(results, "queries", "month"), _get(results, "queries", "big")
    if month and big:
        differing = [k for k in month if month.get(k) != big.get(k)]
        add(
            "queries per page",
            "same for 1 month and 3 years",
            "all equal" if not differing else "differ: " + ", ".join(f"{k} {month[k]}≠{big.get(k)}" for k in differing),
            not differing,
        )
        cached, fresh = big.get("today", 99), big.get("today_changed", 99)
        add(
            "queries, Today",
            f"≤ {TODAY_QUERY_LIMIT}",
            f"{cached} with its cached parts, {fresh} right after a change",
            max(cached, fresh) <= TODAY_QUERY_LIMIT,
        )
    else:
        add("queries per page", "same for 1 month and 3 years", "not measured", None)
    first, repeat = (
        _get(results, "bytes", "today", "first_visit_bytes"),
        _get(results, "bytes", "today", "repeat_visit_bytes"),
    )
    add("Today first visit", "≤ 40 KB sent", _kb(first), _at_most(first, 40 * KB))
    add("Today repeat visit", "≤ 10 KB sent", _kb(repeat), _at_most(repeat, 10 * KB))
    trends_first = _get(results, "bytes", "trends_3m", "first_visit_bytes")
    add("Trends first visit", "≤ 460 KB sent", _kb(trends_first), _at_most(trends_first, 460 * KB))
    for days, bound in (("90", 1.0), ("365", 2.5)):
        pdf = _get(results, "pdf", days) or {}
        label = "90 days" if days == "90" else "1 year"
        if pdf.get("available"):
            add(f"clinic PDF, warm, {label}", f"≤ {bound} s", _fmt(pdf["warm_s"], " s"), pdf["warm_s"] <= bound)
        else:
            add(f"clinic PDF, warm, {label}", f"≤ {bound} s", pdf.get("reason", "not measured"), None)
    load = results.get("load") or {}
    if "errors" in load:
        add("load test", "0 errors", str(load["errors"]), load["errors"] == 0)
        add("load test", "0 lost writes", str(load["lost_writes"]), load["lost_writes"] == 0)
    else:
        add("load test", "0 errors, 0 lost writes", load.get("reason", "not measured"), None)
    return rows


def _kb(value: int | None) -> str:
    return "not measured" if value is None else f"{value / KB:.1f} KB"


def _mark(passed: bool | None) -> str:
    return {True: "pass", False: "**FAIL**", None: "—"}[passed]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _h in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def targets_table(results: dict[str, Any]) -> str:
    return _table(
        ["figure", "target", "measured", "result"],
        [[r["figure"], r["target"], r["measured"], _mark(r["pass"])] for r in targets(results)],
    )


def markdown(results: dict[str, Any]) -> str:
    meta = results.get("meta", {})
    parts = [
        "# Benchmark results",
        "",
        f"Written by `{meta.get('command', 'make bench')}` on {meta.get('when', '?')}: "
        f"{meta.get('cpus', '?')} CPU cores, Python {meta.get('python', '?')}, pages and wrk on "
        f"{meta.get('database', '?')}, load test on PostgreSQL. 1 KB = 1000 bytes.",
        "",
        "## Targets",
        "",
        targets_table(results),
    ]
    wrk = results.get("wrk") or {}
    if wrk:
        rows = []
        for key, label in WRK_RUNS.items():
            run = wrk.get(key)
            if not run:
                continue
            if "error" in run:
                rows.append([label, run["error"], "", "", "", "", ""])
                continue
            rows.append(
                [
                    label,
                    f"{run['rps']:.0f}",
                    f"{run.get('ratio', 1.0):.2f}",
                    f"{run['p50_ms']:.1f}",
                    f"{run['p95_ms']:.1f}",
                    f"{run['p99_ms']:.1f}",
                    str(run["errors"]),
                ]
            )
        parts += [
            "",
            f"## Requests per second (wrk, {meta.get('connections', 16)} connections, "
            f"{meta.get('wrk_seconds', 10)} s each, gunicorn 2 sync workers)",
            "",
            _table(["request", "req/s", "× hello", "p50 ms", "p95 ms", "p99 ms", "errors"], rows),
            "",
            "hello world runs before and after each request measured; × hello is against the mean of "
            "those two neighbours, so a neighbour loading the machine for a while moves both alike. "
            + (
                f"hello world ranged {wrk['hello']['rps_min']:.0f}–{wrk['hello']['rps_max']:.0f} req/s "
                f"over {wrk['hello']['runs']} runs. "
                if "rps_min" in wrk.get("hello", {})
                else ""
            )
            + (results.get("wrk_notes") or ""),
        ]
    queries, server = results.get("queries") or {}, results.get("server_ms") or {}
    if queries:
        labels = {**PAGES, **SAVES}
        rows = [
            [
                label,
                str(_get(queries, "month", key)),
                str(_get(queries, "big", key)),
                _fmt(_get(server, "month", key, "median_ms"), "", 1),
                _fmt(_get(server, "big", key, "median_ms"), "", 1),
            ]
            for key, label in labels.items()
        ]
        parts += [
            "",
            "## Queries and server time per page (in-process, warm, median)",
            "",
            _table(["page", "queries, 1 month", "queries, 3 years", "ms, 1 month", "ms, 3 years"], rows),
        ]
    sizes = results.get("bytes") or {}
    if sizes:
        rows = [
            [
                key,
                _kb(v["first_visit_bytes"]),
                _kb(v["repeat_visit_bytes"]),
                _kb(v["html_bytes"]),
                _kb(v["fragments_bytes"]),
                _kb(v["static_bytes"]),
            ]
            for key, v in sizes.items()
        ]
        parts += [
            "",
            "## Bytes sent (headers and bodies, compressed as served; `Accept-Encoding: br, gzip`)",
            "",
            _table(["page", "first visit", "repeat visit", "HTML", "fragments", "CSS + JS"], rows),
            "",
            "Repeat visit: the static files have hashed names and a year-long immutable cache, so only "
            "the HTML (and the fragments the page loads) comes again.",
        ]
    pdf = results.get("pdf") or {}
    if pdf:
        rows = []
        for days, run in pdf.items():
            if run.get("available"):
                rows.append(
                    [
                        f"{days} days",
                        _fmt(run["cold_s"], " s"),
                        _fmt(run["warm_s"], " s"),
                        f"{run['peak_rss_mb']:.0f} MB",
                        _kb(run["bytes"]),
                    ]
                )
            else:
                rows.append([f"{days} days", run.get("reason", "not available yet"), "", "", ""])
        parts += [
            "",
            "## Clinic PDF (fresh process per period)",
            "",
            _table(["period", "cold", "warm (median)", "peak memory (RSS)", "size"], rows),
        ]
    load = results.get("load") or {}
    if load:
        if "errors" in load:
            parts += [
                "",
                f"## Load test ({load['people']} people, {load['seconds']} s, gunicorn 2 sync workers, PostgreSQL)",
                "",
                _table(
                    ["saves/s", "saves", "errors", "lost writes", "p50 ms", "p95 ms", "p99 ms"],
                    [
                        [
                            f"{load['saves_per_s']:.0f}",
                            str(load["saves"]),
                            str(load["errors"]),
                            str(load["lost_writes"]),
                            f"{load['p50_ms']:.0f}",
                            f"{load['p95_ms']:.0f}",
                            f"{load['p99_ms']:.0f}",
                        ]
                    ],
                ),
            ]
        else:
            parts += ["", "## Load test", "", load.get("reason", "not run")]
    notes = results.get("notes") or []
    if notes:
        parts += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(parts) + "\n"


def write(results: dict[str, Any], directory: Path, stem: str = "results") -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    results = {**results, "targets": targets(results)}
    md, js = directory / f"{stem}.md", directory / f"{stem}.json"
    md.write_text(markdown(results))
    js.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return md, js


README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def quote_in_readme(readme: Path, results: dict[str, Any]) -> bool:
    """Replace the table between the README's bench markers (if it has them) with the latest targets."""
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    _old, tail = rest.split(README_END, 1)
    meta = results.get("meta", {})
    block = f"\n_Latest `make bench` ({meta.get('when', '?')}, {meta.get('database', '?')}):_\n\n"
    readme.write_text(head + README_START + block + targets_table(results) + "\n" + README_END + tail)
    return True
