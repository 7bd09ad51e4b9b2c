"""The sign-in backends of settings.py, with the read of the signed-in person compiled once.

Every signed-in request loads its person by primary key. Django's ``ModelBackend`` does it
with the ORM's ``get()``, which spends most of its time building and compiling the query;
here the same read is a PreparedRows (config.prepared). Signing in is unchanged.
"""

from __future__ import annotations

from typing import Any

from allauth.account import auth_backends
from django.contrib.auth import backends

from accounts.models import User
from config.prepared import PreparedRows

_USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)
_USER = PreparedRows(lambda pk: User.objects.filter(pk=pk).values_list(*_USER_FIELDS), pk=int)


def user_by_pk(pk: int) -> User | None:
    rows = _USER(pk=pk)
    return User.from_db(_USER.using, _USER_FIELDS, rows[0]) if rows else None


class _PreparedGetUser:
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = user_by_pk(int(user_id))
        except (TypeError, ValueError, OverflowError):  # not a key this table can hold
            return None
        return user if user is not None and self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(_PreparedGetUser, backends.ModelBackend):
    pass


class AuthenticationBackend(_PreparedGetUser, auth_backends.AuthenticationBackend):
    pass
