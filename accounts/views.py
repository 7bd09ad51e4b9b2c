"""The account page: the person's name, and links to sign-in security (allauth)."""

from __future__ import annotations

from allauth.account.internal.flows import reauthentication
from allauth.core.exceptions import ReauthenticationRequired
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm
from accounts.services import account_delete, diaries_only_owned_by
from diary.models import Membership
from diary.services import diaries_touch_for


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            diaries_touch_for(request.user)  # type: ignore[arg-type]
        messages.success(request, _("Your name is saved."))
        return redirect("accounts:account")
    memberships = Membership.objects.filter(user=request.user).select_related("diary").order_by("diary__patient_name")
    return render(request, "accounts/account.html", {"form": form, "memberships": memberships, "nav": "account"})


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that this deletes my account and the diaries listed above, and cannot be undone."
        ),
        required=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request: HttpRequest) -> HttpResponse:
    if reauthentication.is_reauthentication_required(request, app=""):
        raise ReauthenticationRequired()
    user = request.user
    doomed = diaries_only_owned_by(user)  # type: ignore[arg-type]
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        account_delete(user=user)  # type: ignore[arg-type]
        logout(request)
        messages.success(request, _("Your account and its data have been deleted."))
        return redirect("home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/delete.html", {"form": form, "doomed": doomed, "nav": "account"}, status=status)
