"""Sign-up, sign-in, passwords, sessions and second factors (docs/security.md, "Signing in" and "Sessions")."""

from __future__ import annotations

import datetime as dt
import time
from importlib import import_module

import pytest
from allauth.mfa.adapter import get_adapter
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, load_backend
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.conftest import PASSWORD, People, make_user


@pytest.mark.real_hasher
def test_passwords_are_hashed_with_argon2(db: None) -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = make_user("argon@example.com")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_sign_up_with_email_and_password_then_create_a_diary(db: None) -> None:
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {"email": "New.Person@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert client.get(reverse("home"))["Location"] == reverse("diary:new")


@pytest.mark.parametrize("password", ["short1", "password123", "12345678"])
def test_weak_passwords_are_refused(db: None, password: str) -> None:
    response = Client().post(
        reverse("account_signup"), {"email": "a@example.com", "password1": password, "password2": password}
    )
    assert response.status_code == 200
    assert not User.objects.exists()


def test_a_long_passphrase_is_accepted(db: None) -> None:
    phrase = "a very long passphrase with spaces that nobody could guess " * 2
    response = Client().post(
        reverse("account_signup"), {"email": "a@example.com", "password1": phrase, "password2": phrase}
    )
    assert response.status_code == 302
    assert User.objects.get().check_password(phrase)


def test_sign_in_gives_a_new_session_id_and_sign_out_ends_it(people: People) -> None:
    client = Client()
    client.get(reverse("account_login"))
    before = client.session.session_key
    response = client.post(reverse("account_login"), {"login": "patient@example.com", "password": PASSWORD})
    assert response.status_code == 302
    after = client.session.session_key
    assert after and after != before
    client.post(reverse("account_logout"))
    assert client.get(reverse("diary:today", args=[people.diary.pk])).status_code == 302


def test_a_wrong_password_does_not_say_whether_the_account_exists(people: People) -> None:
    client = Client()
    known = client.post(reverse("account_login"), {"login": "patient@example.com", "password": "wrong-password-1"})
    unknown = client.post(reverse("account_login"), {"login": "nobody@example.com", "password": "wrong-password-1"})
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_failed_sign_ins_are_rate_limited_per_account(people: People, settings: object) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "patient@example.com", "password": "wrong-password-1"})
    response = client.post(reverse("account_login"), {"login": "patient@example.com", "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_rate_limits_cover_every_sign_in_path() -> None:
    limits = settings.ACCOUNT_RATE_LIMITS
    for key in ("login", "login_failed", "signup", "reset_password", "reset_password_from_key", "reauthenticate"):
        assert limits.get(key), key
    # By address and by account, so a stranger cannot lock a patient out from elsewhere alone.
    assert "/ip" in limits["login_failed"] and "/key" in limits["login_failed"]


def test_an_idle_session_ends(people: People, settings: object) -> None:
    client = people.client_for("owner")
    url = reverse("diary:today", args=[people.diary.pk])
    assert client.get(url).status_code == 200
    session = client.session
    session["lems_session_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_SECONDS - 5  # type: ignore[attr-defined]
    session.save()
    assert client.get(url).status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_even_if_used(people: People, settings: object) -> None:
    client = people.client_for("owner")
    url = reverse("diary:today", args=[people.diary.pk])
    client.get(url)
    session = client.session
    session["lems_session_started"] = int(time.time()) - settings.SESSION_ABSOLUTE_LIFETIME_SECONDS - 5  # type: ignore[attr-defined]
    session.save()
    assert client.get(url).status_code == 302


def test_totp_secrets_are_encrypted_at_rest(settings: object) -> None:
    adapter = get_adapter()
    stored = adapter.encrypt("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in stored
    assert adapter.decrypt(stored) == "JBSWY3DPEHPK3PXP"
    settings.SECRET_KEY = "another-key-entirely-0123456789abcdef0123456789"  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        adapter.decrypt(stored)


def test_the_account_page_offers_passkeys_and_two_step_sign_in(people: People) -> None:
    html = people.client_for("owner").get(reverse("accounts:account")).content.decode()
    assert reverse("mfa_index") in html
    assert "Passkeys" in html


def test_the_account_page_saves_the_name_shown_on_what_you_log(people: People) -> None:
    client = people.client_for("editor")
    client.post(reverse("accounts:account"), {"display_name": "  Carla   B "})
    people.editor.refresh_from_db()
    assert people.editor.display_name == "Carla B"


def test_totp_setup_stores_an_encrypted_secret(people: People) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import hotp_value

    client = people.client_for("owner")
    # allauth asks for the password again before changing second factors.
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    stored = Authenticator.objects.get(user=people.owner, type=Authenticator.Type.TOTP).data["secret"]
    assert stored != secret and secret not in stored
    assert get_adapter().decrypt(stored) == secret


def test_a_session_past_its_expiry_is_not_accepted(people: People) -> None:
    client = people.client_for("owner")
    today = reverse("diary:today", args=[people.diary.pk])
    assert client.get(today).status_code == 200
    session = client.session
    session.set_expiry(timezone.now() - dt.timedelta(seconds=1))
    session.save()
    response = client.get(today)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_session_past_its_expiry_in_the_database_is_not_accepted_when_the_cache_has_lost_it(
    people: People,
) -> None:
    client = people.client_for("owner")
    today = reverse("diary:today", args=[people.diary.pk])
    assert client.get(today).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    cache.clear()  # as after a restart of Redis: the session is read from the database again
    response = client.get(today)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_session_ended_elsewhere_ends_at_the_next_request(people: People) -> None:
    client = people.client_for("owner")
    today = reverse("diary:today", args=[people.diary.pk])
    assert client.get(today).status_code == 200
    key = client.session.session_key
    # As "sign out other devices" and account deletion end it: through the session store, cache included.
    import_module(settings.SESSION_ENGINE).SessionStore().delete(key)
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(today).status_code == 302


def test_the_signed_in_person_is_read_fresh_and_a_deactivated_one_is_signed_out(people: People) -> None:
    client = people.client_for("owner")
    account = reverse("accounts:account")
    User.objects.filter(pk=people.owner.pk).update(display_name="Patricia")
    assert "Patricia" in client.get(account).content.decode()
    User.objects.filter(pk=people.owner.pk).update(is_active=False)
    assert client.get(account).status_code == 302


@pytest.mark.real_hasher
def test_signing_in_records_a_backend_that_loads_the_person(people: People) -> None:
    client = Client()
    client.post(reverse("account_login"), {"login": "patient@example.com", "password": PASSWORD})
    assert client.session[BACKEND_SESSION_KEY] in settings.AUTHENTICATION_BACKENDS
    assert client.get(reverse("diary:today", args=[people.diary.pk])).status_code == 200
    backend = load_backend(client.session[BACKEND_SESSION_KEY])
    assert backend.get_user(people.owner.pk) == people.owner
    assert backend.get_user(str(people.owner.pk)) == people.owner  # as the session stores it
    assert backend.get_user(-1) is None
    assert backend.get_user(10**30) is None  # too large for the database's integers: no error
