"""Source registry: the permission matrix, proposing (trusted or waiting), review, edit, follow, OPML import."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.core.safe_http import FetchResult
from freshground.journal import permissions_sources as perms
from freshground.journal import services_sources as services
from freshground.journal.discovery import Discovered, DiscoveryError
from freshground.journal.models import Source, SourceFollow, SourceStatus
from freshground.journal.opml import export_opml, parse_opml

pytestmark = pytest.mark.django_db


def fake_discover(url: str) -> Discovered:
    if "nofeed" in url:
        raise DiscoveryError("This page is not a feed and advertises none.")
    feed = url if url.endswith(".xml") else url.rstrip("/") + "/feed.xml"
    return Discovered(
        feed_url=feed,
        title="Discovered Title",
        site_url="https://example.org/",
        description="About it",
        language="en",
        result=FetchResult(url=feed, status=200),
    )


def propose(actor: Any, url: str = "https://example.org/", **kwargs: Any) -> Source:
    return services.propose_source(actor, url=url, discoverer=fake_discover, **kwargs)


def test_permission_matrix(cast: Any) -> None:
    anonymous = None
    rows = {
        "admin": cast.admin,
        "editor": cast.editor,
        "organiser": cast.organiser,
        "member": cast.member,
        "outsider": cast.outsider,
    }
    expected_editor = {"admin": True, "editor": True, "organiser": False, "member": False, "outsider": False}
    for name, person in rows.items():
        assert perms.is_journal_editor(person) is expected_editor[name], name
        assert perms.can_review_sources(person) is expected_editor[name], name
        assert perms.can_see_health(person) is expected_editor[name], name
        assert perms.can_import_opml(person) is expected_editor[name], name
        assert perms.can_propose_source(person) is True
        assert perms.can_propose_for_circle(person, cast.circle) is (name in ("admin", "organiser")), name
        assert perms.can_propose_for_center(person, cast.center) is (name in ("admin", "editor")), name
        assert perms.proposal_is_trusted(person) is expected_editor[name], name
        assert perms.proposal_is_trusted(person, circle=cast.circle) is (name in ("admin", "editor", "organiser"))
    assert not perms.is_journal_editor(anonymous)
    assert not perms.can_propose_source(anonymous)


def test_visibility_of_proposed_sources(cast: Any) -> None:
    source = propose(cast.member)
    assert source.status == SourceStatus.PROPOSED
    assert perms.can_view_source(cast.member, source)  # the proposer
    assert perms.can_view_source(cast.editor, source)
    assert not perms.can_view_source(cast.outsider, source)
    assert not perms.can_view_source(None, source)
    assert perms.can_edit_source(cast.member, source)
    assert not perms.can_edit_source(cast.outsider, source)
    services.review_source(cast.editor, source=source, action="approve")
    source.refresh_from_db()
    assert perms.can_view_source(None, source)
    assert not perms.can_edit_source(cast.member, source)  # once active, only journal editors edit


def test_propose_uses_discovery(cast: Any) -> None:
    source = propose(cast.member, "https://example.org/", topics=["Labour", "heat pumps"])
    assert source.feed_url == "https://example.org/feed.xml"
    assert source.name == "Discovered Title"
    assert source.site_url == "https://example.org/"
    assert source.language == "en"
    assert source.proposed_by == cast.member
    assert sorted(tag.slug for tag in source.topics.all()) == ["heat-pumps", "labour"]
    assert source.next_fetch_at is None


@pytest.mark.parametrize(
    ("who", "circle", "status"),
    [
        ("admin", False, SourceStatus.ACTIVE),
        ("editor", False, SourceStatus.ACTIVE),
        ("organiser", True, SourceStatus.ACTIVE),
        ("organiser", False, SourceStatus.PROPOSED),
        ("member", False, SourceStatus.PROPOSED),
        ("outsider", False, SourceStatus.PROPOSED),
    ],
)
def test_trusted_proposals_active_at_once(cast: Any, who: str, circle: bool, status: str) -> None:
    source = propose(getattr(cast, who), circle=cast.circle if circle else None)
    assert source.status == status
    if status == SourceStatus.ACTIVE:
        assert source.next_fetch_at is not None
        assert source.reviewed_by == getattr(cast, who)


def test_proposing_in_a_name_needs_the_role(cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        propose(cast.member, circle=cast.circle)
    with pytest.raises(PermissionDenied):
        propose(cast.organiser, for_center=cast.center)
    with pytest.raises(PermissionDenied) as caught:
        propose(cast.member, center=cast.center)
    assert caught.value.field == "center"
    assert propose(cast.editor, center=cast.center).center == cast.center
    assert Source.objects.count() == 1


def test_anonymous_cannot_propose() -> None:
    with pytest.raises(PermissionDenied):
        propose(AnonymousUser())


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("file:///etc/passwd", "url"),
        ("javascript:alert(1)", "url"),
        ("http://user:pw@example.org/feed", "url"),
        ("", "url"),
        ("https://example.org/nofeed", "url"),
    ],
)
def test_refused_urls_save_nothing(cast: Any, url: str, field: str) -> None:
    with pytest.raises(DomainError) as caught:
        propose(cast.editor, url)
    assert caught.value.field == field
    assert Source.objects.count() == 0


def test_site_url_and_language_checked(cast: Any) -> None:
    with pytest.raises(DomainError) as caught:
        propose(cast.editor, site_url="javascript:alert(1)")
    assert caught.value.field == "site_url"
    with pytest.raises(DomainError) as caught:
        propose(cast.editor, language="english please")
    assert caught.value.field == "language"


def test_duplicate_feed_is_a_conflict(cast: Any) -> None:
    propose(cast.editor)
    with pytest.raises(Conflict):
        propose(cast.member)


def test_review_transitions(cast: Any) -> None:
    source = propose(cast.member)
    with pytest.raises(PermissionDenied):
        services.review_source(cast.member, source=source, action="approve")
    with pytest.raises(PermissionDenied):
        services.review_source(cast.organiser, source=source, action="approve")
    with pytest.raises(Conflict):
        services.review_source(cast.editor, source=source, action="pause")
    source = services.review_source(cast.editor, source=source, action="approve")
    assert source.status == SourceStatus.ACTIVE
    assert source.next_fetch_at is not None
    source = services.review_source(cast.admin, source=source, action="pause")
    assert source.status == SourceStatus.PAUSED
    source = services.review_source(cast.admin, source=source, action="resume")
    assert source.status == SourceStatus.ACTIVE
    other = propose(cast.member, "https://other.example.org/")
    assert services.review_source(cast.editor, source=other, action="reject").status == SourceStatus.REJECTED


def test_edit(cast: Any) -> None:
    source = propose(cast.editor)
    with pytest.raises(PermissionDenied):
        services.update_source(cast.member, source=source, name="X", feed_url=source.feed_url)
    source = services.update_source(
        cast.editor,
        source=source,
        name="Renamed",
        feed_url="https://example.org/atom.xml",
        kind="union",
        language="es",
        topics=["Housing"],
    )
    source.refresh_from_db()
    assert (source.name, source.feed_url, source.kind, source.language) == (
        "Renamed",
        "https://example.org/atom.xml",
        "union",
        "es",
    )
    assert [tag.name for tag in source.topics.all()] == ["Housing"]


def test_follow_and_unfollow(cast: Any) -> None:
    source = propose(cast.editor)
    services.follow_source(cast.member, source=source)
    services.follow_source(cast.member, source=source)
    services.follow_source(cast.outsider, source=source)
    source.refresh_from_db()
    assert source.follower_count == 2
    services.unfollow_source(cast.member, source=source)
    source.refresh_from_db()
    assert source.follower_count == 1
    assert not SourceFollow.objects.filter(person=cast.member).exists()
    proposed = propose(cast.member, "https://other.example.org/")
    with pytest.raises(PermissionDenied):
        services.follow_source(cast.outsider, source=proposed)


def test_opml_round_trip(cast: Any) -> None:
    first = propose(cast.editor, "https://one.example.org/", kind="union", language="de")
    propose(cast.editor, "https://two.example.org/", name='Two & "Quotes" <b>')
    data = export_opml(Source.objects.order_by("name"))
    feeds = parse_opml(data)
    assert {feed.url for feed in feeds} == {"https://one.example.org/feed.xml", "https://two.example.org/feed.xml"}
    assert 'Two & "Quotes" <b>' in {feed.title for feed in feeds}
    Source.objects.all().delete()
    result = services.import_opml(cast.editor, data=data)
    assert len(result.created) == 2
    again = Source.objects.get(feed_url=first.feed_url)
    assert (again.kind, again.language, again.status) == ("union", "de", SourceStatus.ACTIVE)
    result = services.import_opml(cast.editor, data=data)
    assert result.created == []
    assert len(result.skipped) == 2


def test_opml_import_needs_a_journal_editor(cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.import_opml(cast.member, data=b"<opml/>")


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b'<opml version="2.0"><body><outline xmlUrl="https://x.example/&lol2;"/></body></opml>',
        b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml/>',
        b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]><opml><body>'
        b'<outline text="&xxe;" xmlUrl="https://x.example/"/></body></opml>',
        b"<opml><body><outline",
        b"<html></html>",
        b"\xff\xfe\x00garbage",
    ],
)
def test_hostile_opml_refused(cast: Any, data: bytes) -> None:
    with pytest.raises(DomainError):
        services.import_opml(cast.editor, data=data)
    assert Source.objects.count() == 0


def test_opml_keeps_only_web_feeds_and_nested_outlines(cast: Any) -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="Unions">
    <outline text="A" type="rss" xmlUrl="https://a.example.org/feed"/>
    <outline text="F" type="rss" xmlUrl="file:///etc/passwd"/>
  </outline>
  <outline text="B" type="rss" xmlUrl="https://b.example.org/feed" category="/research"/>
  <outline text="C" type="rss" xmlUrl="http://127.0.0.1:22/feed"/>
</body></opml>"""
    result = services.import_opml(cast.editor, data=data)
    assert sorted(source.feed_url for source in result.created) == [
        "https://a.example.org/feed",
        "https://b.example.org/feed",
    ]
    assert Source.objects.get(feed_url="https://b.example.org/feed").kind == "research"
    assert len(result.refused) == 1
