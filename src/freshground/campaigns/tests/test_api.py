"""The campaigns API with token auth: reads, writes, refusals with reasons, nothing stored on bad input."""

from __future__ import annotations

from typing import Any

import pytest

from freshground.campaigns import services_petitions
from freshground.campaigns.models import Campaign, KitItem, ProgressReport, Signature, Sponsor
from freshground.people.services import create_api_token

from .conftest import World

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


def auth(person) -> dict[str, str]:
    _token, key = create_api_token(person=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_list_and_detail_public(client, world: World) -> None:
    listing = client.get(f"{BASE}/campaigns").json()
    assert [c["slug"] for c in listing["items"]] == [world.campaign.slug]
    detail = client.get(f"{BASE}/campaigns/{world.campaign.slug}").json()
    assert [s["name"] for s in detail["sponsors"]] == [world.circle.name, world.center.name]
    assert detail["pending_sponsors"] is None
    assert detail["goals"][0]["target"] == 200


def test_create_with_token(client, world: World) -> None:
    payload = {
        "sponsor": f"circle:{world.other_circle.slug}",
        "title": "Hilltop parks",
        "topic": "housing",
        "demands": ["Parks"],
    }
    response = client.post(f"{BASE}/campaigns", payload, content_type="application/json", **auth(world.other_organiser))
    assert response.status_code == 201, response.content
    assert response.json()["you"]["can_manage"] is True


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"sponsor": "circle:nope", "title": "X"}, 404),
        ({"sponsor": "planet:x", "title": "X"}, 422),
        ({"title": "X"}, 422),
        ({"sponsor": "circle:{circle}", "title": ""}, 422),
        ({"sponsor": "circle:{circle}", "title": "X", "latitude": 10}, 400),
        ({"sponsor": "circle:{circle}", "title": "X", "scope": "galactic"}, 422),
    ],
)
def test_bad_create_input(client, world: World, payload: dict[str, Any], status: int) -> None:
    payload = {k: v.format(circle=world.circle.slug) if isinstance(v, str) else v for k, v in payload.items()}
    response = client.post(f"{BASE}/campaigns", payload, content_type="application/json", **auth(world.organiser))
    assert response.status_code == status
    assert response.json()["detail"]
    assert Campaign.objects.count() == 1


def test_outsider_gets_403_with_reason(client, world: World) -> None:
    payload = {"sponsor": f"circle:{world.circle.slug}", "title": "Hijack"}
    response = client.post(f"{BASE}/campaigns", payload, content_type="application/json", **auth(world.outsider))
    assert response.status_code == 403
    assert "organisers" in response.json()["detail"]


def test_writes_need_a_token(client, world: World) -> None:
    response = client.post(f"{BASE}/campaigns/{world.campaign.slug}/support")
    assert response.status_code == 401


def test_sponsorship_round_trip(client, world: World) -> None:
    slug = world.campaign.slug
    response = client.post(
        f"{BASE}/campaigns/{slug}/sponsors",
        {"party": f"circle:{world.other_circle.slug}"},
        content_type="application/json",
        **auth(world.other_organiser),
    )
    assert response.status_code == 201
    sponsor_id = response.json()["id"]
    refused = client.post(
        f"{BASE}/campaigns/{slug}/sponsors/{sponsor_id}/decision",
        {"accept": True},
        content_type="application/json",
        **auth(world.editor),
    )
    assert refused.status_code == 403
    accepted = client.post(
        f"{BASE}/campaigns/{slug}/sponsors/{sponsor_id}/decision",
        {"accept": True},
        content_type="application/json",
        **auth(world.organiser),
    )
    assert accepted.json()["status"] == "active"
    withdrawn = client.post(f"{BASE}/campaigns/{slug}/sponsors/{sponsor_id}/withdraw", **auth(world.other_organiser))
    assert withdrawn.json()["status"] == "withdrawn"
    assert Sponsor.objects.get(pk=sponsor_id).status == "withdrawn"


def test_support_actions_tasks_reports_and_feed(client, world: World) -> None:
    slug = world.campaign.slug
    assert client.post(f"{BASE}/campaigns/{slug}/support", **auth(world.outsider)).status_code == 201
    action = client.post(
        f"{BASE}/campaigns/{slug}/actions",
        {"title": "Rally", "starts_at": "2027-03-01T12:00:00Z", "people_needed": 20},
        content_type="application/json",
        **auth(world.organiser),
    )
    assert action.status_code == 201, action.content
    task = client.post(
        f"{BASE}/campaigns/{slug}/tasks",
        {"title": "Banner", "assignee_ids": [world.outsider.pk]},
        content_type="application/json",
        **auth(world.organiser),
    )
    assert task.status_code == 201, task.content
    done = client.post(
        f"{BASE}/campaigns/{slug}/tasks/{task.json()['id']}/done",
        {"done": True},
        content_type="application/json",
        **auth(world.outsider),
    )
    assert done.json()["done"] is True
    sponsor_id = Sponsor.objects.get(campaign=world.campaign, circle=world.circle).pk
    report = client.post(
        f"{BASE}/campaigns/{slug}/reports",
        {"sponsor_id": sponsor_id, "body": "Big week"},
        content_type="application/json",
        **auth(world.member),
    )
    assert report.status_code == 201
    feed = client.get(f"{BASE}/progress").json()
    assert feed["items"][0]["body"] == "Big week"
    assert client.get(f"{BASE}/campaigns/{slug}/tasks", **auth(world.other_organiser)).status_code == 403


def test_petition_sign_public_and_export_for_organisers(client, world: World) -> None:
    slug = world.campaign.slug
    created = client.post(
        f"{BASE}/campaigns/{slug}/petitions",
        {"title": "Freeze", "target": "Council", "text": "Please", "signature_goal": 100},
        content_type="application/json",
        **auth(world.organiser),
    )
    assert created.status_code == 201
    pid = created.json()["id"]
    signed = client.post(
        f"{BASE}/campaigns/{slug}/petitions/{pid}/sign",
        {"name": "Ann", "email": "ann@example.org"},
        content_type="application/json",
    )
    assert signed.status_code == 202
    bad = client.post(
        f"{BASE}/campaigns/{slug}/petitions/{pid}/sign",
        {"name": "Ann", "email": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["detail"]
    assert Signature.objects.count() == 1
    signature = Signature.objects.get()
    services_petitions.confirm_signature(token=services_petitions.signature_token(signature))
    assert client.get(f"{BASE}/campaigns/{slug}/petitions/{pid}").json()["signature_count"] == 1
    assert "ann@example.org" not in client.get(f"{BASE}/campaigns/{slug}/petitions/{pid}/signers").content.decode()
    assert (
        client.get(f"{BASE}/campaigns/{slug}/petitions/{pid}/signatures.csv", **auth(world.member)).status_code == 403
    )
    export = client.get(f"{BASE}/campaigns/{slug}/petitions/{pid}/signatures.csv", **auth(world.organiser))
    assert export.status_code == 200
    assert "ann@example.org" in export.content.decode()


def test_kit_copy_with_credit(client, world: World) -> None:
    slug = world.campaign.slug
    item = client.post(
        f"{BASE}/campaigns/{slug}/kit",
        {"kind": "talking_points", "title": "Points", "body": "- one"},
        content_type="application/json",
        **auth(world.editor),
    )
    assert item.status_code == 201
    copy = client.post(
        f"{BASE}/campaigns/{slug}/kit/{item.json()['id']}/copy",
        {"circle": world.circle.slug},
        content_type="application/json",
        **auth(world.organiser),
    )
    assert copy.status_code == 201
    assert copy.json()["adapted_from_id"] == item.json()["id"]
    assert copy.json()["credit"].startswith("Adapted from")
    assert KitItem.objects.count() == 2


def test_similar_endpoint(client, world: World) -> None:
    found = client.post(
        f"{BASE}/campaigns/similar",
        {"title": "Rent hikes in Riverside", "topic": "housing"},
        content_type="application/json",
    ).json()
    assert found[0]["campaign"]["slug"] == world.campaign.slug


def test_unknown_campaign_is_404(client, db) -> None:
    response = client.get(f"{BASE}/campaigns/nope")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert not ProgressReport.objects.exists()
