"""The account page: the person's name, and links to sign-in security (allauth)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm
from diary.models import Membership


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your name is saved."))
        return redirect("accounts:account")
    memberships = Membership.objects.filter(user=request.user).select_related("diary").order_by("diary__patient_name")
    return render(request, "accounts/account.html", {"form": form, "memberships": memberships, "nav": "account"})
