"""The front door: send a signed-in person to their diary, or to create one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from diary.forms import DiaryForm
from diary.models import Membership
from diary.services import diary_create


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "diary/welcome.html")
    membership = Membership.objects.filter(user=request.user).order_by("-role", "created_at").first()
    if membership is None:
        return redirect("diary:new")
    return redirect("diary:today", diary_id=membership.diary_id)


@login_required
@require_http_methods(["GET", "POST"])
def diary_new(request: HttpRequest) -> HttpResponse:
    form = DiaryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        diary = diary_create(
            owner=request.user,  # type: ignore[arg-type]
            patient_name=form.cleaned_data["patient_name"],
            time_zone=form.cleaned_data["time_zone"],
        )
        return redirect("diary:today", diary_id=diary.pk)
    return render(request, "diary/diary_new.html", {"form": form})
