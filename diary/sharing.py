"""Sharing a diary: invitations, roles, ownership and clinician links (docs/security.md).

Tokens are long random values shown once; only their SHA-256 is stored, so a
database copy cannot be used to open anyone's diary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from diary.models import ClinicianLink, Diary, Invitation, Membership, Role
from diary.services import diary_touch

INVITATION_DAYS = 7
CLINICIAN_LINK_DEFAULT_DAYS = 14


class SharingError(Exception):
    """A refused sharing action; the message is for the person."""


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, diary: Diary, role: str, email: str, by: User, accept_url: str | None = None
) -> tuple[Invitation, str]:
    if role not in (Role.EDITOR, Role.VIEWER):
        raise SharingError(_("Choose what the person may do."))
    token, hashed = new_token()
    invitation = Invitation.objects.create(
        diary=diary,
        role=role,
        email=email,
        token_hash=hashed,
        created_by=by,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    return invitation, token


def invitation_email(*, invitation: Invitation, link: str, by: User) -> None:
    if not invitation.email:
        return
    send_mail(
        subject=_("%(name)s shared a LEMS diary with you") % {"name": by.shown_name},
        message=_(
            "%(name)s invited you to the diary of %(patient)s.\n\nOpen this link within %(days)d days to accept. "
            "It works once:\n%(link)s\n\nIf you did not expect this, you can ignore this email."
        )
        % {"name": by.shown_name, "patient": invitation.diary.patient_name, "days": INVITATION_DAYS, "link": link},
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_find(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("diary").filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise SharingError(_("This invitation link is not valid. Ask for a new one."))
    if invitation.withdrawn_at is not None:
        raise SharingError(_("This invitation was withdrawn. Ask for a new one."))
    if invitation.used_at is not None:
        raise SharingError(_("This invitation has already been used. Each link works once."))
    if invitation.expires_at <= timezone.now():
        raise SharingError(_("This invitation has expired. Ask for a new one."))
    return invitation


def invitation_accept(*, token: str, user: User) -> Membership:
    with transaction.atomic():
        invitation = invitation_find(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise SharingError(_("This invitation has already been used. Each link works once."))
        if invitation.email and invitation.email.lower() != user.email.lower():
            raise SharingError(
                _(
                    "This invitation was sent to another email address. Sign in with that account, or ask for a new link."
                )
            )
        existing = Membership.objects.filter(diary=invitation.diary, user=user).first()
        if existing is not None:
            raise SharingError(_("You already have access to this diary."))
        membership = Membership.objects.create(diary=invitation.diary, user=user, role=invitation.role)
        invitation.used_at = timezone.now()
        invitation.used_by = user
        invitation.save(update_fields=["used_at", "used_by"])
    return membership


def invitation_withdraw(*, invitation: Invitation) -> None:
    if invitation.used_at is not None:
        raise SharingError(_("This invitation has already been used; remove the person instead."))
    invitation.withdrawn_at = invitation.withdrawn_at or timezone.now()
    invitation.save(update_fields=["withdrawn_at"])


def _owners(diary: Diary) -> int:
    return Membership.objects.filter(diary=diary, role=Role.OWNER).count()


def membership_set_role(*, membership: Membership, role: str) -> Membership:
    if role not in (Role.EDITOR, Role.VIEWER):
        raise SharingError(_("Choose what the person may do."))
    with transaction.atomic():
        if membership.role == Role.OWNER and _owners(membership.diary) <= 1:
            raise SharingError(_("A diary needs an owner. Hand ownership to someone else first."))
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    with transaction.atomic():
        if membership.role == Role.OWNER and _owners(membership.diary) <= 1:
            raise SharingError(_("You are the only owner, so you cannot leave. Hand ownership to someone else first."))
        membership.delete()
        diary_touch(membership.diary_id)


def ownership_transfer(*, diary: Diary, current: Membership, to: Membership) -> None:
    """Make ``to`` the owner; the current owner stays on as an editor."""
    if to.diary_id != diary.pk or to.pk == current.pk:
        raise SharingError(_("Choose another person who already shares this diary."))
    with transaction.atomic():
        to.role = Role.OWNER
        to.save(update_fields=["role"])
        current.role = Role.EDITOR
        current.save(update_fields=["role"])


def clinician_link_create(*, diary: Diary, label: str, days: int, by: User) -> tuple[ClinicianLink, str]:
    if not 1 <= days <= 90:
        raise SharingError(_("A link can last from 1 to 90 days."))
    token, hashed = new_token()
    link = ClinicianLink.objects.create(
        diary=diary, label=label, token_hash=hashed, created_by=by, expires_at=timezone.now() + dt.timedelta(days=days)
    )
    return link, token


def clinician_link_revoke(*, link: ClinicianLink) -> ClinicianLink:
    """Close a clinician link for good; revoking it again keeps the first time."""
    link.revoked_at = link.revoked_at or timezone.now()
    link.save(update_fields=["revoked_at"])
    return link


def clinician_link_find(token: str) -> ClinicianLink | None:
    link = ClinicianLink.objects.select_related("diary").filter(token_hash=token_hash(token)).first()
    if link is None or not link.is_open:
        return None
    return link
