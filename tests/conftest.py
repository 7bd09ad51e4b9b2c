"""The named people of every view test (owner, editor, viewer, stranger), built through the functions the app uses."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client, override_settings
from django.test.testcases import LiveServerThread

from accounts.models import User
from diary.models import Diary, Role
from diary.services import diary_create, membership_grant

PASSWORD = "correct-horse-battery-staple-42"


@dataclass
class People:
    diary: Diary
    owner: User
    editor: User
    viewer: User
    stranger: User
    stranger_diary: Diary

    def client_for(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(getattr(self, who))
        return client


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email=email, password=PASSWORD, display_name=name)


@pytest.fixture
def people(db: None) -> People:
    owner = make_user("patient@example.com", "Pat")
    editor = make_user("carer@example.com", "Carla")
    viewer = make_user("viewer@example.com", "Vic")
    stranger = make_user("stranger@example.com", "Stan")
    diary = diary_create(owner=owner, patient_name="Pat Patient", time_zone="Europe/London")
    membership_grant(diary=diary, user=editor, role=Role.EDITOR)
    membership_grant(diary=diary, user=viewer, role=Role.VIEWER)
    stranger_diary = diary_create(owner=stranger, patient_name="Stan Stranger", time_zone="UTC")
    return People(diary, owner, editor, viewer, stranger, stranger_diary)


@pytest.fixture
def owner_client(people: People) -> Client:
    return people.client_for("owner")


@pytest.fixture(autouse=True)
def fast_password_hashing(request: pytest.FixtureRequest, settings: Any) -> None:
    """Argon2 is deliberately slow; tests that do not test hashing use a fast hasher.

    tests/accounts/test_passwords.py checks the real setting.
    """
    if "real_hasher" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def redis_url(worker_id: str) -> str:
    """A Redis database of this test process's own (parallel test processes share the server)."""
    base = urlsplit(settings.REDIS_URL or "redis://127.0.0.1:6379/0")
    number = 1 + (int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0)
    return urlunsplit(base._replace(path=f"/{number}"))


@pytest.fixture(scope="session", autouse=True)
def own_redis_database(redis_url: str) -> Iterator[None]:
    """With REDIS_URL set the tests use Redis, each process its own database, which a test may clear."""
    if not settings.REDIS_URL:
        yield
        return
    with override_settings(CACHES={"default": {**settings.CACHES["default"], "LOCATION": redis_url}}):
        yield


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """allauth counts attempts in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


class OneRequestAtATimeOnSharedConnections(ThreadedWSGIServer):
    """Django's test server, which answers one request at a time when its threads share a connection.

    On SQLite the tests' database is in memory, and the live server's threads all use
    the test's one connection to it. Two requests at once on that connection
    interleave their statements and transactions ("bad parameter or other API
    misuse", "cannot start a transaction within a transaction"), which Django's
    documentation warns "may sometimes randomly cause the tests to fail". In
    production every thread or worker has its own connection, as the live server's
    threads do on PostgreSQL, where requests still run side by side.
    """

    def set_app(self, application: Callable[..., Iterable[bytes]]) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        self.request_lock = lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            with lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    # Django's request_finished, inside the lock too.
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def live_server(django_db_setup: None, request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server, started once the test database exists.

    pytest-django's own fixture can start before the test database is set up (it is
    session-scoped, the database is asked for per test); it then sees the settings'
    database, not the in-memory one, and does not share the test's connection: each
    server thread opened its own connection to the in-memory database, and requests
    at once failed with "database table is locked". Started here after the set-up, it
    shares the connection, and the server above takes the requests in turn.
    """
    from pytest_django.live_server_helper import LiveServer

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", OneRequestAtATimeOnSharedConnections)
        address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        server = LiveServer(address or "localhost")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def live_server_done_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that used the live server, a request it is still answering ends before
    the test's database is emptied on the same connection."""
    server = request.getfixturevalue("live_server") if "live_server" in request.fixturenames else None
    yield
    lock = getattr(server.thread.httpd, "request_lock", None) if server else None
    if lock is not None:
        with lock:
            pass
