"""The patient's record: who may reach it and what is logged in it.

Times are stored in UTC; every diary has its own time zone, and "today" and
"time of day" are computed in it (ARCHITECTURE.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diary import scales


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("Choose a time zone from the list.")) from exc


class DiaryQuerySet(models.QuerySet["Diary"]):
    def for_user(self, user: object) -> DiaryQuerySet:
        return self.filter(memberships__user=user)


class Diary(models.Model):
    patient_name = models.CharField(_("patient's name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("diary")
        verbose_name_plural = _("diaries")

    def __str__(self) -> str:
        return self.patient_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_now(self) -> dt.datetime:
        return timezone.now().astimezone(self.zone)

    def today(self) -> dt.date:
        return self.local_now().date()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Can log and edit")
    VIEWER = "viewer", _("Can view")


#: What each role may do, weakest first: a role includes the ones before it.
ROLE_RANK: dict[str, int] = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class Membership(models.Model):
    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["diary", "user"], name="one_membership_per_person")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.diary_id}"

    def allows(self, need: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[need]


class Tracked(models.Model):
    """Who created and who last changed a record, and when (SECURITY.md item 16)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True


def _score_field(item: scales.Item) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        item.label,
        null=True,
        blank=True,
        choices=item.scale.choices,
        validators=[MinValueValidator(item.scale.low), MaxValueValidator(item.scale.high)],
    )


class DayEntryQuerySet(models.QuerySet["DayEntry"]):
    def in_period(self, start: dt.date, end: dt.date) -> DayEntryQuerySet:
        return self.filter(date__range=(start, end))


class DayEntry(Tracked):
    """One diary day. A blank score means "not rated", which is not the same as 0."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="day_entries")
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, max_length=4000)
    #: Raised each time the note is saved, so two people editing it cannot overwrite each other.
    note_version = models.PositiveIntegerField(default=0, editable=False)

    locals().update({item.field: _score_field(item) for item in scales.ITEMS})

    objects = DayEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["diary", "date"], name="one_entry_per_day"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{item.field}__isnull": True})
                    | models.Q(**{f"{item.field}__gte": item.scale.low, f"{item.field}__lte": item.scale.high}),
                    name=f"dayentry_{item.field}_in_range",
                )
                for item in scales.ITEMS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.diary_id} {self.date}"

    def rated_count(self) -> int:
        return sum(getattr(self, field) is not None for field in scales.ITEM_FIELDS)


class QuickCheck(Tracked):
    """Strength and fatigue at a moment of the day, for strength against time since a dose."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="quick_checks")
    taken_at = models.DateTimeField(_("time"), default=timezone.now)
    strength = models.PositiveSmallIntegerField(
        _("leg strength"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    fatigue = models.PositiveSmallIntegerField(
        _("fatigue"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    #: Set by the page that starts the check; a retried submit finds the same row.
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-taken_at"]
        constraints = [
            models.UniqueConstraint(fields=["diary", "client_token"], name="quick_check_once_per_token"),
            models.CheckConstraint(
                condition=models.Q(strength__isnull=True) | models.Q(strength__lte=10),
                name="quick_check_strength_range",
            ),
            models.CheckConstraint(
                condition=models.Q(fatigue__isnull=True) | models.Q(fatigue__lte=10), name="quick_check_fatigue_range"
            ),
        ]
        indexes = [models.Index(fields=["diary", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.diary_id} {self.taken_at:%Y-%m-%d %H:%M}"
