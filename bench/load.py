"""The load test: simulated people logging ratings and doses at once against gunicorn on PostgreSQL.

Run by ``bench.run`` in its own process (the database differs from the rest of the
benchmark): ``python -m bench.load --out FILE [--create-db] [--build]`` with the
environment ``bench.serve.server_env`` gives. Each person is the owner of one tap
diary and, as fast as the server answers, rates empty items of the days before
the diary's month (each cell once) and marks open "Benchmark drops" slots taken
(each slot once, a fresh token each time), three ratings to one dose. Afterwards
every acknowledged save is looked up in the database: a rating must hold the
value sent, a dose must exist under the token sent, for the slot sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import resource
import statistics
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PEOPLE = 64
SECONDS = 60.0
RATING_SHARE = 0.75
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lems_bench"


def create_database(url: str) -> None:
    """Drop and create the benchmark's own PostgreSQL database (only one named lems_bench)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if name != "lems_bench":
        raise ValueError(f"Refusing to drop a database not named lems_bench: {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Tally:
    ratings: list[tuple[int, dt.date, str, int]] = field(default_factory=list)
    doses: list[tuple[int, str, dt.datetime]] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(text)


def _open_work(ref: Any) -> tuple[Iterator[tuple[dt.date, str]], Iterator[dt.datetime]]:
    """The person's empty rating cells and open dose slots, skipping what an earlier run logged."""
    from bench import data
    from diary.models import DayEntry, DoseLog

    rated = set(DayEntry.objects.filter(diary_id=ref.diary_id, date__lt=ref.first_day).values_list("date", flat=True))
    taken = set(DoseLog.objects.filter(medication_id=ref.tap_medication_id).values_list("scheduled_for", flat=True))
    cells = ((day, item) for day, item in data.rating_cells(ref) if day not in rated)
    slots = (slot for slot in data.tap_slots(ref) if slot not in taken)
    return cells, slots


def _person(
    *,
    ref: Any,
    work: tuple[Iterator[tuple[dt.date, str]], Iterator[dt.datetime]],
    session: Any,
    server: Any,
    deadline: float,
    seed: int,
    tally: Tally,
    start: threading.Event,
) -> None:
    from django.urls import reverse

    from bench import data
    from bench.serve import request

    rng = random.Random(seed)
    choices = dict(data.rating_choices())
    cells, slots = work
    take = reverse("diary:dose_take", args=[ref.diary_id])
    start.wait()
    while time.monotonic() < deadline:
        began = time.perf_counter()
        try:
            if rng.random() < RATING_SHARE:
                day, item = next(cells)
                value = rng.choice(choices[item])
                path = reverse("diary:day_field", args=[ref.diary_id, day.isoformat(), item])
                status, _headers, body = request(
                    server, session, "POST", path, f"{item}={value}", headers={"HX-Request": "true"}
                )
                if status == 200 and b'class="saved"' in body:
                    tally.ratings.append((ref.diary_id, day, item, value))
                else:
                    tally.error(f"rating {path}: {status} {body[:120]!r}")
            else:
                slot = next(slots)
                token = str(uuid.uuid4())
                body_text = urllib.parse.urlencode(
                    {"medication": ref.tap_medication_id, "scheduled_for": slot.isoformat(), "token": token}
                )
                status, headers, body = request(server, session, "POST", take, body_text)
                where = headers.get("Location", "")
                if status == 302 and "/accounts/" not in where:
                    tally.doses.append((ref.diary_id, token, slot))
                else:
                    tally.error(f"dose: {status} {where} {body[:120]!r}")
        except (OSError, http.client.HTTPException) as exc:
            tally.error(f"{type(exc).__name__}: {exc}")
        tally.latencies_ms.append((time.perf_counter() - began) * 1000)


def verify(tallies: list[Tally]) -> dict[str, Any]:
    """Look every acknowledged save up in the database."""
    from diary.models import DayEntry, DoseLog, DoseStatus

    ratings = [r for t in tallies for r in t.ratings]
    doses = [d for t in tallies for d in t.doses]
    lost: list[str] = []
    diaries = {r[0] for r in ratings}
    fields = sorted({r[2] for r in ratings})
    stored: dict[tuple[int, dt.date], dict[str, Any]] = {}
    if ratings:
        oldest = min(r[1] for r in ratings)
        for row in DayEntry.objects.filter(diary_id__in=diaries, date__gte=oldest).values("diary_id", "date", *fields):
            stored[(row["diary_id"], row["date"])] = row
    for diary_id, day, item, value in ratings:
        row = stored.get((diary_id, day))
        if row is None or row[item] != value:
            lost.append(f"rating {diary_id} {day} {item}={value}: found {None if row is None else row[item]}")
    found: dict[str, dict[str, Any]] = {}
    tokens = [d[1] for d in doses]
    for offset in range(0, len(tokens), 2000):
        for row in DoseLog.objects.filter(client_token__in=tokens[offset : offset + 2000]).values(
            "client_token", "diary_id", "scheduled_for", "status"
        ):
            found[str(row["client_token"])] = row
    for diary_id, token, slot in doses:
        row = found.get(token)
        if (
            row is None
            or row["diary_id"] != diary_id
            or row["scheduled_for"] != slot
            or row["status"] not in (DoseStatus.TAKEN, DoseStatus.LATE)
        ):
            lost.append(f"dose {diary_id} {slot.isoformat()} token {token}: found {row}")
    return {
        "acknowledged_ratings": len(ratings),
        "acknowledged_doses": len(doses),
        "lost_writes": len(lost),
        "lost_samples": lost[:5],
    }


def run_load(*, bench: Any, people: int, seconds: float, secret_key: str, database_url: str) -> dict[str, Any]:
    from bench import serve

    refs = list(bench.taps)[:people]
    if len(refs) < people:
        raise RuntimeError(f"only {len(refs)} tap diaries; the load test needs {people}")
    sessions = [serve.sign_in(ref) for ref in refs]
    work = [_open_work(ref) for ref in refs]
    server = serve.start_gunicorn(name="load", env=serve.server_env(database_url=database_url, secret_key=secret_key))
    tallies = [Tally() for _ref in refs]
    try:
        start = threading.Event()
        began = time.monotonic()
        deadline = began + seconds
        threads = [
            threading.Thread(
                target=_person,
                kwargs={
                    "ref": ref,
                    "work": todo,
                    "session": session,
                    "server": server,
                    "deadline": deadline,
                    "seed": index,
                    "tally": tally,
                    "start": start,
                },
                daemon=True,
            )
            for index, (ref, todo, session, tally) in enumerate(zip(refs, work, sessions, tallies, strict=True))
        ]
        for thread in threads:
            thread.start()
        start.set()
        for thread in threads:
            thread.join(timeout=seconds + 120)
        elapsed = time.monotonic() - began
    finally:
        serve.stop_gunicorn(server)
    client_cpu = resource.getrusage(resource.RUSAGE_SELF)
    latencies = sorted(x for t in tallies for x in t.latencies_ms)
    checked = verify(tallies)
    saves = checked["acknowledged_ratings"] + checked["acknowledged_doses"]

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 1) if latencies else 0.0

    return {
        "people": people,
        "seconds": round(elapsed, 1),
        "database": "postgresql",
        "saves": saves,
        "saves_per_s": round(saves / elapsed, 1) if elapsed else 0.0,
        "errors": sum(t.errors for t in tallies),
        "error_samples": [s for t in tallies for s in t.error_samples][:5],
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "client_cpu_s": round(client_cpu.ru_utime + client_cpu.ru_stime, 1),
        **checked,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--create-db", action="store_true", help="drop and create lems_bench first")
    parser.add_argument("--build", action="store_true", help="migrate and build the benchmark diaries first")
    parser.add_argument("--small-count", type=int, default=None)
    parser.add_argument("--refs", type=Path, help="the diaries, as bench.run wrote them (without --build)")
    args = parser.parse_args()
    database_url = os.environ["DATABASE_URL"]
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if args.create_db:
        create_database(database_url)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command

    from bench import data

    if args.build:
        call_command("migrate", verbosity=0, interactive=False)
        timings["migrate_s"] = round(time.perf_counter() - started, 1)
        built = time.perf_counter()
        kwargs = {"small_count": args.small_count} if args.small_count else {}
        bench = data.build(tap_diaries=max(args.people, data.TAP_DIARIES), **kwargs)
        timings["build_s"] = round(time.perf_counter() - built, 1)
        args.out.with_name("load-refs.json").write_text(json.dumps(bench.to_json(), indent=1))
    else:
        bench = data.BenchData.from_json(json.loads(args.refs.read_text()))
    result = run_load(
        bench=bench,
        people=args.people,
        seconds=args.seconds,
        secret_key=os.environ["DJANGO_SECRET_KEY"],
        database_url=database_url,
    )
    result.update(timings)
    args.out.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
