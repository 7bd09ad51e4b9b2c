"""Sharing: the owner invites caregivers, changes roles, removes people, hands over
ownership and makes clinician links; everyone else may leave. Plus the activity log,
accepting an invitation, and the clinician's read-only page."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows import reauthentication
from allauth.core.exceptions import ReauthenticationRequired
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.services import diary_delete
from diary.access import DiaryAccess, diary_for
from diary.activity import activity_record
from diary.models import Activity, ActivityEntry, ClinicianLink, Invitation, Membership, Role, SharedRole
from diary.sharing import (
    CLINICIAN_LINK_DEFAULT_DAYS,
    SharingError,
    clinician_link_create,
    clinician_link_find,
    clinician_link_revoke,
    invitation_accept,
    invitation_create,
    invitation_email,
    invitation_find,
    invitation_withdraw,
    membership_remove,
    membership_set_role,
    ownership_transfer,
)

ACTIVITY_PER_PAGE = 50


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("What may they do?"), choices=SharedRole.choices, widget=forms.RadioSelect
    )
    email = forms.EmailField(
        label=gettext_lazy("Their email (optional)"),
        required=False,
        help_text=gettext_lazy(
            "If given, only that account can accept, and the link is emailed when this server sends email."
        ),
    )


class RoleForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=SharedRole.choices, required=False)


class ClinicianLinkForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("For whom (e.g. Dr Okafor's clinic)"), max_length=100, required=False)
    days = forms.IntegerField(
        label=gettext_lazy("Valid for how many days"), min_value=1, max_value=90, initial=CLINICIAN_LINK_DEFAULT_DAYS
    )


def _require_recent_sign_in(request: HttpRequest) -> None:
    # Changes to who may see a health record need a fresh sign-in (docs/security.md).
    if reauthentication.is_reauthentication_required(request, app=""):
        raise ReauthenticationRequired()


def _sharing_context(access: DiaryAccess, **extra: Any) -> dict[str, Any]:
    diary = access.diary
    return {
        "access": access,
        "diary": diary,
        "members": Membership.objects.filter(diary=diary).select_related("user").order_by("created_at"),
        "invitations": [
            i
            for i in Invitation.objects.filter(diary=diary, used_at__isnull=True, withdrawn_at__isnull=True)
            if i.is_open
        ],
        "links": [link for link in ClinicianLink.objects.filter(diary=diary, revoked_at__isnull=True) if link.is_open],
        "invite_form": InviteForm(),
        "link_form": ClinicianLinkForm(),
        "roles": SharedRole.choices,
        "nav": "sharing",
        **extra,
    }


def _member(access: DiaryAccess, raw: str | None) -> Membership:
    membership = (
        Membership.objects.filter(diary=access.diary, pk=int(raw)).select_related("user").first()
        if raw and raw.isdigit()
        else None
    )
    if membership is None:
        raise SharingError(_("That person does not share this diary."))
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.OWNER)
    _require_recent_sign_in(request)
    if request.method == "GET":
        return render(request, "diary/sharing.html", _sharing_context(access))
    action = request.POST.get("action", "")
    extra: dict[str, Any] = {}
    user = request.user
    try:
        if action == "invite":
            form = InviteForm(request.POST)
            if not form.is_valid():
                return render(request, "diary/sharing.html", _sharing_context(access, invite_form=form), status=400)
            invitation, token = invitation_create(
                diary=access.diary,
                role=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
                by=user,  # type: ignore[arg-type]
            )
            link = request.build_absolute_uri(reverse("invitation", args=[token]))
            invitation_email(invitation=invitation, link=link, by=user)  # type: ignore[arg-type]
            extra["new_invitation_link"] = link
        elif action == "withdraw":
            raw = request.POST.get("invitation", "")
            invitation = Invitation.objects.filter(diary=access.diary, pk=int(raw)).first() if raw.isdigit() else None
            if invitation is None:
                raise SharingError(_("That invitation is not in this diary."))
            invitation_withdraw(invitation=invitation)
            messages.success(request, _("Invitation withdrawn. The link no longer works."))
        elif action == "role":
            membership = _member(access, request.POST.get("membership"))
            membership_set_role(membership=membership, role=request.POST.get("role", ""))
            messages.success(
                request,
                _("%(name)s now: %(role)s.")
                % {"name": membership.user.shown_name, "role": membership.get_role_display()},
            )
        elif action == "remove":
            membership = _member(access, request.POST.get("membership"))
            membership_remove(membership=membership)
            messages.success(request, _("%(name)s no longer has access.") % {"name": membership.user.shown_name})
            if membership.user_id == user.pk:
                return redirect("home")
        elif action == "make_owner":
            membership = _member(access, request.POST.get("membership"))
            ownership_transfer(diary=access.diary, current=access.membership, to=membership)
            messages.success(
                request,
                _("%(name)s is now the owner. You can still log and edit.") % {"name": membership.user.shown_name},
            )
            return redirect("diary:today", diary_id=diary_id)
        elif action == "link":
            form = ClinicianLinkForm(request.POST)
            if not form.is_valid():
                return render(request, "diary/sharing.html", _sharing_context(access, link_form=form), status=400)
            _link, token = clinician_link_create(
                diary=access.diary,
                label=form.cleaned_data["label"],
                days=form.cleaned_data["days"],
                by=user,  # type: ignore[arg-type]
            )
            extra["new_clinician_link"] = request.build_absolute_uri(reverse("clinician_view", args=[token]))
        elif action == "revoke":
            raw = request.POST.get("link", "")
            link_obj = ClinicianLink.objects.filter(diary=access.diary, pk=int(raw)).first() if raw.isdigit() else None
            if link_obj is None:
                raise SharingError(_("That link is not in this diary."))
            clinician_link_revoke(link=link_obj)
            messages.success(request, _("Link revoked. It no longer opens the summary."))
        else:
            raise SharingError(_("Unknown action."))
    except SharingError as error:
        messages.error(request, str(error))
        return render(request, "diary/sharing.html", _sharing_context(access), status=400)
    if extra:
        return render(request, "diary/sharing.html", _sharing_context(access, **extra))
    return redirect("diary:sharing", diary_id=diary_id)


@login_required
@require_POST
def leave(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    try:
        membership_remove(membership=access.membership)
    except SharingError as error:
        messages.error(request, str(error))
        return redirect("accounts:account")
    messages.success(
        request, _("You no longer have access to the diary of %(name)s.") % {"name": access.diary.patient_name}
    )
    return redirect("home")


@login_required
@require_GET
def activity(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.OWNER)
    people = list(Membership.objects.filter(diary=access.diary).select_related("user"))
    entries = ActivityEntry.objects.filter(diary=access.diary).order_by("-at")
    person = request.GET.get("person", "")
    if person.isdigit():
        entries = entries.filter(user_id=int(person))
    elif person == "links":
        entries = entries.filter(user__isnull=True)
    page = Paginator(entries, ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "access": access,
        "diary": access.diary,
        "page": page,
        "people": people,
        "person": person,
        "nav": "sharing",
    }
    return render(request, "diary/activity.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = invitation_find(token)
    except SharingError as error:
        return render(request, "diary/invitation.html", {"error": str(error)}, status=410)
    if request.method == "POST":
        try:
            membership = invitation_accept(token=token, user=request.user)  # type: ignore[arg-type]
        except SharingError as error:
            return render(request, "diary/invitation.html", {"error": str(error)}, status=400)
        activity_record(
            diary=membership.diary,
            user=request.user,
            actor=request.user.shown_name,
            action=Activity.SHARED,  # type: ignore[union-attr]
            what=_("accepted an invitation"),
        )
        messages.success(request, _("You now share the diary of %(name)s.") % {"name": membership.diary.patient_name})
        return redirect("diary:today", diary_id=membership.diary_id)
    return render(request, "diary/invitation.html", {"invitation": found})


@require_GET
def clinician_view(request: HttpRequest, token: str) -> HttpResponse:
    link = clinician_link_find(token)
    if link is None:
        return render(request, "diary/clinician_closed.html", status=404)
    activity_record(
        diary=link.diary,
        user=None,
        actor=_("Clinician link: %(label)s") % {"label": link.label or _("no name")},
        action=Activity.VIEWED,
        what=_("the clinic summary"),
    )
    from diary.views.report import clinician_summary

    return clinician_summary(request, link)


class DeleteDiaryForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that everything in this diary is deleted for everyone, and cannot be undone."),
        required=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def diary_delete_view(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.OWNER)
    _require_recent_sign_in(request)
    form = DeleteDiaryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = access.diary.patient_name
        diary_delete(diary=access.diary)
        # The diary is gone: nothing left to log activity against.
        request.diary_access = None  # type: ignore[attr-defined]
        messages.success(request, _("The diary of %(name)s has been deleted.") % {"name": name})
        return redirect("home")
    status = 400 if form.is_bound else 200
    return render(
        request, "diary/diary_delete.html", {"access": access, "diary": access.diary, "form": form}, status=status
    )
