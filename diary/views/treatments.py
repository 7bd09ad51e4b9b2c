"""Treatment sessions: IVIG, plasma exchange, rituximab, chemotherapy and others."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from diary.access import diary_for
from diary.forms_logging import TreatmentForm
from diary.models import Role, TreatmentSession
from diary.record_services import treatment_session_save


@login_required
@require_GET
def treatment_list(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    sessions = TreatmentSession.objects.filter(diary=access.diary).select_related("created_by").order_by("-date")
    context = {"access": access, "diary": access.diary, "sessions": sessions, "nav": "treatments"}
    return render(request, "diary/treatments.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def treatment_edit(request: HttpRequest, diary_id: int, session_id: int | None = None) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    session = None
    if session_id is not None:
        session = TreatmentSession.objects.filter(diary=access.diary, pk=session_id).first()
        if session is None:
            raise Http404
    form = TreatmentForm(
        request.POST if request.method == "POST" else None,
        instance=session,
        diary=access.diary,
        initial={"date": access.diary.today()},
    )
    if request.method == "POST" and form.is_valid():
        treatment_session_save(
            diary=access.diary,
            values={name: form.cleaned_data[name] for name in TreatmentForm.Meta.fields},
            by=request.user,  # type: ignore[arg-type]
            session=session,
        )
        messages.success(request, _("Treatment session saved."))
        return redirect("diary:treatments", diary_id=diary_id)
    status = 400 if form.is_bound else 200
    context = {"access": access, "diary": access.diary, "form": form, "session": session, "nav": "treatments"}
    return render(request, "diary/treatment_form.html", context, status=status)
