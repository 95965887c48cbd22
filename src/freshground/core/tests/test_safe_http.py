"""The safe fetcher against hostile destinations and hostile servers."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import time
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import urllib3

from freshground.core import safe_http
from freshground.core.safe_http import FetchFailed, FetchRefused, address_refusal, fetch, parse_retry_after
from freshground.testing.feed_server import FeedServer, Route, allow_private_fetch, feed_server  # noqa: F401

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Fail the test if any connection is attempted; returns the list of attempts."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)
    monkeypatch.setattr(urllib3.HTTPConnectionPool, "urlopen", refuse)
    return attempts


def fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    """Names in `table` resolve to the given addresses; others resolve for real. Returns the names looked up."""
    real = socket.getaddrinfo
    looked_up: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        looked_up.append(host)
        if host in table:
            out = []
            for address in table[host]:
                family = socket.AF_INET6 if ":" in address else socket.AF_INET
                sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
                out.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
            return out
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return looked_up


# --- address classes ------------------------------------------------------------------------------------------


REFUSED_ADDRESSES = [
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "100.127.255.254",
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",  # broadcast
    "0.0.0.0",  # noqa: S104
    "0.1.2.3",
    "192.0.2.1",  # documentation
    "198.51.100.7",
    "203.0.113.9",
    "198.18.0.1",  # benchmarking
    "192.0.0.8",
    "::",
    "::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:8.8.8.8",  # IPv4-mapped, even of a public address
    "::127.0.0.1",  # IPv4-compatible
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b:1::1",  # local-use NAT64
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",
    "ff02::1",
    "2001:db8::1",  # documentation
    "100::1",
]


@pytest.mark.parametrize("text", REFUSED_ADDRESSES)
def test_refused_address_classes(text: str) -> None:
    assert address_refusal(ipaddress.ip_address(text)) != ""


@pytest.mark.parametrize("text", ["93.184.215.14", "1.1.1.1", "2606:4700::1111", "64:ff9b::808:808", "2002:808:808::1"])
def test_public_addresses_allowed(text: str) -> None:
    assert address_refusal(ipaddress.ip_address(text)) == ""


# --- refused before any connection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0177.0.0.1/",  # octal
        "http://0x7f.1/",  # hexadecimal, short form
        "http://127.1/",
        "http://0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::]/",
        "http://0.0.0.0/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://10.0.0.1:8080/",
        "https://192.168.0.1/",
        "http://255.255.255.255/",
        "http://224.0.0.1/",
        "http://[fe80::1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/",
    ],
)
def test_refused_destinations_fail_before_connecting(url: str, no_connections: list[Any]) -> None:
    with pytest.raises(FetchRefused):
        fetch(url)
    assert no_connections == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed.xml",
        "gopher://example.org/",
        "javascript:alert(1)",
        "data:text/plain,hello",
        "//example.org/feed",
        "example.org/feed",
        "http://user:secret@example.org/feed",
        "http://user@example.org/feed",
        "http://example.org:22/",
        "http://example.org:25/",
        "http://example.org:0/",
        "http://example.org:99999/",
        "http://exa mple.org/",
        "http://hidden.onion/",
        "http://",
        "",
    ],
)
def test_refused_urls(url: str, no_connections: list[Any]) -> None:
    with pytest.raises(FetchRefused):
        fetch(url)
    assert no_connections == []


@pytest.mark.parametrize(
    "addresses",
    [
        ["127.0.0.1"],
        ["93.184.215.14", "10.0.0.5"],  # ANY refused address refuses the host
        ["::1"],
        ["64:ff9b::a9fe:a9fe"],
        ["2001:0:4136:e378:8000:63bf:3fff:fdd2"],
        ["100.100.100.100"],
    ],
)
def test_names_resolving_to_refused_addresses(
    addresses: list[str], monkeypatch: pytest.MonkeyPatch, no_connections: list[Any]
) -> None:
    fake_dns(monkeypatch, {"feeds.example.org": addresses})
    with pytest.raises(FetchRefused, match="resolves to"):
        fetch("https://feeds.example.org/rss")
    assert no_connections == []


def test_private_refused_unless_allowed(feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    url = feed_server.add("/feed", body=RSS)
    monkeypatch.delenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", raising=False)
    with pytest.raises(FetchRefused):
        fetch(url)
    assert feed_server.requests == []
    monkeypatch.setenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", "1")
    assert fetch(url).body == RSS
    monkeypatch.setenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", "0")
    with pytest.raises(FetchRefused):
        fetch(url)


def test_unknown_host_fails(monkeypatch: pytest.MonkeyPatch, no_connections: list[Any]) -> None:
    def nothing(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror("no such name")

    monkeypatch.setattr(socket, "getaddrinfo", nothing)
    with pytest.raises(FetchFailed, match="could not be found"):
        fetch("http://nowhere.example/")


# --- pinning ---------------------------------------------------------------------------------------------------


def test_connects_to_the_checked_address_with_the_name_in_host(
    feed_server: FeedServer,  # noqa: F811
    allow_private_fetch: None,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feed_server.add("/feed", body=RSS)
    # The first answer is the checked one; a rebinding DNS would answer differently the second time.
    answers = iter([["127.0.0.1"], ["10.9.9.9"], ["10.9.9.9"]])
    real = socket.getaddrinfo
    looked_up: list[str] = []

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "feeds.example.org":
            looked_up.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in next(answers)]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    result = fetch(f"http://feeds.example.org:{feed_server.port}/feed")
    assert result.body == RSS
    assert looked_up == ["feeds.example.org"]  # resolved once, by us; the connection used the checked address
    assert feed_server.requests[0].headers["host"] == f"feeds.example.org:{feed_server.port}"


def test_https_pool_pins_the_address_and_checks_the_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_dns(monkeypatch, {"feeds.example.org": ["93.184.215.14"]})
    opened: dict[str, Any] = {}

    class Pool:
        def __init__(self, host: str, **kwargs: Any) -> None:
            opened.update(kwargs, host=host)

        def urlopen(self, *args: Any, **kwargs: Any) -> Any:
            opened["headers"] = kwargs["headers"]
            raise urllib3.exceptions.NewConnectionError(None, "stop here")  # type: ignore[arg-type]

        def close(self) -> None:
            pass

    monkeypatch.setattr(urllib3, "HTTPSConnectionPool", Pool)
    with pytest.raises(FetchFailed):
        fetch("https://feeds.example.org/rss")
    assert opened["host"] == "93.184.215.14"
    assert opened["server_hostname"] == "feeds.example.org"
    assert opened["assert_hostname"] == "feeds.example.org"
    assert opened["cert_reqs"] == "CERT_REQUIRED"
    assert opened["headers"]["Host"] == "feeds.example.org"
    assert "Fresh Ground" in opened["headers"]["User-Agent"]


# --- hostile servers -------------------------------------------------------------------------------------------


def test_plain_fetch_and_headers(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", body=RSS, etag='"v1"', headers={"X-Thing": "yes"})
    result = fetch(url)
    assert (result.status, result.body, result.not_modified) == (200, RSS, False)
    assert result.headers["etag"] == '"v1"'
    assert result.headers["x-thing"] == "yes"
    assert result.url == url
    assert "Fresh Ground" in feed_server.requests[0].headers["user-agent"]


def test_conditional_get(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", body=RSS, etag='"v1"')
    result = fetch(url, etag='"v1"')
    assert result.not_modified
    assert result.status == 304
    assert result.body == b""
    url2 = feed_server.add("/lm", body=RSS, last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    assert fetch(url2, last_modified="Tue, 01 Dec 2026 10:00:00 GMT").not_modified
    assert feed_server.requests[-1].headers["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"


@pytest.mark.parametrize("compress", ["gzip", "deflate"])
def test_decompresses(compress: str, feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", body=RSS * 50, compress=compress)
    assert fetch(url).body == RSS * 50


def test_raw_deflate(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw = compressor.compress(RSS) + compressor.flush()
    url = feed_server.add("/feed", body=raw, headers={"Content-Encoding": "deflate"})
    assert fetch(url).body == RSS


def test_zip_bomb_stops_at_the_cap(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    bomb = gzip.compress(b"\0" * 50_000_000)  # about 50 KB on the wire
    assert len(bomb) < 100_000
    url = feed_server.add("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchFailed, match="decompressed"):
        fetch(url, max_bytes=1_000_000)


def test_oversized_body(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/big", body=b"x" * 300_000)
    with pytest.raises(FetchFailed, match="larger"):
        fetch(url, max_bytes=100_000)
    url = feed_server.add("/big-unannounced", body=b"x" * 300_000, send_length=False)
    with pytest.raises(FetchFailed, match="larger"):
        fetch(url, max_bytes=100_000)


def test_endless_body(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/endless", endless=True)
    with pytest.raises(FetchFailed, match="larger"):
        fetch(url, max_bytes=500_000, timeout=5)


def test_slow_server_times_out(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/slow", delay=3)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="too long"):
        fetch(url, timeout=0.5)
    assert time.monotonic() - started < 2


def test_trickling_server_hits_the_total_deadline(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/trickle", body=b"x" * 1000, trickle=0.05)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="too long"):
        fetch(url, timeout=0.6)
    assert time.monotonic() - started < 2


def test_redirects_followed_and_rechecked(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    final = feed_server.add("/final", body=RSS)
    feed_server.add("/b", redirect="/final", status=301)
    start = feed_server.add("/a", redirect=feed_server.url("/b"))
    result = fetch(start)
    assert result.url == final
    assert result.body == RSS


def test_too_many_redirects(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    for index in range(5):
        feed_server.add(f"/r{index}", redirect=f"/r{index + 1}")
    feed_server.add("/r5", body=RSS)
    with pytest.raises(FetchFailed, match="Too many redirects"):
        fetch(feed_server.url("/r0"), max_redirects=3)
    assert fetch(feed_server.url("/r0"), max_redirects=5).body == RSS


def test_redirect_to_a_private_address_refused(feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # The server is "public" (a fake name pointing at a public address, served locally); it redirects inside.
    feed_server.add("/go", redirect="http://169.254.169.254/latest/meta-data/")
    feed_server.add("/go-dns", redirect="http://internal.example.org/")
    feed_server.add("/go-file", redirect="file:///etc/passwd")
    fake_dns(monkeypatch, {"public.example.org": ["93.184.215.14"], "internal.example.org": ["10.0.0.1"]})
    monkeypatch.setattr(safe_http, "_resolve", _pin_public_to_local(feed_server))
    for path in ("/go", "/go-dns", "/go-file"):
        with pytest.raises(FetchRefused):
            fetch(f"http://public.example.org:{feed_server.port}{path}")
    assert feed_server.hits("/go") == 1


def _pin_public_to_local(server: FeedServer) -> Any:
    """A resolver that checks as usual but sends the one 'public' name to the local server."""
    real = safe_http._resolve

    def resolve(host: str, port: int) -> str:
        address = real(host, port)
        return server.host if host == "public.example.org" else address

    return resolve


def test_error_status_and_retry_after(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/busy", status=503, headers={"Retry-After": "120"})
    with pytest.raises(FetchFailed) as caught:
        fetch(url)
    assert caught.value.status == 503
    assert caught.value.retry_after == 120
    later = format_datetime(datetime.now(UTC) + timedelta(minutes=10), usegmt=True)
    url = feed_server.add("/slowdown", status=429, headers={"Retry-After": later})
    with pytest.raises(FetchFailed) as caught:
        fetch(url)
    assert caught.value.status == 429
    assert caught.value.retry_after is not None
    assert 590 <= caught.value.retry_after <= 600
    url = feed_server.add("/gone", status=404)
    with pytest.raises(FetchFailed) as caught:
        fetch(url)
    assert caught.value.status == 404
    assert caught.value.retry_after is None


def test_parse_retry_after() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30", now=now) == 30
    assert parse_retry_after("Tue, 01 Dec 2026 12:05:00 GMT", now=now) == 300
    assert parse_retry_after("Tue, 01 Dec 2026 11:00:00 GMT", now=now) == 0
    assert parse_retry_after("99999999", now=now) == safe_http.MAX_RETRY_AFTER
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after("", now=now) is None


def test_unknown_content_encoding_refused(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/br", body=b"xx", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchFailed, match="compression"):
        fetch(url)


def test_connection_refused_is_a_failure(allow_private_fetch: None) -> None:  # noqa: F811
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchFailed, match="connection"):
        fetch(f"http://127.0.0.1:{port}/")


def test_only_a_chain_of_permanent_redirects_says_where_the_feed_moved(
    feed_server: FeedServer,  # noqa: F811
    allow_private_fetch: None,  # noqa: F811
) -> None:
    final = feed_server.add("/new-home", body=RSS)
    feed_server.add("/moved", redirect="/new-home", status=308)
    feed_server.add("/moved-twice", redirect="/moved", status=301)
    feed_server.add("/for-now", redirect="/moved", status=302)
    assert fetch(feed_server.url("/moved-twice")).moved_to == final
    assert fetch(feed_server.url("/for-now")).moved_to == ""  # a temporary hop on the way: keep the old address
    assert fetch(final).moved_to == ""
