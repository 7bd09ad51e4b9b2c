"""Template tags for education content other apps show."""

from __future__ import annotations

from django import template

from education.caution import MedicineCaution, medicine_caution

register = template.Library()


@register.inclusion_tag("education/_medicine_caution.html")
def medicine_caution_note() -> dict[str, MedicineCaution]:
    """The section 2.4 prompt, with its learn page and sources: ``{% medicine_caution_note %}``."""
    return {"caution": medicine_caution()}
