"""In-process measurements: SQL queries and server time per page, and bytes sent per visit.

These need neither gunicorn nor wrk, so the smoke test (tests/test_bench_smoke.py)
runs them on a tiny diary and they cannot rot.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from bench.data import DiaryRef

#: Pages measured: key -> label (the order of every table).
PAGES: dict[str, str] = {
    "today": "Today (unchanged since it was last opened: its cached parts)",
    "today_changed": "Today, right after a change (made afresh)",
    "tips": "Today's tips (loaded after the page; unchanged: from the cache)",
    "tips_changed": "Today's tips, right after a change (made afresh)",
    "history": "History",
    "day": "A past day's timeline",
    "trends_3m": "Trends, 3 months",
    "trends_all": "Trends, all (3 years)",
}
#: Saves measured: key -> label.
SAVES: dict[str, str] = {"rating_save": "Rating save (htmx)"}
#: The past day whose timeline is measured: a week ago.
DAY_BACK = 7
#: The rating a measured save writes (an item that raises no red flag).
SAVE_FIELD, SAVE_VALUES = "fatigue", (3, 4)
ACCEPT_ENCODING = "br, gzip"


def page_paths(ref: DiaryRef, today: dt.date) -> dict[str, str]:
    pk = ref.diary_id
    trends = reverse("diary:trends", args=[pk])
    return {
        "today": reverse("diary:today", args=[pk]),
        "today_changed": reverse("diary:today", args=[pk]),
        "tips": reverse("diary:tips", args=[pk]),
        "tips_changed": reverse("diary:tips", args=[pk]),
        "history": reverse("diary:history", args=[pk]),
        "day": reverse("diary:day", args=[pk, (today - dt.timedelta(days=DAY_BACK)).isoformat()]),
        "trends_3m": f"{trends}?period=3m",
        "trends_all": f"{trends}?period=all",
    }


def rating_save_path(ref: DiaryRef, today: dt.date, field_name: str = SAVE_FIELD) -> str:
    return reverse("diary:day_field", args=[ref.diary_id, today.isoformat(), field_name])


def signed_in_client(ref: DiaryRef) -> Client:
    client = Client(secure=True)
    client.force_login(User.objects.get(pk=ref.user_id))
    return client


def _get(client: Client, path: str, key: str) -> Any:
    # As a browser asks: compressed (the server's gzip work is part of its time).
    headers = {"Accept-Encoding": "gzip", **({"HX-Request": "true"} if key.startswith("tips") else {})}
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not 200")
    return response


def _save(client: Client, ref: DiaryRef, today: dt.date, value: int) -> Any:
    response = client.post(rating_save_path(ref, today), {SAVE_FIELD: value}, headers={"HX-Request": "true"})
    if response.status_code != 200 or b'class="saved"' not in response.content:
        raise RuntimeError(f"the rating save answered {response.status_code}")
    return response


def _requests(client: Client, ref: DiaryRef, today: dt.date) -> dict[str, Callable[[], Any]]:
    """Each measured request as a callable (GET pages, then the htmx rating save)."""
    calls: dict[str, Callable[[], Any]] = {
        key: (lambda path=path, key=key: _get(client, path, key)) for key, path in page_paths(ref, today).items()
    }
    flip = iter(SAVE_VALUES * 10_000)
    calls["rating_save"] = lambda: _save(client, ref, today, next(flip))
    return calls


def _preparations(ref: DiaryRef) -> dict[str, Callable[[], None]]:
    """What runs before a request, outside its time and its query count."""
    from diary.services import diary_touch

    # A change (a tap, another person's entry) makes Today's cached parts afresh.
    return {key: (lambda: diary_touch(ref.diary_id)) for key in ("today_changed", "tips_changed")}


def _no_preparation() -> None:
    return None


def query_counts(ref: DiaryRef, today: dt.date) -> dict[str, int]:
    """SQL queries per request (warm: each request made once before it is counted)."""
    client = signed_in_client(ref)
    prepare = _preparations(ref)
    counts = {}
    for key, call in _requests(client, ref, today).items():
        call()
        prepare.get(key, _no_preparation)()
        with CaptureQueriesContext(connection) as captured:
            call()
        counts[key] = len(captured.captured_queries)
    return counts


def server_times(ref: DiaryRef, today: dt.date, *, repeat: int = 5) -> dict[str, dict[str, float]]:
    """Milliseconds per request in-process (Django test client, warm), median and best of ``repeat``."""
    return server_times_of({"one": ref}, today, repeat=repeat)["one"]


def server_times_of(
    refs: dict[str, DiaryRef], today: dt.date, *, repeat: int = 5
) -> dict[str, dict[str, dict[str, float]]]:
    """Server time of every request for several diaries, interleaved: round after round, each page
    of each diary once, so a neighbour loading the machine for a while slows them all alike. The
    pages go first and the saves after them (a save changes the day, which Today may cache)."""
    calls = {name: _requests(signed_in_client(ref), ref, today) for name, ref in refs.items()}
    prepare = {name: _preparations(ref) for name, ref in refs.items()}
    samples: dict[str, dict[str, list[float]]] = {name: {key: [] for key in calls[name]} for name in calls}
    for name in calls:
        for call in calls[name].values():
            call()  # warm: the first request of a kind compiles templates and imports modules
    for group in ([k for k in PAGES], [k for k in SAVES]):
        for _n in range(repeat):
            for key in group:
                for name, requests in calls.items():
                    if key in prepare[name]:
                        prepare[name][key]()
                    else:
                        # As in query_counts: the same request once first, so that a change made
                        # for another row (a "right after a change" row) does not count here.
                        requests[key]()
                    started = time.perf_counter()
                    requests[key]()
                    samples[name][key].append((time.perf_counter() - started) * 1000)
    return {
        name: {
            key: {"median_ms": round(statistics.median(values), 1), "best_ms": round(min(values), 1)}
            for key, values in per_key.items()
        }
        for name, per_key in samples.items()
    }


# --- bytes sent ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    status: int
    header_bytes: int
    body_bytes: int
    body: bytes
    headers: dict[str, str]


#: fetch(path, headers) -> what came back, with sizes as sent on the wire.
Fetcher = Callable[[str, dict[str, str]], Fetched]


class _Assets(HTMLParser):
    """The static files a page makes the browser fetch, and the fragments it loads itself (htmx)."""

    def __init__(self) -> None:
        super().__init__()
        self.static: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        url = ""
        if tag == "link" and {"stylesheet", "icon", "preload", "modulepreload"} & set(a.get("rel", "").split()):
            url = a.get("href", "")
        elif tag in {"script", "img"}:
            url = a.get("src", "")
        if url and not url.startswith(("data:", "http:", "https:", "//")):
            self.static.append(url)
        if a.get("hx-get") and re.search(r"\bload\b", a.get("hx-trigger", "")):
            self.loads.append(a["hx-get"])


@dataclass
class Visit:
    page: str
    html_bytes: int = 0
    fragments_bytes: int = 0
    static_bytes: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.html_bytes + self.fragments_bytes + self.static_bytes

    @property
    def repeat(self) -> int:
        """Static files have hashed names and a year-long immutable cache: only HTML comes again."""
        return self.html_bytes + self.fragments_bytes

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "first_visit_bytes": self.first,
            "repeat_visit_bytes": self.repeat,
            "html_bytes": self.html_bytes,
            "fragments_bytes": self.fragments_bytes,
            "static_bytes": self.static_bytes,
            "files": self.files,
        }


def visit_bytes(fetch: Fetcher, path: str) -> Visit:
    """Bytes sent (headers and body, compressed as served) for a page, its fragments and static files."""
    headers = {"Accept-Encoding": ACCEPT_ENCODING}
    page = fetch(path, headers)
    if page.status != 200:
        raise RuntimeError(f"GET {path} answered {page.status}")
    visit = Visit(page=path, html_bytes=page.header_bytes + page.body_bytes)
    visit.files.append(_file_row(path, "html", page))
    parser = _Assets()
    parser.feed(page.body.decode("utf-8", "replace"))
    for url in parser.loads:
        fragment = fetch(url, {**headers, "HX-Request": "true"})
        visit.fragments_bytes += fragment.header_bytes + fragment.body_bytes
        visit.files.append(_file_row(url, "fragment", fragment))
    for url in dict.fromkeys(parser.static):
        asset = fetch(url, headers)
        if asset.status != 200:
            raise RuntimeError(f"GET {url} answered {asset.status}")
        visit.static_bytes += asset.header_bytes + asset.body_bytes
        visit.files.append(_file_row(url, "static", asset))
    return visit


def _file_row(url: str, kind: str, fetched: Fetched) -> dict[str, Any]:
    lowered = {k.lower(): v for k, v in fetched.headers.items()}
    return {
        "url": url,
        "kind": kind,
        "bytes": fetched.header_bytes + fetched.body_bytes,
        "body_bytes": fetched.body_bytes,
        "encoding": lowered.get("content-encoding", "identity"),
        "cache_control": lowered.get("cache-control", ""),
    }


def decoded(body: bytes, encoding: str) -> bytes:
    """The body as the browser reads it (the size counted is the one on the wire)."""
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return bytes(brotli.decompress(body))
    return body


def client_fetcher(client: Client) -> Fetcher:
    """Fetch through the Django test client. Static files served uncompressed or not at all (not
    collected, as in the test settings) are found with the static finders and compressed here, as
    WhiteNoise's compressed storage does at collectstatic."""

    def fetch(path: str, headers: dict[str, str]) -> Fetched:
        response = client.get(path, headers=headers)
        static = path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        if static and (response.status_code == 404 or not response.has_header("Content-Encoding")):
            return _compressed_static(path, headers)
        wire = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
        head = [f"HTTP/1.1 {response.status_code} {response.reason_phrase}"]
        head += [f"{name}: {value}" for name, value in response.items()]
        head += [morsel.output(header="Set-Cookie:") for morsel in response.cookies.values()]
        header_bytes = len(("\r\n".join(head) + "\r\n\r\n").encode())
        body = decoded(wire, response.get("Content-Encoding", ""))
        return Fetched(response.status_code, header_bytes, len(wire), body, dict(response.items()))

    return fetch


def _compressed_static(path: str, headers: dict[str, str]) -> Fetched:
    from django.contrib.staticfiles import finders

    relative = path[len("/" + settings.STATIC_URL.lstrip("/")) :]
    found = finders.find(relative)
    if not found:
        return Fetched(404, 0, 0, b"", {})
    accepted = headers.get("Accept-Encoding", "")
    ready = Path(settings.STATIC_ROOT or "nowhere") / f"{relative}.br"
    if "br" in accepted and ready.exists() and ready.stat().st_mtime >= Path(found).stat().st_mtime:
        body = ready.read_bytes()  # what collectstatic made for WhiteNoise, the same compression
        return Fetched(200, 0, len(body), body, {"Content-Encoding": "br", "X-Bench": "collected .br"})
    encoding, body = _compress(str(found), accepted)
    return Fetched(200, 0, len(body), body, {"Content-Encoding": encoding, "X-Bench": "compressed in-process"})


@functools.lru_cache(maxsize=64)
def _compress(found: str, accepted: str) -> tuple[str, bytes]:
    with open(found, "rb") as handle:
        raw = handle.read()
    encoding, body = "identity", raw
    try:
        import brotli

        if "br" in accepted:
            encoding, body = "br", brotli.compress(raw)
    except ImportError:  # pragma: no cover - whitenoise[brotli] is in requirements.txt
        pass
    if encoding == "identity" and "gzip" in accepted:
        encoding, body = "gzip", gzip.compress(raw, compresslevel=9)
    return encoding, body


# --- all of the above, as the smoke test and bench.run use them ----------------------------------

BYTES_PAGES = ("today", "trends_3m", "trends_all")


def page_bytes(
    fetch: Fetcher, ref: DiaryRef, today: dt.date, pages: tuple[str, ...] = BYTES_PAGES
) -> dict[str, dict[str, Any]]:
    paths = page_paths(ref, today)
    return {key: visit_bytes(fetch, paths[key]).as_dict() for key in pages}


def python_side(
    bench: Any, *, repeat: int = 5, with_bytes: bool = True, bytes_pages: tuple[str, ...] = BYTES_PAGES
) -> dict[str, Any]:
    """Queries and server time for the month diary and the big one, and (in-process) bytes per visit."""
    queries = {"month": query_counts(bench.month, bench.today), "big": query_counts(bench.big, bench.today)}
    result: dict[str, Any] = {
        "queries": queries,
        "queries_equal": queries["month"] == queries["big"],
        "server_ms": server_times_of({"month": bench.month, "big": bench.big}, bench.today, repeat=repeat),
    }
    if with_bytes:
        fetch = client_fetcher(signed_in_client(bench.big))
        result["bytes"] = page_bytes(fetch, bench.big, bench.today, bytes_pages)
    return result
