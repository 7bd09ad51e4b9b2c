from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core.exceptions import FieldDoesNotExist
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _diary_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """Any record of a diary saved through the ORM marks the diary changed (diary.fragments).

    Only saves: a signal on delete would turn a diary's cascade delete into one query per row.
    Deletes, and ``QuerySet.update()``, are marked by their service or, for every view, by
    the activity middleware after a successful POST.
    """
    from diary.services import diary_touch

    diary_touch(instance.diary_id)


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Diary")

    def ready(self) -> None:
        from django.apps import apps

        from diary.models import ActivityEntry, Diary

        # Every model that belongs to a diary (its records, members, tip feedback ...), but the
        # activity log: reads by others are logged too, and must not make pages afresh.
        for model in apps.get_models():
            try:
                field = model._meta.get_field("diary")
            except FieldDoesNotExist:
                continue
            if field.related_model is Diary and model is not ActivityEntry:
                uid = f"diary-changed-{model._meta.label}"
                post_save.connect(_diary_changed, sender=model, dispatch_uid=uid)
