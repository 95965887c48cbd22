"""The unity pages: the list, opening, the voting card (signed in, anonymous with a cookie, htmx), statements and
moderation, circles, closing, the opinion map and the report with its exports; refusals are 403s or messages, never
500s; degenerate data never shows NaN; user text is escaped."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from freshground.testing import factories
from freshground.unity import analysis_runs, services
from freshground.unity.models import Conversation, Participant, Statement, StatementStatus, Vote
from freshground.unity.views import COOKIE_NAME

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def conversation(cast):
    return services.open_conversation(
        person=cast.organiser,
        title="What unites us?",
        circle=cast.circle,
        seed_statements=["Rent is too high.", "Hospitals need more staff.", "Buses should be free."],
        needs_approval=True,
        allow_anonymous=True,
    )


def url(name, conversation, *args):
    return reverse(f"unity:{name}", args=[conversation.slug, *args])


def assert_clean(html: str) -> None:
    assert "NaN" not in html
    assert "nan%" not in html.lower()
    assert "inf" not in html.replace("info", "")


def test_index_lists_open_and_closed_with_fixed_queries(client, cast, conversation, django_assert_num_queries):
    closed = services.open_conversation(person=cast.member, title="An old question")
    services.close_conversation(person=cast.member, conversation=closed)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("unity:index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "What unites us?" in html
    assert "An old question" in html
    assert html.index("What unites us?") < html.index("Closed conversations") < html.index("An old question")
    for n in range(5):
        services.open_conversation(person=cast.member, title=f"More {n}", seed_statements=["One.", "Two."])
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(reverse("unity:index")).status_code == 200


def test_open_a_conversation_in_a_circles_name(client, cast):
    client.force_login(cast.organiser)
    form = client.get(reverse("unity:create"))
    assert cast.circle.name in form.content.decode()
    response = client.post(
        reverse("unity:create"),
        {
            "owner": f"circle:{cast.circle.slug}",
            "title": "Our next step",
            "seed_statements": "First.\nSecond.\n\n",
            "needs_approval": "on",
            "allow_anonymous": "on",
        },
    )
    created = Conversation.objects.get(title="Our next step")
    assert response.status_code == 302
    assert response["Location"] == url("conversation", created)
    assert created.circle == cast.circle
    assert created.needs_approval
    assert created.allow_anonymous
    assert created.statements.count() == 2


def test_opening_refusals_are_form_errors_or_403(client, cast):
    client.force_login(cast.member)
    bad = client.post(reverse("unity:create"), {"title": "", "seed_statements": "x" * 281})
    assert bad.status_code == 400
    assert not Conversation.objects.exists()
    foreign = client.post(reverse("unity:create"), {"owner": f"circle:{cast.circle.slug}", "title": "Mine"})
    assert foreign.status_code == 400  # not one of the member's choices
    client.logout()
    assert client.get(reverse("unity:create")).status_code == 302  # to the login page


def test_signed_in_vote_and_changed_vote(client, cast, conversation):
    client.force_login(cast.member)
    page = client.get(url("conversation", conversation))
    html = page.content.decode()
    assert 'name="value" value="1"' in html
    assert "Agree" in html
    statement = conversation.statements.first()
    response = client.post(url("vote", conversation), {"statement": statement.pk, "value": "1"})
    assert response.status_code == 302
    client.post(url("vote", conversation), {"statement": statement.pk, "value": "-1"})
    vote = Vote.objects.get()
    assert vote.value == -1
    assert vote.participant.person == cast.member
    assert "You have voted on 1 statement." in client.get(url("conversation", conversation)).content.decode()


def test_htmx_vote_swaps_the_card(client, cast, conversation):
    client.force_login(cast.member)
    statement = conversation.statements.first()
    response = client.post(url("vote", conversation), {"statement": statement.pk, "value": "0"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<section")
    assert 'id="card"' in html
    assert "<html" not in html
    assert "Your vote is recorded." in html
    bad = client.post(url("vote", conversation), {"statement": statement.pk, "value": "7"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    assert "agree (1), disagree (-1) or pass (0)" in bad.content.decode()


def test_anonymous_voting_with_a_cookie(client, conversation):
    first, second = conversation.statements.all()[:2]
    response = client.post(url("vote", conversation), {"statement": first.pk, "value": "1"})
    assert response.status_code == 302
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == url("conversation", conversation)
    participant = Participant.objects.get()
    assert participant.is_anonymous
    assert participant.person is None
    assert cookie.value not in participant.anonymous_key_hash  # only the hash is stored
    client.post(url("vote", conversation), {"statement": second.pk, "value": "-1"})
    client.post(url("vote", conversation), {"statement": first.pk, "value": "0"})
    assert Participant.objects.count() == 1
    assert dict(Vote.objects.values_list("statement_id", "value")) == {first.pk: 0, second.pk: -1}
    page = client.get(url("conversation", conversation)).content.decode()
    assert "You have voted on 2 statements." in page


def test_anonymous_voting_refused_where_not_allowed(client, cast):
    conversation = services.open_conversation(person=cast.member, title="Members only", seed_statements=["One."])
    statement = conversation.statements.get()
    page = client.get(url("conversation", conversation)).content.decode()
    assert "Sign in to vote" in page
    refused = client.post(url("vote", conversation), {"statement": statement.pk, "value": "1"})
    assert refused.status_code == 403
    assert "does not allow anonymous participation" in refused.content.decode()
    assert not Vote.objects.exists()


def test_votes_on_closed_conversations_and_unapproved_statements(client, cast, conversation):
    pending = services.add_statement(person=cast.member, conversation=conversation, text="Pending one.")
    client.force_login(cast.member)
    response = client.post(url("vote", conversation), {"statement": pending.pk, "value": "1"}, follow=True)
    assert response.status_code == 200
    assert "not open for votes" in response.content.decode()
    services.close_conversation(person=cast.organiser, conversation=conversation)
    statement = conversation.statements.filter(status=StatementStatus.APPROVED).first()
    closed = client.post(url("vote", conversation), {"statement": statement.pk, "value": "1"})
    assert closed.status_code == 403
    assert "closed" in closed.content.decode()
    page = client.get(url("conversation", conversation)).content.decode()
    assert "votes are no longer taken" in page
    assert not Vote.objects.exists()
    other = services.open_conversation(person=cast.member, title="Other", seed_statements=["Elsewhere."])
    foreign = other.statements.get()
    assert client.post(url("vote", conversation), {"statement": foreign.pk, "value": "1"}).status_code == 404


def test_statements_moderation_queue(client, cast, conversation):
    client.force_login(cast.member)
    response = client.post(url("statement_add", conversation), {"text": "Schools need repairs."}, follow=True)
    assert "waits for a moderator" in response.content.decode()
    pending = Statement.objects.get(text="Schools need repairs.")
    assert pending.status == StatementStatus.PENDING
    assert "Statements awaiting approval" not in client.get(url("conversation", conversation)).content.decode()
    assert client.post(url("moderate", conversation, pending.pk), {"action": "approve"}).status_code == 403
    client.force_login(cast.organiser)
    page = client.get(url("conversation", conversation)).content.decode()
    assert "Statements awaiting approval" in page
    assert "Schools need repairs." in page
    client.post(url("moderate", conversation, pending.pk), {"action": "approve"})
    pending.refresh_from_db()
    assert pending.status == StatementStatus.APPROVED
    client.force_login(cast.admin)
    other = services.add_statement(person=cast.member, conversation=conversation, text="Another.")
    client.post(url("moderate", conversation, other.pk), {"action": "reject"})
    other.refresh_from_db()
    assert other.status == StatementStatus.REJECTED


def test_duplicate_and_too_long_statements_are_form_errors(client, cast, conversation):
    client.force_login(cast.member)
    duplicate = client.post(url("statement_add", conversation), {"text": "rent is too high."})
    assert duplicate.status_code == 400
    assert "already in the conversation" in duplicate.content.decode()
    long = client.post(url("statement_add", conversation), {"text": "x" * 281})
    assert long.status_code == 400
    assert conversation.statements.count() == 3


def test_statements_are_escaped(client, cast, conversation):
    client.force_login(cast.organiser)
    client.post(url("statement_add", conversation), {"text": XSS})
    statement = Statement.objects.get(text__startswith="<script>")
    services.vote(actor=cast.member, statement=statement, value=1)
    analysis_runs.run_analysis(conversation)
    for name in ("conversation", "report"):
        html = client.get(url(name, conversation)).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    csv_text = client.get(url("report_csv", conversation)).content.decode()
    assert "<img src=x onerror=alert(1)>" in csv_text  # CSV is data, not HTML
    client.post(url("statement_add", conversation), {"text": "=HYPERLINK(1)"})
    assert "'=HYPERLINK(1)" in client.get(url("report_csv", conversation)).content.decode()


def test_close(client, cast, conversation):
    client.force_login(cast.member)
    assert client.get(url("close", conversation)).status_code == 403
    client.force_login(cast.organiser)
    assert client.get(url("close", conversation)).status_code == 200
    client.post(url("close", conversation))
    conversation.refresh_from_db()
    assert not conversation.is_open
    again = client.post(url("close", conversation), follow=True)
    assert again.status_code == 200
    assert "already closed" in again.content.decode()


def test_declare_circles(client, cast, conversation):
    other = factories.CircleFactory()
    client.force_login(cast.member)
    page = client.get(url("declare", conversation)).content.decode()
    assert cast.circle.name in page
    assert other.name not in page
    client.post(url("declare", conversation), {"circles": [str(cast.circle.pk)]})
    participant = Participant.objects.get(person=cast.member)
    assert list(participant.circles.all()) == [cast.circle]
    refused = client.post(url("declare", conversation), {"circles": [str(other.pk)]})
    assert refused.status_code == 400  # not among the choices: nothing saved
    assert list(participant.circles.all()) == [cast.circle]
    client.force_login(cast.outsider)
    assert client.get(url("declare", conversation)).status_code == 403


def _vote_all(conversation, people, value=1):
    for person in people:
        for statement in conversation.statements.filter(status=StatementStatus.APPROVED):
            services.vote(actor=person, statement=statement, value=value)


@pytest.mark.parametrize("case", ["no_votes", "one_participant", "all_agree", "one_statement"])
def test_degenerate_data_never_shows_nan(client, cast, case):
    seeds = ["Only one."] if case == "one_statement" else ["One.", "Two.", "Three."]
    conversation = services.open_conversation(
        person=cast.organiser, title="Edge", seed_statements=seeds, allow_anonymous=True
    )
    if case == "one_participant":
        _vote_all(conversation, [cast.member])
    elif case in ("all_agree", "one_statement"):
        _vote_all(conversation, [cast.member, cast.organiser, cast.editor, cast.admin, cast.outsider])
    analysis_runs.run_analysis(conversation)
    client.force_login(cast.member)
    for name in ("conversation", "map", "report", "report_csv", "report_json", "document_create"):
        if name == "document_create":
            client.force_login(cast.organiser)
        response = client.get(url(name, conversation))
        assert response.status_code == 200, name
        assert_clean(response.content.decode())
    json.loads(client.get(url("report_json", conversation)).content)


def test_pages_without_any_analysis(client, conversation):
    for name in ("conversation", "map", "report", "report_csv"):
        response = client.get(url(name, conversation))
        assert response.status_code == 200
        assert_clean(response.content.decode())
    assert json.loads(client.get(url("report_json", conversation)).content)["computed_at"] is None


def _planted(cast, conversation, n=12):
    people = [factories.PersonFactory() for _ in range(n)]
    statements = list(conversation.statements.filter(status=StatementStatus.APPROVED))
    for index, person in enumerate(people):
        for j, statement in enumerate(statements):
            value = 1 if j == 0 else (1 if (index % 2 == 0) == (j % 2 == 0) else -1)
            services.vote(actor=person, statement=statement, value=value)
    return people


def test_map_and_report_with_groups(client, cast, conversation):
    services.add_statement(person=cast.organiser, conversation=conversation, text="Fourth statement.")
    people = _planted(cast, conversation, 16)
    analysis_runs.run_analysis(conversation)
    client.force_login(people[0])
    html = client.get(url("conversation", conversation)).content.decode()
    assert 'role="img"' in html
    assert "<title" in html
    assert "<desc" in html
    assert 'class="map-me"' in html
    assert 'hx-trigger="every 30s"' in html
    assert "Last analysis:" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "style=" not in svg
    assert "Opinion groups" in html
    assert "your group" in html
    partial = client.get(url("map", conversation), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<section")
    assert "<html" not in partial
    report = client.get(url("report", conversation)).content.decode()
    assert "What unites us" in report
    assert "Rent is too high." in report
    assert "Group 1" in report
    assert_clean(report)
    csv_lines = client.get(url("report_csv", conversation)).content.decode().splitlines()
    assert csv_lines[0].startswith("statement_id,text,agree,disagree,passed,consensus_score,group_1_agree")
    body = json.loads(client.get(url("report_json", conversation)).content)
    assert body["groups"]
    assert body["consensus"]


def test_recomputing_is_shown_when_a_request_is_pending(client, cast, conversation):
    analysis_runs.run_analysis(conversation)
    Conversation.objects.filter(pk=conversation.pk).update(analysis_requested_at="2026-01-01T00:00:00Z")
    assert "recomputing…" in client.get(url("map", conversation)).content.decode()


def test_report_has_a_fixed_number_of_queries(client, cast, conversation, django_assert_num_queries):
    _planted(cast, conversation, 4)
    analysis_runs.run_analysis(conversation)
    with CaptureQueriesContext(connection) as few:
        client.get(url("report", conversation))
    _planted(cast, conversation, 12)
    for n in range(5):
        services.add_statement(person=cast.organiser, conversation=conversation, text=f"More {n}.")
    analysis_runs.run_analysis(conversation)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url("report", conversation)).status_code == 200


def test_unknown_conversation_is_404(client):
    assert client.get("/unity/nothing-here/").status_code == 404
    assert client.get("/unity/nothing-here/report/").status_code == 404
