"""What a person did with a tip: dismissed it (it stays away for a while) or found it helpful."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TipFeedback(models.Model):
    class Action(models.TextChoices):
        DISMISSED = "dismissed", _("Dismissed")
        HELPFUL = "helpful", _("Helpful")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tip_feedback")
    diary = models.ForeignKey("diary.Diary", on_delete=models.CASCADE, related_name="tip_feedback")
    tip_id = models.CharField(max_length=8)
    action = models.CharField(max_length=10, choices=Action.choices)
    on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "diary", "tip_id", "action"], name="one_feedback_per_tip_action")
        ]

    def __str__(self) -> str:
        return f"{self.tip_id} {self.action}"
