"""Inquiries for `freshground demo`: one open workers' inquiry in warehouses and logistics, owned by the Glasgow
Warehouse Circle, with enough answers (well over k) to show aggregate results, and one draft. Idempotent: an inquiry
whose title exists in its circle is left as it is."""

from __future__ import annotations

import random

from freshground.inquiries import services
from freshground.inquiries.models import Inquiry, QuestionKind
from freshground.inquiries.services import InquiryFields, QuestionFields
from freshground.network.models import Center, Circle
from freshground.people.models import Person

CIRCLE = "glasgow-warehouse-circle"
TITLE = "Conditions in warehouses and logistics, 2026"
DRAFT_TITLE = "Agency work in the port and the depots"
INTRODUCTION = (
    "We want to know what work is like in the warehouses and depots around Hillington and the M8: the pace, the "
    "breaks, the heat, the contracts.\n\n"
    "**Your answers are anonymous.** Nothing links them to you, not even when you are signed in. We show only totals, "
    "and only after enough people have answered. We will discuss the results at the circle's next open meeting."
)
QUESTIONS = (
    QuestionFields(
        kind=QuestionKind.SINGLE,
        text="What is your job?",
        required=True,
        options=["Picker", "Packer", "Loader", "Driver", "Other"],
    ),
    QuestionFields(
        kind=QuestionKind.SINGLE,
        text="What kind of contract do you have?",
        options=["Permanent", "Agency", "Zero hours", "Don't know"],
    ),
    QuestionFields(
        kind=QuestionKind.MULTIPLE,
        text="What makes the work hardest? Choose all that apply.",
        options=[
            "Pick rates and targets",
            "Heat or cold",
            "Too few breaks",
            "Surveillance and scanners",
            "Pay",
            "Rotas",
        ],
    ),
    QuestionFields(
        kind=QuestionKind.SCALE,
        text="How safe do you feel at work?",
        scale_min=1,
        scale_max=5,
        scale_min_label="not safe at all",
        scale_max_label="completely safe",
    ),
    QuestionFields(kind=QuestionKind.LONG_TEXT, text="If you could change one thing, what would it be?"),
)
WISHES = (
    "Proper breaks in the heat.",
    "Targets we can actually meet.",
    "Being told the rota more than two days ahead.",
    "A permanent contract after three months.",
    "Water stations at the far end of the aisles.",
    "",
    "",
)


def load_demo_inquiries(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo inquiries that are missing; returns how many were created."""
    circle = circles.get(CIRCLE) or Circle.objects.filter(slug=CIRCLE).first()
    if circle is None:
        return 0
    organiser = circle.memberships.filter(role="organiser").select_related("person").first()
    if organiser is None:
        return 0
    editor = organiser.person
    created = 0
    if not Inquiry.objects.filter(circle=circle, title=TITLE).exists():
        inquiry = services.create_inquiry(
            editor,
            fields=InquiryFields(
                title=TITLE, introduction=INTRODUCTION, sector_detail="Warehousing and logistics", region="Glasgow"
            ),
            circle=circle,
        )
        for fields in QUESTIONS:
            services.add_question(editor, inquiry, fields=fields)
        services.publish_inquiry(editor, inquiry)
        _answer(inquiry, 37)
        created += 1
    if not Inquiry.objects.filter(circle=circle, title=DRAFT_TITLE).exists():
        draft = services.create_inquiry(
            editor, fields=InquiryFields(title=DRAFT_TITLE, sector_detail="Transport", region="Glasgow"), circle=circle
        )
        services.add_question(editor, draft, fields=QUESTIONS[1])
        created += 1
    return created


def _answer(inquiry: Inquiry, count: int) -> None:
    rng = random.Random(4)  # noqa: S311 - demo data, not security
    questions = list(inquiry.questions.prefetch_related("options").order_by("position"))
    for _ in range(count):
        answers: dict[int, services.AnswerValue] = {}
        for question in questions:
            options = [option.pk for option in question.options.all()]
            if question.kind == QuestionKind.SINGLE:
                answers[question.pk] = rng.choices(options, weights=range(len(options), 0, -1))[0]
            elif question.kind == QuestionKind.MULTIPLE:
                answers[question.pk] = rng.sample(options, rng.randint(1, 3))
            elif question.kind == QuestionKind.SCALE:
                answers[question.pk] = rng.choices([1, 2, 3, 4, 5], weights=[3, 5, 4, 2, 1])[0]
            else:
                answers[question.pk] = rng.choice(WISHES)
        services.submit_answers(inquiry=inquiry, answers=answers, token=services.issue_token(inquiry))
