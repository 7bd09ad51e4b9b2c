"""The activity log (docs/security.md; HIPAA 164.312(b)).

Every successful change to a diary, every read by someone other than its owner,
and every download is recorded with who, what (in words, never the health
content) and when. One middleware does it for every view, so a new view cannot
forget: views reach a diary only through ``diary_for``, which marks the request.
The same middleware marks the diary changed after every successful POST (a new
``Diary.revision``), so no view can leave a stale page in diary.pagecache. A logging
view (diary.transactions) writes both inside its own transaction instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diary.models import Activity, ActivityEntry, Diary
from diary.services import diary_touch

#: URL name -> what a person reads in the log.
WHAT: dict[str, object] = {
    "diary:today": _("Today"),
    "diary:day": _("a diary day"),
    "diary:history": _("History"),
    "diary:day_save": _("a diary day"),
    "diary:day_field": _("a rating"),
    "diary:day_note": _("a note"),
    "diary:quick_check": _("a quick check"),
    "diary:medications": _("Medicines"),
    "diary:medication_add": _("a medicine"),
    "diary:medication_change": _("a medicine"),
    "diary:medication_stop": _("a medicine"),
    "diary:dose_take": _("a dose"),
    "diary:dose_detail": _("a dose"),
    "diary:rest_start": _("a rest"),
    "diary:rest_end": _("a rest"),
    "diary:rest_add": _("a rest"),
    "diary:treatments": _("Treatments"),
    "diary:treatment_add": _("a treatment session"),
    "diary:treatment_edit": _("a treatment session"),
    "diary:events": _("Events"),
    "diary:event_add": _("an event"),
    "diary:event_guidance": _("an event's guidance"),
    "diary:side_effect_guidance": _("a side effect's guidance"),
    "diary:weekly": _("the weekly questions"),
    "diary:trends": _("Trends"),
    "diary:tip_feedback": _("a tip"),
    "diary:tips": _("tips"),
    "diary:sharing": _("sharing"),
    "diary:leave": _("their own access (left the diary)"),
    "diary:activity": _("the activity log"),
    "diary:report": _("Clinic summary"),
    "diary:report_make": _("the clinic summary"),
    "diary:report_print": _("the clinic summary (print page)"),
    "diary:questions": _("Questions for the visit"),
    "diary:question_add": _("a question for the visit"),
    "diary:question_edit": _("a question for the visit"),
    "diary:question_done": _("a question for the visit"),
    "diary:question_move": _("a question for the visit"),
    "diary:question_delete": _("a question for the visit"),
    "diary:question_suggestion": _("a suggested question for the visit"),
    "diary:data": _("All your data"),
    "diary:export_json": _("all the diary's data (JSON)"),
    "diary:export_csv": _("all the diary's data (CSV)"),
}
#: Views that hand out the diary's data: logged for everyone, the owner included.
EXPORTS: set[str] = {"diary:report_make", "diary:report_print", "diary:export_json", "diary:export_csv"}
SHARING: set[str] = {"diary:sharing", "diary:leave"}


def activity_record(*, diary: Diary, user: object | None, actor: str, action: str, what: str) -> None:
    ActivityEntry.objects.create(
        diary=diary,
        user=user if getattr(user, "is_authenticated", False) else None,
        actor=actor[:150],
        action=action,
        what=what[:150],
        at=timezone.now(),
    )


def activity_write(request: HttpRequest, response: HttpResponse, touched: set[int]) -> None:
    """The log entry of this request, if it needs one, and every changed diary's new revision."""
    access = getattr(request, "diary_access", None)
    action = None
    if access is not None and response.status_code < 400:
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in EXPORTS:
            action = Activity.EXPORTED
        elif name in SHARING and request.method == "POST":
            action = Activity.SHARED
        elif request.method == "POST":
            action = Activity.LOGGED
        elif not access.is_owner:
            action = Activity.VIEWED
        if request.method == "POST":
            # Whatever the POST changed, the diary's cached pages must not be served again.
            touched = touched | {access.diary.pk}
    if action is None and not touched:
        return
    # Inside a logging view's one transaction no savepoint is needed: a failure here fails the request.
    with transaction.atomic(savepoint=False):
        if action is not None:
            activity_record(
                diary=access.diary,  # type: ignore[union-attr]
                user=request.user,
                actor=request.user.shown_name,  # type: ignore[union-attr]
                action=action,
                what=str(WHAT.get(name, name)),
            )
        diary_touch(*touched)


def activity_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        # A logging view (diary.transactions) writes its own, inside its transaction, or nothing if it failed.
        if not getattr(request, "in_logging_view", False):
            activity_write(request, response, set())
        return response

    return middleware
