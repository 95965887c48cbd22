"""Canonical addresses and their hashes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freshground.journal.urls_canonical import canonical_url, url_hash


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTPS://News.Example.ORG/a/b", "https://news.example.org/a/b"),
        ("https://news.example.org:443/a", "https://news.example.org/a"),
        ("http://news.example.org:80/a", "http://news.example.org/a"),
        ("http://news.example.org:8080/a", "http://news.example.org:8080/a"),
        ("https://news.example.org/a#comments", "https://news.example.org/a"),
        ("https://news.example.org", "https://news.example.org/"),
        ("https://news.example.org/a?utm_source=rss&utm_medium=feed&id=7", "https://news.example.org/a?id=7"),
        ("https://news.example.org/a?fbclid=x&gclid=y&mc_cid=1&mc_eid=2&ref=tw&igshid=3", "https://news.example.org/a"),
        ("https://news.example.org/a?b=2&a=1&UTM_Campaign=z", "https://news.example.org/a?a=1&b=2"),
        ("https://news.example.org/a b", "https://news.example.org/a%20b"),
        ("https://news.example.org/caf%C3%A9", "https://news.example.org/caf%C3%A9"),
        ("https://news.example.org./a", "https://news.example.org/a"),
        ("mailto:x@example.org", "mailto:x@example.org"),
        ("  https://news.example.org/a  ", "https://news.example.org/a"),
        ("https://[::1]:443/x", "https://[::1]/x"),
    ],
)
def test_canonical_url(given: str, expected: str) -> None:
    assert canonical_url(given) == expected


def test_unparsable_addresses_come_back() -> None:
    assert canonical_url("http://[broken/x") == "http://[broken/x"
    assert canonical_url("not a url") == "not a url"


def test_url_hash_is_the_same_for_the_same_page() -> None:
    a = url_hash("https://News.example.org/a?utm_source=x#top")
    assert a == url_hash("https://news.example.org:443/a")
    assert len(a) == 64
    assert a != url_hash("https://news.example.org/b")
    assert url_hash("") == ""


_PIECES = st.sampled_from(
    ["a", "B", "é", "%C3%A9", "%2f", "%", " ", "+", "&", "=", "?", "#", "/", ".", "..", ":", "@", ";", "~", "[", "]"]
)
_NAMES = st.sampled_from(["id", "utm_source", "UTM_Medium", "ref", "b", "a", "", "fbclid", "q"])


@given(
    scheme=st.sampled_from(["http", "HTTPS", "https", "ftp", "mailto"]),
    host=st.sampled_from(["news.example.org", "News.Example.ORG.", "xn--caf-dma.example", "café.example", "[::1]"]),
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    path=st.lists(_PIECES, max_size=8).map("".join),
    query=st.lists(st.tuples(_NAMES, st.lists(_PIECES, max_size=4).map("".join)), max_size=4),
    fragment=st.sampled_from(["", "#top", "#"]),
)
def test_canonical_url_is_idempotent(
    scheme: str, host: str, port: str, path: str, query: list[tuple[str, str]], fragment: str
) -> None:
    # Ingest hashes an address it has made canonical without making it canonical again.
    url = f"{scheme}://{host}{port}/{path}" + ("?" + "&".join(f"{n}={v}" for n, v in query) if query else "")
    once = canonical_url(url + fragment)
    assert canonical_url(once) == once
    assert url_hash(once, canonical=True) == url_hash(url + fragment)
