"""`make bench`: build the benchmark database, measure, and write bench/results.md and .json.

    .venv/bin/python -m bench.run              # everything (about six minutes)
    .venv/bin/python -m bench.run --smoke      # tiny diary, Python-side measurements only (seconds)

SQLite file var/bench/bench.sqlite3 by default; PostgreSQL when DATABASE_URL is set
(bench data are the users at @bench.invalid: an earlier build's are removed first).
The load test always runs on PostgreSQL: DATABASE_URL when it is PostgreSQL, else its
own database lems_bench on the local server, dropped and built afresh.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var" / "bench"
RESULTS_DIR = BASE_DIR / "bench"
SQLITE_FILE = VAR / "bench.sqlite3"
SMOKE_FILE = VAR / "smoke.sqlite3"
LOAD_URL = "postgres://postgres@127.0.0.1:5432/lems_bench"
#: Slots of the first tap diary's "Benchmark drops" (oldest first) used by the warm-up, the check and wrk.
DOSE_WARMUP, DOSE_CHECK, DOSE_MAIN = slice(0, 2000), 2000, slice(2001, 14000)


def say(text: str) -> None:
    print(text, flush=True)


@contextlib.contextmanager
def step(name: str, timings: dict[str, float]) -> Iterator[None]:
    say(f"== {name}")
    began = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = round(time.perf_counter() - began, 1)
        say(f"   {name}: {timings[name]} s")


def is_postgres(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in {"postgres", "postgresql", "pgsql", "postgis"}


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def prepare(*, smoke: bool) -> tuple[str, str]:
    """Set this process's environment (before Django starts) and return (database URL, secret key)."""
    VAR.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(50)
    given = os.environ.get("DATABASE_URL", "")
    if smoke:
        url = f"sqlite:///{SMOKE_FILE}"
    else:
        url = given or f"sqlite:///{SQLITE_FILE}"
        # The pages are measured in-process with the production settings gunicorn gets (and the
        # same key, so the sessions made here are valid there); "testserver" is the test client.
        os.environ.update(
            DJANGO_ENV="production",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
            DJANGO_SECURE_SSL_REDIRECT="false",
        )
        os.environ.pop("DJANGO_DEBUG", None)
    os.environ.update(DATABASE_URL=url, DJANGO_SECRET_KEY=secret, DJANGO_SETTINGS_MODULE="config.settings")
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return url, secret


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speed, size and load of the diary against this machine's ceiling.")
    parser.add_argument("--smoke", action="store_true", help="tiny diary, Python-side measurements only")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each wrk run")
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--people", type=int, default=64)
    parser.add_argument("--skip-wrk", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--no-readme", action="store_true", help="do not quote the table in README.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    url, secret = prepare(smoke=args.smoke)
    timings: dict[str, float] = {}
    results: dict[str, Any] = {
        "meta": {
            "command": "python -m bench.run" + (" --smoke" if args.smoke else ""),
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "database": "postgresql" if is_postgres(url) else "sqlite",
            "connections": 16,
            "wrk_seconds": args.seconds,
            "smoke": args.smoke,
        },
        "timings_s": timings,
        "notes": [],
    }
    env = dict(os.environ)
    with step("migrate", timings):
        manage("migrate", "--noinput", "--verbosity", "0", env=env)

    import django

    django.setup()
    from bench import data, measure

    if not args.smoke:
        with step("collectstatic (when a static file changed)", timings):
            results["meta"]["collectstatic"] = _collectstatic()

    with step("build", timings):
        bench = data.build(**data.SMOKE_BUILD) if args.smoke else data.build()
    refs_file = VAR / ("smoke-refs.json" if args.smoke else "refs.json")
    refs_file.write_text(json.dumps(bench.to_json(), indent=1))
    results["build"] = {
        "big_diary_days": bench.big.days,
        "month_diaries": len(bench.small),
        "tap_diaries": len(bench.taps),
        "seconds": timings["build"],
    }
    with step("queries and server time (in-process)", timings):
        side = measure.python_side(bench, repeat=3 if args.smoke else 5, with_bytes=args.smoke)
    results.update(side)
    if args.smoke:
        md, js = _finish(results, started, VAR, "smoke-results")
        say(md.read_text())
        ok = side["queries_equal"] and all(v["first_visit_bytes"] > 0 for v in side["bytes"].values())
        return 0 if ok else 1

    # A phase that fails is reported in the results; the others still run.
    with _reported(results, "serving and wrk"):
        _serve_and_measure(results, bench, url, secret, args, timings)
    if not args.skip_pdf:
        with step("clinic PDF", timings), _reported(results, "clinic PDF"):
            results["pdf"] = _pdf(refs_file)
    if not args.skip_load:
        with step("load test", timings), _reported(results, "load test"):
            results["load"] = _load(url, secret, refs_file, args)
    md, _js = _finish(results, started, RESULTS_DIR, "results")
    if not args.no_readme:
        from bench.results import quote_in_readme

        quote_in_readme(BASE_DIR / "README.md", results)
    say(md.read_text())
    say(f"Whole run: {timings.get('total', 0)} s")
    return 0


@contextlib.contextmanager
def _reported(results: dict[str, Any], phase: str) -> Iterator[None]:
    try:
        yield
    except Exception as exc:  # the benchmark reports a broken phase instead of losing the others
        say(f"   {phase} failed: {type(exc).__name__}: {exc}")
        results["notes"].append(f"{phase} failed: {type(exc).__name__}: {exc}")


def _collectstatic() -> str:
    """Collect (hash and compress) the static files, unless the manifest is newer than all of them."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(
        (os.path.getmtime(storage.path(path)) for finder in get_finders() for path, storage in finder.list([])),
        default=0.0,
    )
    if manifest.exists() and manifest.stat().st_mtime > newest:
        return "up to date"
    call_command("collectstatic", interactive=False, verbosity=0)
    return "collected"


def _finish(results: dict[str, Any], started: float, directory: Path, stem: str) -> tuple[Path, Path]:
    from bench.results import write

    results["timings_s"]["total"] = round(time.perf_counter() - started, 1)
    return write(results, directory, stem)


# --- gunicorn, bytes and wrk ----------------------------------------------------------------------

#: The rating save's further wrk runs (the first is "rating_save"): its targets take their median.
SAVE_REPEATS = ("rating_save_run2", "rating_save_run3")


def _serve_and_measure(
    results: dict[str, Any], bench: Any, url: str, secret: str, args: argparse.Namespace, timings: dict[str, float]
) -> None:
    from bench import data, measure, serve
    from diary.models import DoseLog

    app_env = serve.server_env(database_url=url, secret_key=secret)
    hello_env = serve.server_env(database_url=url, secret_key=secret, settings_module="bench.hello_settings")
    for stale in VAR.glob("wrk-*.lua"):  # the last run's scripts (they hold its throwaway sessions)
        stale.unlink()
    with step("gunicorn start", timings):
        app = serve.start_gunicorn(name="app", env=app_env)
        hello = serve.start_gunicorn(name="hello", env=hello_env)
    try:
        big = serve.sign_in(bench.big)
        tap_ref = bench.taps[0]
        tap = serve.sign_in(tap_ref)
        with step("bytes sent (through gunicorn)", timings):
            results["bytes"] = measure.page_bytes(serve.http_fetcher(app, big), bench.big, bench.today)
        if args.skip_wrk or not serve.wrk_available():
            results["notes"].append(
                "wrk was skipped." if args.skip_wrk else "wrk is not installed (apt-get install -y wrk)."
            )
            return
        paths = measure.page_paths(bench.big, bench.today)
        slots = [s.isoformat() for s in reversed(list(data.tap_slots(tap_ref)))]
        take = f"/d/{tap_ref.diary_id}/doses/take/"
        taps = [
            (measure.rating_save_path(bench.big, bench.today, field), f"{field}={value}")
            for field, values in data.rating_choices()
            for value in values
        ]
        _preflight(app, hello, big, tap, paths, taps[0], take, tap_ref, slots[DOSE_CHECK])
        runs: dict[str, Any] = {}
        dose_rows: dict[str, int] = {}

        def script(key: str, session: Any, server: Any, part: slice | None = None) -> str:
            headers = session.headers(server.origin)
            seed = serve.new_seed()
            if key == "rating_save":
                return serve.lua_rating(headers, paths_and_bodies=taps, seed=seed)
            if key == "dose_take":
                return serve.lua_dose(
                    headers,
                    path=take,
                    medication_id=tap_ref.tap_medication_id,
                    slots=slots[part or DOSE_MAIN],
                    threads=serve.WRK_THREADS,
                    seed=seed,
                )
            # Pages are asked for as a browser asks (compressed), so the server's gzip work counts too.
            return serve.lua_get({**headers, "Accept-Encoding": "gzip, br"}, seed=seed)

        pages = [
            ("today", app, big, paths["today"]),
            ("history", app, big, paths["history"]),
            ("day", app, big, paths["day"]),
            ("trends_3m", app, big, paths["trends_3m"]),
            ("trends_all", app, big, paths["trends_all"]),
            ("rating_save", app, big, paths["today"]),
            ("dose_take", app, tap, take),
            # The save's targets are the tightest: two more runs, each between its own hello-world runs.
            *((key, app, big, paths["today"]) for key in SAVE_REPEATS),
        ]
        # hello world before and after every measured request: the ceiling is taken next to each
        # figure, so a neighbour that loads the machine for a while moves both alike.
        plan: list[tuple[str, Any, Any, str]] = [("hello_0", hello, big, "/hello/")]
        for number, page in enumerate(pages, start=1):
            plan += [page, (f"hello_{number}", hello, big, "/hello/")]
        with step(f"wrk ({len(plan)} runs of {args.seconds:g} s, each after a 1 s warm-up)", timings):
            for key, server, session, path in plan:
                kind = "hello" if key.startswith("hello") else "rating_save" if key in SAVE_REPEATS else key
                waited = serve.drain(app) + serve.drain(hello)
                serve.run_wrk(
                    name=f"{key}-warmup",
                    server=server,
                    path=path,
                    script=script(kind, session, server, DOSE_WARMUP),
                    seconds=1,
                    connections=2,
                )
                waited += serve.drain(server)
                before = DoseLog.objects.filter(medication_id=tap_ref.tap_medication_id).count()
                runs[key] = serve.run_wrk(
                    name=key, server=server, path=path, script=script(kind, session, server), seconds=args.seconds
                )
                runs[key]["load_average"] = round(os.getloadavg()[0], 2)
                runs[key]["waited_for_idle_s"] = waited
                if key == "dose_take":
                    dose_rows["added"] = (
                        DoseLog.objects.filter(medication_id=tap_ref.tap_medication_id).count() - before
                    )
                say(
                    f"   {key:12s} {runs[key]['rps']:8.1f} req/s  p50 {runs[key]['p50_ms']:7.1f} ms  "
                    f"p95 {runs[key]['p95_ms']:7.1f} ms  p99 {runs[key]['p99_ms']:7.1f} ms  "
                    f"errors {runs[key]['errors']}  (load average {runs[key]['load_average']})"
                )
        hellos = [runs[f"hello_{n}"] for n in range(len(pages) + 1)]
        for number, (key, *_rest) in enumerate(pages):
            ceiling = statistics.fmean([hellos[number]["rps"], hellos[number + 1]["rps"]])
            runs[key]["hello_rps"] = round(ceiling, 1)
            runs[key]["ratio"] = round(runs[key]["rps"] / ceiling, 3) if ceiling else 0.0
        saves = [runs[key] for key in ("rating_save", *SAVE_REPEATS)]
        runs["rating_save"]["runs"] = [
            {"ratio": run["ratio"], "rps": run["rps"], "p95_ms": run["p95_ms"]} for run in saves
        ]
        runs["rating_save"]["median_ratio"] = statistics.median(run["ratio"] for run in saves)
        runs["rating_save"]["median_p95_ms"] = statistics.median(run["p95_ms"] for run in saves)
        summary = {
            "rps": round(statistics.fmean(h["rps"] for h in hellos), 1),
            "rps_min": min(h["rps"] for h in hellos),
            "rps_max": max(h["rps"] for h in hellos),
            "runs": len(hellos),
            "ratio": 1.0,
        }
        for field in ("p50_ms", "p95_ms", "p99_ms"):
            summary[field] = round(statistics.median(h[field] for h in hellos), 2)
        summary["errors"] = sum(h["errors"] for h in hellos)
        runs["hello"] = summary
        if dose_rows:
            acknowledged = runs["dose_take"]["requests"] - runs["dose_take"]["errors"]
            runs["dose_take"]["rows_added"] = dose_rows["added"]
            runs["dose_take"]["acknowledged"] = acknowledged
            results["wrk_notes"] = (
                f"Dose marked taken: {dose_rows['added']} dose rows added for {acknowledged} acknowledged "
                "answers (wrk leaves up to 16 requests unanswered at the end). "
                "Each POST is the one-tap form of Today for a slot not yet logged ("
                f"\u201c{data.TAP_NAME}\u201d, 12 slots a day, stopped before the diary's month) with a "
                "fresh token. The rating save cycles through every item and value of the 3-year diary's today."
            )
        with step("wrk: rating save at 2 connections (one per worker: service time, no queue)", timings):
            serve.drain(app)
            runs["rating_save_2c"] = serve.run_wrk(
                name="rating_save_2c",
                server=app,
                path=paths["today"],
                script=script("rating_save", big, app),
                seconds=args.seconds,
                connections=2,
            )
            runs["rating_save_2c"]["ratio"] = round(runs["rating_save_2c"]["rps"] / summary["rps"], 3)
        # Little's law: 16 connections kept busy wait on average 16 / throughput, whatever the code does.
        results["notes"].append(
            f"At 16 connections every request waits on average 16 ÷ throughput: hello world itself answers "
            f"with p95 {summary['p95_ms']:.0f} ms there. A p95 of 25 ms at 16 connections needs a mean under "
            f"25 ms, so well over {16 / 0.025:.0f} req/s ({16 / 0.025 / summary['rps']:.2f} × hello world's "
            f"{summary['rps']:.0f} in this run); the rating save at 2 "
            f"connections (one per worker, no queue) shows its own time: p50 "
            f"{runs['rating_save_2c']['p50_ms']:.1f} ms, p95 {runs['rating_save_2c']['p95_ms']:.1f} ms."
        )
        results["wrk"] = runs
        for key, *_rest in pages:
            say(f"   {key:12s} {runs[key]['ratio']:.2f} × hello-world ({runs[key]['hello_rps']} req/s next to it)")
    finally:
        serve.stop_gunicorn(app)
        serve.stop_gunicorn(hello)


def _preflight(
    app: Any,
    hello: Any,
    big: Any,
    tap: Any,
    paths: dict[str, str],
    rating: tuple[str, str],
    take: str,
    tap_ref: Any,
    slot: str,
) -> None:
    """One request of each kind before wrk: a wrong cookie or CSRF header must fail here, loudly."""
    from bench import serve

    status, _h, body = serve.request(hello, big, "GET", "/hello/")
    if status != 200 or body != b"hello world":
        raise RuntimeError(f"hello world answered {status} {body[:80]!r}")
    for key, path in paths.items():
        status, headers, _b = serve.request(
            app, big, "GET", path, headers={"HX-Request": "true"} if key.startswith("tips") else {}
        )
        if status != 200:
            raise RuntimeError(f"{path} answered {status} {headers.get('Location', '')}")
    status, _h, body = serve.request(app, big, "POST", rating[0], rating[1], headers={"HX-Request": "true"})
    if status != 200 or b'class="saved"' not in body:
        raise RuntimeError(f"the rating save answered {status} {body[:200]!r}")
    body_text = urllib.parse.urlencode(
        {"medication": tap_ref.tap_medication_id, "scheduled_for": slot, "token": secrets.token_hex(16)}
    )
    status, headers, _b = serve.request(app, tap, "POST", take, body_text)
    if status != 302 or "/accounts/" in headers.get("Location", ""):
        raise RuntimeError(f"the dose tap answered {status} {headers.get('Location', '')}")


# --- PDF and load test, each in processes of their own ------------------------------------------


def _pdf(refs_file: Path) -> dict[str, Any]:
    from bench import pdf
    from bench.data import BenchData

    bench = BenchData.from_json(json.loads(refs_file.read_text()))
    how = pdf.find_report(bench.big.diary_id)
    if how is None:
        say(f"   clinic PDF: {pdf.NOT_AVAILABLE} (no URL {' or '.join(pdf.REPORT_URLS)}, no {pdf.REPORT_MODULE})")
        return {days: {"available": False, "reason": pdf.NOT_AVAILABLE} for days in ("90", "365")}
    out = {}
    for days in (90, 365):
        done = subprocess.run(
            [sys.executable, "-m", "bench.pdf", "--refs", str(refs_file), "--days", str(days), "--repeat", "2"],
            cwd=BASE_DIR,
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("PDF ")), None)
        out[str(days)] = (
            json.loads(line[4:]) if line else {"available": False, "reason": f"probe failed: {done.stderr[-300:]}"}
        )
        say(f"   {days} days: {out[str(days)]}")
    return out


def _load(url: str, secret: str, refs_file: Path, args: argparse.Namespace) -> dict[str, Any]:
    from bench import serve

    own_db = not is_postgres(url)
    load_url = LOAD_URL if own_db else url
    command = [
        sys.executable,
        "-m",
        "bench.load",
        "--out",
        str(VAR / "load.json"),
        "--people",
        str(args.people),
        "--seconds",
        str(args.load_seconds),
    ]
    # Its own database holds the 3-year diary and the 64 people's month diaries (not all 200).
    command += ["--create-db", "--build", "--small-count", str(args.people)] if own_db else ["--refs", str(refs_file)]
    (VAR / "load.json").unlink(missing_ok=True)
    done = subprocess.run(
        command,
        cwd=BASE_DIR,
        env=serve.server_env(database_url=load_url, secret_key=secret),
        capture_output=True,
        text=True,
        timeout=args.load_seconds + 400,
        check=False,
    )
    if done.returncode != 0 or not (VAR / "load.json").exists():
        reason = f"load test failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}"
        say(f"   {reason}")
        return {"reason": reason}
    result = json.loads((VAR / "load.json").read_text())
    say(
        f"   {result['saves_per_s']} saves/s, {result['saves']} saves, errors {result['errors']}, "
        f"lost writes {result['lost_writes']}, p95 {result['p95_ms']} ms"
    )
    return result


if __name__ == "__main__":
    sys.exit(main())
