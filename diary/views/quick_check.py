"""Quick check: strength and fatigue at this moment, two taps from Today."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diary.access import diary_for
from diary.forms import QuickCheckForm
from diary.models import Role
from diary.services import quick_check_save


@login_required
@require_POST
def quick_check(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    form = QuickCheckForm(request.POST)
    if not form.is_valid():
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "diary/day.html#quick_check",
                {"quick_form": form, "diary": access.diary, "access": access},
                status=400,
            )
        for error in form.non_field_errors() + [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
        return redirect("diary:today", diary_id=diary_id)
    check = quick_check_save(
        diary=access.diary,
        token=form.cleaned_data["token"],
        by=request.user,  # type: ignore[arg-type]
        strength=form.cleaned_data["strength"],
        fatigue=form.cleaned_data["fatigue"],
        note=form.cleaned_data["note"] or None,
    )
    complete = check.strength is not None and check.fatigue is not None
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Quick check saved."))
        return redirect("diary:today", diary_id=diary_id)
    # Once both numbers are in, a fresh form (new token) is ready for the next check.
    next_form = QuickCheckForm(initial={"token": uuid.uuid4()}) if complete else form
    context = {
        "quick_form": next_form,
        "diary": access.diary,
        "access": access,
        "saved_check": check,
        "complete": complete,
    }
    return render(request, "diary/day.html#quick_check", context)
