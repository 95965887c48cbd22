"""Uploading a kit item's file through the API: managers only, the web form's size cap and file types, 4xx with a
reason otherwise, nothing stored on refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from freshground.campaigns import services, services_kits
from freshground.campaigns.models import KitItem
from freshground.people.services import create_api_token

from .conftest import World

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def auth(person: Any) -> dict[str, str]:
    _token, key = create_api_token(person=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _item(world: World) -> KitItem:
    return services_kits.add_kit_item(actor=world.organiser, campaign=world.campaign, title="Leaflet", body="Rents up!")


def upload_url(world: World, item: KitItem) -> str:
    return f"{BASE}/campaigns/{world.campaign.slug}/kit/{item.pk}/attachment"


@pytest.mark.parametrize("role", ["organiser", "editor", "admin"])
def test_manager_uploads_a_file(client, world: World, role: str) -> None:
    item = _item(world)
    response = client.post(
        upload_url(world, item),
        {"file": SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4 rents", content_type="application/pdf")},
        **auth(world.role(role)),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == item.pk
    assert body["attachment_url"].endswith(".pdf")
    item.refresh_from_db()
    assert item.attachment.read() == b"%PDF-1.4 rents"
    listed = client.get(f"{BASE}/campaigns/{world.campaign.slug}/kit").json()
    assert listed[0]["attachment_url"] == body["attachment_url"]


@pytest.mark.parametrize("role", ["member", "supporter", "outsider", "other_organiser"])
def test_others_get_403_with_a_reason(client, world: World, role: str) -> None:
    item = _item(world)
    response = client.post(
        upload_url(world, item), {"file": SimpleUploadedFile("leaflet.pdf", b"%PDF")}, **auth(world.role(role))
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    item.refresh_from_db()
    assert not item.attachment


def test_without_a_token_is_401(client, world: World) -> None:
    item = _item(world)
    response = client.post(upload_url(world, item), {"file": SimpleUploadedFile("leaflet.pdf", b"%PDF")})
    assert response.status_code == 401
    item.refresh_from_db()
    assert not item.attachment


def test_item_of_another_campaign_is_404(client, world: World) -> None:
    """IDOR: another campaign's kit item cannot be reached through this campaign's address."""
    other = services.create_campaign(actor=world.other_organiser, sponsor=world.other_circle, title="Hilltop parks")
    foreign = services_kits.add_kit_item(actor=world.other_organiser, campaign=other, title="Theirs", body="x")
    for person in (world.organiser, world.other_organiser):
        response = client.post(
            f"{BASE}/campaigns/{world.campaign.slug}/kit/{foreign.pk}/attachment",
            {"file": SimpleUploadedFile("leaflet.pdf", b"%PDF")},
            **auth(person),
        )
        assert response.status_code == 404
    foreign.refresh_from_db()
    assert not foreign.attachment


@pytest.mark.parametrize(
    ("upload", "status", "reason"),
    [
        (SimpleUploadedFile("run.exe", b"MZ"), 400, "Upload one of"),
        (SimpleUploadedFile("noextension", b"data"), 400, "Upload one of"),
        (SimpleUploadedFile("huge.pdf", b"x" * (services_kits.MAX_ATTACHMENT_BYTES + 1)), 400, "too large"),
    ],
)
def test_bad_files_are_refused_with_a_reason(client, world: World, upload: Any, status: int, reason: str) -> None:
    item = _item(world)
    response = client.post(upload_url(world, item), {"file": upload}, **auth(world.organiser))
    assert response.status_code == status, response.content
    assert reason in response.json()["detail"]
    assert response.json()["field"] == "attachment"
    item.refresh_from_db()
    assert not item.attachment


def test_missing_file_is_422(client, world: World) -> None:
    item = _item(world)
    response = client.post(upload_url(world, item), {"other": "x"}, **auth(world.organiser))
    assert response.status_code == 422
    item.refresh_from_db()
    assert not item.attachment


def test_circle_copy_gets_its_own_file_and_the_original_keeps_its(client, world: World) -> None:
    item = _item(world)
    services_kits.set_kit_attachment(
        actor=world.organiser, item=item, attachment=SimpleUploadedFile("original.pdf", b"%PDF original")
    )
    copy = services_kits.copy_kit_item(actor=world.organiser, item=item, circle=world.circle)
    response = client.post(
        f"{BASE}/campaigns/{world.campaign.slug}/kit/{copy.pk}/attachment",
        {"file": SimpleUploadedFile("ours.txt", b"our version")},
        **auth(world.organiser),
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    copy.refresh_from_db()
    assert item.attachment.read() == b"%PDF original"
    assert copy.attachment.read() == b"our version"
