"""The one place that decides who may view, edit or own a diary (STYLE.md item 3).

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


def diary_for(request: HttpRequest, diary_id: int, *, need: str = Role.VIEWER) -> DiaryAccess:
    user = request.user
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise Http404
    try:
        # get(), not first(): one membership per person and diary, and no ORDER BY to compile.
        membership = Membership.objects.select_related("diary").get(diary_id=diary_id, user=user)
    except Membership.DoesNotExist:
        raise Http404 from None
    if not membership.allows(need):
        raise PermissionDenied
    # Times on the diary's pages read in the diary's own zone (reset after the request).
    timezone.activate(membership.diary.zone)
    access = DiaryAccess(diary=membership.diary, membership=membership)
    # Read by the activity log's middleware once the view has answered.
    request.diary_access = access  # type: ignore[attr-defined]
    return access
