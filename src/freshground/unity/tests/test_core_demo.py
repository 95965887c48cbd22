"""The demo conversation: three planted groups and the planted consensus on top; loading twice creates nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.testing import factories
from freshground.unity import analysis_runs, queries
from freshground.unity.demo import CONSENSUS, load_demo_unity
from freshground.unity.models import Conversation, Vote
from freshground.unity.models_documents import Endorsement, UnityDocument

pytestmark = pytest.mark.django_db


def test_demo_shows_three_groups_and_the_planted_consensus(cast):
    assert load_demo_unity({"organiser": cast.organiser}, {}, {}) == 1
    assert load_demo_unity({"organiser": cast.organiser}, {}, {}) == 0
    conversation = Conversation.objects.get()
    assert conversation.participants.count() == 300
    assert Vote.objects.count() > 300 * 15
    report = queries.report_json(conversation, analysis_runs.latest_snapshot(conversation))
    assert len(report["groups"]) == 3
    assert sorted(group["size"] for group in report["groups"]) == [100, 100, 100]
    top = [item["text"] for item in report["consensus"][: len(CONSENSUS)]]
    assert sorted(top) == sorted(CONSENSUS)


def test_demo_report_page_and_endorsed_document(client, cast):
    other_organiser = factories.PersonFactory()
    other = factories.CircleFactory()
    factories.add_member(other, other_organiser, "organiser")
    circles = {cast.circle.slug: cast.circle, other.slug: other}
    assert load_demo_unity({"organiser": cast.organiser}, circles, {}) == 1
    conversation = Conversation.objects.get()
    html = client.get(reverse("unity:report", args=[conversation.slug])).content.decode()
    assert "Group 3" in html
    assert "Group 4" not in html
    consensus = html[html.index('id="consensus-title"') : html.index('id="groups-title"')]
    first_rows = [consensus.index(text) for text in CONSENSUS]
    assert all(index > 0 for index in first_rows)
    document = UnityDocument.objects.get()
    assert sorted(item.text for item in document.versions.get().items.all()) == sorted(CONSENSUS)
    endorsers = {e.circle for e in Endorsement.objects.filter(withdrawn_at__isnull=True)}
    assert endorsers == {cast.circle, other}
    page = client.get(document.get_absolute_url()).content.decode()
    assert cast.circle.name in page
    assert other.name in page
