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

from config.prepared import PreparedRows
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


_MEMBERSHIP_FIELDS = tuple(field.attname for field in Membership._meta.concrete_fields)
_DIARY_FIELDS = tuple(field.attname for field in Diary._meta.concrete_fields)
# Every diary page reads this: compiled once (config.prepared), it costs a tenth of the ORM's get().
_MEMBERSHIP = PreparedRows(
    lambda diary_id, user_id: Membership.objects.filter(diary_id=diary_id, user_id=user_id).values_list(
        *_MEMBERSHIP_FIELDS, *(f"diary__{name}" for name in _DIARY_FIELDS)
    ),
    diary_id=int,
    user_id=int,
)


def membership_with_diary(*, diary_id: int, user_id: int) -> Membership | None:
    """The person's membership of the diary with the diary itself (one query), None if they have none."""
    rows = _MEMBERSHIP(diary_id=diary_id, user_id=user_id)
    if not rows:
        return None
    row, split = rows[0], len(_MEMBERSHIP_FIELDS)
    membership = Membership.from_db(_MEMBERSHIP.using, _MEMBERSHIP_FIELDS, row[:split])
    membership.diary = Diary.from_db(_MEMBERSHIP.using, _DIARY_FIELDS, row[split:])
    return membership


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
