"""Role × action matrix for moderation, with a moderator of another circle and site-only actions.

Every predicate in moderation/permissions.py must have a row (`test_every_predicate_is_in_the_matrix`)."""

from __future__ import annotations

import inspect

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.core.exceptions import DomainError
from freshground.moderation import permissions, services, services_appeals
from freshground.moderation.models import SiteModerator
from freshground.moderation.tests.conftest import make_comment
from freshground.network.models import Role
from freshground.testing import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "organiser", "editor", "admin", "site_moderator", "other_organiser", "outsider")


def _people(cast):
    other_circle = factories.CircleFactory(name="Elsewhere Bakers")
    other = factories.PersonFactory(display_name="Otto Other")
    factories.add_member(other_circle, other, Role.ORGANISER)
    site_mod = factories.PersonFactory(display_name="Sam Sitemod")
    SiteModerator.objects.create(person=site_mod)
    return {
        "anonymous": AnonymousUser(),
        "member": cast.member,
        "organiser": cast.organiser,
        "editor": cast.editor,
        "admin": cast.admin,
        "site_moderator": site_mod,
        "other_organiser": other,
        "outsider": cast.outsider,
    }


CIRCLE_MODS = frozenset({"organiser", "admin", "site_moderator"})
CENTER_MODS = frozenset({"editor", "admin", "site_moderator"})
SITE_MODS = frozenset({"admin", "site_moderator"})
PEOPLE = frozenset(ROLES) - {"anonymous"}

# (predicate name, how to call it with (person, cast, people), who is allowed)
MATRIX = [
    ("is_site_moderator", lambda p, c, x: permissions.is_site_moderator(p), SITE_MODS),
    ("moderates_locally", lambda p, c, x: permissions.moderates_locally(p, c.circle), frozenset({"organiser"})),
    ("is_space_moderator", lambda p, c, x: permissions.is_space_moderator(p, c.circle), CIRCLE_MODS),
    ("is_space_moderator", lambda p, c, x: permissions.is_space_moderator(p, c.center), CENTER_MODS),
    ("is_space_moderator", lambda p, c, x: permissions.is_space_moderator(p, None), SITE_MODS),
    (
        "can_moderate_anywhere",
        lambda p, c, x: permissions.can_moderate_anywhere(p),
        CIRCLE_MODS | CENTER_MODS | {"other_organiser"},
    ),
    ("can_flag", lambda p, c, x: permissions.can_flag(p, author=c.member, can_view=True), PEOPLE - {"member"}),
    ("can_flag", lambda p, c, x: permissions.can_flag(p, author=c.member, can_view=False), frozenset()),
    ("can_act_on_content", lambda p, c, x: permissions.can_act_on_content(p, c.circle, author=c.member), CIRCLE_MODS),
    ("can_act_on_content", lambda p, c, x: permissions.can_act_on_content(p, c.circle, author=c.organiser), SITE_MODS),
    ("can_moderate_thread", lambda p, c, x: permissions.can_moderate_thread(p, c.circle), CIRCLE_MODS),
    ("can_act_on_person", lambda p, c, x: permissions.can_act_on_person(p, c.circle, target=c.member), CIRCLE_MODS),
    ("can_ban", lambda p, c, x: permissions.can_ban(p, c.circle, target=c.member), CIRCLE_MODS),
    ("can_ban", lambda p, c, x: permissions.can_ban(p, None, target=c.member), frozenset()),
    ("can_suspend_site_wide", lambda p, c, x: permissions.can_suspend_site_wide(p, target=c.member), SITE_MODS),
    ("can_see_queue", lambda p, c, x: permissions.can_see_queue(p, c.circle), CIRCLE_MODS),
    ("can_see_audit_log", lambda p, c, x: permissions.can_see_audit_log(p, c.circle), CIRCLE_MODS),
    ("can_see_audit_log", lambda p, c, x: permissions.can_see_audit_log(p, None), SITE_MODS),
    ("can_see_flaggers", lambda p, c, x: permissions.can_see_flaggers(p, c.circle, author=c.organiser), SITE_MODS),
    ("can_edit_space_settings", lambda p, c, x: permissions.can_edit_space_settings(p, c.center), CENTER_MODS),
    ("can_edit_code_of_conduct", lambda p, c, x: permissions.can_edit_code_of_conduct(p), frozenset({"admin"})),
    (
        "can_edit_house_rules",
        lambda p, c, x: permissions.can_edit_house_rules(p, c.circle),
        frozenset({"organiser", "admin"}),
    ),
    (
        "can_edit_house_rules",
        lambda p, c, x: permissions.can_edit_house_rules(p, c.center),
        frozenset({"editor", "admin"}),
    ),
    ("can_manage_site_moderators", lambda p, c, x: permissions.can_manage_site_moderators(p), frozenset({"admin"})),
    (
        "can_appeal",
        lambda p, c, x: permissions.can_appeal(p, x["warning"], already_appealed=False),
        frozenset({"member"}),
    ),
    ("can_appeal", lambda p, c, x: permissions.can_appeal(p, x["warning"], already_appealed=True), frozenset()),
    ("can_decide_appeal", lambda p, c, x: permissions.can_decide_appeal(p, x["appeal"], c.circle), SITE_MODS),
    ("can_mute_or_block", lambda p, c, x: permissions.can_mute_or_block(p, c.member), PEOPLE - {"member"}),
]


@pytest.mark.parametrize(("name", "check", "allowed"), MATRIX, ids=[f"{row[0]}-{i}" for i, row in enumerate(MATRIX)])
def test_matrix(cast, name, check, allowed):
    people = _people(cast)
    warning = services.act_on_person(
        actor=cast.organiser, person=cast.member, space=cast.circle, action="warn", reason="Tone"
    )
    extra = {"warning": warning, "appeal": services_appeals.appeal(actor=cast.member, action=warning, text="Unfair")}
    for role in ROLES:
        person = people[role]
        for attribute in ("_fg_memberships", "_fg_editorships", "_fg_site_moderator"):
            vars(person).pop(attribute, None)
        assert check(person, cast, extra) is (role in allowed), f"{name} for {role}"


def test_every_predicate_is_in_the_matrix():
    predicates = {
        name
        for name, fn in inspect.getmembers(permissions, inspect.isfunction)
        if fn.__module__ == permissions.__name__ and not name.startswith("_") and name != "forget_site_moderator"
    }
    assert predicates <= {row[0] for row in MATRIX}


# Services follow the predicates: a moderator of one circle cannot act in another.

CONTENT_ACTIONS = ("hide", "edit", "approve", "reject", "dismiss")


@pytest.mark.parametrize("action", CONTENT_ACTIONS)
def test_moderator_of_another_circle_cannot_act_on_content(cast, action):
    people = _people(cast)
    comment = make_comment(cast.circle, cast.member)
    with pytest.raises(DomainError) as refused:
        services.act_on_content(
            actor=people["other_organiser"],
            label="debate.comment",
            object_id=comment.pk,
            action=action,
            reason="x",
            text="y",
        )
    assert refused.value.status_code == 403


@pytest.mark.parametrize("action", ["warn", "suspend", "ban", "lift"])
def test_moderator_of_another_circle_cannot_act_on_people_here(cast, action):
    people = _people(cast)
    with pytest.raises(DomainError) as refused:
        services.act_on_person(
            actor=people["other_organiser"], person=cast.member, space=cast.circle, action=action, reason="x", days=1
        )
    assert refused.value.status_code == 403


@pytest.mark.parametrize("action", ["lock", "unlock", "slow_mode"])
def test_moderator_of_another_circle_cannot_touch_threads(cast, action):
    people = _people(cast)
    comment = make_comment(cast.circle, cast.member)
    with pytest.raises(DomainError) as refused:
        services.act_on_thread(
            actor=people["other_organiser"], label="debate.comment", object_id=comment.pk, action=action, seconds=5
        )
    assert refused.value.status_code == 403


@pytest.mark.parametrize("role", ["organiser", "editor", "other_organiser", "member"])
def test_site_suspension_is_for_site_moderators_only(cast, role):
    people = _people(cast)
    with pytest.raises(DomainError) as refused:
        services.act_on_person(
            actor=people[role], person=cast.outsider, space=None, action="site_suspend", reason="x", days=1
        )
    assert refused.value.status_code == 403
    services.act_on_person(
        actor=people["site_moderator"], person=cast.outsider, space=None, action="site_suspend", reason="x", days=1
    )
