"""Tips for a diary page: chosen from the diary's signals, minus the ones this person dismissed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.models import User
from diary.models import Diary
from education import content
from education.models import TipFeedback
from education.selection import ChosenTip, Signals, select_tips


def tips_for(*, user: User, diary: Diary, signals: Signals, today: dt.date, limit: int = 3) -> list[ChosenTip]:
    dismissed = dict(
        TipFeedback.objects.filter(user=user, diary=diary, action=TipFeedback.Action.DISMISSED).values_list(
            "tip_id", "on"
        )
    )
    return select_tips(signals, dismissed=dismissed, today=today, limit=limit)


def tip_feedback_record(*, user: User, diary: Diary, tip_id: str, action: str, today: dt.date) -> TipFeedback:
    if content.tip(tip_id) is None:
        raise ValueError(f"No tip {tip_id!r}")
    with transaction.atomic():
        feedback, _created = TipFeedback.objects.update_or_create(
            user=user,
            diary=diary,
            tip_id=content.tip(tip_id).id,
            action=action,
            defaults={"on": today},  # type: ignore[union-attr]
        )
    return feedback


def helpful_tip_ids(*, user: User, diary: Diary) -> set[str]:
    return set(
        TipFeedback.objects.filter(user=user, diary=diary, action=TipFeedback.Action.HELPFUL).values_list(
            "tip_id", flat=True
        )
    )
