"""Pages: what people see, the create flow with suggestions, CSV for organisers only, query counts."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from freshground.campaigns import permissions as perms
from freshground.campaigns import (
    queries,
    services,
    services_actions,
    services_kits,
    services_petitions,
    services_progress,
)
from freshground.campaigns.models import Campaign, KitItem, Petition, ProgressReport, Signature, Sponsor
from freshground.network.models import Role
from freshground.testing import factories

from .conftest import World

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"campaigns:{name}", args=args)


def test_public_page_shows_sponsors_as_equals_and_goals(client, world: World) -> None:
    response = client.get(world.campaign.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert world.circle.name in text
    assert world.center.name in text
    assert "Freeze rents for two years" in text
    assert "0 of 200" in text
    assert "Sponsor tools" not in text


def test_organiser_sees_tools_and_pending_requests(client, world: World) -> None:
    services.request_sponsorship(actor=world.other_organiser, campaign=world.campaign, party=world.other_circle)
    client.force_login(world.organiser)
    text = client.get(world.campaign.get_absolute_url()).content.decode()
    assert "Sponsor tools" in text
    assert "Hilltop Tenants" in text
    assert "Accept" in text


def test_join_instead_flow(client, world: World) -> None:
    """Step 1 describes; step 2 suggests the existing campaign; the organiser asks to co-sponsor it instead."""
    client.force_login(world.other_organiser)
    data = {
        "title": "Hilltop against rent increases",
        "description": "Tenants fight rent hikes and evictions",
        "topic": "housing",
        "scope": "local",
        "sponsor": f"circle:{world.other_circle.pk}",
        "goal_unit": "signatures",
    }
    response = client.post(url("create"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert world.campaign.title in text
    assert "Join this campaign instead" in text
    assert Campaign.objects.count() == 1
    response = client.post(
        url("sponsor_request", world.campaign.slug), {"party": f"circle:{world.other_circle.pk}", "message": "Hi"}
    )
    assert response.status_code == 302
    assert Sponsor.objects.filter(circle=world.other_circle, status="pending").exists()


def test_create_anyway(client, world: World) -> None:
    client.force_login(world.other_organiser)
    data = {
        "title": "Hilltop against rent increases",
        "topic": "housing",
        "scope": "local",
        "sponsor": f"circle:{world.other_circle.pk}",
        "goal_unit": "signatures",
        "step": "create",
    }
    response = client.post(url("create"), data)
    assert response.status_code == 302
    created = Campaign.objects.get(title="Hilltop against rent increases")
    assert queries.active_sponsors(created)[0].circle == world.other_circle


def test_bad_create_input_rerenders_with_reason(client, world: World) -> None:
    client.force_login(world.organiser)
    response = client.post(
        url("create"), {"title": "", "scope": "local", "sponsor": f"circle:{world.circle.pk}", "step": "create"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_outsider_cannot_open_create(client, world: World) -> None:
    client.force_login(world.outsider)
    assert client.get(url("create")).status_code == 403


def test_support_toggles_with_htmx_partial(client, world: World) -> None:
    client.force_login(world.outsider)
    response = client.post(url("support", world.campaign.slug), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Stop supporting" in response.content.decode()
    assert Campaign.objects.get(pk=world.campaign.pk).supporter_count == 2
    assert client.post(url("support", world.campaign.slug)).status_code == 302
    assert Campaign.objects.get(pk=world.campaign.pk).supporter_count == 1


def test_anonymous_actions_go_to_login(client, world: World) -> None:
    response = client.post(url("support", world.campaign.slug))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_member_posts_a_progress_report(client, world: World) -> None:
    client.force_login(world.member)
    sponsor = queries.active_sponsors(world.campaign)[0]
    response = client.post(url("report_add", world.campaign.slug), {"sponsor": sponsor.pk, "body": "120 doors"})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    feed = client.get(url("progress")).content.decode()
    assert "120 doors" in feed
    assert world.circle.name in feed
    assert client.get(report.get_absolute_url()).status_code == 200


def test_outsider_cannot_report(client, world: World) -> None:
    client.force_login(world.outsider)
    sponsor = queries.active_sponsors(world.campaign)[0]
    response = client.post(url("report_add", world.campaign.slug), {"sponsor": sponsor.pk, "body": "x"})
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_plan_page_with_timeline_and_tasks(client, world: World) -> None:
    services_actions.add_action(
        actor=world.organiser,
        campaign=world.campaign,
        title="Market stall",
        starts_at=timezone.now() + timedelta(days=2),
    )
    services_actions.add_task(
        actor=world.organiser, campaign=world.campaign, title="Print leaflets", assignees=[world.member]
    )
    anonymous = client.get(url("plan", world.campaign.slug)).content.decode()
    assert "Market stall" in anonymous
    assert "<svg" in anonymous
    assert "Print leaflets" not in anonymous
    client.force_login(world.member)
    text = client.get(url("plan", world.campaign.slug)).content.decode()
    assert "Print leaflets" in text


def test_organiser_adds_action_bad_input_stores_nothing(client, world: World) -> None:
    client.force_login(world.organiser)
    response = client.post(url("action_add", world.campaign.slug), {"title": "", "status": "planned"})
    assert response.status_code == 400
    assert not world.campaign.actions.exists()


# Petitions


@pytest.fixture
def petition(world: World) -> Petition:
    return services_petitions.create_petition(
        actor=world.organiser,
        campaign=world.campaign,
        title="Freeze",
        target="Council",
        text="Freeze rents",
        signature_goal=10,
    )


def test_signing_by_link_and_public_count(
    client, world: World, petition: Petition, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            petition.get_absolute_url(),
            {"name": "Ann", "email": "ann@example.org", "show_name": "on", "place_name": "Riverside"},
        )
    assert response.status_code == 200
    assert "Almost there" in response.content.decode()
    link = re.search(r"https?://[^/]+(/campaigns/signatures/[^\s]+/)", mailoutbox[0].body)
    assert link is not None
    assert client.get(link.group(1)).status_code == 200  # a GET confirms nothing
    assert Petition.objects.get(pk=petition.pk).signature_count == 0
    assert client.post(link.group(1)).status_code == 302
    page = client.get(petition.get_absolute_url()).content.decode()
    assert "1 confirmed signature" in page
    assert "Ann" in page
    assert "Riverside" in page
    assert "ann@example.org" not in page


def test_signing_is_rate_limited(client, petition: Petition) -> None:
    for _n in range(3):
        client.post(petition.get_absolute_url(), {"name": "A", "email": "same@example.org"})
    response = client.post(petition.get_absolute_url(), {"name": "A", "email": "same@example.org"})
    assert response.status_code == 429
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("organiser", 200), ("editor", 200), ("admin", 200), ("member", 403), ("supporter", 403), ("outsider", 403)],
)
def test_csv_only_for_organisers(client, world: World, petition: Petition, role: str, status: int) -> None:
    services_petitions.sign_petition(actor=None, petition=petition, name="Ann", email="ann@example.org")
    client.force_login(world.role(role))
    response = client.get(url("petition_export", world.campaign.slug, petition.pk))
    assert response.status_code == status
    if status == 200:
        assert "ann@example.org" in response.content.decode()
        assert response["Content-Type"].startswith("text/csv")


def test_csv_for_anonymous_goes_to_login(client, world: World, petition: Petition) -> None:
    assert client.get(url("petition_export", world.campaign.slug, petition.pk)).status_code == 302


# Kits


def test_copy_into_our_circle_from_the_page(client, world: World) -> None:
    item = services_kits.add_kit_item(
        actor=world.editor, campaign=world.campaign, title="Talking points", body="- Rents"
    )
    client.force_login(world.organiser)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Copy into our circle" in page
    response = client.post(url("kit_copy", world.campaign.slug, item.pk), {"circle": world.circle.pk})
    assert response.status_code == 302
    copy = KitItem.objects.get(circle=world.circle)
    text = client.get(copy.get_absolute_url()).content.decode()
    assert "Adapted from “Talking points”" in text
    assert item.get_absolute_url() in text
    edit = url("kit_edit", world.campaign.slug, copy.pk)
    assert client.post(edit, {"title": "Our points", "body": "- Rents in Riverside"}).status_code == 302
    assert KitItem.objects.get(pk=copy.pk).body == "- Rents in Riverside"
    assert KitItem.objects.get(pk=item.pk).body == "- Rents"
    client.force_login(world.other_organiser)
    assert client.get(edit).status_code == 403


# Query counts


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _more_campaigns(world: World, n: int) -> None:
    for i in range(n):
        circle = cast(Any, factories.CircleFactory())
        organiser = cast(Any, factories.PersonFactory())
        factories.add_member(circle, organiser, Role.ORGANISER)
        campaign = services.create_campaign(actor=organiser, sponsor=circle, title=f"Campaign {i}", topic=world.topic)
        request = services.request_sponsorship(actor=world.editor, campaign=campaign, party=world.center)
        services.decide_sponsorship(actor=organiser, sponsor=request, accept=True)
        sponsor = queries.active_sponsors(Campaign.objects.get(pk=campaign.pk))[0]
        services_progress.post_progress(actor=organiser, campaign=campaign, sponsor=sponsor, body=f"Report {i}")


def test_board_and_feed_query_counts_are_fixed(client, world: World) -> None:
    _more_campaigns(world, 2)
    board_small, feed_small = _count(client, url("index")), _count(client, url("progress"))
    _more_campaigns(world, 10)
    assert _count(client, url("index")) == board_small
    assert _count(client, url("progress")) == feed_small
    assert board_small <= 5
    assert feed_small <= 3


def test_board_filters_and_groups_by_topic(client, world: World) -> None:
    services.create_campaign(
        actor=world.organiser, sponsor=world.circle, title="Buses", topic="Buses and trams", scope="regional"
    )
    text = client.get(url("index")).content.decode()
    assert "Housing" in text
    assert "Buses and trams" in text
    by_topic = client.get(url("index"), {"topic": "housing"}).content.decode()
    assert world.campaign.title in by_topic
    assert ">Buses</a>" not in by_topic
    text = client.get(url("index"), {"scope": "regional"}).content.decode()
    assert ">Buses</a>" in text
    assert world.campaign.title not in text
    near = client.get(url("index"), {"lat": "51.5", "lon": "-0.12", "km": "10"}).content.decode()
    assert world.campaign.title in near
    assert ">Buses</a>" not in near


def _grow_campaign(world: World, n: int) -> None:
    """n more sponsor circles, each with a report, plus n actions and kit items."""
    for i in range(n):
        circle = cast(Any, factories.CircleFactory())
        organiser = cast(Any, factories.PersonFactory())
        factories.add_member(circle, organiser, Role.ORGANISER)
        request = services.request_sponsorship(actor=organiser, campaign=world.campaign, party=circle)
        services.decide_sponsorship(actor=world.organiser, sponsor=request, accept=True)
        sponsor = next(
            s for s in queries.active_sponsors(Campaign.objects.get(pk=world.campaign.pk)) if s.pk == request.pk
        )
        services_progress.post_progress(actor=organiser, campaign=world.campaign, sponsor=sponsor, body=f"Report {i}")
        services_actions.add_action(
            actor=world.organiser,
            campaign=world.campaign,
            title=f"Action {i}",
            starts_at=timezone.now() + timedelta(days=i),
        )
        services_kits.add_kit_item(actor=world.organiser, campaign=world.campaign, title=f"Leaflet {i}", body="Text")
    perms.forget(world.organiser)


@pytest.mark.parametrize("role", ["anonymous", "organiser"])
def test_campaign_page_query_count_is_fixed(client, world: World, role: str) -> None:
    if role != "anonymous":
        client.force_login(world.role(role))
    path = world.campaign.get_absolute_url()
    _grow_campaign(world, 1)
    client.get(path)  # warm the content-type cache the comment thread uses
    small = _count(client, path)
    _grow_campaign(world, 6)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    assert len(captured) == small, "\n".join(q["sql"][:300] for q in captured.captured_queries)
