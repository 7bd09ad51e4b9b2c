"""The one place that decides who may view, edit or own a diary (docs/architecture.md).

A stranger gets 404 (they must not learn the diary exists); a member whose role
is too weak gets 403. One query: the membership with its diary.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone

from diary.models import Diary, Membership, Role


class AuthenticatedHttpRequest(HttpRequest):
    user: AbstractBaseUser


@dataclass(frozen=True)
class DiaryAccess:
    diary: Diary
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def can_edit(self) -> bool:
        return self.membership.allows(Role.EDITOR)

    @property
    def is_owner(self) -> bool:
        return self.membership.allows(Role.OWNER)


def membership_with_diary(*, diary_id: int, user_id: int) -> Membership | None:
    """The person's membership of the diary with the diary itself (one query), None if they have none."""
    # Through the primary keys: an id too large for the database's integers matches nothing (no query, no 500).
    return Membership.objects.select_related("diary").filter(diary__pk=diary_id, user__pk=user_id).first()


def diary_for(request: HttpRequest, diary_id: int, *, need: str = Role.VIEWER) -> DiaryAccess:
    user = request.user
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise Http404
    membership = membership_with_diary(diary_id=diary_id, user_id=user.pk)
    if membership is None:
        raise Http404
    if not membership.allows(need):
        raise PermissionDenied
    # Times on the diary's pages read in the diary's own zone (reset after the request).
    timezone.activate(membership.diary.zone)
    access = DiaryAccess(diary=membership.diary, membership=membership)
    # Read by the activity log's middleware once the view has answered.
    request.diary_access = access  # type: ignore[attr-defined]
    return access
