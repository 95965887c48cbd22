"""The debate pages, as people see them: with and without JavaScript, refusals, hostile input, query counts."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from freshground.core.content import ContentStatus
from freshground.debate import services_comments as comment_services
from freshground.debate import services_debates as services
from freshground.debate import services_summaries
from freshground.debate.models import Argument, Conviction, Debate, DebateStatus, Invitation, Summary
from freshground.debate.tests.debates_helpers import (
    argue,
    circle,
    debate_of,
    first_position,
    no_rate_limits,
    people_in,
    person,
    sent,
)
from freshground.network.models import Role
from freshground.network.tests.api_helpers import as_
from freshground.testing import factories

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[click](javascript:alert(3))",
    '<svg onload="alert(4)"><circle r="1"/></svg>',
    '<a href="javascript:alert(5)" style="background:url(javascript:alert(6))">x</a>',
    "<style>body{background:red}</style>",
    '<iframe src="https://evil.example"></iframe>',
]

pytestmark = pytest.mark.usefixtures("no_rate_limits", "sent")
__all__ = ["no_rate_limits", "sent"]


def client_for(someone) -> Client:
    client = Client()
    client.force_login(someone)
    return client


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def _inert(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in {"iframe", "svg", "style", "object", "embed"}, tag
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), attrs
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), (tag, attrs)


def test_list_shows_open_and_closed_and_filters(cast, client) -> None:
    open_debate = debate_of(cast, question="Open question about rents", topics=["housing"])
    closed = services.create_debate(person=cast.outsider, question="Closed question", opening_statement="Done.")
    services_summaries.close_debate(
        person=cast.outsider, debate=closed, positions="a", agreements="b", open_questions="c"
    )
    page = client.get(reverse("debate:index")).content.decode()
    assert "Open question about rents" in page
    assert "Closed question" in page
    only_open = client.get(reverse("debate:index"), {"state": "open"}).content.decode()
    assert "Open question about rents" in only_open
    assert "Closed question" not in only_open
    only_closed = client.get(reverse("debate:index"), {"state": "closed"}).content.decode()
    assert "Closed question" in only_closed
    assert "Open question" not in only_closed
    by_circle = client.get(reverse("debate:index"), {"group": f"circle:{cast.circle.slug}"}).content.decode()
    assert "Open question" in by_circle
    assert "Closed question" not in by_circle
    by_topic = client.get(reverse("debate:index"), {"topic": "housing"}).content.decode()
    assert "Open question" in by_topic
    assert "Closed question" not in by_topic
    searched = client.get(reverse("debate:index"), {"q": "RENTS"}).content.decode()
    assert "Open question" in searched
    assert "Closed question" not in searched
    assert open_debate.get_absolute_url() in page


def test_list_query_count_is_fixed(cast, client, django_assert_num_queries) -> None:
    for i in range(3):
        debate_of(cast, question=f"Question {i}", topics=["a", "b"])
    # Circles and centers for the filter (2), count, rows, topics.
    with django_assert_num_queries(5):
        client.get(reverse("debate:index"))
    for i in range(25):
        debate_of(cast, question=f"More {i}", topics=["c"])
    with django_assert_num_queries(5):
        response = client.get(reverse("debate:index"))
    assert "Page 1 of 2" in response.content.decode()
    with django_assert_num_queries(5):
        client.get(reverse("debate:index"), {"page": 2, "state": "open"})


def test_expired_debate_shows_closed(cast, client) -> None:
    debate = debate_of(cast)
    Debate.objects.filter(pk=debate.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "closed" in page
    assert "not written the summary yet" in page
    assert services_summaries.close_expired_debates() == 1
    assert Debate.objects.get(pk=debate.pk).state == DebateStatus.CLOSED


def test_create_debate_through_the_form(cast) -> None:
    client = client_for(cast.organiser)
    form = client.get(reverse("debate:debate_create")).content.decode()
    assert cast.circle.name in form  # may open it in the circle's name
    response = client.post(
        reverse("debate:debate_create"),
        {
            "owner": f"circle:{cast.circle.slug}",
            "question": "Dues or no dues?",
            "opening_statement": "We should *decide*.",
            "topics": "money, organising",
            "positions": "Dues\nNo dues\n",
        },
    )
    debate = Debate.objects.get(question="Dues or no dues?")
    assert response.status_code == 302
    assert response["Location"] == debate.get_absolute_url()
    assert debate.circle == cast.circle
    assert debate.positions.count() == 2
    # "organising" is a topic of the controlled vocabulary, so the existing tag keeps its capital.
    assert sorted((t.name for t in debate.topics.all()), key=str.lower) == ["money", "Organising"]


def test_create_in_a_circle_one_does_not_organise_is_refused(cast) -> None:
    response = client_for(cast.member).post(
        reverse("debate:debate_create"),
        {"owner": f"circle:{cast.circle.slug}", "question": "Q?", "opening_statement": "S."},
    )
    assert response.status_code == 400  # not one of the choices
    assert not Debate.objects.exists()


def test_bad_input_rerenders_with_errors(cast) -> None:
    response = client_for(cast.member).post(reverse("debate:debate_create"), {"question": "", "opening_statement": ""})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_anonymous_is_sent_to_login(cast, client) -> None:
    response = client.get(reverse("debate:debate_create"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_debate_page_ranks_and_explains(cast, client) -> None:
    debate = debate_of(cast)
    narrow = argue(cast.member, debate, "Narrow argument text")
    broad = argue(cast.organiser, debate, "Broad argument text")
    for someone in people_in(circle(), 4):
        services.set_convincing(person=someone, argument=narrow)
    for _ in range(3):
        services.set_convincing(person=people_in(circle(), 1)[0], argument=broad)
    page = client.get(debate.get_absolute_url()).content.decode()
    assert page.index("Broad argument text") < page.index("Narrow argument text")
    assert "Found convincing by 3 people" in page
    assert "from 3 circles and centers" in page
    assert "Found convincing by 4 people" in page
    assert "from 1 circle or center" in page
    assert "First paragraph." in page


def test_debate_page_query_count_does_not_grow(cast, django_assert_max_num_queries) -> None:
    debate = debate_of(cast)
    argue(cast.member, debate)
    client = client_for(cast.outsider)
    client.get(debate.get_absolute_url())
    with django_assert_max_num_queries(30) as before:
        client.get(debate.get_absolute_url())
    position = first_position(debate)
    for i in range(12):
        author = person()
        arg = services.add_argument(person=author, position=position, side="for" if i % 2 else "against", body=f"A {i}")
        services.set_convincing(person=cast.editor, argument=arg)
    services.add_position(person=cast.outsider, debate=debate, title="A third way")
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(debate.get_absolute_url())
    assert "All arguments on this side" in response.content.decode()


def _grow(cast, debate: Debate, size: int) -> None:
    """More of everything the debate page shows: `size` arguments a side (marked, with a circle shown beside them),
    one by the outsider, a pending one by the member on a new position, an invitation and `size` comments."""
    position = first_position(debate)
    for i in range(2 * size):
        author = person()
        factories.add_member(cast.circle, author)
        arg = services.add_argument(
            person=author,
            position=position,
            side="for" if i % 2 else "against",
            body=f"A {size} {i}",
            shown_circles=[cast.circle],
        )
        services.set_convincing(person=cast.editor, argument=arg)
        services.set_convincing(person=cast.outsider, argument=arg)
    services.add_argument(person=cast.outsider, position=position, side="for", body=f"Mine {size}")
    another = services.add_position(person=cast.outsider, debate=debate, title=f"Another way {size}")
    pending = services.add_argument(person=cast.member, position=another, side="against", body=f"Pending {size}")
    Argument.objects.filter(pk=pending.pk).update(status=ContentStatus.PENDING)
    invited = circle()
    factories.add_member(invited, person(), Role.ORGANISER)
    services.invite(person=cast.organiser, debate=debate, circle=invited)
    for i in range(size):
        comment_services.post_comment(author=cast.member, target=debate, body=f"Comment {size} {i}")


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_debate_page_costs_a_fixed_number_of_queries(
    cast, who, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    debate = debate_of(cast)
    _grow(cast, debate, 1)
    client = Client() if who == "anonymous" else client_for(getattr(cast, who))
    url = debate.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    count = len(small)  # now: the next request empties the connection's log
    _grow(cast, debate, 6)
    client.get(url)
    with django_assert_num_queries(count):
        page = client.get(url).content.decode()
    pending = 2 if who == "member" else 0  # shown to their author only
    assert page.count('class="argument argument-') == 3 + 3 + pending  # the top three a side
    assert "All arguments on this side" in page


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_debate_api_costs_a_fixed_number_of_queries(
    cast, who, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    debate = debate_of(cast)
    _grow(cast, debate, 1)
    headers = as_(cast, who)
    url = f"/api/v1/debates/{debate.slug}"
    Client().get(url, headers=headers)  # the token's first use is written down
    with django_assert_max_num_queries(40) as small:
        assert Client().get(url, headers=headers).status_code == 200
    count = len(small)  # now: the next request empties the connection's log
    _grow(cast, debate, 6)
    with django_assert_num_queries(count):
        data = Client().get(url, headers=headers).json()
    sides = data["positions"][0]["sides"]
    assert [len(side["arguments"]) for side in sides] == [3, 3]
    assert all(side["has_more"] for side in sides)
    assert sides[0]["arguments"][0]["shown_circles"] == [cast.circle.slug]


def test_mark_convincing_without_javascript(cast) -> None:
    debate = debate_of(cast)
    argument = argue(cast.member, debate)
    client = client_for(cast.outsider)
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "I find this convincing" in page
    response = client.post(
        reverse("debate:argument_convincing", args=[argument.pk]),
        {"convincing": "1", "next": debate.get_absolute_url()},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#argument-{argument.pk}")
    assert Conviction.objects.filter(argument=argument, person=cast.outsider).exists()
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "Found convincing by 1 person" in page
    assert 'aria-pressed="true"' in page
    client.post(reverse("debate:argument_convincing", args=[argument.pk]), {"convincing": "0"})
    assert not Conviction.objects.exists()


def test_mark_convincing_with_htmx_swaps_the_box(cast) -> None:
    debate = debate_of(cast)
    argument = argue(cast.member, debate)
    response = client_for(cast.outsider).post(
        reverse("debate:argument_convincing", args=[argument.pk]), {"convincing": "1"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div class="convincing"')
    assert "Found convincing by 1 person" in html


def test_own_argument_cannot_be_marked(cast) -> None:
    debate = debate_of(cast)
    argument = argue(cast.member, debate)
    client = client_for(cast.member)
    assert "I find this convincing" not in client.get(debate.get_absolute_url()).content.decode()
    response = client.post(reverse("debate:argument_convincing", args=[argument.pk]), {"convincing": "1"})
    assert response.status_code == 403
    assert not Conviction.objects.exists()


def test_argue_through_the_form(cast) -> None:
    debate = debate_of(cast)
    position = first_position(debate)
    client = client_for(cast.member)
    form = client.get(
        reverse("debate:argument_add", args=[debate.slug]), {"position": str(position.pk), "side": "against"}
    )
    assert form.status_code == 200
    assert cast.circle.name in form.content.decode()
    response = client.post(
        reverse("debate:argument_add", args=[debate.slug]),
        {"position": position.pk, "side": "against", "body": "It splits us.", "shown_circles": [cast.circle.pk]},
    )
    argument = Argument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == argument.get_absolute_url()
    assert argument.side == "against"
    assert list(argument.shown_circles.all()) == [cast.circle]
    page = client.get(argument.get_absolute_url()).content.decode()
    assert "It splits us." in page
    assert cast.circle.name in page


def test_add_position_through_the_form(cast) -> None:
    debate = debate_of(cast)
    response = client_for(cast.outsider).post(reverse("debate:position_add", args=[debate.slug]), {"title": "Maybe"})
    assert response.status_code == 302
    assert debate.positions.filter(title="Maybe").exists()


def test_closed_debate_takes_no_arguments(cast) -> None:
    debate = debate_of(cast)
    services_summaries.close_debate(
        person=cast.organiser, debate=debate, positions="p", agreements="a", open_questions="o"
    )
    client = client_for(cast.outsider)
    assert client.get(reverse("debate:argument_add", args=[debate.slug])).status_code == 403
    assert client.post(reverse("debate:position_add", args=[debate.slug]), {"title": "x"}).status_code == 403
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "Argue for" not in page
    assert "Propose a position" not in page


def test_invite_state_and_show_apart(cast) -> None:
    debate = debate_of(cast)
    organiser_client = client_for(cast.organiser)
    response = organiser_client.post(
        reverse("debate:debate_invite", args=[debate.slug]), {"kind": "center", "slug": cast.center.slug}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    editor_client = client_for(cast.editor)
    page = editor_client.get(debate.get_absolute_url()).content.decode()
    assert "Answer the invitation" in page
    response = editor_client.post(
        reverse("debate:debate_statement", args=[debate.slug, invitation.pk]),
        {"statement": "We **support** it.", "position": first_position(debate).pk},
    )
    assert response.status_code == 302
    page = client_for(cast.outsider).get(debate.get_absolute_url()).content.decode()
    assert "Invited statements" in page
    assert "<strong>support</strong>" in page
    assert "Supports: Yes, federate" in page
    assert (
        client_for(cast.outsider).get(reverse("debate:debate_statement", args=[debate.slug, invitation.pk])).status_code
        == 403
    )


def test_decline_invitation(cast) -> None:
    debate = debate_of(cast)
    invitation = services.invite(person=cast.organiser, debate=debate, center=cast.center)
    client_for(cast.editor).post(
        reverse("debate:debate_statement", args=[debate.slug, invitation.pk]), {"decline": "1"}
    )
    page = client_for(cast.outsider).get(debate.get_absolute_url()).content.decode()
    assert "Declined to state a position." in page


def test_close_with_summary_and_revise(cast) -> None:
    debate = debate_of(cast)
    client = client_for(cast.organiser)
    assert client_for(cast.member).get(reverse("debate:debate_close", args=[debate.slug])).status_code == 403
    response = client.post(
        reverse("debate:debate_close", args=[debate.slug]),
        {"positions": "Two camps.", "agreements": "Everyone wants it.", "open_questions": "How?"},
    )
    assert response.status_code == 302
    page = client_for(cast.outsider).get(debate.get_absolute_url()).content.decode()
    assert "Two camps." in page
    assert "Where people agreed" in page
    client.post(
        reverse("debate:debate_close", args=[debate.slug]),
        {"positions": "Three camps.", "agreements": "Everyone.", "open_questions": "When?"},
    )
    assert list(Summary.objects.order_by("version").values_list("version", "positions")) == [
        (1, "Two camps."),
        (2, "Three camps."),
    ]
    old = client_for(cast.outsider).get(reverse("debate:summary", args=[debate.slug, 1])).content.decode()
    assert "Two camps." in old
    assert "an earlier version" in old
    latest = client_for(cast.outsider).get(reverse("debate:summary", args=[debate.slug, 2])).content.decode()
    assert "Three camps." in latest
    assert "an earlier version" not in latest
    assert client_for(cast.outsider).get(reverse("debate:summary", args=[debate.slug, 9])).status_code == 404


@pytest.mark.parametrize("payload", XSS)
def test_hostile_input_renders_inert(cast, payload) -> None:
    debate = debate_of(cast, question=f"Q {payload}"[:200], opening_statement=payload, positions=[payload[:200]])
    argument = argue(cast.member, debate, payload)
    invitation = services.invite(person=cast.organiser, debate=debate, center=cast.center)
    services.state_position(person=cast.editor, invitation=invitation, statement=payload)
    services_summaries.close_debate(
        person=cast.organiser, debate=debate, positions=payload, agreements=payload, open_questions=payload
    )
    client = client_for(cast.outsider)
    for url in (
        debate.get_absolute_url(),
        argument.get_absolute_url(),
        reverse("debate:summary", args=[debate.slug, 1]),
        reverse("debate:index"),
        reverse("debate:position", args=[debate.slug, first_position(debate).pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _inert(response.content.decode())


def test_pending_debate_is_seen_only_by_its_moderators(cast, client) -> None:
    debate = debate_of(cast)
    Debate.objects.filter(pk=debate.pk).update(status=ContentStatus.PENDING)
    assert client.get(debate.get_absolute_url()).status_code == 404
    assert client_for(cast.outsider).get(debate.get_absolute_url()).status_code == 404
    assert client_for(cast.organiser).get(debate.get_absolute_url()).status_code == 200
    assert debate.question not in client.get(reverse("debate:index")).content.decode()
