"""Role × action matrix for the inquiry predicates: every predicate has a row."""

from __future__ import annotations

import inspect

import pytest

from freshground.inquiries import permissions as perms
from freshground.inquiries.models import InquiryStatus
from freshground.inquiries.tests.helpers import fill, make_inquiry
from freshground.reports.models import Desk, Reviewer
from freshground.testing import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "organiser", "editor", "reviewer", "other_reviewer", "admin"]

# For an inquiry owned by the circle (the center's editor has no say over it), published, with k answers.
MATRIX = {
    "can_create_inquiry": {"organiser", "editor", "reviewer", "other_reviewer", "admin"},
    "can_create_for": {"organiser", "reviewer", "admin"},
    "can_edit_inquiry": {"organiser", "reviewer", "admin"},
    "can_view_inquiry": set(ROLES),
    "can_answer": set(ROLES),
    "can_edit_questions": set(),  # answers exist
    "can_publish": set(),  # already published
    "can_close": {"organiser", "reviewer", "admin"},
    "can_see_results": set(ROLES),
    "can_see_free_text": {"organiser", "reviewer", "admin"},
    "can_export": {"organiser", "reviewer", "admin"},
}
HELPERS = {"min_answers", "reaches_k", "speaks_for", "is_person", "is_site_admin"}


def test_every_predicate_has_a_row():
    predicates = {
        name
        for name, fn in inspect.getmembers(perms, inspect.isfunction)
        if fn.__module__ == perms.__name__ and not name.startswith("_")
    }
    assert predicates - HELPERS == set(MATRIX)


@pytest.fixture
def world(cast, settings):
    settings.FRESHGROUND = {**settings.FRESHGROUND, "INQUIRY_MIN_ANSWERS": 2}
    reviewer = factories.PersonFactory(display_name="Rhea Reviewer")
    other_reviewer = factories.PersonFactory(display_name="Otto Other")
    desk = Desk.objects.create(circle=cast.circle, name="Riverside desk")
    Reviewer.objects.create(desk=desk, person=reviewer)
    other_desk = Desk.objects.create(circle=factories.CircleFactory(), name="Other desk")
    Reviewer.objects.create(desk=other_desk, person=other_reviewer)
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    fill(inquiry, 2)
    people = {
        "anonymous": None,
        "outsider": cast.outsider,
        "member": cast.member,
        "organiser": cast.organiser,
        "editor": cast.editor,
        "reviewer": reviewer,
        "other_reviewer": other_reviewer,
        "admin": cast.admin,
    }
    return inquiry, people


@pytest.mark.parametrize("predicate", sorted(MATRIX))
def test_matrix(world, predicate):
    inquiry, people = world
    fn = getattr(perms, predicate)
    allowed = set()
    for role, person in people.items():
        if predicate == "can_create_inquiry":
            ok = fn(person)
        elif predicate == "can_create_for":
            ok = fn(person, circle=inquiry.circle)
        else:
            ok = fn(person, inquiry)
        if ok:
            allowed.add(role)
    assert allowed == MATRIX[predicate]


def test_drafts_are_for_editors_and_questions_open_until_answers(world):
    inquiry, people = world
    draft = make_inquiry(people["organiser"], circle=inquiry.circle, title="Draft", publish=False)
    assert draft.status == InquiryStatus.DRAFT
    seen = {role for role, person in people.items() if perms.can_view_inquiry(person, draft)}
    assert seen == {"organiser", "reviewer", "admin"}
    assert {role for role, p in people.items() if perms.can_edit_questions(p, draft)} == {
        "organiser",
        "reviewer",
        "admin",
    }
    assert not perms.can_answer(None, draft)


def test_center_and_platform_owners(cast):
    center_inquiry = make_inquiry(cast.editor, center=cast.center, title="Center's")
    assert perms.can_edit_inquiry(cast.editor, center_inquiry)
    assert not perms.can_edit_inquiry(cast.organiser, center_inquiry)
    platform_reviewer = factories.PersonFactory()
    Reviewer.objects.create(desk=Desk.objects.create(name="Platform"), person=platform_reviewer)
    platform = make_inquiry(platform_reviewer, title="Platform's")
    assert perms.can_edit_inquiry(platform_reviewer, platform)
    assert not perms.can_edit_inquiry(cast.editor, platform)
    assert not perms.can_create_for(cast.organiser)  # the platform
