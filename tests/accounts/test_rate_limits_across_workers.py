"""Failed sign-ins are counted in Redis, so the limit holds however many gunicorn processes answer."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.conftest import PASSWORD

EMAIL = f"limit-{uuid.uuid4().hex[:8]}@example.com"
TOO_MANY = "Too many failed login attempts"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            # A worker imports every view as it starts: on a busy machine its first answer takes a while.
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not answer")


@pytest.fixture
def two_servers(tmp_path: Path, redis_url: str) -> Iterator[list[int]]:
    """Two gunicorn processes on two ports, one SQLite file and one Redis database between them."""
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server answers at {redis_url} (.ci/run starts one)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "REDIS_URL": redis_url,
    }
    setup = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); from accounts.models import User; "
        f"User.objects.create_user(email={EMAIL!r}, password={PASSWORD!r})"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, cwd=settings.BASE_DIR, check=True, timeout=120)
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                *("-m", "gunicorn", "--workers", "1", "--timeout", "120"),
                *("--bind", f"127.0.0.1:{port}", "config.wsgi"),
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_answering(port, server)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def test_the_failed_sign_in_limit_counts_the_attempts_of_both_processes(two_servers: list[int]) -> None:
    limit = int(re.search(r"(\d+)/\d+s/key", settings.ACCOUNT_RATE_LIMITS["login_failed"]).group(1))  # type: ignore[union-attr]
    # One browser: its session (and the CSRF token kept in it) is shared by both processes.
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    # Both behind one name, as behind a load balancer (allauth counts per site and address).
    host = {"Host": "localhost"}
    first = urllib.request.Request(f"http://127.0.0.1:{two_servers[0]}/accounts/login/", headers=host)
    page = browser.open(first).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]

    def sign_in(port: int, password: str) -> tuple[str, str]:
        form = urllib.parse.urlencode({"login": EMAIL, "password": password, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/accounts/login/",
            data=form.encode(),
            headers=host,
        )
        with browser.open(request) as response:
            return response.geturl(), response.read().decode()

    for attempt in range(limit):
        # Alternately: each process alone sees only half of the attempts.
        landed, html = sign_in(two_servers[attempt % 2], "wrong-password-1")
        assert landed.endswith("/accounts/login/") and TOO_MANY not in html, attempt
    # The right password, on the process that has seen fewer of the failures: refused all the same.
    landed, html = sign_in(two_servers[limit % 2], PASSWORD)
    assert landed.endswith("/accounts/login/")
    assert TOO_MANY in html
