"""Every URL, every role (docs/security.md, "Who may see a diary").

The walk below fails on any URL of ours that has no row in ROLE_MATRIX, so a
new view cannot ship without a decision about who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from diary.models import Medication, TreatmentSession, VisitQuestion
from education import content
from tests.conftest import People

ROLES = ("anonymous", "stranger", "viewer", "editor", "owner")
LOGIN = "login"  # anonymous visitors are sent to sign in
REAUTH = "reauth"  # sharing pages ask for the password again first

PUBLIC = {role: 200 for role in ROLES}
SIGNED_IN = {"anonymous": LOGIN, "stranger": 200, "viewer": 200, "editor": 200, "owner": 200}
READ = {"anonymous": LOGIN, "stranger": 404, "viewer": 200, "editor": 200, "owner": 200}
EDIT_PAGE = {"anonymous": LOGIN, "stranger": 404, "viewer": 403, "editor": 200, "owner": 200}
MEMBER_WRITE = {"anonymous": LOGIN, "stranger": 404, "viewer": 302, "editor": 302, "owner": 302}
WRITE = {"anonymous": LOGIN, "stranger": 404, "viewer": 403, "editor": 302, "owner": 302}
# A download asked for with a POST (it records the period, for the next report): every member may.
DOWNLOAD = {"anonymous": LOGIN, "stranger": 404, "viewer": 200, "editor": 200, "owner": 200}

# name -> (method, data for a valid request, expected status per role)
ROLE_MATRIX: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "home": ("GET", {}, {"anonymous": 200, "stranger": 302, "viewer": 302, "editor": 302, "owner": 302}),
    "diary:new": ("GET", {}, SIGNED_IN),
    "diary:today": ("GET", {}, READ),
    "diary:day": ("GET", {}, READ),
    "diary:history": ("GET", {}, READ),
    "diary:trends": ("GET", {}, READ),
    "diary:day_save": ("POST", {"fatigue": "4"}, WRITE),
    "diary:day_field": ("POST", {"fatigue": "4"}, WRITE),
    "diary:day_note": ("POST", {"note": "A line", "version": "0"}, WRITE),
    "diary:quick_check": ("POST", {"token": "7f8a3f5e-0d7c-4a38-9a54-2f6f4d0f1a11", "strength": "6"}, WRITE),
    "diary:medications": ("GET", {}, READ),
    "diary:medication_add": ("GET", {}, EDIT_PAGE),
    "diary:medication_change": ("GET", {}, EDIT_PAGE),
    "diary:medication_stop": ("GET", {}, EDIT_PAGE),
    "diary:dose_take": ("POST", {"token": "2f8a3f5e-0d7c-4a38-9a54-2f6f4d0f1a11"}, WRITE),
    "diary:dose_detail": ("GET", {"medication": "{medication_id}"}, EDIT_PAGE),
    "diary:side_effect_guidance": ("GET", {"side_effect": "seizure"}, EDIT_PAGE),
    "diary:rest_start": ("POST", {"token": "3f8a3f5e-0d7c-4a38-9a54-2f6f4d0f1a11"}, WRITE),
    "diary:rest_end": ("POST", {}, WRITE),
    "diary:rest_add": ("GET", {}, EDIT_PAGE),
    "diary:treatments": ("GET", {}, READ),
    "diary:treatment_add": ("GET", {}, EDIT_PAGE),
    "diary:treatment_edit": ("GET", {}, EDIT_PAGE),
    "diary:events": ("GET", {}, READ),
    "diary:weekly": ("GET", {}, READ),
    "diary:event_add": ("GET", {}, EDIT_PAGE),
    "diary:event_guidance": ("GET", {"breathing_difficulty": "true"}, EDIT_PAGE),
    "diary:tip_feedback": ("POST", {}, MEMBER_WRITE),
    "diary:tips": ("GET", {}, READ),
    "diary:sharing": ("GET", {}, {"anonymous": LOGIN, "stranger": 404, "viewer": 403, "editor": 403, "owner": REAUTH}),
    "diary:activity": ("GET", {}, {"anonymous": LOGIN, "stranger": 404, "viewer": 403, "editor": 403, "owner": 200}),
    "diary:leave": ("POST", {}, MEMBER_WRITE),
    "diary:delete": ("GET", {}, {"anonymous": LOGIN, "stranger": 404, "viewer": 403, "editor": 403, "owner": REAUTH}),
    "accounts:delete": (
        "GET",
        {},
        {"anonymous": LOGIN, "stranger": REAUTH, "viewer": REAUTH, "editor": REAUTH, "owner": REAUTH},
    ),
    "diary:report": ("GET", {}, READ),
    "diary:report_make": ("POST", {"format": "pdf"}, DOWNLOAD),
    "diary:report_print": ("GET", {}, READ),
    "diary:questions": ("GET", {}, READ),
    "diary:question_add": ("POST", {"text": "Should the dose times change?"}, WRITE),
    "diary:question_edit": ("GET", {}, EDIT_PAGE),
    "diary:question_done": ("POST", {"done": "1"}, WRITE),
    "diary:question_move": ("POST", {"direction": "up"}, WRITE),
    "diary:question_delete": ("POST", {}, WRITE),
    "diary:question_suggestion": ("POST", {}, WRITE),
    "diary:data": ("GET", {}, READ),
    "diary:export_json": ("GET", {}, READ),
    "diary:export_csv": ("GET", {}, READ),
    "diary:import": ("GET", {}, SIGNED_IN),
    "invitation": ("GET", {}, {"anonymous": LOGIN, "stranger": 410, "viewer": 410, "editor": 410, "owner": 410}),
    "clinician_view": ("GET", {}, {role: 404 for role in ROLES}),
    "accounts:account": ("GET", {}, SIGNED_IN),
    "education:learn": ("GET", {}, PUBLIC),
    "education:learn_page": ("GET", {}, PUBLIC),
    "education:tips": ("GET", {}, PUBLIC),
    "education:red_flags": ("GET", {}, PUBLIC),
}

# Pages whose form posts back to the same URL (besides EDIT_PAGE and SIGNED_IN rows).
FORM_PAGES = {"diary:sharing", "invitation", "diary:delete", "accounts:delete", "diary:weekly"}

# django-allauth owns these; it refuses anonymous visitors itself where needed
# (checked below for the pages that change sign-in security).
ALLAUTH_MODULE_PREFIX = "allauth."
ALLAUTH_SIGNED_IN_ONLY = ["mfa_index", "mfa_activate_totp", "account_change_password", "account_email"]


def _walk(resolvers: list[URLResolver | URLPattern], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        else:
            yield f"{namespace}{entry.name}", entry


def our_url_names() -> set[str]:
    return {
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if not pattern.callback.__module__.startswith(ALLAUTH_MODULE_PREFIX)
    }


def url_for(name: str, people: People) -> str:
    kwargs: dict[str, Any] = {}
    pattern = dict(_walk(get_resolver().url_patterns))[name]
    keys = pattern.pattern.regex.groupindex
    values = {
        "medication_id": lambda: medication_for(people).pk,
        "session_id": lambda: treatment_for(people).pk,
        "question_id": lambda: question_for(people).pk,
        "kind": "fall",
        "tip_id": "T1",
        "token": "not-a-real-token-" + "x" * 30,
        "action": "dismissed",
        "choice": "keep",
        "diary_id": people.diary.pk,
        "date": people.diary.today().isoformat(),
        "field": "fatigue",
        "slug": content.learn_pages()[0].slug,
    }
    for key in keys:
        value = values[key]
        kwargs[key] = value() if callable(value) else value
    return reverse(name, kwargs=kwargs)


def medication_for(people: People) -> Medication:
    found = Medication.objects.filter(diary=people.diary).first()
    return found or Medication.objects.create(
        diary=people.diary,
        kind="amifampridine",
        dose_amount=10,
        times=["08:00", "13:00"],
        start_date=people.diary.today(),
    )


def treatment_for(people: People) -> TreatmentSession:
    found = TreatmentSession.objects.filter(diary=people.diary).first()
    return found or TreatmentSession.objects.create(diary=people.diary, kind="ivig", date=people.diary.today())


def question_for(people: People) -> VisitQuestion:
    found = VisitQuestion.objects.filter(diary=people.diary).first()
    return found or VisitQuestion.objects.create(diary=people.diary, text="Is the dose right?", order=1)


def request_data(data: dict[str, Any], people: People) -> dict[str, Any]:
    return {
        key: value.format(medication_id=medication_for(people).pk) if isinstance(value, str) else value
        for key, value in data.items()
    }


def test_every_url_of_ours_has_a_row_in_the_role_matrix() -> None:
    missing = our_url_names() - set(ROLE_MATRIX)
    assert not missing, f"URLs without a role-matrix entry: {sorted(missing)}"
    stale = set(ROLE_MATRIX) - our_url_names()
    assert not stale, f"Role-matrix rows for URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROLE_MATRIX))
def test_each_url_answers_each_role_as_the_matrix_says(people: People, name: str, role: str) -> None:
    method, data, expected = ROLE_MATRIX[name]
    client = people.client_for(role)
    url = url_for(name, people)
    data = request_data(data, people)
    response = client.get(url, data) if method == "GET" else client.post(url, data)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif want == REAUTH:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    else:
        assert response.status_code == want, f"{name} as {role}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(n for n, row in ROLE_MATRIX.items() if row[0] == "POST"))
def test_write_urls_refuse_get(people: People, name: str) -> None:
    response = people.client_for("owner").get(url_for(name, people))
    assert response.status_code == 405


@pytest.mark.parametrize("name", sorted(n for n, row in ROLE_MATRIX.items() if row[0] == "GET"))
def test_read_urls_refuse_post(people: People, name: str) -> None:
    response = people.client_for("owner").post(url_for(name, people))
    if ROLE_MATRIX[name][2] in (SIGNED_IN, EDIT_PAGE) or name in FORM_PAGES:
        # A page whose form posts back to itself: an empty post is refused, never an error.
        assert response.status_code < 500
    else:
        assert response.status_code == 405


def test_a_stranger_cannot_write_to_another_diary_through_any_write_url(people: People) -> None:
    client = people.client_for("stranger")
    for name, (method, data, _expected) in ROLE_MATRIX.items():
        if method == "POST":
            assert client.post(url_for(name, people), request_data(data, people)).status_code == 404
    assert not people.diary.day_entries.exists()
    assert not people.diary.quick_checks.exists()


@pytest.mark.parametrize("name", ALLAUTH_SIGNED_IN_ONLY)
def test_sign_in_security_pages_refuse_anonymous_visitors(client: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


INT_KEYS = ("diary_id", "medication_id", "session_id", "question_id")


def _int_keys(name: str) -> list[str]:
    pattern = dict(_walk(get_resolver().url_patterns))[name]
    return [key for key in pattern.pattern.regex.groupindex if key in INT_KEYS]


@pytest.mark.parametrize("name", sorted(n for n in ROLE_MATRIX if n.startswith("diary:") and _int_keys(n)))
def test_an_id_too_large_for_the_database_is_not_found(people: People, name: str) -> None:
    # Typed into the address bar: SQLite cannot even hold it. Not found, never a server error.
    method, data, _expected = ROLE_MATRIX[name]
    match = get_resolver().resolve(url_for(name, people))
    for key in _int_keys(name):
        kwargs = {**match.kwargs, key: 10**25}
        url = reverse(name, kwargs=kwargs)
        client = people.client_for("owner")
        response = client.get(url) if method == "GET" else client.post(url, request_data(data, people))
        assert response.status_code == 404, f"{name} with {key} too large: {response.status_code}"
