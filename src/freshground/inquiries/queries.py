"""Reads for inquiries: lists, one inquiry with its questions, aggregate results (cached), free text, CSV rows.

Aggregates are read from `Tally` rows (one per option, scale value and question, kept up to date by each submission
in its own transaction), so the results page costs the same with ten answers or ten million and is never stale.
"""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from freshground.core.permissions import is_person, is_site_admin
from freshground.inquiries import permissions as perms
from freshground.inquiries.models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    Answer,
    Inquiry,
    InquiryStatus,
    Option,
    Question,
    QuestionKind,
    Tally,
)


def _inquiries() -> QuerySet[Inquiry]:
    return Inquiry.objects.select_related("circle", "center")


def inquiry_by_slug(slug: str) -> Inquiry | None:
    return _inquiries().filter(slug=slug).first()


@dataclass
class InquiryLists:
    open: list[Inquiry]
    upcoming: list[Inquiry]
    closed: list[Inquiry]


def public_inquiries(limit: int = 100) -> InquiryLists:
    """Published and closed inquiries, split into open, not yet open and closed. One query."""
    today = timezone.localdate()
    rows = list(
        _inquiries()
        .filter(status__in=[InquiryStatus.PUBLISHED, InquiryStatus.CLOSED])
        .order_by("-opens_on", "-id")[: limit * 3]
    )
    lists = InquiryLists([], [], [])
    for inquiry in rows:
        if inquiry.is_open(today):
            lists.open.append(inquiry)
        elif inquiry.is_closed(today):
            lists.closed.append(inquiry)
        else:
            lists.upcoming.append(inquiry)
    lists.open, lists.upcoming, lists.closed = lists.open[:limit], lists.upcoming[:limit], lists.closed[:limit]
    return lists


def editable_inquiries(person: Any) -> list[Inquiry]:
    """Every inquiry person may edit, drafts first. Two queries whatever the number (plus cached role look-ups)."""
    if is_site_admin(person):
        return list(_inquiries().order_by("status", "-created_on", "-id")[:500])
    from freshground.network.models import CenterEditor, Membership, Role
    from freshground.reports.models import Reviewer

    if not is_person(person):
        return []
    circle_ids = set(Membership.objects.filter(person=person, role=Role.ORGANISER).values_list("circle_id", flat=True))
    center_ids = set(CenterEditor.objects.filter(person=person).values_list("center_id", flat=True))
    platform = False
    for circle_id, center_id in Reviewer.objects.filter(person=person).values_list(
        "desk__circle_id", "desk__center_id"
    ):
        if circle_id:
            circle_ids.add(circle_id)
        elif center_id:
            center_ids.add(center_id)
        else:
            platform = True
    condition = Q(circle_id__in=circle_ids) | Q(center_id__in=center_ids)
    if platform:
        condition |= Q(circle__isnull=True, center__isnull=True)
    return list(_inquiries().filter(condition).order_by("status", "-created_on", "-id")[:500])


def questions_of(inquiry: Inquiry) -> list[Question]:
    return list(
        inquiry.questions.order_by("position", "id").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position", "id"))
        )
    )


# Results


@dataclass
class QuestionResult:
    question_id: int
    position: int
    kind: str
    text: str
    answered: int  # how many submissions answered it (for multiple choice: people, not selections)
    rows: list[tuple[str, int]] = field(default_factory=list)  # (option text or scale value, count)
    scale_min_label: str = ""
    scale_max_label: str = ""

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS


@dataclass
class Results:
    answer_count: int
    questions: list[QuestionResult]


def _results(inquiry: Inquiry, questions: list[Question]) -> Results:
    counts: dict[int, dict[tuple[int | None, int | None], int]] = defaultdict(dict)
    for question_id, option_id, number, n in Tally.objects.filter(
        question_id__in=[q.pk for q in questions]
    ).values_list("question_id", "option_id", "number", "count"):
        counts[question_id][(option_id, number)] = n
    results = []
    for question in questions:
        tally = counts.get(question.pk, {})
        result = QuestionResult(
            question_id=question.pk,
            position=question.position,
            kind=question.kind,
            text=question.text,
            answered=tally.get((None, None), 0),
            scale_min_label=question.scale_min_label,
            scale_max_label=question.scale_max_label,
        )
        if question.kind in CHOICE_KINDS:
            result.rows = [(option.text, tally.get((option.pk, None), 0)) for option in question.options.all()]
        elif question.kind == QuestionKind.SCALE:
            result.rows = [(str(value), tally.get((None, value), 0)) for value in question.scale_values]
        results.append(result)
    return Results(answer_count=inquiry.answer_count, questions=results)


def results_of(inquiry: Inquiry) -> Results | None:
    """The aggregate results, or None below k. Read from the tallies, never from the answers: three queries (the
    questions, their options, the tally rows — a few per question) whatever the number of answers."""
    if not perms.reaches_k(inquiry):
        return None
    return _results(inquiry, questions_of(inquiry))


@dataclass
class FreeText:
    question: Question
    texts: list[str]


def free_texts(inquiry: Inquiry) -> list[FreeText]:
    """Free-text answers per text question, in random order, without dates or any grouping. Editors only (the view
    checks can_see_free_text)."""
    questions = [q for q in questions_of(inquiry) if q.is_text]
    by_question: dict[int, list[str]] = defaultdict(list)
    for question_id, text in Answer.objects.filter(question__in=questions).values_list("question_id", "text"):
        by_question[question_id].append(text)
    rng = random.SystemRandom()
    out = []
    for question in questions:
        texts = by_question.get(question.pk, [])
        rng.shuffle(texts)
        out.append(FreeText(question, texts))
    return out


def csv_rows(inquiry: Inquiry) -> Iterator[list[str]]:
    """The export: a header of questions, then one row per submission. Rows come in the order of their random
    `response` number (unrelated to time), and carry no id, date or anything else but the answers."""
    questions = questions_of(inquiry)
    options = {option.pk: option.text for q in questions for option in q.options.all()}
    column = {q.pk: i for i, q in enumerate(questions)}
    yield [q.text for q in questions]
    current: int | None = None
    row: list[list[str]] = []
    answers = (
        Answer.objects.filter(question__in=questions)
        .order_by("response", "question_id", "option_id")  # options in their order within a cell (ids follow it)
        .values_list("response", "question_id", "option_id", "number", "text")
        .iterator(chunk_size=5000)
    )
    for response, question_id, option_id, number, text in answers:
        if response != current:
            if current is not None:
                yield ["; ".join(cell) for cell in row]
            current = response
            row = [[] for _q in questions]
        if option_id is not None:
            value = options.get(option_id, "")
        elif number is not None:
            value = str(number)
        else:
            value = text
        row[column[question_id]].append(value)
    if current is not None:
        yield ["; ".join(cell) for cell in row]


def _safe_cell(value: str) -> str:
    # Spreadsheet formula injection: a cell starting with =, +, - or @ would run as a formula in Excel/LibreOffice.
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_lines(inquiry: Inquiry) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in csv_rows(inquiry):
        writer.writerow([_safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def owner_choices(person: Any) -> list[tuple[str, str]]:
    """Whom person may start an inquiry for, as form choices: "" (the platform), "circle:<slug>", "center:<slug>"."""
    from django.utils.translation import gettext as _

    from freshground.network.models import Center, Circle
    from freshground.reports.models import Reviewer

    if not is_person(person):
        return []
    choices: list[tuple[str, str]] = []
    reviewed = list(Reviewer.objects.filter(person=person).values_list("desk__circle_id", "desk__center_id"))
    if is_site_admin(person) or any(c is None and k is None for c, k in reviewed):
        choices.append(("", _("The platform's editors")))
    circles = Circle.objects.filter(
        Q(memberships__person=person, memberships__role="organiser") | Q(pk__in=[c for c, _k in reviewed if c])
    ).distinct()
    centers = Center.objects.filter(Q(editors=person) | Q(pk__in=[k for _c, k in reviewed if k])).distinct()
    choices += [(f"circle:{circle.slug}", circle.name) for circle in circles.order_by("name")]
    choices += [(f"center:{center.slug}", center.name) for center in centers.order_by("name")]
    return choices
