"""Every write to inquiries. Editors' actions take the acting person first; answering takes no person at all.

`submit_answers` deliberately has no actor: an answer is never linked to an account, a session or a request. Double
submission (a second click, a reload after POST) is caught with the form's signed, single-use token, remembered in
the cache as a keyed hash for as long as the token is valid and never in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.text import unique_slug
from freshground.inquiries import permissions as perms
from freshground.inquiries.models import (
    SHORT_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Answer,
    Inquiry,
    InquiryStatus,
    Option,
    Question,
    QuestionKind,
    Tally,
    random_key,
)
from freshground.network.models import Center, Circle
from freshground.people.models import Person

TOKEN_SALT = "freshground.inquiries.answer-form"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 24 * 3600  # a form left open for a day still works
MAX_OPTIONS = 30
MAX_QUESTIONS = 60


@dataclass(frozen=True)
class InquiryFields:
    title: str
    introduction: str = ""
    sector: str = ""
    sector_detail: str = ""
    region: str = ""
    opens_on: date | None = None
    closes_on: date | None = None


@dataclass(frozen=True)
class QuestionFields:
    kind: str
    text: str
    help_text: str = ""
    required: bool = False
    options: Sequence[str] = ()
    scale_min: int = 1
    scale_max: int = 5
    scale_min_label: str = ""
    scale_max_label: str = ""


def _check_inquiry_fields(fields: InquiryFields) -> None:
    if not fields.title.strip():
        raise DomainError(_("Give the inquiry a title."), field="title")
    if fields.opens_on and fields.closes_on and fields.closes_on < fields.opens_on:
        raise DomainError(_("An inquiry cannot close before it opens."), field="closes_on")


def create_inquiry(
    actor: Person, *, fields: InquiryFields, circle: Circle | None = None, center: Center | None = None
) -> Inquiry:
    if circle is not None and center is not None:
        raise DomainError(_("An inquiry belongs to one circle or one center, not both."), field="owner")
    if not perms.can_create_for(actor, circle=circle, center=center):
        raise PermissionDenied(_("You cannot start an inquiry in that name."), field="owner")
    _check_inquiry_fields(fields)
    with transaction.atomic():
        inquiry = Inquiry(circle=circle, center=center, created_by=actor, **_field_values(fields))
        inquiry.slug = unique_slug(Inquiry, fields.title)
        inquiry.save()
    return inquiry


def _field_values(fields: InquiryFields) -> dict[str, object]:
    return {
        "title": fields.title.strip(),
        "introduction": fields.introduction.strip(),
        "sector": fields.sector,
        "sector_detail": fields.sector_detail.strip(),
        "region": fields.region.strip(),
        "opens_on": fields.opens_on,
        "closes_on": fields.closes_on,
    }


def update_inquiry(actor: Person, inquiry: Inquiry, *, fields: InquiryFields) -> Inquiry:
    if not perms.can_edit_inquiry(actor, inquiry):
        raise PermissionDenied(_("Only the inquiry's editors can change it."))
    _check_inquiry_fields(fields)
    for name, value in _field_values(fields).items():
        setattr(inquiry, name, value)
    inquiry.save()
    return inquiry


def publish_inquiry(actor: Person, inquiry: Inquiry) -> Inquiry:
    if not perms.can_publish(actor, inquiry):
        raise PermissionDenied(_("Only the inquiry's editors can publish a draft."))
    if not inquiry.questions.exists():
        raise DomainError(_("Add at least one question before publishing."))
    today = timezone.localdate()
    inquiry.status = InquiryStatus.PUBLISHED
    if inquiry.opens_on is None:
        inquiry.opens_on = today
    if inquiry.closes_on is not None and inquiry.closes_on < inquiry.opens_on:
        raise DomainError(_("An inquiry cannot close before it opens."), field="closes_on")
    inquiry.save(update_fields=["status", "opens_on"])
    return inquiry


def close_inquiry(actor: Person, inquiry: Inquiry) -> Inquiry:
    if not perms.can_close(actor, inquiry):
        raise PermissionDenied(_("Only the inquiry's editors can close it."))
    inquiry.status = InquiryStatus.CLOSED
    inquiry.save(update_fields=["status"])
    return inquiry


# Questions


def _check_question(fields: QuestionFields) -> list[str]:
    if fields.kind not in QuestionKind.values:
        raise DomainError(_("Choose what kind of answer the question takes."), field="kind")
    if not fields.text.strip():
        raise DomainError(_("Write the question."), field="text")
    options = [" ".join(option.split()) for option in fields.options]
    options = [option for option in options if option]
    if fields.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(options) < 2:
            raise DomainError(_("A choice needs at least two options, one a line."), field="options")
        if len(options) > MAX_OPTIONS:
            raise DomainError(_("At most %(n)d options.") % {"n": MAX_OPTIONS}, field="options")
        if len(set(options)) != len(options):
            raise DomainError(_("Two options have the same text."), field="options")
        if any(len(option) > 200 for option in options):
            raise DomainError(_("An option is longer than 200 characters."), field="options")
    if fields.kind == QuestionKind.SCALE and not (0 <= fields.scale_min < fields.scale_max <= 10):
        raise DomainError(_("A scale runs from a lower to a higher number between 0 and 10."), field="scale_max")
    return options


def _require_builder(actor: Person, inquiry: Inquiry) -> None:
    if not perms.can_edit_inquiry(actor, inquiry):
        raise PermissionDenied(_("Only the inquiry's editors can change its questions."))
    if not perms.can_edit_questions(actor, inquiry):
        raise Conflict(_("Answers have come in: the questions can no longer change."))


def _question_values(fields: QuestionFields) -> dict[str, object]:
    is_scale = fields.kind == QuestionKind.SCALE
    return {
        "kind": fields.kind,
        "text": fields.text.strip(),
        "help_text": fields.help_text.strip(),
        "required": fields.required,
        "scale_min": fields.scale_min if is_scale else 1,
        "scale_max": fields.scale_max if is_scale else 5,
        "scale_min_label": fields.scale_min_label.strip() if is_scale else "",
        "scale_max_label": fields.scale_max_label.strip() if is_scale else "",
    }


def add_question(actor: Person, inquiry: Inquiry, *, fields: QuestionFields) -> Question:
    options = _check_question(fields)
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        _require_builder(actor, inquiry)
        if inquiry.questions.count() >= MAX_QUESTIONS:
            raise DomainError(_("An inquiry has at most %(n)d questions.") % {"n": MAX_QUESTIONS})
        last = inquiry.questions.aggregate(last=Max("position"))["last"]
        question = Question.objects.create(inquiry=inquiry, position=(last or 0) + 1, **_question_values(fields))
        if question.is_choice:
            Option.objects.bulk_create(
                Option(question=question, position=i, text=text) for i, text in enumerate(options, start=1)
            )
    return question


def update_question(actor: Person, question: Question, *, fields: QuestionFields) -> Question:
    options = _check_question(fields)
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=question.inquiry_id)
        _require_builder(actor, inquiry)
        for name, value in _question_values(fields).items():
            setattr(question, name, value)
        question.save()
        question.options.all().delete()
        if question.is_choice:
            Option.objects.bulk_create(
                Option(question=question, position=i, text=text) for i, text in enumerate(options, start=1)
            )
    return question


def move_question(actor: Person, question: Question, *, up: bool) -> None:
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=question.inquiry_id)
        _require_builder(actor, inquiry)
        ordered = list(inquiry.questions.order_by("position", "id"))
        index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered, start=1):
            item.position = position
        Question.objects.bulk_update(ordered, ["position"])


def remove_question(actor: Person, question: Question) -> None:
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=question.inquiry_id)
        _require_builder(actor, inquiry)
        question.delete()


# Answering


def issue_token(inquiry: Inquiry) -> str:
    """A signed, single-use token for one answer form. It carries the inquiry and a random nonce, nothing else."""
    return signing.dumps([inquiry.pk, secrets.token_urlsafe(12)], salt=TOKEN_SALT, compress=False)


def _token_key(token: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()
    return f"inquiries:used:{digest[:40]}"


def _check_token(inquiry: Inquiry, token: str) -> str:
    try:
        inquiry_id, _nonce = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise DomainError(_("This form has expired. Please load the inquiry again."), field="token") from None
    if inquiry_id != inquiry.pk:
        raise DomainError(_("This form has expired. Please load the inquiry again."), field="token")
    return _token_key(token)


AnswerValue = str | int | Sequence[int] | None


def _answers_for(question: Question, value: AnswerValue, response: int, option_ids: set[int]) -> list[Answer]:
    """The Answer rows for one question's value, or [] when it was left empty; DomainError when it is invalid."""
    if question.is_text:
        text = (value if isinstance(value, str) else "").strip()
        limit = SHORT_TEXT_MAX_LENGTH if question.kind == QuestionKind.SHORT_TEXT else TEXT_MAX_LENGTH
        if len(text) > limit:
            raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=f"q{question.pk}")
        return [Answer(question=question, response=response, text=text)] if text else []
    if question.is_scale:
        if value in (None, ""):
            return []
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise DomainError(_("Choose a value on the scale."), field=f"q{question.pk}") from None
        if not question.scale_min <= number <= question.scale_max:
            raise DomainError(_("Choose a value on the scale."), field=f"q{question.pk}")
        return [Answer(question=question, response=response, number=number)]
    chosen: list[int]
    if value in (None, ""):
        chosen = []
    elif isinstance(value, (int, str)):
        chosen = [int(value)] if str(value).isdigit() else [-1]
    else:
        chosen = [int(item) if str(item).isdigit() else -1 for item in value]
    chosen = list(dict.fromkeys(chosen))
    if any(option_id not in option_ids for option_id in chosen):
        raise DomainError(_("Choose one of the options."), field=f"q{question.pk}")
    if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
        raise DomainError(_("Choose only one option."), field=f"q{question.pk}")
    return [Answer(question=question, response=response, option_id=option_id) for option_id in chosen]


def submit_answers(*, inquiry: Inquiry, answers: Mapping[int, AnswerValue], token: str) -> int:
    """Store one submission's answers (question id → text, scale value, option id or option ids). No person, no date,
    no request data: only the answers and a random number grouping them. Returns how many answers were stored."""
    if not inquiry.is_open():
        raise Conflict(_("This inquiry is not open for answers."))
    key = _check_token(inquiry, token)
    questions = list(inquiry.questions.prefetch_related("options"))
    response = random_key()
    rows: list[Answer] = []
    errors: list[DomainError] = []
    for question in questions:
        option_ids = {option.pk for option in question.options.all()}
        try:
            made = _answers_for(question, answers.get(question.pk), response, option_ids)
        except DomainError as error:
            errors.append(error)
            continue
        if not made and question.required:
            errors.append(DomainError(_("This question needs an answer."), field=f"q{question.pk}"))
        rows.extend(made)
    if errors:
        raise AnswerErrors(errors)
    if not rows:
        raise DomainError(_("Answer at least one question."))
    # Claim the token only now: a submission refused for a missing answer can be corrected and sent again.
    if not cache.add(key, 1, timeout=TOKEN_MAX_AGE):
        raise Conflict(_("These answers were already received. Thank you!"), field="token")
    with transaction.atomic():
        # Lock the inquiry first: submissions to one inquiry take their turn, so the tally updates below can neither
        # be lost nor deadlock (every transaction locks the inquiry row before any tally row).
        if not Inquiry.objects.select_for_update().filter(pk=inquiry.pk, status=InquiryStatus.PUBLISHED).exists():
            raise NotFound(_("This inquiry is not open for answers."))
        Answer.objects.bulk_create(rows)
        _count(rows)
        Inquiry.objects.filter(pk=inquiry.pk).update(answer_count=F("answer_count") + 1)
    inquiry.answer_count += 1
    return len(rows)


def _count(rows: Sequence[Answer]) -> None:
    """Add one submission's answers to the tallies: +1 per chosen option and scale value, +1 per question answered.
    Two statements: create the missing rows at 0 (INSERT … ON CONFLICT DO NOTHING), then one UPDATE count = count + 1
    on all of them. Called inside the submission's transaction, with the inquiry row locked."""
    keys: dict[tuple[int, int | None, int | None], None] = {}
    for row in rows:
        if row.option_id is not None or row.number is not None:
            keys[(row.question_id, row.option_id, row.number)] = None
        keys[(row.question_id, None, None)] = None
    Tally.objects.bulk_create(
        [Tally(question_id=q, option_id=o, number=n, count=0) for q, o, n in keys],
        ignore_conflicts=True,
    )
    match = Q()
    for question_id, option_id, number in keys:
        match |= Q(question_id=question_id, option_id=option_id, number=number)
    Tally.objects.filter(match).update(count=F("count") + 1)


def rebuild_tallies(*, inquiry: Inquiry | None = None) -> int:
    """Recompute the tallies from the answers, for one inquiry or for all; returns how many tally rows were written.
    Each inquiry is rebuilt in its own transaction with its row locked, so submissions arriving meanwhile wait and
    are counted once. With correct incremental counting this changes nothing (tested); it repairs counts after
    answers were written around `submit_answers` (a bulk import, a benchmark's seed)."""
    ids = [inquiry.pk] if inquiry is not None else list(Inquiry.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for inquiry_id in ids:
        with transaction.atomic():
            if not Inquiry.objects.select_for_update().filter(pk=inquiry_id).exists():
                continue
            answers = Answer.objects.filter(question__inquiry_id=inquiry_id)
            tallies = [
                Tally(question_id=question_id, option_id=option_id, number=number, count=n)
                for question_id, option_id, number, n in answers.filter(
                    Q(option__isnull=False) | Q(number__isnull=False)
                )
                .values_list("question_id", "option_id", "number")
                .annotate(n=Count("*"))
                .order_by()
            ]
            tallies += [
                Tally(question_id=question_id, count=n)
                for question_id, n in answers.values_list("question_id")
                .annotate(n=Count("response", distinct=True))
                .order_by()
            ]
            Tally.objects.filter(question__inquiry_id=inquiry_id).delete()
            Tally.objects.bulk_create(tallies, batch_size=1000)
            written += len(tallies)
    return written


class AnswerErrors(DomainError):
    """Several questions were answered wrongly; `errors` holds one DomainError per question (field "q<id>")."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(_("Some answers need another look."), field=errors[0].field if errors else None)
        self.errors = errors

    def by_field(self) -> dict[str, str]:
        return {error.field or "": error.message for error in self.errors}
