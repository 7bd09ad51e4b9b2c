"""gunicorn (the app and the hello-world ceiling), signed-in sessions, and wrk runs with Lua scripts."""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SESSION_KEY
from django.test import Client
from django.utils.crypto import get_random_string

from accounts.models import User
from bench.data import DiaryRef
from bench.measure import Fetched, Fetcher, decoded

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var" / "bench"
WORKERS = 2
CONNECTIONS = 16
WRK_THREADS = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- gunicorn ----------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"


def server_env(*, database_url: str, secret_key: str, settings_module: str = "config.settings") -> dict[str, str]:
    """Production settings from the environment, as the README deploys them (TLS is the proxy's job:
    requests carry ``X-Forwarded-Proto: https``, so the secure cookies and CSRF checks work over http)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("DJANGO_DEBUG", None)
    return env


def start_gunicorn(*, name: str, env: dict[str, str], workers: int = WORKERS) -> Server:
    VAR.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = VAR / f"gunicorn-{name}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    process = subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(name, port, process, log)
    _wait_ready(server)
    return server


def _wait_ready(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn ({server.name}) stopped at start; see {server.log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", "/", headers={"Host": f"127.0.0.1:{server.port}", "X-Forwarded-Proto": "https"})
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn ({server.name}) did not answer within {timeout} s; see {server.log}")


def stop_gunicorn(server: Server) -> None:
    """Stop the gunicorn this benchmark started (its own process id only)."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


# --- a signed-in person, as the browser holds it -------------------------------------------------


@dataclass(frozen=True)
class Session:
    session_id: str
    csrf_secret: str

    @property
    def cookie(self) -> str:
        return f"{settings.SESSION_COOKIE_NAME}={self.session_id}; {settings.CSRF_COOKIE_NAME}={self.csrf_secret}"

    def headers(self, origin: str) -> dict[str, str]:
        """What every request of this person carries (the proxy's X-Forwarded-Proto included)."""
        host = origin.split("://", 1)[1]
        return {
            "Host": host,
            "Cookie": self.cookie,
            "X-Forwarded-Proto": "https",
            "X-CSRFToken": self.csrf_secret,
            "Origin": origin,
            "Accept-Encoding": "identity",
        }


def sign_in(ref: DiaryRef) -> Session:
    """A session in the database for the diary's owner (Django's own login), and a CSRF secret.

    The session's auth hash depends on SECRET_KEY, so this process runs with the key gunicorn gets.
    """
    client = Client()
    client.force_login(User.objects.get(pk=ref.user_id))
    secret = get_random_string(32, CSRF_ALLOWED_CHARS)
    if settings.CSRF_USE_SESSIONS:
        # The token lives in the session (config/settings.py), as a browser's first page would leave it.
        stored = client.session
        stored[CSRF_SESSION_KEY] = secret
        stored.save()
    return Session(client.cookies[settings.SESSION_COOKIE_NAME].value, secret)


def http_fetcher(server: Server, session: Session) -> Fetcher:
    """Fetch from gunicorn as a browser would, counting header and body bytes as sent."""
    base = session.headers(server.origin)
    base.pop("X-CSRFToken")
    base.pop("Origin")

    def fetch(path: str, headers: dict[str, str]) -> Fetched:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            conn.request("GET", path, headers={**base, **headers})
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        items = response.getheaders()
        head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in items)
        return Fetched(
            response.status,
            len((head + "\r\n").encode("latin-1")),
            len(body),
            decoded(body, response.getheader("Content-Encoding", "")),
            dict(items),
        )

    return fetch


def _worker_cpu(server: Server) -> int | None:
    """CPU ticks used so far by the server's workers (Linux /proc), or None where that cannot be read."""
    pid = server.process.pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0
        for child in children:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total
    except (OSError, IndexError, ValueError):
        return None


def drain(server: Server, *, timeout: float = 90) -> float:
    """Wait until the workers are idle: wrk leaves up to 16 requests queued when it stops, and a
    sync worker answers them even though nobody waits any more. Returns the seconds waited."""
    began = time.monotonic()
    quiet = 0
    last = _worker_cpu(server)
    while time.monotonic() - began < timeout and last is not None:
        time.sleep(0.25)
        now = _worker_cpu(server)
        if now is None:
            break
        quiet = quiet + 1 if now - last <= 2 else 0
        last = now
        if quiet >= 3:
            break
    return round(time.monotonic() - began, 1)


def request(
    server: Server, session: Session, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    all_headers = {**session.headers(server.origin), **(headers or {})}
    if body:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body.encode() or None, headers=all_headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# --- wrk ---------------------------------------------------------------------------------------

_LUA_COMMON = r"""
-- Written by bench/serve.py for one wrk run; every thread keeps its own counters.
local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  exhausted = 0
  sent = 0
  first_bad = ""
  math.randomseed(SEED + id * 7919)
end
function response(status, headers, body)
  local ok, why = check(status, headers, body)
  if not ok then
    bad = bad + 1
    if first_bad == "" then first_bad = why end
  end
end
function done(summary, latency, requests)
  local total_bad, total_exhausted, why = 0, 0, ""
  for _, t in ipairs(threads) do
    total_bad = total_bad + t:get("bad")
    total_exhausted = total_exhausted + t:get("exhausted")
    if why == "" then why = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "bad": %d, "exhausted": %d, "first_bad": "%s", '
    .. '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    total_bad, total_exhausted, string.gsub(why, '"', "'"),
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
local function uuid4()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for ASCII text


def _lua_headers(headers: dict[str, str]) -> str:
    return "\n".join(f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())


def lua_get(headers: dict[str, str], *, seed: int) -> str:
    return (
        f"SEED = {seed}\n{_LUA_COMMON}\n{_lua_headers(headers)}\n"
        "function check(status, headers, body)\n"
        '  if status ~= 200 then return false, "status " .. status end\n'
        "  return true\nend\n"
    )


def lua_rating(headers: dict[str, str], *, paths_and_bodies: Sequence[tuple[str, str]], seed: int) -> str:
    """POST one rating per request (htmx), cycling through the items and their values."""
    rows = ",\n".join(f"  {{{_lua_string(p)}, {_lua_string(b)}}}" for p, b in paths_and_bodies)
    return (
        f"SEED = {seed}\n{_LUA_COMMON}\n{_lua_headers(headers)}\n"
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        'wrk.headers["HX-Request"] = "true"\n'
        f"local taps = {{\n{rows}\n}}\n"
        "function request()\n"
        "  sent = sent + 1\n"
        "  local tap = taps[((sent + id * 7) % #taps) + 1]\n"
        '  return wrk.format("POST", tap[1], nil, tap[2])\n'
        "end\n"
        "function check(status, headers, body)\n"
        '  if status ~= 200 then return false, "status " .. status end\n'
        '  if not string.find(body, \'class="saved"\', 1, true) then return false, "no saved mark" end\n'
        "  return true\nend\n"
    )


def lua_dose(
    headers: dict[str, str], *, path: str, medication_id: int, slots: Sequence[str], threads: int, seed: int
) -> str:
    """POST "taken now" for a slot not yet logged, a fresh token each time; threads take turns on the slots."""
    encoded = ",\n".join(_lua_string(urllib.parse.quote(slot, safe="")) for slot in slots)
    return (
        f"SEED = {seed}\n{_LUA_COMMON}\n{_lua_headers(headers)}\n"
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f"local slots = {{\n{encoded}\n}}\n"
        f"local nthreads = {threads}\n"
        "function request()\n"
        "  local i = id + 1 + sent * nthreads\n"
        "  sent = sent + 1\n"
        "  if i > #slots then exhausted = exhausted + 1; i = ((i - 1) % #slots) + 1 end\n"
        f'  local body = "medication={medication_id}&scheduled_for=" .. slots[i] .. "&token=" .. uuid4()\n'
        f'  return wrk.format("POST", {_lua_string(path)}, nil, body)\n'
        "end\n"
        "function check(status, headers, body)\n"
        '  local where = headers["Location"] or headers["location"] or ""\n'
        '  if status ~= 302 then return false, "status " .. status end\n'
        '  if string.find(where, "/accounts/", 1, true) then return false, "sent to sign in" end\n'
        "  return true\nend\n"
    )


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    *,
    name: str,
    server: Server,
    path: str,
    script: str,
    seconds: float,
    connections: int = CONNECTIONS,
    threads: int = WRK_THREADS,
) -> dict[str, Any]:
    """One wrk run; returns requests/s, latency percentiles (ms) and every kind of error counted."""
    VAR.mkdir(parents=True, exist_ok=True)
    script_path = VAR / f"wrk-{name}.lua"
    script_path.write_text(script)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(script_path),
        f"http://127.0.0.1:{server.port}{path}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk {name} printed no result: {done.stdout[-500:]} {done.stderr[-500:]}")
    raw = json.loads(line[len("BENCH ") :])
    seconds_run = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout")) + raw["bad"] + raw["exhausted"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds_run, 2),
        "rps": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": errors,
        "error_detail": {
            k: raw[k] for k in ("connect", "read", "write", "status", "timeout", "bad", "exhausted") if raw[k]
        }
        | ({"first_bad": raw["first_bad"]} if raw["first_bad"] else {}),
        "connections": connections,
    }


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)
