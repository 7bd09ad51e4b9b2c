"""Erasure, and backups that restore (docs/security.md, "Data in and out")."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from diary.models import ActivityEntry, DayEntry, Diary, Membership, QuickCheck
from diary.services import day_entry_save_scores, quick_check_save
from tests.conftest import PASSWORD, People


def fresh_sign_in(email: str) -> Client:
    client = Client()
    assert client.post(reverse("account_login"), {"login": email, "password": PASSWORD}).status_code == 302
    # Erasing data asks for the password again (allauth's reauthentication).
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    return client


def test_deleting_an_account_erases_its_diaries_grants_sessions_and_second_factors(people: People) -> None:
    day_entry_save_scores(diary=people.diary, date=people.diary.today(), scores={"fatigue": 4}, by=people.owner)
    quick_check_save(diary=people.diary, token=uuid.uuid4(), by=people.owner, strength=5)
    other_device = fresh_sign_in(people.owner.email)
    client = fresh_sign_in(people.owner.email)
    # Added after signing in: with a second factor, sign-in would stop at the code prompt.
    Authenticator.objects.create(user=people.owner, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert UserSession.objects.filter(user=people.owner).count() == 2
    page = client.get(reverse("accounts:delete"))
    assert "Pat Patient" in page.content.decode()  # the diary that will go with it is named
    assert client.post(reverse("accounts:delete"), {}).status_code == 400
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(email=people.owner.email).exists()
    assert not Diary.objects.filter(pk=people.diary.pk).exists()
    assert not DayEntry.objects.exists() and not QuickCheck.objects.exists()
    assert not Membership.objects.filter(diary_id=people.diary.pk).exists()
    assert not Authenticator.objects.exists()
    assert not UserSession.objects.exists()
    assert Session.objects.count() == 0
    assert other_device.get(reverse("accounts:account")).status_code == 302
    # The stranger's own diary is untouched.
    assert Diary.objects.filter(pk=people.stranger_diary.pk).exists()


def test_a_caregivers_account_deletion_leaves_the_patients_diary(people: People) -> None:
    client = fresh_sign_in(people.editor.email)
    client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert Diary.objects.filter(pk=people.diary.pk).exists()
    assert not Membership.objects.filter(user__email=people.editor.email).exists()


def test_the_owner_deletes_a_diary_with_everything_in_it(people: People) -> None:
    day_entry_save_scores(diary=people.diary, date=people.diary.today(), scores={"fatigue": 4}, by=people.owner)
    client = fresh_sign_in(people.owner.email)
    url = reverse("diary:delete", args=[people.diary.pk])
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Diary.objects.filter(pk=people.diary.pk).exists()
    assert not DayEntry.objects.exists()
    assert not ActivityEntry.objects.filter(diary_id=people.diary.pk).exists()
    assert User.objects.filter(email=people.owner.email).exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_data(tmp_path: Path) -> None:
    user = User.objects.create_user("backup@example.com", PASSWORD)
    diary = Diary.objects.create(patient_name="Before", time_zone="UTC")
    day_entry_save_scores(diary=diary, date=dt.date(2026, 1, 2), scores={"fatigue": 6}, by=user)
    backup = tmp_path / "diary.backup"
    call_command("backup_db", str(backup))
    assert backup.stat().st_size > 0
    DayEntry.objects.all().delete()
    Diary.objects.filter(pk=diary.pk).update(patient_name="After")
    call_command("restore_db", str(backup), "--yes")
    restored = Diary.objects.get(pk=diary.pk)
    assert restored.patient_name == "Before"
    assert DayEntry.objects.get(diary=restored).fatigue == 6
