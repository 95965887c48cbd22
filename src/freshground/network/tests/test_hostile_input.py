"""Hostile input against circles, centers and ties: services, web forms and the JSON API.

Whatever arrives — very long strings, control characters, script payloads, SQL metacharacters, bidi overrides,
zero-width and combining marks, astral characters, lone surrogates — the answer is a clear refusal or a stored value
that fits its column and is shown escaped. Never a 500.

The strategies here are shared with people/tests/test_hostile_input.py.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import models, transaction
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freshground.core.exceptions import DomainError, PermissionDenied
from freshground.network import services
from freshground.network.models import Center, Circle, Tie

XSS_PAYLOADS = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '"><script>alert(document.cookie)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "javascript:alert(1)",
    "{{ request }}{% debug %}",
    "<style>*{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">',
)
SQL_PAYLOADS = (
    "'; DROP TABLE network_circle; --",
    "' OR '1'='1",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(5); --",
    "%",
    "_",
    "%' AND name LIKE '%",
    "\\",
    "\\'",
    "$1",
    "?",
    ":name",
    "%(name)s",
    "' UNION SELECT password FROM people_person --",
)
UNICODE_PAYLOADS = (
    "\u202eevil\u202c",  # right-to-left override
    "\u2066isolate\u2069",
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width characters
    "e" + "\u0301" * 60,  # a tower of combining marks
    "Z\u0337\u0322\u031ba\u0336l\u0338g\u0335o\u0337",
    "\U0001f600\U0001f3f3\ufe0f\u200d\U0001f308",  # astral emoji and a ZWJ sequence
    "\U00010000\U0010fffd",
    "\ud800",  # lone surrogates
    "\udfff",
    "a\x00b",  # NUL, which PostgreSQL refuses in text
    "\x1b[31mred\x1b[0m",
    "\u0085\u2028\u2029",
    "\ufffe\uffff",
    "\u00a0\u3000",
    "\r\n\r\n",
    " ",
)


def _repeat(pair: tuple[str, int]) -> str:
    text, times = pair
    return text * times


long_text = st.tuples(st.text(min_size=1, max_size=8), st.integers(min_value=100, max_value=3000)).map(_repeat)
control_text = st.text(st.characters(categories=["Cc"]), min_size=1, max_size=40)
script_text = st.sampled_from(XSS_PAYLOADS)
sql_text = st.sampled_from(SQL_PAYLOADS)
unicode_edge_text = st.one_of(
    st.sampled_from(UNICODE_PAYLOADS),
    st.text(st.characters(categories=["Mn", "Me", "Cf", "Cs", "Co", "Zl", "Zp", "Cn"]), min_size=1, max_size=30),
    st.text(st.characters(min_codepoint=0x10000), min_size=1, max_size=20),
)
# A hostile piece, or several glued together with ordinary text.
_piece = st.one_of(long_text, control_text, script_text, sql_text, unicode_edge_text, st.text(max_size=30))
hostile_text = st.one_of(
    script_text,
    sql_text,
    unicode_edge_text,
    control_text,
    long_text,
    st.lists(_piece, min_size=2, max_size=5).map("".join),
)
# What can travel in UTF-8 over HTTP (no lone surrogates); surrogates are tested through the services.
http_text = hostile_text.filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s))

HOSTILE = settings(
    max_examples=40,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one hypothesis example in a transaction that is always undone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_fits(instance: models.Model) -> None:
    """Every text column holds what it is allowed to: within its length, without control characters."""
    instance.refresh_from_db()
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        if field.max_length is not None:
            assert len(value) <= field.max_length, f"{field.name} holds {len(value)} > {field.max_length} characters"
        bad = [c for c in value if c not in "\n\t" and unicodedata.category(c) in {"Cc", "Cs"}]
        assert not bad, f"{field.name} stored control characters or surrogates: {bad!r}"


def assert_clear_refusal(error: DomainError, fields: set[str] | None = None) -> None:
    """A refusal a person can act on: a message, naming one of `fields` when given; never a permission error."""
    assert not isinstance(error, PermissionDenied), f"a valid person was refused: {error.message}"
    assert str(error.message).strip()
    if fields is not None:
        assert error.field in fields, (error.field, error.message)


class _Markup(HTMLParser):
    """Collects what a browser would treat as markup: elements and their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not ((values.get("src") or "").startswith("/static/") or "nonce" in values):
            self.problems.append(f"foreign script: <script {attrs}>")
        if tag in {"iframe", "object", "embed", "base"}:
            self.problems.append(f"unexpected <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}> (the CSP forbids it)")
            target = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in {"href", "src", "action", "formaction", "xlink:href"} and target.startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name}= on <{tag}>")


def assert_escaped(html: str, *values: str) -> None:
    """No injected markup: only our own scripts, no event handlers or javascript: links, payloads escaped."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    assert not parser.problems, parser.problems
    for value in values:
        for line in value.splitlines():
            if ("<" in line or ">" in line) and len(line.strip()) > 2:
                assert line not in html, f"unescaped payload on the page: {line[:80]!r}"


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        '<p><img src="x" onerror="alert(1)"></p>',
        "<p><svg/onload=alert(1)></p>",
        '<a href=" java\tscript:alert(1)">x</a>',
        '<p style="color:red">x</p>',
        "<iframe src=//evil.example></iframe>",
    ],
)
def test_the_escaping_check_catches_injected_markup(html):
    """The checker itself can fail: each of these pages carries live markup."""
    with pytest.raises(AssertionError):
        assert_escaped(f"<html><body><main>{html}</main></body></html>")


def test_the_escaping_check_accepts_escaped_payloads():
    payload = '<img src=x onerror=alert(1)>"><script>alert(1)</script>'
    escaped = escape(payload)
    assert_escaped(f'<meta name="description" content="{escaped}"><p>{escaped}</p>', payload)
    with pytest.raises(AssertionError):
        assert_escaped(f"<p>{escaped}</p><!-- {payload} -->", payload)


# Services


@HOSTILE
@given(name=hostile_text, description=hostile_text, place=hostile_text)
def test_create_circle_stores_or_refuses(cast, name, description, place):
    with rolled_back():
        try:
            circle = services.create_circle(person=cast.outsider, name=name, description=description, place_name=place)
        except DomainError as error:
            assert_clear_refusal(error)
        else:
            assert_fits(circle)
            assert circle.name
            assert re.fullmatch(r"[a-z0-9-]+", circle.slug)


@HOSTILE
@given(kind=hostile_text, policy=hostile_text, visibility=hostile_text)
def test_create_circle_refuses_unknown_choices(cast, kind, policy, visibility):
    with rolled_back(), pytest.raises(DomainError) as raised:
        services.create_circle(
            person=cast.outsider, name="Fine", kind=kind, join_policy=policy, member_list_visibility=visibility
        )
    assert_clear_refusal(raised.value)


@HOSTILE
@given(name=hostile_text, description=hostile_text, place=hostile_text)
def test_update_circle_stores_or_refuses(cast, name, description, place):
    with rolled_back():
        try:
            circle = services.update_circle(
                person=cast.organiser, circle=cast.circle, name=name, description=description, place_name=place
            )
        except DomainError as error:
            assert_clear_refusal(error)
        else:
            assert_fits(circle)


@HOSTILE
@given(name=hostile_text, description=hostile_text, tendency=hostile_text, website=hostile_text)
def test_create_center_stores_or_refuses(cast, name, description, tendency, website):
    with rolled_back():
        for site in (website, "https://" + website):
            try:
                center = services.create_center(
                    person=cast.outsider, name=name, description=description, tendency=tendency, website=site
                )
            except DomainError as error:
                assert_clear_refusal(error)
            else:
                assert_fits(center)


@HOSTILE
@given(note=hostile_text, wants=st.lists(st.one_of(hostile_text, st.sampled_from(["advice", "speakers"])), max_size=4))
def test_declare_tie_note_and_wants(cast, note, wants):
    with rolled_back():
        other = Center.objects.create(name="Blue Door Center", slug="blue-door")
        try:
            tie = services.declare_tie(person=cast.organiser, circle=cast.circle, center=other, wants=wants, note=note)
        except DomainError as error:
            assert_clear_refusal(error)
        else:
            assert_fits(tie)
            assert set(tie.wants) <= {"literature", "speakers", "advice", "linkups"}


# Web forms and the JSON API


def _form_outcome(response: Any) -> None:
    assert response.status_code < 500
    assert response.status_code in {200, 302, 303, 400, 403, 409, 422}, response.status_code


@HOSTILE
@given(name=http_text, description=http_text, place=http_text)
def test_circle_form_never_fails(cast, client, name, description, place):
    client.force_login(cast.outsider)
    with rolled_back():
        before = set(Circle.objects.values_list("pk", flat=True))
        response = client.post(
            "/circles/new/",
            {"name": name, "description": description, "place_name": place, "kind": "city", "join_policy": "open"},
        )
        _form_outcome(response)
        created = Circle.objects.exclude(pk__in=before)
        if response.status_code == 200:
            assert not created.exists(), "a form shown again with errors must not save anything"
        for circle in created:
            assert_fits(circle)
            page = client.get(circle.get_absolute_url())
            assert page.status_code == 200
            assert_escaped(page.content.decode(), name, description, place)


@HOSTILE
@given(name=http_text, description=http_text, place=http_text)
def test_circle_edit_form_escapes(cast, client, name, description, place):
    client.force_login(cast.organiser)
    with rolled_back():
        response = client.post(
            f"/circles/{cast.circle.slug}/edit/",
            {
                "name": name,
                "description": description,
                "place_name": place,
                "kind": "city",
                "join_policy": "open",
                "member_list_visibility": "members",
            },
        )
        _form_outcome(response)
        circle = Circle.objects.get(pk=cast.circle.pk)
        assert_fits(circle)
        page = client.get(circle.get_absolute_url())
        assert page.status_code == 200
        assert_escaped(page.content.decode(), name, description, place)


@HOSTILE
@given(note=http_text)
def test_tie_form_escapes_note(cast, client, note):
    client.force_login(cast.organiser)
    with rolled_back():
        other = Center.objects.create(name="Blue Door Center", slug="blue-door")
        response = client.post(
            f"/circles/{cast.circle.slug}/ties/new/", {"center": other.pk, "wants": ["advice"], "note": note}
        )
        _form_outcome(response)
        for tie in Tie.objects.filter(center=other):
            assert_fits(tie)
            for url in (cast.circle.get_absolute_url(), other.get_absolute_url()):
                page = client.get(url)
                assert page.status_code == 200
                assert_escaped(page.content.decode(), note)


def test_circle_form_saves_a_payload_as_text(cast, client):
    """The form really stores what it is given (so the property tests are not only seeing refusals)."""
    client.force_login(cast.outsider)
    payload = '<script>alert("x")</script> \u202eevil <img src=x onerror=alert(1)>'
    response = client.post(
        "/circles/new/",
        {
            "name": payload,
            "description": payload,
            "place_name": payload,
            "kind": "city",
            "join_policy": "open",
            "member_list_visibility": "members",
        },
    )
    assert response.status_code in {302, 303}, response.content.decode()[:3000]
    circle = Circle.objects.get(name=payload)
    assert circle.description == payload
    page = client.get(circle.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert_escaped(page, payload)


def _json(client: Any, method: str, url: str, body: Any) -> Any:
    payload = body if isinstance(body, bytes) else json.dumps(body)
    return getattr(client, method)(url, data=payload, content_type="application/json")


API_STATUSES = {200, 201, 400, 403, 409, 422}


@HOSTILE
@given(name=hostile_text, description=hostile_text, place=hostile_text, kind=st.one_of(hostile_text, st.just("city")))
def test_api_create_circle_never_fails(cast, client, name, description, place, kind):
    """JSON can carry lone surrogates (as \\ud800 escapes): they must be refused or cleaned, never crash."""
    client.force_login(cast.outsider)
    with rolled_back():
        before = set(Circle.objects.values_list("pk", flat=True))
        response = _json(
            client,
            "post",
            "/api/v1/circles",
            {"name": name, "description": description, "place_name": place, "kind": kind},
        )
        assert response.status_code in API_STATUSES, (response.status_code, response.content[:300])
        body = response.json()
        created = list(Circle.objects.exclude(pk__in=before))
        if response.status_code >= 400:
            assert body.get("detail"), body
            assert not created
        for circle in created:
            assert_fits(circle)
            page = client.get(circle.get_absolute_url())
            assert page.status_code == 200
            assert_escaped(page.content.decode(), name, description, place)


def test_api_create_circle_saves_a_payload_as_text(cast, client):
    client.force_login(cast.outsider)
    payload = "<svg/onload=alert(1)> '; DROP TABLE network_circle; -- \U0001f600"
    response = _json(client, "post", "/api/v1/circles", {"name": payload, "description": payload, "kind": "city"})
    assert response.status_code in {200, 201}, response.content[:300]
    circle = Circle.objects.get(name=payload)
    assert_escaped(client.get(circle.get_absolute_url()).content.decode(), payload)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'"a string"',
        b'{"name": 12}',
        b'{"name": null}',
        b'{"name": ["x"]}',
        b'{"name": {"$gt": ""}}',
        b'{"name": "\\u0000"}',
        b'{"name": "\\ud800"}',
        b'{"name": "ok", "kind": "\\u202ecity"}',
        b'{"name": "ok", "latitude": "NaN", "longitude": 1}',
        b'{"name": "ok", "latitude": 1e999, "longitude": 1}',
        b'{"name": "ok", "latitude": 91, "longitude": 0}',
        b'{"name": "\xed\xa0\x80 invalid utf-8"}',
        b'{"name": "' + b"x" * 100_000 + b'"}',
        b'{"name": "ok"' + b', "a": 1' * 2000 + b"}",
        b"[" * 5000 + b"]" * 5000,
    ],
    ids=lambda raw: raw[:24].decode("ascii", "backslashreplace") or "empty",
)
def test_api_create_circle_malformed_bodies(cast, client, raw):
    client.force_login(cast.outsider)
    response = client.post("/api/v1/circles", data=raw, content_type="application/json")
    assert response.status_code in API_STATUSES, (response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert response.json().get("detail")
    for circle in Circle.objects.exclude(pk=cast.circle.pk):
        assert_fits(circle)
