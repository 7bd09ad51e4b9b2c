"""Medications as the prescriber gave them; changes keep the old prescription as history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from diary.access import DiaryAccess, diary_for
from diary.forms_logging import MedicationChangeForm, MedicationForm, MedicationStopForm
from diary.models import Medication, Role
from diary.record_services import medication_create
from diary.services import medication_replace, medication_stop


def _medication(access: DiaryAccess, medication_id: int) -> Medication:
    medication = Medication.objects.filter(diary=access.diary, pk=medication_id).first()
    if medication is None:
        raise Http404
    return medication


@login_required
@require_GET
def medication_list(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    today = access.diary.today()
    medications = list(Medication.objects.filter(diary=access.diary).select_related("updated_by"))
    current = [m for m in medications if m.start_date <= today and (m.end_date is None or m.end_date >= today)]
    upcoming = [m for m in medications if m.start_date > today]
    past = sorted(
        (m for m in medications if m.end_date is not None and m.end_date < today),
        key=lambda m: m.end_date,
        reverse=True,
    )  # type: ignore[arg-type, return-value]
    context = {
        "access": access,
        "diary": access.diary,
        "current": current,
        "upcoming": upcoming,
        "past": past,
        "nav": "medicines",
    }
    return render(request, "diary/medications.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def medication_add(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    form = MedicationForm(
        request.POST if request.method == "POST" else None,
        diary=access.diary,
        initial={"start_date": access.diary.today(), "unit": "mg"},
    )
    if request.method == "POST" and form.is_valid():
        medication = medication_create(
            diary=access.diary,
            values={name: form.cleaned_data[name] for name in MedicationForm.Meta.fields},
            times=form.cleaned_data["times"],
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("%(name)s added.") % {"name": medication.display_name})
        return redirect("diary:medications", diary_id=diary_id)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "diary/medication_form.html",
        {"access": access, "diary": access.diary, "form": form, "nav": "medicines"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def medication_change(request: HttpRequest, diary_id: int, medication_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    current = _medication(access, medication_id)
    if current.end_date is not None and current.end_date < access.diary.today():
        messages.error(request, _("This prescription has ended. Add a new one instead."))
        return redirect("diary:medications", diary_id=diary_id)
    form = MedicationChangeForm(
        request.POST if request.method == "POST" else None,
        instance=current,
        diary=access.diary,
        initial={"change_from": access.diary.today()},
    )
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in MedicationChangeForm.Meta.fields}
        changes["times"] = form.cleaned_data["times"]
        # The form must not write the old row: a change is a new version.
        current.refresh_from_db()
        new = medication_replace(
            current=current, changes=changes, from_day=form.cleaned_data["change_from"], by=request.user
        )  # type: ignore[arg-type]
        messages.success(
            request,
            _("%(name)s changed. The earlier prescription is kept in the history.") % {"name": new.display_name},
        )
        return redirect("diary:medications", diary_id=diary_id)
    status = 400 if form.is_bound else 200
    context = {"access": access, "diary": access.diary, "form": form, "medication": current, "nav": "medicines"}
    return render(request, "diary/medication_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def medication_stop_view(request: HttpRequest, diary_id: int, medication_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    medication = _medication(access, medication_id)
    form = MedicationStopForm(
        request.POST if request.method == "POST" else None, initial={"stop_on": access.diary.today()}
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["stop_on"] < medication.start_date:
            form.add_error(
                "stop_on", _("The last day cannot be before the first day (%(day)s).") % {"day": medication.start_date}
            )
        else:
            medication_stop(medication=medication, on=form.cleaned_data["stop_on"], by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("%(name)s stopped.") % {"name": medication.display_name})
            return redirect("diary:medications", diary_id=diary_id)
    status = 400 if form.is_bound else 200
    context = {"access": access, "diary": access.diary, "form": form, "medication": medication, "nav": "medicines"}
    return render(request, "diary/medication_stop.html", context, status=status)
