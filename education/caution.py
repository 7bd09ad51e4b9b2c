"""The prompt shown whenever a medicine is added (docs/clinical-safety.md, section 5).

Other apps call :func:`medicine_caution` and show what it returns: the prompt, a
link to the learn page on medicines that can worsen LEMS, and that page's sources
as patients may see them. The wording never tells anyone to avoid or stop a
medicine: many of these medicines are sometimes needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext

from . import content

#: The learn page the prompt links to.
MEDICINE_CAUTION_PAGE = "medicines-to-check"
#: The sources of the prompt itself (docs/clinical-safety.md, section 5).
MEDICINE_CAUTION_SOURCES: tuple[str, ...] = ("R4", "R33")


@dataclass(frozen=True)
class MedicineCaution:
    text: str
    page_title: str
    page_url: str
    sources: tuple[content.ShownSource, ...]


def medicine_caution_text() -> str:
    """The prompt alone, translated."""
    return gettext(
        "Some medicines can make LEMS weakness worse. Check with your neurologist or pharmacist, "
        "and tell them you have LEMS."
    )


def medicine_caution() -> MedicineCaution:
    """The prompt, the learn page it links to, and the sources patients may see."""
    page = content.learn_page(MEDICINE_CAUTION_PAGE)
    if page is None:  # pragma: no cover - validate_all() needs the page at start-up
        raise content.ContentError(content.LEARN_DIR / f"{MEDICINE_CAUTION_PAGE}.md", "the page is missing")
    return MedicineCaution(
        text=medicine_caution_text(),
        page_title=page.title,
        page_url=reverse("education:learn_page", args=[page.slug]),
        sources=content.shown_sources(MEDICINE_CAUTION_SOURCES),
    )
