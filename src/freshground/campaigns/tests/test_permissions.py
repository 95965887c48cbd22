"""The role × action matrix for every campaigns predicate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from freshground.campaigns import permissions as perms
from freshground.campaigns import services, services_actions
from freshground.campaigns.models import Campaign, CampaignStatus, KitItem, Petition, Task

from .conftest import ROLES, World

pytestmark = pytest.mark.django_db

Y, N = True, False

# role order: anonymous, supporter, organiser, member, other_organiser, editor, admin, outsider
MATRIX: dict[str, tuple[Callable[[World, Any], bool], tuple[bool, ...]]] = {
    "view": (lambda w, p: perms.can_view_campaign(p, w.campaign), (Y, Y, Y, Y, Y, Y, Y, Y)),
    "manage": (lambda w, p: perms.can_manage_campaign(p, w.campaign), (N, N, Y, N, N, Y, Y, N)),
    "edit": (lambda w, p: perms.can_edit_campaign(p, w.campaign), (N, N, Y, N, N, Y, Y, N)),
    "change_status": (lambda w, p: perms.can_change_status(p, w.campaign), (N, N, Y, N, N, Y, Y, N)),
    "initiator": (lambda w, p: perms.is_initiator(p, w.campaign), (N, N, Y, N, N, N, N, N)),
    "request_for_own_circle": (
        lambda w, p: perms.can_request_sponsorship(p, w.campaign, w.other_circle),
        (N, N, N, N, Y, N, Y, N),
    ),
    "support": (lambda w, p: perms.can_support(p, w.campaign), (N, N, Y, Y, Y, Y, Y, Y)),
    "stop_supporting": (lambda w, p: perms.can_stop_supporting(p, w.campaign), (N, Y, N, N, N, N, N, N)),
    "see_supporters": (lambda w, p: perms.can_see_supporters(p, w.campaign), (N, N, Y, Y, N, Y, Y, N)),
    "plan": (lambda w, p: perms.can_plan(p, w.campaign), (N, N, Y, N, N, Y, Y, N)),
    "see_tasks": (lambda w, p: perms.can_see_tasks(p, w.campaign), (N, Y, Y, Y, N, Y, Y, N)),
    "report_progress": (lambda w, p: perms.can_report_progress(p, w.campaign), (N, N, Y, Y, N, Y, Y, N)),
    "manage_kit": (lambda w, p: perms.can_manage_kit(p, w.campaign), (N, N, Y, N, N, Y, Y, N)),
    "copy_kit_to_sponsor_circle": (
        lambda w, p: perms.can_copy_kit_item(p, _kit(w), w.circle),
        (N, N, Y, N, N, N, Y, N),
    ),
    "copy_kit_to_other_circle": (
        lambda w, p: perms.can_copy_kit_item(p, _kit(w), w.other_circle),
        (N, N, N, N, N, N, N, N),
    ),
    "export_signatures": (lambda w, p: perms.can_export_signatures(p, _petition(w)), (N, N, Y, N, N, Y, Y, N)),
    "complete_unassigned_task": (lambda w, p: perms.can_complete_task(p, _task(w)), (N, N, Y, N, N, Y, Y, N)),
}


def _kit(w: World) -> KitItem:
    return KitItem.objects.get_or_create(campaign=w.campaign, title="Leaflet", defaults={"body": "Rents!"})[0]


def _petition(w: World) -> Petition:
    return Petition.objects.get_or_create(campaign=w.campaign, title="P", defaults={"target": "C", "text": "T"})[0]


def _task(w: World) -> Task:
    return Task.objects.get_or_create(campaign=w.campaign, title="Print leaflets")[0]


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_matrix(world: World, action: str) -> None:
    predicate, expected = MATRIX[action]
    got = {role: predicate(world, world.role(role)) for role in ROLES}
    assert got == dict(zip(ROLES, expected, strict=True))


def test_decide_only_for_initiators(world: World) -> None:
    sponsor = services.request_sponsorship(
        actor=world.other_organiser, campaign=world.campaign, party=world.other_circle
    )
    sponsor = type(sponsor).objects.select_related("campaign").get(pk=sponsor.pk)
    expected = dict(zip(ROLES, (N, N, Y, N, N, N, Y, N), strict=True))
    assert {role: perms.can_decide_sponsorship(world.role(role), sponsor) for role in ROLES} == expected


def test_withdraw_only_own_sponsor(world: World) -> None:
    center_sponsor = next(s for s in world.campaign.sponsors.all() if s.center_id)
    expected = dict(zip(ROLES, (N, N, N, N, N, Y, Y, N), strict=True))
    assert {role: perms.can_withdraw_sponsor(world.role(role), center_sponsor) for role in ROLES} == expected


def test_assignee_may_complete_task(world: World) -> None:
    task = services_actions.add_task(
        actor=world.organiser, campaign=world.campaign, title="Door-knock", assignees=[world.supporter]
    )
    assert perms.can_complete_task(world.supporter, task)
    assert not perms.can_complete_task(world.outsider, task)


def test_drafts_are_for_managers(world: World) -> None:
    draft = services.create_campaign(
        actor=world.organiser, sponsor=world.circle, title="Secret plan", status=CampaignStatus.DRAFT
    )
    draft = Campaign.objects.get(pk=draft.pk)
    for role in ROLES:
        perms.forget(world.role(role))
    expected = dict(zip(ROLES, (N, N, Y, N, N, N, Y, N), strict=True))
    assert {role: perms.can_view_campaign(world.role(role), draft) for role in ROLES} == expected


def test_closed_campaign_takes_no_supporters(world: World) -> None:
    services.set_status(actor=world.organiser, campaign=world.campaign, status=CampaignStatus.WON)
    assert not perms.can_support(world.outsider, world.campaign)
    assert not perms.can_request_sponsorship(world.other_organiser, world.campaign, world.other_circle)
