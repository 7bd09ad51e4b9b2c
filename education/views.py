"""LEMS basics, tips by topic and red-flag guidance: open to everyone.

These pages hold no personal data, and the red-flag page must be reachable by
anyone, signed in or not, in an emergency.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from education import content


def _sources(keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"key": key, "label": content.SOURCES.get(key, key), "url": content.source_url(key)} for key in keys]


@require_GET
def learn(request: HttpRequest) -> HttpResponse:
    return render(request, "education/learn.html", {"pages": content.learn_pages(), "nav": "learn"})


@require_GET
def learn_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = content.learn_page(slug)
    if page is None:
        raise Http404
    context = {"page": page, "sources": _sources(page.sources), "disclaimer": content.DISCLAIMER, "nav": "learn"}
    return render(request, "education/learn_page.html", context)


@require_GET
def tips(request: HttpRequest) -> HttpResponse:
    groups = [
        {
            "key": key,
            "label": content.TOPICS[key],
            "tips": [{"tip": tip, "sources": _sources(tip.sources)} for tip in found],
        }
        for key, found in content.tips_by_topic().items()
    ]
    context = {"groups": groups, "footer": content.TIP_FOOTER, "disclaimer": content.DISCLAIMER, "nav": "learn"}
    return render(request, "education/tips.html", context)


@require_GET
def red_flags(request: HttpRequest) -> HttpResponse:
    guidance = content.red_flags()
    context = {
        "guidance": guidance,
        "levels": [guidance.emergency, guidance.urgent, guidance.discuss],
        "number": content.emergency_number(),
        "sources": _sources(guidance.sources),
        "disclaimer": content.DISCLAIMER,
        "nav": "learn",
    }
    return render(request, "education/red_flags.html", context)
