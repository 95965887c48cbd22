"""Builders shared by the inquiry tests."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from freshground.inquiries import services
from freshground.inquiries.models import Inquiry, InquiryStatus, Question, QuestionKind
from freshground.inquiries.services import InquiryFields, QuestionFields


def make_inquiry(editor: Any, *, circle=None, center=None, title: str = "Conditions in warehouses", publish=True):
    inquiry = services.create_inquiry(
        editor, fields=InquiryFields(title=title, introduction="Tell us **how** it is."), circle=circle, center=center
    )
    services.add_question(
        editor,
        inquiry,
        fields=QuestionFields(
            kind=QuestionKind.SINGLE, text="Do you get breaks?", required=True, options=["Yes", "No"]
        ),
    )
    services.add_question(
        editor,
        inquiry,
        fields=QuestionFields(kind=QuestionKind.MULTIPLE, text="What is hard?", options=["Heat", "Pace", "Pay"]),
    )
    services.add_question(
        editor,
        inquiry,
        fields=QuestionFields(
            kind=QuestionKind.SCALE,
            text="Safety",
            scale_min=1,
            scale_max=5,
            scale_min_label="bad",
            scale_max_label="good",
        ),
    )
    services.add_question(editor, inquiry, fields=QuestionFields(kind=QuestionKind.LONG_TEXT, text="Anything else?"))
    if publish:
        services.publish_inquiry(editor, inquiry)
    inquiry.refresh_from_db()
    return inquiry


def questions(inquiry: Inquiry) -> list[Question]:
    return list(inquiry.questions.prefetch_related("options").order_by("position"))


def answer(inquiry: Inquiry, *, choice: int = 0, picks=(0, 1), scale: int = 4, text: str = "It is hot.") -> int:
    single, multiple, scale_q, text_q = questions(inquiry)
    options = list(single.options.all())
    multi = list(multiple.options.all())
    return services.submit_answers(
        inquiry=inquiry,
        answers={
            single.pk: options[choice].pk,
            multiple.pk: [multi[i].pk for i in picks],
            scale_q.pk: scale,
            text_q.pk: text,
        },
        token=services.issue_token(inquiry),
    )


def fill(inquiry: Inquiry, n: int, **kwargs: Any) -> None:
    for _ in range(n):
        answer(inquiry, **kwargs)
    inquiry.refresh_from_db()


def clear_cache() -> None:
    cache.clear()


__all__ = ["InquiryStatus", "answer", "clear_cache", "fill", "make_inquiry", "questions"]
