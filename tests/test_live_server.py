"""The test server that the browser tests talk to answers requests that arrive together.

On SQLite it failed two ways before tests/conftest.py's live_server: each thread with
its own connection to the in-memory database ("database table is locked"), or all on
one connection at once ("bad parameter or other API misuse", a 500).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from tests.conftest import People


@pytest.mark.django_db(transaction=True)
def test_signed_in_pages_requested_together_all_answer(live_server: object, people: People) -> None:
    client = people.client_for("owner")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = f"{live_server.url}/d/{people.diary.pk}/events/"  # type: ignore[attr-defined]

    def fetch(_n: int) -> int:
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(fetch, range(200)))
    assert statuses == [200] * 200, {status: statuses.count(status) for status in set(statuses)}
