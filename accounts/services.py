"""Erasing a person's data (GDPR Art. 17; docs/security.md)."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.db import transaction

from accounts.models import User
from diary.models import Diary, Membership, Role
from diary.services import diaries_touch_for


def diaries_only_owned_by(user: User) -> list[Diary]:
    """Diaries that would be left without an owner if this person went."""
    owned = Diary.objects.filter(memberships__user=user, memberships__role=Role.OWNER)
    return [diary for diary in owned if Membership.objects.filter(diary=diary, role=Role.OWNER).count() == 1]


def diary_delete(*, diary: Diary) -> None:
    """Delete a diary and everything in it: entries, doses, rests, events, grants, links, the activity log."""
    diary.delete()


def account_delete(*, user: User) -> None:
    """Delete the account, every diary only it owns, its grants, sign-in sessions and second factors.

    Reports are made on request and never stored, so there are no generated files to remove.
    """
    with transaction.atomic():
        for diary in diaries_only_owned_by(user):
            diary_delete(diary=diary)
        # What they logged in the diaries that stay now reads as logged by nobody known.
        diaries_touch_for(user)
        for session in UserSession.objects.filter(user=user):
            session.end()
        # Memberships, MFA authenticators, email addresses, tip feedback and user sessions cascade.
        user.delete()
