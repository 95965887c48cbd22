"""The permission matrix for report desks: every predicate, for every role, including reviewers of another desk and
reviewers without two-factor authentication. A predicate added to permissions.py without a row here fails
`test_every_predicate_is_in_the_matrix`."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from freshground.network.models import Role
from freshground.reports import permissions
from freshground.reports.models import Attachment, AttachmentKind, Report, ReportStatus, Reviewer
from freshground.reports.tests.test_desk_support import World, approve, enable_totp, world  # noqa: F401
from freshground.testing import factories

ROLES = (
    "anonymous",
    "member",
    "organiser",
    "editor",
    "admin",
    "outsider",
    "deactivated",
    "reviewer",
    "reviewer_nomfa",
    "other_reviewer",
    "platform_reviewer",
)
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ROLES)


def actor(w: World, role: str) -> Any:
    if role == "anonymous":
        return AnonymousUser()
    if role == "deactivated":
        # A former organiser, editor and reviewer (with two-factor) whose account was switched off.
        person = factories.PersonFactory.create(display_name="Dee Deactivated")
        factories.add_member(w.cast.circle, person, Role.ORGANISER)
        factories.add_editor(w.cast.center, person)
        Reviewer.objects.create(desk=w.circle_desk, person=person)
        enable_totp(person)
        person.is_active = False
        person.save(update_fields=["is_active"])
        return person
    if hasattr(w, role):
        return getattr(w, role)
    return getattr(w.cast, role)


def _as_is(w: World) -> None:
    return None


def _approved(w: World) -> None:
    approve(w.report_a)


def _published(w: World) -> None:
    version = approve(w.report_a)
    Report.objects.filter(pk=w.report_a.pk).update(
        status=ReportStatus.PUBLISHED,
        published_version=version,
        published_by_desk=w.circle_desk,
        published_on=timezone.localdate(),
    )
    w.report_a.refresh_from_db()


def _declined(w: World) -> None:
    Report.objects.filter(pk=w.report_a.pk).update(status=ReportStatus.DECLINED)
    w.report_a.refresh_from_db()


def _image(w: World, *, publish: bool) -> Attachment:
    return Attachment.objects.create(
        report=w.report_a,
        kind=AttachmentKind.IMAGE,
        file="reports/test.jpg",
        extension=".jpg",
        content_type="image/jpeg",
        size=10,
        publish=publish,
    )


def _published_image(w: World) -> None:
    _published(w)
    _image(w, publish=True)


def _unchosen_image_of_published(w: World) -> None:
    _published(w)
    _image(w, publish=False)


def _unpublished_image(w: World) -> None:
    _image(w, publish=True)


READERS = frozenset({"reviewer"})
BOTH = frozenset({"reviewer", "other_reviewer"})

# (predicate, target, set-up, who is allowed)
MATRIX: list[tuple[str, str, Callable[[World], None], frozenset[str]]] = [
    ("can_create_circle_desk", "circle", _as_is, frozenset({"organiser"})),
    ("can_create_center_desk", "center", _as_is, frozenset({"editor", "other_reviewer"})),
    ("can_create_platform_desk", "", _as_is, frozenset({"admin", "platform_reviewer"})),
    ("can_see_desk", "circle_desk", _as_is, frozenset({"organiser", "reviewer", "reviewer_nomfa"})),
    ("can_see_desk", "center_desk", _as_is, frozenset({"editor", "other_reviewer"})),
    ("can_see_desk", "platform_desk", _as_is, frozenset({"admin", "platform_reviewer"})),
    ("can_manage_desk", "circle_desk", _as_is, frozenset({"organiser"})),
    ("can_manage_desk", "center_desk", _as_is, frozenset({"editor", "other_reviewer"})),
    ("can_manage_desk", "platform_desk", _as_is, frozenset({"admin", "platform_reviewer"})),
    ("can_manage_reviewers", "circle_desk", _as_is, frozenset({"organiser"})),
    ("can_review_desk", "circle_desk", _as_is, READERS),
    ("can_review_desk", "center_desk", _as_is, frozenset({"other_reviewer"})),
    ("can_review_desk", "platform_desk", _as_is, frozenset({"platform_reviewer"})),
    ("can_review", "report_a", _as_is, READERS),
    ("can_review", "report_b", _as_is, frozenset({"other_reviewer"})),
    ("can_review", "report_ab", _as_is, BOTH),
    ("can_review", "report_a@center_desk", _as_is, NOBODY),
    ("can_review", "report_ab@center_desk", _as_is, frozenset({"other_reviewer"})),
    ("can_see_attachments", "report_a", _as_is, READERS),
    ("can_see_attachments", "report_b", _as_is, frozenset({"other_reviewer"})),
    ("can_see_attachment", "attachment", _unpublished_image, READERS),
    ("can_see_attachment", "attachment", _unchosen_image_of_published, READERS),
    ("can_see_attachment", "attachment", _published_image, EVERYONE),
    ("can_act_on", "report_a", _as_is, READERS),
    ("can_act_on", "report_a", _declined, NOBODY),
    ("can_act_on", "report_a", _published, NOBODY),
    ("can_publish", "report_a", _as_is, NOBODY),
    ("can_publish", "report_a", _approved, READERS),
    ("can_publish", "report_a@center_desk", _approved, NOBODY),
    ("can_publish", "report_a", _published, NOBODY),
    ("can_link_related", "report_a", _as_is, NOBODY),
    ("can_link_related", "report_a", _published, READERS),
    ("can_view_published", "report_a", _as_is, NOBODY),
    ("can_view_published", "report_a", _approved, NOBODY),
    ("can_view_published", "report_a", _published, EVERYONE),
    # The helpers the predicates are built from.
    ("has_two_factor", "", _as_is, frozenset({"reviewer", "other_reviewer", "platform_reviewer"})),
    ("is_reviewer", "circle_desk", _as_is, frozenset({"reviewer", "reviewer_nomfa"})),
    ("is_reviewer_without_two_factor", "circle_desk", _as_is, frozenset({"reviewer_nomfa"})),
    ("is_desk_owner", "circle_desk", _as_is, frozenset({"organiser"})),
]


def _targets(w: World, target: str) -> tuple[Any, ...]:
    if not target:
        return ()
    if target == "attachment":
        return (Attachment.objects.select_related("report").get(report=w.report_a),)
    name, _sep, desk = target.partition("@")
    obj = getattr(w, name) if hasattr(w, name) else getattr(w.cast, name)
    if isinstance(obj, Report):
        obj = Report.objects.get(pk=obj.pk)  # fresh: no cached desk ids
    return (obj, getattr(w, desk)) if desk else (obj,)


def _params() -> list[Any]:
    params = []
    for name, target, setup, allowed in MATRIX:
        variant = "" if setup is _as_is else f"-{setup.__name__.strip('_')}"
        params.append(pytest.param(name, target, setup, allowed, id=f"{name}-{target}{variant}"))
    return params


@pytest.mark.parametrize(("name", "target", "setup", "allowed"), _params())
def test_predicate_matrix(world, name, target, setup, allowed):  # noqa: F811
    """One row: every role gets the expected answer (all roles checked on one world, mismatches listed)."""
    setup(world)
    predicate = getattr(permissions, name)
    answers = {}
    for role in ROLES:
        person = actor(world, role)
        if hasattr(person, "pk") and person.pk:
            permissions.forget_reviews(person)
        answers[role] = predicate(person, *_targets(world, target))
    wrong = {role: answer for role, answer in answers.items() if answer is not (role in allowed)}
    assert not wrong, f"{name}({target}) gave the wrong answer for {wrong}"


def test_every_predicate_is_in_the_matrix():
    predicates = {
        name
        for name, function in inspect.getmembers(permissions, inspect.isfunction)
        if function.__module__ == permissions.__name__ and name.startswith(("can_", "is_", "has_"))
    }
    assert predicates == {row[0] for row in MATRIX}
