"""Source pages and the sources API: what each role sees and may do."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from freshground.core.safe_http import FetchResult
from freshground.journal import services_sources
from freshground.journal.discovery import Discovered
from freshground.journal.models import Source, SourceFollow, SourceStatus
from freshground.journal.opml import parse_opml
from freshground.network.tests.api_helpers import bearer, call

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def fake_discover(url: str) -> Discovered:
    return Discovered(
        feed_url=url, title="Found Feed", site_url="", description="", language="", result=FetchResult(url, 200)
    )


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services_sources, "discover", fake_discover)


def make(status: str = SourceStatus.ACTIVE, **fields: Any) -> Source:
    number = next(_numbers)
    fields.setdefault("name", f"Source {number}")
    return Source.objects.create(
        slug=f"source-{number}", feed_url=f"https://s{number}.example.org/feed", status=status, **fields
    )


def test_list_shows_public_sources_and_filters(client: Any, cast: Any) -> None:
    make(name="Union Voice", kind="union", language="en")
    make(name="Research Notes", kind="research", language="es")
    make(SourceStatus.PROPOSED, name="Waiting Paper")
    page = client.get(reverse("journal:sources")).content.decode()
    assert "Union Voice" in page
    assert "Research Notes" in page
    assert "Waiting Paper" not in page
    page = client.get(reverse("journal:sources"), {"kind": "union"}).content.decode()
    assert "Union Voice" in page
    assert "Research Notes" not in page
    page = client.get(reverse("journal:sources"), {"language": "es"}).content.decode()
    assert "Research Notes" in page
    assert "Union Voice" not in page
    # Only journal editors may ask for proposals.
    page = client.get(reverse("journal:sources"), {"status": "proposed"}).content.decode()
    assert "Waiting Paper" not in page
    client.force_login(cast.editor)
    page = client.get(reverse("journal:sources"), {"status": "proposed"}).content.decode()
    assert "Waiting Paper" in page
    assert "Union Voice" not in page


def test_list_query_count_is_fixed(client: Any, db: None) -> None:
    for _ in range(3):
        make()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("journal:sources"))
    for _ in range(12):
        make()
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("journal:sources")).status_code == 200
    assert len(many) == len(few)


def test_propose_as_member_waits_for_review(client: Any, cast: Any) -> None:
    client.force_login(cast.member)
    response = client.post(
        reverse("journal:source_new"), {"url": "https://paper.example.org/feed", "kind": "movement", "name": ""}
    )
    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:source", args=[source.slug])
    assert source.status == SourceStatus.PROPOSED
    assert source.name == "Found Feed"
    page = client.get(response["Location"]).content.decode()
    assert "waits for a journal editor" in page


def test_propose_bad_url_rerenders_with_error(client: Any, cast: Any) -> None:
    client.force_login(cast.member)
    response = client.post(reverse("journal:source_new"), {"url": "file:///etc/passwd", "kind": "other"})
    assert response.status_code == 200
    assert "Only http and https" in response.content.decode()
    assert Source.objects.count() == 0


def test_anonymous_is_sent_to_login(client: Any, db: None) -> None:
    response = client.get(reverse("journal:source_new"))
    assert response.status_code == 302
    assert "login" in response["Location"]
    source = make()
    response = client.post(reverse("journal:source_follow", args=[source.slug]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_source_page_health_for_editors_only(client: Any, cast: Any) -> None:
    source = make(last_error="The server answered 500.", consecutive_failures=2, last_status=500)
    page = client.get(reverse("journal:source", args=[source.slug])).content.decode()
    assert source.name in page
    assert "Fetching health" not in page
    assert "answered 500" not in page
    client.force_login(cast.editor)
    page = client.get(reverse("journal:source", args=[source.slug])).content.decode()
    assert "Fetching health" in page
    assert "answered 500" in page
    assert "2 failures in a row" in page


def test_proposed_source_hidden_from_others(client: Any, cast: Any) -> None:
    source = make(SourceStatus.PROPOSED, proposed_by=cast.member)
    url = reverse("journal:source", args=[source.slug])
    assert client.get(url).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.member)
    assert client.get(url).status_code == 200


def test_review_permissions(client: Any, cast: Any) -> None:
    source = make(SourceStatus.PROPOSED, proposed_by=cast.member)
    url = reverse("journal:source_review", args=[source.slug])
    client.force_login(cast.member)
    assert client.post(url, {"action": "approve"}).status_code == 403
    client.force_login(cast.organiser)
    assert client.post(url, {"action": "approve"}).status_code == 404  # cannot even see it
    client.force_login(cast.editor)
    assert client.post(url, {"action": "approve"}).status_code == 302
    source.refresh_from_db()
    assert source.status == SourceStatus.ACTIVE
    client.post(url, {"action": "approve"})  # not possible twice: a message, not a 500
    source.refresh_from_db()
    assert source.status == SourceStatus.ACTIVE


def test_edit_permissions(client: Any, cast: Any) -> None:
    source = make()
    url = reverse("journal:source_edit", args=[source.slug])
    client.force_login(cast.member)
    assert client.get(url).status_code == 403
    client.force_login(cast.admin)
    response = client.post(
        url,
        {"name": "New Name", "feed_url": source.feed_url, "kind": "union", "language": "en", "other_topics": "Rent"},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.name == "New Name"
    assert [tag.name for tag in source.topics.all()] == ["Rent"]


def test_follow_toggles_with_and_without_htmx(client: Any, cast: Any) -> None:
    source = make()
    url = reverse("journal:source_follow", args=[source.slug])
    client.force_login(cast.member)
    assert client.post(url).status_code == 302
    assert SourceFollow.objects.filter(person=cast.member, source=source).exists()
    response = client.post(url, {"follow": "0"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Follow" in response.content.decode()
    assert not SourceFollow.objects.filter(person=cast.member, source=source).exists()
    source.refresh_from_db()
    assert source.follower_count == 0


def test_opml_export_and_import(client: Any, cast: Any) -> None:
    make(name="Alpha")
    make(SourceStatus.PROPOSED, name="Hidden")
    response = client.get(reverse("journal:opml"))
    assert response["Content-Type"].startswith("text/x-opml")
    feeds = parse_opml(response.content)
    assert [feed.title for feed in feeds] == ["Alpha"]
    upload = SimpleUploadedFile(
        "s.opml",
        b'<opml version="2.0"><body><outline text="New" xmlUrl="https://new.example.org/feed"/></body></opml>',
    )
    client.force_login(cast.member)
    assert client.get(reverse("journal:opml_import")).status_code == 403
    client.force_login(cast.editor)
    response = client.post(reverse("journal:opml_import"), {"file": upload, "kind": "other"})
    assert response.status_code == 200
    assert "1 sources added" in response.content.decode()
    assert Source.objects.get(feed_url="https://new.example.org/feed").status == SourceStatus.ACTIVE
    bomb = SimpleUploadedFile("b.opml", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body/></opml>')
    response = client.post(reverse("journal:opml_import"), {"file": bomb, "kind": "other"})
    assert "DOCTYPE" in response.content.decode()


# --- API ---------------------------------------------------------------------------------------------------------


def test_api_list_and_detail(client: Any, cast: Any) -> None:
    source = make(name="Alpha", last_error="boom")
    make(SourceStatus.PROPOSED, name="Hidden")
    response = call(client, "GET", "/journal/sources")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["items"]] == ["Alpha"]
    detail = call(client, "GET", f"/journal/sources/{source.slug}").json()
    assert detail["health"] is None
    detail = call(client, "GET", f"/journal/sources/{source.slug}", headers=bearer(cast.editor)).json()
    assert detail["health"]["last_error"] == "boom"
    assert call(client, "GET", "/journal/sources/nope").status_code == 404


def test_api_propose_review_follow(client: Any, cast: Any) -> None:
    response = call(
        client,
        "POST",
        "/journal/sources",
        {"url": "https://api.example.org/feed", "kind": "union", "topics": ["Labour"]},
        headers=bearer(cast.member),
    )
    assert response.status_code == 201
    slug = response.json()["slug"]
    assert response.json()["status"] == "proposed"
    assert call(client, "POST", "/journal/sources", {"url": "https://x.example.org/"}).status_code == 401
    refused = call(client, "POST", "/journal/sources", {"url": "gopher://x.example.org/"}, headers=bearer(cast.member))
    assert refused.status_code == 400
    review = f"/journal/sources/{slug}/review"
    assert call(client, "POST", review, {"action": "approve"}, headers=bearer(cast.member)).status_code == 403
    assert call(client, "POST", review, {"action": "approve"}, headers=bearer(cast.editor)).json()["status"] == "active"
    follow = call(client, "POST", f"/journal/sources/{slug}/follow", headers=bearer(cast.outsider))
    assert follow.json() == {"following": True, "follower_count": 1}
    unfollow = call(client, "DELETE", f"/journal/sources/{slug}/follow", headers=bearer(cast.outsider))
    assert unfollow.json() == {"following": False, "follower_count": 0}


def test_api_opml(client: Any, cast: Any) -> None:
    make(name="Alpha")
    response = client.get("/api/v1/journal/sources.opml")
    assert [feed.title for feed in parse_opml(response.content)] == ["Alpha"]
    document = '<opml version="2.0"><body><outline text="B" xmlUrl="https://b.example.org/feed"/></body></opml>'
    assert (
        call(client, "POST", "/journal/opml/import", {"opml": document}, headers=bearer(cast.member)).status_code == 403
    )
    result = call(client, "POST", "/journal/opml/import", {"opml": document}, headers=bearer(cast.admin)).json()
    assert len(result["created"]) == 1
