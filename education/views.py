"""LEMS basics, tips by topic and red-flag guidance: open to everyone.

These pages hold no personal data, and the red-flag page must be reachable by
anyone, signed in or not, in an emergency.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diary.access import diary_for
from diary.fragments import fragment_context
from diary.summary import tip_signals
from education import content
from education.models import TipFeedback
from education.selection import DISMISS_DAYS, ChosenTip
from education.services import tip_feedback_record, tips_for


def _sources(keys: tuple[str, ...]) -> tuple[content.ShownSource, ...]:
    """Only the sources patients may see, by title (education.sources explains which)."""
    return content.shown_sources(keys)


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


@login_required
@require_POST
def tip_feedback(request: HttpRequest, diary_id: int, tip_id: str, action: str) -> HttpResponse:
    """Dismiss a tip (it stays away for DISMISS_DAYS) or mark it helpful. Any member may: it is their own view."""
    access = diary_for(request, diary_id)
    if action not in TipFeedback.Action.values or content.tip(tip_id) is None:
        raise Http404
    tip_feedback_record(user=request.user, diary=access.diary, tip_id=tip_id, action=action, today=access.diary.today())  # type: ignore[arg-type]
    if action == TipFeedback.Action.DISMISSED:
        message = _("Tip hidden. It will not come back for %(days)d days.") % {"days": DISMISS_DAYS}
    else:
        message = _("Thank you. Marked as helpful.")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "education/_tip_feedback.html", {"message": message})
    messages.success(request, message)
    return redirect(
        request.POST.get("next")
        if url_has_allowed_host_and_scheme(request.POST.get("next"), allowed_hosts={request.get_host()})
        else reverse("diary:today", args=[diary_id])
    )  # type: ignore[arg-type]


@login_required
@require_GET
def diary_tips(request: HttpRequest, diary_id: int) -> HttpResponse:
    """One to three tips chosen from this diary's recent log, with the reason for each.

    Today and Trends load this after the page (htmx), so the log screen stays fast;
    without JavaScript it is a page of its own.
    """
    access = diary_for(request, diary_id)
    today = access.diary.today()
    template = "education/_tips.html" if request.htmx else "education/diary_tips.html"  # type: ignore[attr-defined]

    @functools.cache
    def chosen_tips() -> list[ChosenTip]:
        # Read only when the tips are not stored for this diary's revision, day and person.
        signals = tip_signals(diary=access.diary, today=today)
        return tips_for(user=request.user, diary=access.diary, signals=signals, today=today)  # type: ignore[arg-type]

    context = {
        "access": access,
        "diary": access.diary,
        "chosen_tips": chosen_tips,
        "tip_footer": content.TIP_FOOTER,
        "disclaimer": content.DISCLAIMER,
        "tip_actions": [
            (TipFeedback.Action.HELPFUL, _("Helpful")),
            (TipFeedback.Action.DISMISSED, _("Hide for %(days)d days") % {"days": DISMISS_DAYS}),
        ],
        # The choice depends on this person's feedback too; the page and the htmx part differ.
        **fragment_context(access, today, request.user.pk, template),
    }
    return render(request, template, context)
