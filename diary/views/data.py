"""All of a diary's data: download it (JSON, CSV) and import a file as a new diary (docs/export-format.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from diary.access import diary_for
from diary.activity import activity_record
from diary.export import FORMAT_VERSION, ImportRefused, export_csv_zip, export_json, import_json
from diary.forms_report import ImportForm
from diary.models import Activity


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def data(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    context = {"access": access, "diary": access.diary, "format_version": FORMAT_VERSION, "nav": "report"}
    return render(request, "diary/report/data.html", context)


@login_required
@require_GET
def export_json_view(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    day = access.diary.today().isoformat()
    return _attachment(export_json(diary=access.diary), "application/json", f"diary-export-{day}.json")


@login_required
@require_GET
def export_csv_view(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    day = access.diary.today().isoformat()
    return _attachment(export_csv_zip(diary=access.diary), "application/zip", f"diary-export-{day}-csv.zip")


@login_required
@require_http_methods(["GET", "POST"])
def diary_import(request: HttpRequest) -> HttpResponse:
    """Import a JSON export as a new diary owned by the person importing it (never into an existing one)."""
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    error = ""
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_json(raw=upload.read(), user=request.user)  # type: ignore[arg-type]
        except ImportRefused as refused:
            error = str(refused)
        else:
            activity_record(
                diary=result.diary,
                user=request.user,
                actor=request.user.shown_name,  # type: ignore[union-attr]
                action=Activity.LOGGED,
                what=_("the whole diary (imported from a file)"),
            )
            messages.success(
                request,
                _("Imported: the diary of %(name)s, with %(days)d days and %(total)d records in all.")
                % {
                    "name": result.diary.patient_name,
                    "days": result.counts["day_entries"],
                    "total": sum(result.counts.values()),
                },
            )
            return redirect("diary:today", diary_id=result.diary.pk)
    status = 400 if posted else 200
    return render(request, "diary/report/import.html", {"form": form, "error": error, "nav": "account"}, status=status)
