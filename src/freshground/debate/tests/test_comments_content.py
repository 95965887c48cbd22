# mypy: disable-error-code="arg-type,attr-defined"
"""What comments show: XSS corpus, mentions, quoting, edit history, soft delete, pending, paragraphs, pagination."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from freshground.core.content import ContentStatus
from freshground.core.exceptions import DomainError, PermissionDenied
from freshground.core.text import render_markdown
from freshground.debate import queries_comments as queries
from freshground.debate import services_comments as services
from freshground.debate.forms_comments import quote
from freshground.debate.mentions import find_mentions, mention_tokens
from freshground.debate.models import Comment, CommentRevision
from freshground.debate.paragraphs import split_blocks
from freshground.events.tests.core_helpers import make_event
from freshground.moderation.gate import PostDecision
from freshground.testing import factories

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)><circle r=5 /></svg>",
    '<div style="background:url(javascript:alert(1))">css</div>',
    "<style>body{display:none}</style>",
    "![img](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    "[x](JaVaScRiPt:alert(1))",
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


@pytest.fixture(autouse=True)
def open_gate(monkeypatch):
    monkeypatch.setattr(services, "check_may_post", lambda *a, **k: PostDecision())


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "notify", lambda **kw: calls.append(kw))
    monkeypatch.setattr(services, "notify_thread_followers", lambda **kw: calls.append({"kind": "followers", **kw}))
    return calls


@pytest.fixture
def event(cast):
    return make_event(cast.organiser, host_circle=cast.circle)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def _inert(html: str) -> None:
    """No active element, no event handler, no style, no script URL survives as markup (escaped text is fine)."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in {"script", "svg", "style", "iframe", "img", "object", "embed", "math"}, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert name != "style"
            if name in {"href", "src", "action", "formaction"}:
                assert (value or "").strip().lower().startswith(("/", "https:", "http:", "mailto:", "#", "?")), value


@pytest.mark.parametrize("payload", XSS)
def test_xss_corpus_renders_inert(client, cast, event, payload):
    comment = services.post_comment(author=cast.member, target=event, body=f"Look {payload} @olga-organiser")
    _inert(comment.body_html)
    services.edit_comment(actor=cast.member, comment=comment, body=f"Again {payload}")
    body = client.get(reverse("debate:thread", args=["events.event", event.pk])).content.decode()
    _inert(body[body.index('class="comments"') : body.index("</main>")])
    history = client.get(reverse("debate:comment_history", args=[comment.pk])).content.decode()
    _inert(history[history.index('id="page-title"') : history.index("</main>")])
    # The paragraphs tag sanitises again whatever HTML it is given.
    rendered = Template("{% load comments %}{% paragraphs obj html %}").render(
        Context({"obj": event, "html": f"<p>{payload}</p><p onclick='x()'>two</p>"})
    )
    _inert(rendered)
    assert "onclick" not in rendered


def test_mention_rule(cast, event):
    olga = cast.organiser
    html = str(render_markdown(f"Hi @{olga.handle}, @{cast.circle.slug} and @nobody. mail a@b.org `@{olga.handle}`"))
    assert mention_tokens(html) == [olga.handle, cast.circle.slug, "nobody"]
    found = find_mentions(html)
    assert list(found.people) == [olga.handle]
    assert list(found.circles) == [cast.circle.slug]


def test_person_handle_wins_over_circle_slug(cast):
    factories.CircleFactory(name="Olga Organiser", slug=cast.organiser.handle)
    found = find_mentions(f"<p>@{cast.organiser.handle}</p>")
    assert list(found.people) == [cast.organiser.handle]
    assert not found.circles


def test_mentions_and_replies_notify(cast, event, sent):
    top = services.post_comment(author=cast.organiser, target=event, body="Top")
    sent.clear()
    reply = services.post_comment(
        author=cast.member, target=event, parent=top, body=f"@{cast.outsider.handle} and @{cast.circle.slug}"
    )
    assert 'class="mention mention-person"' in reply.body_html
    assert 'class="mention mention-circle"' in reply.body_html
    kinds = {str(call["kind"]): call for call in sent}
    assert list(kinds["reply"]["recipients"]) == [cast.organiser.pk]
    # The circle's organiser already heard through the reply; the member is the author.
    assert list(kinds["mention"]["recipients"]) == [cast.outsider.pk]
    assert "followers" in kinds


def test_blocked_person_is_not_mentioned_and_refuses_replies(cast, event, sent, monkeypatch):
    monkeypatch.setattr(
        services, "has_blocked", lambda person, *, by: person.pk == cast.member.pk and by.pk == cast.outsider.pk
    )
    top = services.post_comment(author=cast.outsider, target=event, body="Mine")
    sent.clear()
    comment = services.post_comment(author=cast.member, target=event, body=f"Hey @{cast.outsider.handle}")
    assert "mention-person" not in comment.body_html
    assert not [c for c in sent if str(c["kind"]) == "mention"]
    with pytest.raises(PermissionDenied, match="does not accept replies"):
        services.post_comment(author=cast.member, target=event, parent=top, body="Reply")


def test_pending_comment_notifies_nobody_and_is_shown_to_author_only(cast, event, sent, monkeypatch):
    monkeypatch.setattr(services, "check_may_post", lambda *a, **k: PostDecision(needs_approval=True))
    comment = services.post_comment(author=cast.member, target=event, body=f"@{cast.outsider.handle} first post")
    assert comment.status == ContentStatus.PENDING
    assert not sent
    assert queries.thread_page(AnonymousUser(), event).nodes == []
    assert [n.pk for n in queries.thread_page(cast.member, event).nodes] == [comment.pk]


def test_gate_refusal_saves_nothing(cast, event, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionDenied("This thread is locked.")

    monkeypatch.setattr(services, "check_may_post", refuse)
    with pytest.raises(PermissionDenied):
        services.post_comment(author=cast.member, target=event, body="x")
    assert not Comment.objects.exists()


def test_shown_circles_only_own_and_never_preselected(client, cast, event):
    with pytest.raises(DomainError):
        services.post_comment(author=cast.outsider, target=event, body="x", shown_circles=[cast.circle])
    client.force_login(cast.member)
    body = client.get(event.get_absolute_url()).content.decode()
    assert cast.circle.name in body
    assert "checked" not in body[body.index("comment-circles-choice") :].split("</fieldset>")[0]
    services.post_comment(author=cast.member, target=event, body="With circle", shown_circles=[cast.circle])
    client.logout()
    body = client.get(event.get_absolute_url()).content.decode()
    assert 'class="comment-circles"' in body


def test_quote_without_js(client, cast, event):
    comment = services.post_comment(author=cast.organiser, target=event, body="Line one\nLine two")
    assert quote("a\nb", "Olga") == "> **Olga:**\n>\n> a\n> b\n\n"
    client.force_login(cast.member)
    page = client.get(reverse("debate:comment_reply", args=[comment.pk]), {"quote": "1"}).content.decode()
    assert "&gt; Line one\n&gt; Line two" in page


def test_edit_history_visible_to_all(client, cast, event):
    comment = services.post_comment(author=cast.member, target=event, body="First text")
    services.edit_comment(actor=cast.member, comment=comment, body="Second text")
    assert CommentRevision.objects.get().body == "First text"
    with pytest.raises(PermissionDenied):
        services.edit_comment(actor=cast.outsider, comment=comment, body="Nope")
    thread = client.get(event.get_absolute_url()).content.decode()
    assert reverse("debate:comment_history", args=[comment.pk]) in thread
    history = client.get(reverse("debate:comment_history", args=[comment.pk])).content.decode()
    assert "First text" in history
    assert "Second text" in history


def test_moderator_edit_keeps_note(cast, event):
    comment = services.post_comment(author=cast.member, target=event, body="Call X an idiot")
    with pytest.raises(PermissionDenied):
        services.moderator_edit_comment(moderator=cast.outsider, comment=comment, body="x", note="n")
    services.moderator_edit_comment(moderator=cast.organiser, comment=comment, body="Call X [edited]", note="Insult")
    revision = CommentRevision.objects.get()
    assert revision.note == "Insult"
    assert revision.edited_by == cast.organiser


def test_soft_delete_keeps_replies(client, cast, event):
    top = services.post_comment(author=cast.member, target=event, body="To be deleted")
    services.post_comment(author=cast.outsider, target=event, parent=top, body="A reply that stays")
    services.delete_comment(actor=cast.member, comment=top)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "To be deleted" not in body
    assert "[deleted]" in body
    assert "A reply that stays" in body


def test_continue_thread(client, cast, event):
    parent = services.post_comment(author=cast.member, target=event, body="depth 0")
    chain = [parent]
    for depth in range(1, 7):
        chain.append(services.post_comment(author=cast.member, target=event, parent=chain[-1], body=f"depth {depth}"))
    body = client.get(event.get_absolute_url()).content.decode()
    assert "depth 3" in body
    assert "depth 4" not in body
    assert chain[3].get_absolute_url() in body
    deeper = client.get(chain[3].get_absolute_url()).content.decode()
    assert "depth 6" in deeper
    assert "Earlier in this conversation" in deeper


def test_paragraph_keys_are_stable():
    before = split_blocks("<p>One</p>\n<p>Two</p>\n<ul>\n<li>a</li>\n</ul>\n<p>One</p>")
    after = split_blocks("<p>Zero</p>\n<p>One</p>\n<p>Two changed</p>\n<ul>\n<li>a</li>\n</ul>\n<p>One</p>")
    keys_before = [b.key for b in before]
    keys_after = [b.key for b in after]
    assert len(keys_before) == 4
    assert keys_before[0] == keys_after[1]
    assert keys_before[2] == keys_after[3]
    assert keys_before[3].endswith("-2")
    assert keys_before[1] not in keys_after


def test_paragraph_comments_and_filter(client, cast, event, django_assert_num_queries):
    blocks = split_blocks("<p>First</p><p>Second</p>")
    services.post_comment(author=cast.member, target=event, body="On first", paragraph=blocks[0].key)
    services.post_comment(author=cast.member, target=event, body="Whole")
    template = Template("{% load comments %}{% paragraphs obj html %}")
    with django_assert_num_queries(1):
        rendered = template.render(Context({"obj": event, "html": "<p>First</p><p>Second</p>"}))
    assert f'id="{blocks[0].key}"' in rendered
    assert "1 comment" in rendered
    assert "Comment on this paragraph" in rendered
    page = client.get(reverse("debate:thread", args=["events.event", event.pk]), {"paragraph": blocks[0].key})
    body = page.content.decode()
    assert "On first" in body
    assert "Whole" not in body


def _bulk_thread(event, author, tops: int, replies_each: int) -> None:
    base = timezone.now() - dt.timedelta(days=30)
    ct = ContentType.objects.get_for_model(event)
    made = Comment.objects.bulk_create(
        Comment(
            thread_type=ct,
            thread_id=event.pk,
            author=author,
            body=f"top {i}",
            body_html=f"<p>top {i}</p>",
            created_at=base + dt.timedelta(seconds=i),
            reply_count=replies_each,
        )
        for i in range(tops)
    )
    Comment.objects.bulk_create(
        Comment(
            thread_type=ct,
            thread_id=event.pk,
            author=author,
            parent=top,
            root=top,
            depth=1,
            body=f"reply {j}",
            body_html=f"<p>reply {j}</p>",
            created_at=top.created_at + dt.timedelta(milliseconds=j),
        )
        for top in made
        for j in range(replies_each)
    )


def _page_queries(viewer, event, cursor=None) -> tuple[int, queries.Thread | None]:
    with CaptureQueriesContext(connection) as captured:
        thread = queries.thread_page(viewer, event, cursor=cursor)
    return len(captured.captured_queries), thread


@pytest.mark.parametrize("role", ["anonymous", "member", "organiser"])
def test_pagination_has_fixed_query_count(cast, event, role, django_assert_num_queries):
    viewer = AnonymousUser() if role == "anonymous" else getattr(cast, role)
    small = make_event(cast.organiser, host_circle=cast.circle, title="Small")
    _bulk_thread(small, cast.member, 2, 1)
    queries.thread_page(viewer, small)  # warm the content-type cache
    small_count, _thread = _page_queries(viewer, small)
    _bulk_thread(event, cast.member, 95, 3)
    seen: list[int] = []
    cursor = None
    for _page in range(5):
        with django_assert_num_queries(small_count):
            thread = queries.thread_page(viewer, event, cursor=cursor)
        seen += [node.pk for node in thread.nodes]
        assert all(len(node.children) == 3 for node in thread.nodes)
        cursor = thread.next_cursor
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 95
    assert not cursor


def test_thread_page_query_count_through_http(client, cast, event, django_assert_max_num_queries):
    _bulk_thread(event, cast.member, 50, 4)
    url = reverse("debate:thread", args=["events.event", event.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    cursor = queries.thread_page(AnonymousUser(), event).next_cursor
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = client.get(url, {"thread": f"events.event:{event.pk}", "after": cursor}).content.decode()
    assert "top 20" in body
    assert "top 19<" not in body
