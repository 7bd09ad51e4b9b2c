"""Questions for the next clinic visit: add, change, tick off, reorder.

The first three open questions, in the person's order, go on the clinic summary.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from diary.models import Diary, VisitQuestion
from diary.services import diary_touch


def question_add(*, diary: Diary, text: str, by: User) -> VisitQuestion:
    with transaction.atomic():
        # Two people adding at once wait for each other, so each question gets its own place.
        Diary.objects.select_for_update().filter(pk=diary.pk).first()
        last = VisitQuestion.objects.filter(diary=diary).aggregate(last=Max("order"))["last"]
        return VisitQuestion.objects.create(diary=diary, text=text, order=(last or 0) + 1, created_by=by, updated_by=by)


def question_keep(*, question: VisitQuestion, by: User) -> VisitQuestion:
    """A question the diary suggested becomes the person's own: it joins the list and the report."""
    question.suggested = False
    question.updated_by = by
    question.updated_at = timezone.now()
    question.save(update_fields=["suggested", "updated_by", "updated_at"])
    return question


def question_dismiss(*, question: VisitQuestion, by: User) -> VisitQuestion:
    """A suggestion the person does not want: hidden, and not suggested again for a while."""
    question.suggested = False
    question.dismissed_at = timezone.now()
    question.updated_by = by
    question.updated_at = question.dismissed_at
    question.save(update_fields=["suggested", "dismissed_at", "updated_by", "updated_at"])
    return question


def question_update(*, question: VisitQuestion, text: str, by: User) -> VisitQuestion:
    question.text = text
    question.updated_by = by
    question.updated_at = timezone.now()
    question.save(update_fields=["text", "updated_by", "updated_at"])
    return question


def question_set_done(*, question: VisitQuestion, done: bool, by: User) -> VisitQuestion:
    question.done = done
    question.updated_by = by
    question.updated_at = timezone.now()
    question.save(update_fields=["done", "updated_by", "updated_at"])
    return question


def question_move(*, question: VisitQuestion, up: bool, by: User) -> None:
    """Swap an open question with the one above (or below) it; the order is renumbered 1, 2, 3 ..."""
    with transaction.atomic():
        open_questions = list(
            VisitQuestion.objects.select_for_update()
            .filter(diary_id=question.diary_id, done=False)
            .order_by("order", "pk")
        )
        index = next((i for i, q in enumerate(open_questions) if q.pk == question.pk), None)
        if index is None:
            return
        other = index - 1 if up else index + 1
        if not 0 <= other < len(open_questions):
            return
        open_questions[index], open_questions[other] = open_questions[other], open_questions[index]
        now = timezone.now()
        for position, item in enumerate(open_questions, start=1):
            item.order = position
        open_questions[index].updated_by = by
        open_questions[index].updated_at = now
        open_questions[other].updated_by = by
        open_questions[other].updated_at = now
        VisitQuestion.objects.bulk_update(open_questions, ["order", "updated_by", "updated_at"])
        diary_touch(question.diary_id)


def question_delete(*, question: VisitQuestion) -> None:
    with transaction.atomic():
        question.delete()
        diary_touch(question.diary_id)
