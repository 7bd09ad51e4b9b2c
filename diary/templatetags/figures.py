"""The figure formatter (diary.numbers) in templates, so the report writes numbers as Trends does."""

from __future__ import annotations

from django import template

from diary.numbers import figure_text

register = template.Library()


@register.filter
def figure(value: float | int | None, places: int = 1) -> str:
    """{{ value|figure }}: rounded half up to one decimal, a whole number without decimals."""
    return figure_text(value, places=places)
