"""The named people of STYLE.md, built through the functions the app uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

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


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """allauth counts attempts in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
