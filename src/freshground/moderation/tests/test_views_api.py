"""Pages and API: what people see (the flagged author never sees who flagged), IDOR by id, htmx partials, hostile
text, query counts."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from freshground.moderation import services, services_appeals
from freshground.moderation.models import ActionKind, Flag, ModerationAction
from freshground.moderation.tests.conftest import freshground, make_comment
from freshground.network.models import Role
from freshground.people import services as people_services
from freshground.testing import factories

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(person):
    _token, key = people_services.create_api_token(person=person, name="tests")
    return {"Authorization": f"Bearer {key}"}


def api(client, method, path, person=None, body=None):
    headers = bearer(person) if person is not None else {}
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, data=data, content_type="application/json", headers=headers)


@pytest.fixture
def other_organiser(db):
    person = factories.PersonFactory(display_name="Otto Other")
    factories.add_member(factories.CircleFactory(name="Elsewhere"), person, Role.ORGANISER)
    return person


@override_settings(FRESHGROUND=freshground(FLAG_THRESHOLD=2))
def test_flagged_author_never_sees_who_flagged(cast, client):
    # The organiser's own comment is flagged by two named people and hidden.
    comment = make_comment(cast.circle, cast.organiser, "Organiser's words")
    a = factories.PersonFactory(display_name="Fiona Flagger")
    b = factories.PersonFactory(display_name="Gus Grumble")
    client.force_login(a)
    response = client.post(
        reverse("moderation:flag", args=["debate.comment", comment.pk]), {"category": "abuse", "text": "Rude"}
    )
    assert response.status_code == 302
    services.flag(actor=b, label="debate.comment", object_id=comment.pk, category="spam")
    client.force_login(cast.organiser)
    queue = client.get(reverse("moderation:queue", args=["circle", cast.circle.slug])).content.decode()
    assert "Rude" in queue
    assert "Fiona Flagger" not in queue
    assert "Gus Grumble" not in queue
    assert "another moderator will act" in queue
    mine = client.get(reverse("moderation:mine")).content.decode()
    assert "hid content after several flags" in mine
    assert "Fiona" not in mine
    assert "Gus" not in mine
    body = api(client, "GET", f"/moderation/queue?space=circle:{cast.circle.slug}", cast.organiser).json()
    assert all(reason["flagger_id"] is None for reason in body["flagged"][0]["reasons"])
    record = api(client, "GET", "/moderation/me", cast.organiser).json()
    assert record[0]["kind"] == ActionKind.AUTO_HIDE
    assert "Fiona" not in json.dumps(record)
    # Another moderator (a site admin) does see who flagged.
    client.force_login(cast.admin)
    assert "Fiona Flagger" in client.get(reverse("moderation:site_queue")).content.decode()


def test_flag_page_and_htmx(cast, client):
    comment = make_comment(cast.circle, cast.member)
    client.force_login(cast.outsider)
    url = reverse("moderation:flag", args=["debate.comment", comment.pk])
    assert "Send to the moderators" in client.get(url).content.decode()
    response = client.post(url, {"category": "spam"}, headers={"HX-Request": "true"})
    assert "Thank you" in response.content.decode()
    assert "<html" not in response.content.decode()
    again = client.post(url, {"category": "spam"})
    assert "already flagged" in again.content.decode()
    assert Flag.objects.count() == 1


def test_anonymous_visitors_go_to_login(cast, client):
    comment = make_comment(cast.circle, cast.member)
    response = client.get(reverse("moderation:flag", args=["debate.comment", comment.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_hostile_flag_text_is_inert(cast, client):
    comment = make_comment(cast.circle, cast.member)
    services.flag(
        actor=cast.outsider,
        label="debate.comment",
        object_id=comment.pk,
        category="other",
        text="<script>alert(1)</script><img src=x onerror=alert(2)>",
    )
    client.force_login(cast.organiser)
    page = client.get(reverse("moderation:queue", args=["circle", cast.circle.slug])).content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_acting_from_the_queue_with_and_without_htmx(cast, client):
    comment = make_comment(cast.circle, cast.member)
    services.flag(actor=cast.outsider, label="debate.comment", object_id=comment.pk, category="abuse")
    client.force_login(cast.organiser)
    url = reverse("moderation:act", args=["debate.comment", comment.pk])
    response = client.post(url, {"action": "hide", "reason": "Insults"}, headers={"HX-Request": "true"})
    assert "Done" in response.content.decode()
    response = client.post(url, {"action": "restore", "reason": ""})
    assert response.status_code == 302
    refused = client.post(url, {"action": "restore", "reason": ""})
    assert refused.status_code == 400
    assert "not hidden" in refused.content.decode()
    assert ModerationAction.objects.count() == 2


def test_idor_pages(cast, client, other_organiser):
    comment = make_comment(cast.circle, cast.member)
    warning = services.act_on_person(
        actor=cast.organiser, person=cast.member, space=cast.circle, action="warn", reason="Tone"
    )
    appeal = services_appeals.appeal(actor=cast.member, action=warning, text="Unfair")
    client.force_login(other_organiser)
    act = reverse("moderation:act", args=["debate.comment", comment.pk])
    assert client.get(act).status_code == 404
    assert client.post(act, {"action": "hide", "reason": "x"}).status_code == 404
    thread = reverse("moderation:thread_act", args=["debate.comment", comment.pk])
    assert client.post(thread, {"action": "lock"}).status_code == 404
    assert client.get(reverse("moderation:queue", args=["circle", cast.circle.slug])).status_code == 403
    assert client.get(reverse("moderation:log", args=["circle", cast.circle.slug])).status_code == 403
    assert client.get(reverse("moderation:site_queue")).status_code == 403
    assert client.get(reverse("moderation:appeal", args=[warning.pk])).status_code == 404
    assert client.get(reverse("moderation:appeal_decide", args=[appeal.pk])).status_code == 404
    person_act = reverse("moderation:person_act", args=[cast.member.pk])
    assert (
        client.post(
            f"{person_act}", {"action": "warn", "reason": "x", "space": f"circle:{cast.circle.slug}"}
        ).status_code
        == 403
    )
    assert (
        client.post(person_act, {"action": "site_suspend", "reason": "x", "days": 2, "space": "site"}).status_code
        == 403
    )
    assert ModerationAction.objects.count() == 1


def test_idor_api(cast, client, other_organiser):
    comment = make_comment(cast.circle, cast.member)
    warning = services.act_on_person(
        actor=cast.organiser, person=cast.member, space=cast.circle, action="warn", reason="Tone"
    )
    appeal = services_appeals.appeal(actor=cast.member, action=warning, text="Unfair")
    hide = {"action": "hide", "label": "debate.comment", "object_id": comment.pk, "reason": "x"}
    assert api(client, "POST", "/moderation/actions", other_organiser, hide).status_code == 403
    assert api(client, "POST", "/moderation/actions", None, hide).status_code == 401
    ban = {"action": "ban", "person_id": cast.member.pk, "space": f"circle:{cast.circle.slug}", "reason": "x"}
    assert api(client, "POST", "/moderation/actions", other_organiser, ban).status_code == 403
    site = {"action": "site_suspend", "person_id": cast.member.pk, "reason": "x", "days": 1}
    assert api(client, "POST", "/moderation/actions", cast.organiser, site).status_code == 403
    assert api(client, "GET", f"/moderation/log?space=circle:{cast.circle.slug}", other_organiser).status_code == 403
    assert api(client, "GET", f"/moderation/queue?space=circle:{cast.circle.slug}", cast.member).status_code == 403
    assert api(client, "GET", "/moderation/log?space=circle:nowhere", cast.admin).status_code == 404
    assert (
        api(client, "POST", f"/moderation/actions/{warning.pk}/appeal", cast.outsider, {"text": "x"}).status_code == 404
    )
    decision = {"decision": "overturn", "note": "x"}
    assert (
        api(client, "POST", f"/moderation/appeals/{appeal.pk}/decision", other_organiser, decision).status_code == 404
    )
    assert api(client, "POST", f"/moderation/appeals/{appeal.pk}/decision", cast.organiser, decision).status_code == 403


def test_api_flow(cast, client):
    comment = make_comment(cast.circle, cast.member)
    flag = {"label": "debate.comment", "object_id": comment.pk, "category": "abuse", "text": "Rude"}
    assert api(client, "POST", "/moderation/flags", cast.outsider, flag).status_code == 201
    assert api(client, "POST", "/moderation/flags", cast.outsider, flag).status_code == 409
    mine = api(client, "GET", "/moderation/flags/mine", cast.outsider).json()
    assert [row["label"] for row in mine] == ["debate.comment"]
    assert api(client, "GET", "/moderation/flags/mine", cast.member).json() == []
    queue = api(client, "GET", f"/moderation/queue?space=circle:{cast.circle.slug}", cast.organiser).json()
    assert queue["flagged"][0]["reasons"][0]["flagger_id"] == cast.outsider.pk
    hide = {"action": "hide", "label": "debate.comment", "object_id": comment.pk, "reason": "Rude"}
    action = api(client, "POST", "/moderation/actions", cast.organiser, hide).json()
    assert action["kind"] == "hide"
    appeal = api(client, "POST", f"/moderation/actions/{action['id']}/appeal", cast.member, {"text": "Context"})
    assert appeal.status_code == 201
    again = api(client, "POST", f"/moderation/actions/{action['id']}/appeal", cast.member, {"text": "Again"})
    assert again.status_code == 409
    decided = api(
        client,
        "POST",
        f"/moderation/appeals/{appeal.json()['id']}/decision",
        cast.admin,
        {"decision": "uphold", "note": "It was rude"},
    )
    assert decided.json()["status"] == "upheld"
    log = api(client, "GET", f"/moderation/log?space=circle:{cast.circle.slug}", cast.organiser).json()
    assert [row["kind"] for row in log] == ["appeal_upheld", "hide"]
    assert api(client, "POST", "/moderation/blocks", cast.member, {"person_id": cast.outsider.pk}).status_code == 201
    assert api(client, "GET", "/moderation/blocks", cast.member).json()[0]["id"] == cast.outsider.pk
    assert api(client, "DELETE", f"/moderation/blocks/{cast.outsider.pk}", cast.member).status_code == 204
    assert api(client, "POST", "/moderation/mutes", cast.member, {"person_id": cast.member.pk}).status_code == 400


def test_rules_pages(cast, client):
    client.force_login(cast.admin)
    response = client.post(reverse("moderation:code_of_conduct_edit"), {"body": "# Be kind\n\n<script>x</script>"})
    assert response.status_code == 302
    page = client.get(reverse("moderation:code_of_conduct")).content.decode()
    assert "Be kind" in page
    assert "<script>x" not in page
    client.force_login(cast.organiser)
    assert client.get(reverse("moderation:code_of_conduct_edit")).status_code == 403
    rules = reverse("moderation:house_rules_edit", args=["circle", cast.circle.slug])
    assert client.post(rules, {"body": "No party lines."}).status_code == 302
    assert (
        "No party lines."
        in client.get(reverse("moderation:house_rules", args=["circle", cast.circle.slug])).content.decode()
    )
    client.force_login(cast.editor)
    assert client.post(rules, {"body": "Hijack"}).status_code == 403
    center_rules = reverse("moderation:house_rules_edit", args=["center", cast.center.slug])
    assert client.post(center_rules, {"body": "Cite sources."}).status_code == 302
    client.logout()
    assert client.get(reverse("moderation:house_rules", args=["center", cast.center.slug])).status_code == 200
    assert client.get(reverse("moderation:house_rules", args=["circle", "nowhere"])).status_code == 404


def test_settings_and_relations_pages(cast, client):
    client.force_login(cast.organiser)
    url = reverse("moderation:space_settings", args=["circle", cast.circle.slug])
    assert client.post(url, {"first_posts_need_approval": "on"}).status_code == 302
    client.force_login(cast.member)
    assert client.get(url).status_code == 403
    relation = reverse("moderation:relation", args=[cast.outsider.pk])
    assert client.post(relation, {"action": "block"}).status_code == 302
    page = client.get(reverse("moderation:relations")).content.decode()
    assert cast.outsider.display_name in page


def test_audit_log_page_query_count(cast, client, django_assert_max_num_queries):
    for _ in range(3):
        services.act_on_person(actor=cast.organiser, person=cast.member, space=cast.circle, action="warn", reason="x")
    client.force_login(cast.organiser)
    url = reverse("moderation:log", args=["circle", cast.circle.slug])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(20):
        services.act_on_person(actor=cast.organiser, person=cast.member, space=cast.circle, action="warn", reason="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 24
