"""The unity API: conversations, the next statement, votes with a token or an anonymous participant key, statements
and moderation, the report, documents and endorsements; every refusal a JSON 4xx with a reason."""

from __future__ import annotations

import pytest

from freshground.people.services import create_api_token
from freshground.unity import analysis_runs, services
from freshground.unity.models import Participant, Vote

pytestmark = pytest.mark.django_db

BASE = "/api/v1/unity"


def auth(person) -> dict[str, str]:
    _token, key = create_api_token(person=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def conversation(cast):
    return services.open_conversation(
        person=cast.organiser,
        title="What unites us?",
        circle=cast.circle,
        seed_statements=["Rent is too high.", "Hospitals need more staff."],
        needs_approval=True,
        allow_anonymous=True,
    )


def test_list_detail_and_create(client, cast, conversation):
    listed = client.get(f"{BASE}/conversations").json()
    assert [c["slug"] for c in listed] == [conversation.slug]
    assert listed[0]["statements"] == 2
    detail = client.get(f"{BASE}/conversations/{conversation.slug}").json()
    assert detail["circle"] == cast.circle.slug
    assert detail["last_analysis"] is None
    assert client.get(f"{BASE}/conversations/nothing").status_code == 404
    refused = client.post(f"{BASE}/conversations", {"title": "Mine"}, content_type="application/json")
    assert refused.status_code == 401
    created = client.post(
        f"{BASE}/conversations",
        {"title": "Ours", "seed_statements": ["One."], "circle": cast.circle.slug},
        content_type="application/json",
        **auth(cast.member),
    )
    assert created.status_code == 403
    assert "organisers" in created.json()["detail"]
    created = client.post(
        f"{BASE}/conversations", {"title": "Mine", "seed_statements": ["One."]}, content_type="application/json",
        **auth(cast.member),
    )  # fmt: skip
    assert created.status_code == 201
    assert created.json()["statements"] == 1


def test_vote_with_a_token(client, cast, conversation):
    headers = auth(cast.member)
    nxt = client.get(f"{BASE}/conversations/{conversation.slug}/next", **headers).json()
    statement = nxt["statement"]["id"]
    url = f"{BASE}/conversations/{conversation.slug}/votes"
    voted = client.post(url, {"statement": statement, "value": 1}, content_type="application/json", **headers)
    assert voted.status_code == 200
    assert voted.json()["next"]["id"] != statement
    client.post(url, {"statement": statement, "value": -1}, content_type="application/json", **headers)
    assert Vote.objects.get().value == -1
    bad = client.post(url, {"statement": statement, "value": 5}, content_type="application/json", **headers)
    assert bad.status_code == 400
    assert "agree (1)" in bad.json()["detail"]
    missing = client.post(url, {"statement": 99999, "value": 1}, content_type="application/json", **headers)
    assert missing.status_code == 404
    nobody = client.post(url, {"statement": statement, "value": 1}, content_type="application/json")
    assert nobody.status_code == 401


def test_vote_anonymously_with_a_key(client, conversation):
    key = client.post(f"{BASE}/conversations/{conversation.slug}/participants").json()["participant_key"]
    headers = {"HTTP_X_PARTICIPANT_KEY": key}
    nxt = client.get(f"{BASE}/conversations/{conversation.slug}/next", **headers).json()
    url = f"{BASE}/conversations/{conversation.slug}/votes"
    voted = client.post(
        url, {"statement": nxt["statement"]["id"], "value": "0"}, content_type="application/json", **headers
    )
    assert voted.status_code == 200
    assert Participant.objects.get().is_anonymous
    wrong = client.post(url, {"statement": nxt["statement"]["id"], "value": 1}, content_type="application/json",
                        HTTP_X_PARTICIPANT_KEY="not-a-key")  # fmt: skip
    assert wrong.status_code == 403
    assert "participant key" in wrong.json()["detail"]


def test_anonymous_refused_where_not_allowed_and_when_closed(client, cast):
    conversation = services.open_conversation(person=cast.member, title="Members", seed_statements=["One."])
    refused = client.post(f"{BASE}/conversations/{conversation.slug}/participants")
    assert refused.status_code == 403
    assert "anonymous" in refused.json()["detail"]
    services.close_conversation(person=cast.member, conversation=conversation)
    statement = conversation.statements.get()
    closed = client.post(
        f"{BASE}/conversations/{conversation.slug}/votes", {"statement": statement.pk, "value": 1},
        content_type="application/json", **auth(cast.member),
    )  # fmt: skip
    assert closed.status_code == 403
    assert "closed" in closed.json()["detail"]


def test_statements_and_moderation(client, cast, conversation):
    url = f"{BASE}/conversations/{conversation.slug}/statements"
    added = client.post(url, {"text": "Schools first."}, content_type="application/json", **auth(cast.member))
    assert added.status_code == 201
    assert added.json()["status"] == "pending"
    statement = added.json()["id"]
    vote = client.post(
        f"{BASE}/conversations/{conversation.slug}/votes", {"statement": statement, "value": 1},
        content_type="application/json", **auth(cast.member),
    )  # fmt: skip
    assert vote.status_code == 400
    assert "not open for votes" in vote.json()["detail"]
    assert client.get(f"{url}/pending", **auth(cast.member)).status_code == 403
    assert [s["id"] for s in client.get(f"{url}/pending", **auth(cast.organiser)).json()] == [statement]
    moderate = f"{BASE}/statements/{statement}/moderate"
    assert (
        client.post(moderate, {"action": "approve"}, content_type="application/json", **auth(cast.member)).status_code
        == 403
    )
    assert (
        client.post(moderate, {"action": "bless"}, content_type="application/json", **auth(cast.organiser)).status_code
        == 400
    )
    done = client.post(moderate, {"action": "approve"}, content_type="application/json", **auth(cast.organiser))
    assert done.json()["status"] == "approved"


def test_report_documents_and_endorsements(client, cast, conversation):
    for person in (cast.member, cast.organiser, cast.editor):
        for statement in conversation.statements.all():
            services.vote(actor=person, statement=statement, value=1)
    assert client.get(f"{BASE}/conversations/{conversation.slug}/report").json()["computed_at"] is None
    analysis_runs.run_analysis(conversation)
    report = client.get(f"{BASE}/conversations/{conversation.slug}/report").json()
    assert report["participants"] == 3
    ids = [s.pk for s in conversation.statements.all()]
    url = f"{BASE}/conversations/{conversation.slug}/documents"
    refused = client.post(url, {"title": "T", "statements": ids}, content_type="application/json", **auth(cast.member))
    assert refused.status_code == 403
    drafted = client.post(
        url, {"title": "T", "statements": ids}, content_type="application/json", **auth(cast.organiser)
    )
    assert drafted.status_code == 201
    document = drafted.json()
    assert document["statements"][0]["support"]["overall"] == [3, 0, 0]
    endorse = f"{BASE}/documents/{document['id']}/endorsements"
    idor = client.post(endorse, {"version": 1, "circle": cast.circle.slug}, content_type="application/json",
                       **auth(cast.editor))  # fmt: skip
    assert idor.status_code == 403
    ok = client.post(endorse, {"version": 1, "center": cast.center.slug}, content_type="application/json",
                     **auth(cast.editor))  # fmt: skip
    assert ok.status_code == 201
    shown = client.get(f"{BASE}/documents/{document['id']}").json()
    assert [e["center"] for e in shown["endorsements"]] == [cast.center.slug]
    assert client.delete(f"{BASE}/endorsements/{ok.json()['id']}", **auth(cast.member)).status_code == 403
    withdrawn = client.delete(f"{BASE}/endorsements/{ok.json()['id']}", **auth(cast.editor))
    assert withdrawn.json()["withdrawn_at"] is not None
    revised = client.post(f"{BASE}/documents/{document['id']}/versions", {"title": "T2", "statements": ids[:1]},
                          content_type="application/json", **auth(cast.organiser))  # fmt: skip
    assert revised.json()["version"] == 2
    assert client.get(f"{BASE}/documents/{document['id']}?version=7").status_code == 404
    assert client.get(url).json()[0]["latest_version"] == 2
