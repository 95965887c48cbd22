"""Editing an action on its own page: the planners only, this campaign's actions only, nothing stored on bad input."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from freshground.campaigns import services, services_actions
from freshground.campaigns.models import Action, ActionStatus
from freshground.core.exceptions import DomainError, PermissionDenied
from freshground.network.models import Role
from freshground.testing import factories
from freshground.testing.events_factories import new_event

from .conftest import World

pytestmark = pytest.mark.django_db


def _action(world: World, **fields: Any) -> Action:
    return services_actions.add_action(
        actor=world.organiser,
        campaign=world.campaign,
        title=fields.pop("title", "Stall at the market"),
        starts_at=fields.pop("starts_at", timezone.now() + timedelta(days=3)),
        place_name="Market square",
        people_needed=4,
        **fields,
    )


def edit_url(world: World, action: Action) -> str:
    return reverse("campaigns:action_edit", args=[world.campaign.slug, action.pk])


def _post_data(world: World, **changes: str) -> dict[str, str]:
    data = {
        "title": "March to the town hall",
        "starts_at": "2030-05-01T14:30",
        "place_name": "Town hall",
        "owner": str(world.member.pk),
        "people_needed": "40",
        "status": ActionStatus.CONFIRMED,
        "event": "",
        "description": "Bring banners.",
    }
    data.update(changes)
    return data


def test_planner_sees_edit_links_on_plan_and_campaign_page(client, world: World) -> None:
    action = _action(world)
    link = edit_url(world, action)
    client.force_login(world.editor)
    assert link in client.get(reverse("campaigns:plan", args=[world.campaign.slug])).content.decode()
    assert link in client.get(world.campaign.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["member", "supporter", "outsider", "other_organiser"])
def test_others_see_no_edit_link(client, world: World, role: str) -> None:
    action = _action(world)
    client.force_login(world.role(role))
    link = edit_url(world, action)
    assert link not in client.get(world.campaign.get_absolute_url()).content.decode()
    assert link not in client.get(reverse("campaigns:plan", args=[world.campaign.slug])).content.decode()


def test_organiser_changes_every_field(client, world: World) -> None:
    action = _action(world)
    event = new_event(circle=world.circle, slug="town-hall-march", title="Town hall march")
    client.force_login(world.organiser)
    page = client.get(edit_url(world, action))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="Stall at the market"' in text
    assert "Owner" in text
    assert world.member.display_name in text
    response = client.post(edit_url(world, action), _post_data(world, event="town-hall-march"))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:plan", args=[world.campaign.slug])
    action.refresh_from_db()
    assert action.title == "March to the town hall"
    assert timezone.localtime(action.starts_at).replace(tzinfo=None) == datetime(2030, 5, 1, 14, 30)
    assert action.place_name == "Town hall"
    assert action.owner == world.member
    assert action.people_needed == 40
    assert action.status == ActionStatus.CONFIRMED
    assert action.event == event
    assert action.description == "Bring banners."
    plan = client.get(reverse("campaigns:plan", args=[world.campaign.slug])).content.decode()
    assert "March to the town hall" in plan
    assert "40 people needed" in plan


def test_center_editor_and_admin_may_edit_and_unset_owner_and_event(client, world: World) -> None:
    event = new_event(circle=world.circle, slug="stall-day")
    action = _action(world, event=event)
    for person in (world.editor, world.admin):
        client.force_login(person)
        response = client.post(edit_url(world, action), _post_data(world, owner="", title=f"By {person.pk}"))
        assert response.status_code == 302, response.content.decode()
    action.refresh_from_db()
    assert action.title == f"By {world.admin.pk}"
    assert action.owner is None
    assert action.event is None


@pytest.mark.parametrize("role", ["member", "supporter", "outsider", "other_organiser"])
def test_others_get_403_and_nothing_changes(client, world: World, role: str) -> None:
    action = _action(world)
    client.force_login(world.role(role))
    assert client.get(edit_url(world, action)).status_code == 403
    assert client.post(edit_url(world, action), _post_data(world)).status_code == 403
    action.refresh_from_db()
    assert action.title == "Stall at the market"


def test_anonymous_is_sent_to_sign_in(client, world: World) -> None:
    action = _action(world)
    response = client.post(edit_url(world, action), _post_data(world))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    action.refresh_from_db()
    assert action.title == "Stall at the market"


def test_action_of_another_campaign_is_404(client, world: World) -> None:
    """IDOR: the other campaign's organiser cannot reach its action through this campaign's address, nor can
    this campaign's organiser reach the other campaign's action through theirs."""
    other = services.create_campaign(actor=world.other_organiser, sponsor=world.other_circle, title="Hilltop parks")
    foreign = services_actions.add_action(
        actor=world.other_organiser, campaign=other, title="Park clean-up", starts_at=timezone.now()
    )
    url = reverse("campaigns:action_edit", args=[world.campaign.slug, foreign.pk])
    client.force_login(world.organiser)
    assert client.get(url).status_code == 404
    assert client.post(url, _post_data(world)).status_code == 404
    client.force_login(world.other_organiser)
    assert client.post(url, _post_data(world, owner="")).status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Park clean-up"
    assert foreign.campaign_id == other.pk


def test_unknown_action_is_404(client, world: World) -> None:
    client.force_login(world.organiser)
    assert client.get(reverse("campaigns:action_edit", args=[world.campaign.slug, 999999])).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"starts_at": "next tuesday"}, "starts_at", "Enter a valid date/time."),
        ({"people_needed": "-3"}, "people_needed", "greater than or equal to 0"),
        ({"status": "exploded"}, "status", "Select a valid choice."),
        ({"event": "no-such-event"}, "event", "No event has that short name."),
        ({"owner": "999999"}, "owner", "Select a valid choice."),
    ],
)
def test_bad_input_rerenders_with_errors_and_stores_nothing(
    client, world: World, changes: dict[str, str], field: str, message: str
) -> None:
    action = _action(world)
    client.force_login(world.organiser)
    response = client.post(edit_url(world, action), _post_data(world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    action.refresh_from_db()
    assert action.title == "Stall at the market"
    assert action.people_needed == 4
    assert action.status == ActionStatus.PLANNED


def test_owner_must_take_part_in_the_campaign(world: World) -> None:
    action = _action(world)
    with pytest.raises(DomainError) as refused:
        services_actions.update_action(actor=world.organiser, action=action, owner=world.outsider)
    assert refused.value.field == "owner"
    action.refresh_from_db()
    assert action.owner == world.organiser


def test_update_action_service_refuses_others_and_unknown_fields(world: World) -> None:
    action = _action(world)
    with pytest.raises(PermissionDenied):
        services_actions.update_action(actor=world.member, action=action, title="Hijacked")
    with pytest.raises(DomainError):
        services_actions.update_action(actor=world.organiser, action=action, campaign=None)
    with pytest.raises(DomainError) as refused:
        services_actions.update_action(actor=world.organiser, action=action, starts_at=None)
    assert refused.value.field == "starts_at"
    action.refresh_from_db()
    assert action.title == "Stall at the market"


def test_current_owner_outside_the_participants_stays_choosable(client, world: World) -> None:
    """An owner who has since left the sponsor circles still shows as the owner; saving keeps them."""
    keeper: Any = factories.PersonFactory(display_name="Kim Keeper")
    factories.add_member(world.circle, keeper, Role.MEMBER)
    action = _action(world, owner=keeper)
    keeper.memberships.all().delete()
    client.force_login(world.organiser)
    page = client.get(edit_url(world, action)).content.decode()
    assert "Kim Keeper" in page
    response = client.post(edit_url(world, action), _post_data(world, owner=str(keeper.pk), title="Kept"))
    assert response.status_code == 302, response.content.decode()
    action.refresh_from_db()
    assert action.title == "Kept"
    assert action.owner == keeper
