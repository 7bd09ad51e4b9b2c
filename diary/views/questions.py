"""Questions for the next visit: everyone who shares the diary reads them; editors change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diary.access import DiaryAccess, diary_for
from diary.forms_report import QuestionDoneForm, QuestionForm, QuestionMoveForm
from diary.models import Role, VisitQuestion
from diary.questions import (
    question_add,
    question_delete,
    question_dismiss,
    question_keep,
    question_move,
    question_set_done,
    question_update,
)
from diary.report import REPORT_QUESTIONS


def _question(access: DiaryAccess, question_id: int) -> VisitQuestion:
    found = VisitQuestion.objects.filter(diary=access.diary, pk=question_id).first()
    if found is None:
        raise Http404
    return found


def _list_page(request: HttpRequest, access: DiaryAccess, form: QuestionForm, *, status: int = 200) -> HttpResponse:
    questions = list(
        VisitQuestion.objects.filter(diary=access.diary, dismissed_at__isnull=True).order_by("done", "order", "pk")
    )
    context = {
        "access": access,
        "diary": access.diary,
        "suggested_questions": [q for q in questions if q.suggested and not q.done],
        "open_questions": [q for q in questions if not q.done and not q.suggested],
        "done_questions": [q for q in questions if q.done],
        "on_report": REPORT_QUESTIONS,
        "form": form,
        "nav": "report",
    }
    return render(request, "diary/report/questions.html", context, status=status)


@login_required
@require_GET
def questions(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id)
    return _list_page(request, access, QuestionForm())


@login_required
@require_POST
def question_add_view(request: HttpRequest, diary_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _list_page(request, access, form, status=400)
    question_add(diary=access.diary, text=form.cleaned_data["text"], by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Question added."))
    return redirect("diary:questions", diary_id=diary_id)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, diary_id: int, question_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    question = _question(access, question_id)
    form = QuestionForm(request.POST if request.method == "POST" else None, initial={"text": question.text})
    if request.method == "POST" and form.is_valid():
        question_update(question=question, text=form.cleaned_data["text"], by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Question saved."))
        return redirect("diary:questions", diary_id=diary_id)
    context = {"access": access, "diary": access.diary, "form": form, "question": question, "nav": "report"}
    return render(request, "diary/report/question_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def question_done(request: HttpRequest, diary_id: int, question_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    question = _question(access, question_id)
    form = QuestionDoneForm(request.POST)
    done = form.cleaned_data["done"] if form.is_valid() else not question.done
    question_set_done(question=question, done=bool(done), by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Ticked off.") if done else _("Back on the list."))
    return redirect("diary:questions", diary_id=diary_id)


@login_required
@require_POST
def question_move_view(request: HttpRequest, diary_id: int, question_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    question = _question(access, question_id)
    form = QuestionMoveForm(request.POST)
    if form.is_valid():
        question_move(question=question, up=form.cleaned_data["direction"] == "up", by=request.user)  # type: ignore[arg-type]
    else:
        messages.error(request, _("Choose to move the question up or down."))
    return redirect("diary:questions", diary_id=diary_id)


@login_required
@require_POST
def question_delete_view(request: HttpRequest, diary_id: int, question_id: int) -> HttpResponse:
    access = diary_for(request, diary_id, need=Role.EDITOR)
    question_delete(question=_question(access, question_id))
    messages.success(request, _("Question deleted."))
    return redirect("diary:questions", diary_id=diary_id)


@login_required
@require_POST
def question_suggestion(request: HttpRequest, diary_id: int, question_id: int, choice: str) -> HttpResponse:
    """Keep a question the diary suggested, or dismiss it."""
    access = diary_for(request, diary_id, need=Role.EDITOR)
    if choice not in ("keep", "dismiss"):
        raise Http404
    question = _question(access, question_id)
    if not question.suggested:
        # A second tap, or someone sharing the diary was quicker: nothing left to decide.
        messages.info(request, _("This suggestion has already been dealt with."))
    elif choice == "keep":
        question_keep(question=question, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Question kept for your visit."))
    else:
        question_dismiss(question=question, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Suggestion dismissed."))
    return redirect("diary:questions", diary_id=diary_id)
