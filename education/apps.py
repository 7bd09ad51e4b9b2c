from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = _("Education")

    def ready(self) -> None:
        # A bad content edit (missing source, unknown tag, dose amount) stops start-up.
        from education import content

        content.validate_all()
