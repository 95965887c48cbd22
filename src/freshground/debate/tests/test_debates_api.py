"""The debates API with token auth: the same rules as the pages."""

from __future__ import annotations

import pytest

from freshground.debate.models import Conviction, Debate, Summary
from freshground.debate.tests.debates_helpers import argue, debate_of, first_position, no_rate_limits, sent
from freshground.network.tests.api_helpers import bearer, call

pytestmark = pytest.mark.usefixtures("no_rate_limits", "sent")
__all__ = ["no_rate_limits", "sent"]


def test_story_open_argue_mark_invite_state_close(cast, client) -> None:
    response = call(
        client,
        "POST",
        "/debates",
        {
            "question": "One union per workplace?",
            "opening_statement": "Discuss.",
            "circle": cast.circle.slug,
            "topics": ["unions"],
            "positions": ["Yes", "No"],
        },
        bearer(cast.organiser),
    )
    assert response.status_code == 201, response.content
    slug = response.json()["slug"]
    position_id = response.json()["positions"][0]["id"]
    response = call(
        client,
        "POST",
        f"/debates/{slug}/arguments",
        {"position_id": position_id, "side": "for", "body": "Unity."},
        bearer(cast.member),
    )
    assert response.status_code == 201
    argument_id = response.json()["id"]
    assert call(client, "PUT", f"/arguments/{argument_id}/convincing", None, bearer(cast.member)).status_code == 403
    marked = call(client, "PUT", f"/arguments/{argument_id}/convincing", None, bearer(cast.editor))
    assert marked.status_code == 200
    assert (marked.json()["convinced_count"], marked.json()["group_count"]) == (1, 1)
    assert marked.json()["you_find_it_convincing"] is True
    invited = call(client, "POST", f"/debates/{slug}/invitations", {"center": cast.center.slug}, bearer(cast.organiser))
    assert invited.status_code == 201
    invitation_id = invited.json()["id"]
    refused = call(
        client,
        "POST",
        f"/debates/{slug}/invitations/{invitation_id}/statement",
        {"statement": "x"},
        bearer(cast.member),
    )
    assert refused.status_code == 403
    stated = call(
        client,
        "POST",
        f"/debates/{slug}/invitations/{invitation_id}/statement",
        {"statement": "We agree.", "position_id": position_id},
        bearer(cast.editor),
    )
    assert stated.status_code == 200
    assert stated.json()["statement"] == "We agree."
    summary = {"positions": "p", "agreements": "a", "open_questions": "o"}
    assert call(client, "POST", f"/debates/{slug}/close", summary, bearer(cast.member)).status_code == 403
    assert call(client, "POST", f"/debates/{slug}/close", summary, bearer(cast.organiser)).status_code == 201
    assert (
        call(
            client, "POST", f"/debates/{slug}/summaries", {**summary, "positions": "p2"}, bearer(cast.organiser)
        ).status_code
        == 201
    )
    versions = call(client, "GET", f"/debates/{slug}/summaries").json()
    assert [v["version"] for v in versions] == [2, 1]
    assert call(client, "GET", f"/debates/{slug}/summaries/1").json()["positions"] == "p"
    detail = call(client, "GET", f"/debates/{slug}").json()
    assert detail["is_open"] is False
    assert detail["summary"]["version"] == 2
    assert detail["invitations"][0]["statement_html"] == "<p>We agree.</p>\n"
    assert call(client, "PUT", f"/arguments/{argument_id}/convincing", None, bearer(cast.outsider)).status_code == 403


def test_list_filters_and_anonymous_reads(cast, client) -> None:
    debate_of(cast, question="About rents", topics=["housing"])
    debate_of(cast, question="About wages")
    everything = call(client, "GET", "/debates").json()
    assert everything["count"] == 2
    assert call(client, "GET", "/debates?q=rent").json()["count"] == 1
    assert call(client, "GET", "/debates?topic=housing").json()["count"] == 1
    assert call(client, "GET", f"/debates?circle={cast.circle.slug}&state=open").json()["count"] == 2
    assert call(client, "GET", "/debates?state=closed").json()["count"] == 0
    assert call(client, "GET", "/debates?state=sideways").status_code == 400


def test_ranked_arguments_and_unmark(cast, client) -> None:
    debate = debate_of(cast)
    argument = argue(cast.member, debate)
    call(client, "PUT", f"/arguments/{argument.pk}/convincing", None, bearer(cast.outsider))
    page = call(
        client, "GET", f"/debates/{debate.slug}/positions/{first_position(debate).pk}/arguments?side=for"
    ).json()
    assert page["count"] == 1
    assert page["results"][0]["convinced_count"] == 1
    response = call(client, "DELETE", f"/arguments/{argument.pk}/convincing", None, bearer(cast.outsider))
    assert response.json()["convinced_count"] == 0
    assert not Conviction.objects.exists()


def test_anonymous_cannot_write(cast, client) -> None:
    debate = debate_of(cast)
    assert call(client, "POST", "/debates", {"question": "Q", "opening_statement": "S"}).status_code == 401
    assert call(client, "POST", f"/debates/{debate.slug}/positions", {"title": "T"}).status_code == 401
    assert Debate.objects.count() == 1
    assert not Summary.objects.exists()


def test_unknown_debate_is_404(client, db) -> None:
    assert call(client, "GET", "/debates/nope").status_code == 404
