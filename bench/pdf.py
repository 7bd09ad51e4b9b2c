"""The clinic PDF: time to make it for 90 days and for a year, in a cold process and warm, and peak memory.

The report is found, in this order:

1. the view that makes the PDF, URL ``diary:report_make`` (or ``diary:report_pdf``), asked with
   POST (GET if POST is not allowed) ``start=YYYY-MM-DD&end=YYYY-MM-DD&paper=a4``; it must
   answer ``application/pdf``. This is what a person waits for.
2. the functions ``diary.report.report_build(diary=, start=, end=, paper=)`` and
   ``diary.report.report_pdf(report) -> bytes``, or one ``render_pdf(*, diary, start, end) -> bytes``.

Absent all of them, the step reports "not available yet" and the benchmark goes on.
Each period is timed in a fresh process: ``python -m bench.pdf --refs FILE --days N``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import importlib.util
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPORT_URLS = ("diary:report_make", "diary:report_pdf")
REPORT_MODULE = "diary.report"
NOT_AVAILABLE = "not available yet"


def _report_functions() -> tuple[str, Callable[..., bytes]] | None:
    """The report module's own way to make the PDF, as one callable (diary, start, end) -> bytes."""
    if importlib.util.find_spec(REPORT_MODULE) is None:
        return None
    module = importlib.import_module(REPORT_MODULE)
    build, pdf = getattr(module, "report_build", None), getattr(module, "report_pdf", None)
    if callable(build) and callable(pdf):

        def both(*, diary: Any, start: dt.date, end: dt.date) -> bytes:
            return pdf(build(diary=diary, start=start, end=end, paper="a4"))

        return f"{REPORT_MODULE}.report_pdf(report_build(...))", both
    render = getattr(module, "render_pdf", None)
    if callable(render):
        return f"{REPORT_MODULE}.render_pdf()", render
    return None


def _report_url(diary_id: int) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in REPORT_URLS:
        with contextlib.suppress(NoReverseMatch):
            return reverse(name, args=[diary_id])
    return None


def find_report(diary_id: int) -> str | None:
    """How the report will be made (its view, or its functions), or None while there is none."""
    url = _report_url(diary_id)
    if url:
        return f"POST {url}"
    found = _report_functions()
    return found[0] if found else None


def renderer(ref: Any) -> Callable[[dt.date, dt.date], bytes]:
    """A callable making the PDF of one period of the diary, the way the app makes it."""
    url = _report_url(ref.diary_id)
    if url:
        from bench.measure import signed_in_client

        client = signed_in_client(ref)

        def by_url(start: dt.date, end: dt.date) -> bytes:
            params = {"start": start.isoformat(), "end": end.isoformat(), "paper": "a4"}
            response = client.post(url, params)
            if response.status_code == 405:
                response = client.get(url, params)
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or "pdf" not in content_type:
                raise RuntimeError(f"{url} answered {response.status_code} {content_type}")
            return b"".join(response.streaming_content) if response.streaming else response.content

        return by_url
    found = _report_functions()
    if found is None:
        raise LookupError(NOT_AVAILABLE)
    from diary.models import Diary

    diary = Diary.objects.get(pk=ref.diary_id)
    name, function = found

    def by_function(start: dt.date, end: dt.date) -> bytes:
        result = function(diary=diary, start=start, end=end)
        if not isinstance(result, bytes | bytearray) or bytes(result[:5]) != b"%PDF-":
            raise RuntimeError(f"{name} did not return PDF bytes")
        return bytes(result)

    return by_function


def probe(*, ref: Any, today: dt.date, days: int, repeat: int, process_started: float) -> dict[str, Any]:
    """Cold: the first PDF of a fresh process. Warm: the median of the next ``repeat``."""
    how = find_report(ref.diary_id)
    if how is None:
        return {"available": False, "reason": NOT_AVAILABLE}
    make = renderer(ref)
    start, end = today - dt.timedelta(days=days - 1), today
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began = time.perf_counter()
    pdf = make(start, end)
    cold = time.perf_counter() - began
    warm = []
    for _n in range(repeat):
        began = time.perf_counter()
        make(start, end)
        warm.append(time.perf_counter() - began)
    return {
        "available": True,
        "how": how,
        "days": days,
        "bytes": len(pdf),
        "cold_s": round(cold, 3),
        "cold_with_start_s": round(time.perf_counter() - process_started - sum(warm), 3),
        "warm_s": round(statistics.median(warm), 3),
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    process_started = time.perf_counter()
    parser = argparse.ArgumentParser(description="Time the clinic PDF of the benchmark's big diary.")
    parser.add_argument("--refs", type=Path, required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from bench.data import BenchData

    bench = BenchData.from_json(json.loads(args.refs.read_text()))
    try:
        result = probe(
            ref=bench.big, today=bench.today, days=args.days, repeat=args.repeat, process_started=process_started
        )
    except Exception as exc:  # a report under construction may fail: say how, do not stop the benchmark
        result = {"available": False, "reason": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write("PDF " + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
