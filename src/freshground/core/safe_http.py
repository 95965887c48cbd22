"""Fetching from the outside world without letting the outside world reach inside.

Everyone who fetches a URL they did not write themselves (feeds, link previews, images) calls `fetch`. The rules:

- only http and https, no credentials in the URL, only ports 80, 443 and 1024 and above;
- the host is resolved here (socket.getaddrinfo) and refused if ANY of its addresses is loopback, private,
  link-local, carrier-grade NAT, multicast, reserved, unspecified, broadcast, documentation, IPv4-mapped or
  -compatible IPv6, NAT64 / 6to4 wrapping a refused IPv4 address, or Teredo. Odd literals (`2130706433`,
  `0177.0.0.1`, `0x7f.1`, `127.1`) are caught because the resolved address is checked, never the string;
- the connection goes to exactly the address that was checked (the pool is opened on the IP, the name travels in
  the Host header and in TLS as SNI and for the certificate check), so DNS rebinding cannot switch the address;
- redirects are followed here, each hop checked again, at most `max_redirects`;
- a connect timeout and a total deadline; raw and decompressed sizes capped (gzip and deflate are decompressed here
  in bounded steps, so a zip bomb stops at the cap).

`FRESHGROUND_ALLOW_PRIVATE_FETCH=1` in the environment (read at every call) allows private and loopback addresses,
for tests and private deployments. Everything else still applies.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3HTTPError

USER_AGENT = "FreshGround/1.0 (Fresh Ground journal feed fetcher; +https://github.com/freshground)"
ALLOWED_SCHEMES = frozenset({"http", "https"})
ALLOWED_LOW_PORTS = frozenset({80, 443})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
REFUSED_NAME_SUFFIXES = (".onion", ".i2p", ".localhost", ".internal")
CHUNK = 64 * 1024
MAX_RETRY_AFTER = 7 * 24 * 3600
ALLOW_PRIVATE_ENV = "FRESHGROUND_ALLOW_PRIVATE_FETCH"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges refused on top of what `ipaddress` flags (it calls some of these global).
_REFUSED_V4 = tuple(
    ipaddress.IPv4Network(net)
    for net in (
        "0.0.0.0/8",  # "this network", includes 0.0.0.0
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, includes 255.255.255.255
    )
)
_REFUSED_V6 = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "::/128",
        "::1/128",
        "::/96",  # IPv4-compatible (deprecated)
        "::ffff:0:0/96",  # IPv4-mapped
        "::ffff:0:0:0/96",  # IPv4-translated
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/32",  # Teredo
        "2001:2::/48",  # benchmarking
        "2001:db8::/32",  # documentation
        "2001:10::/28",  # ORCHID
        "3fff::/20",  # documentation (2024)
        "5f00::/16",  # SRv6 SIDs
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SIXTOFOUR = ipaddress.IPv6Network("2002::/16")


class FetchError(Exception):
    """Fetching failed or was refused; `message` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FetchRefused(FetchError):
    """The destination was refused before any connection was made."""


class FetchFailed(FetchError):
    """The fetch was tried and failed: DNS, connection, timeout, size, redirects or an error status."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after  # seconds, from a Retry-After header


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""  # decompressed, capped
    not_modified: bool = False
    moved_to: str = ""  # the final URL when every redirect on the way was permanent (301, 308): the new address


def private_allowed() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "") == "1"


def address_refusal(address: IPAddress) -> str:
    """Why this address may not be fetched from ("" when it may)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
            reason = address_refusal(embedded)
            return f"NAT64 address wrapping a refused address ({reason})" if reason else ""
        if address in _SIXTOFOUR:
            wrapped = ipaddress.IPv4Address((int(address) >> 80) & 0xFFFFFFFF)
            reason = address_refusal(wrapped)
            return f"6to4 address wrapping a refused address ({reason})" if reason else ""
        for network6 in _REFUSED_V6:
            if address in network6:
                return f"address in a refused range ({network6})"
    else:
        for network4 in _REFUSED_V4:
            if address in network4:
                return f"address in a refused range ({network4})"
    if (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    ):
        return "address is not public"
    return ""


def _parse_address(text: str) -> IPAddress:
    return ipaddress.ip_address(text.split("%", 1)[0])


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as sent in the Host header and TLS SNI (IDNA-encoded, no brackets)
    port: int
    path: str  # path and query
    address: str  # the checked IP address to connect to


def _check_url(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and request path, or FetchRefused."""
    if not isinstance(url, str) or not url.strip():
        raise FetchRefused("No address to fetch.")
    if any(ord(ch) < 33 or ch == "\\" for ch in url.strip()):
        raise FetchRefused("The address contains spaces or control characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchRefused(f"The address is malformed ({error}).") from error
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchRefused(f"Only http and https addresses are fetched, not {scheme or 'this'}.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise FetchRefused("Addresses with a user name or password are not fetched.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused("The address has no host.")
    if port is None:
        port = 443 if scheme == "https" else 80
    if port == 0 or (port < 1024 and port not in ALLOWED_LOW_PORTS):
        raise FetchRefused(f"Port {port} is not fetched from.")
    if ":" not in host:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise FetchRefused("The host name is malformed.") from error
        local_name = host == "localhost" or host.endswith(".localhost")
        if (local_name or host.endswith(REFUSED_NAME_SUFFIXES)) and not (private_allowed() and local_name):
            raise FetchRefused(f"The host {host} is not fetched from.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host.lower(), port, path


def _resolve(host: str, port: int) -> str:
    """Resolve and check every address; return the one to connect to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchFailed(f"The host {host} could not be found.") from error
    addresses: list[IPAddress] = []
    for info in infos:
        try:
            addresses.append(_parse_address(str(info[4][0])))
        except ValueError as error:
            raise FetchRefused(f"The host {host} resolved to something that is not an address.") from error
    if not addresses:
        raise FetchFailed(f"The host {host} could not be found.")
    if not private_allowed():
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise FetchRefused(f"The host {host} resolves to {address}: {reason}.")
    return str(addresses[0])


def check_url(url: str) -> str:
    """Raise FetchRefused if `url`'s shape is refused (scheme, credentials, port, names); no DNS. Returns it
    stripped."""
    _check_url(url)
    return url.strip()


def check_destination(url: str) -> None:
    """Raise FetchRefused if `url` may not be fetched (resolves its host; makes no connection)."""
    _scheme, host, port, _path = _check_url(url)
    _resolve(host, port)


def parse_retry_after(value: str, *, now: datetime | None = None) -> int | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped at a week."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(int(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0, min(int(seconds + 0.999), MAX_RETRY_AFTER))


class _Decoder:
    """Decompresses gzip/deflate in bounded steps, never producing more than `limit` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []
        self.first = True
        self.decompressor: Any = None
        if encoding == "gzip":
            self.decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.decompressor = zlib.decompressobj(zlib.MAX_WBITS)

    def _append(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > self.limit:
            raise FetchFailed(f"The answer is larger than {self.limit} bytes once decompressed.")
        self.parts.append(piece)

    def feed(self, data: bytes) -> None:
        if self.decompressor is None:
            self._append(data)
            return
        if self.encoding == "deflate" and self.first and data:
            self.first = False
            # "deflate" is zlib-wrapped by the standard, raw deflate by some servers.
            if (data[0] & 0x0F) != 8:
                self.decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
        buffer = data
        while buffer and not self.decompressor.eof:
            try:
                piece = self.decompressor.decompress(buffer, self.limit - self.size + 1)
            except zlib.error as error:
                raise FetchFailed("The compressed answer is corrupt.") from error
            self._append(piece)
            buffer = self.decompressor.unconsumed_tail
            if not piece and buffer and len(buffer) == len(data):
                break

    def finish(self) -> bytes:
        if self.decompressor is not None and not self.decompressor.eof:
            try:
                self._append(self.decompressor.flush())
            except zlib.error as error:
                raise FetchFailed("The compressed answer is corrupt.") from error
        return b"".join(self.parts)


def _open_pool(target: _Target, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            port=target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(target.address, port=target.port, timeout=timeout, retries=False, maxsize=1)


def _host_header(scheme: str, host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    return shown if port == default else f"{shown}:{port}"


def _collect_headers(response: urllib3.BaseHTTPResponse) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in response.headers.items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _one_request(
    target: _Target, headers: dict[str, str], *, deadline: float, connect_timeout: float, max_bytes: int
) -> tuple[int, dict[str, str], bytes]:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchFailed("The fetch took too long.")
    timeout = urllib3.Timeout(connect=min(connect_timeout, remaining), read=remaining)
    pool = _open_pool(target, timeout)
    try:
        response = pool.urlopen(
            "GET",
            target.path,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=False,
            assert_same_host=False,
        )
        try:
            status = response.status
            response_headers = _collect_headers(response)
            if status in REDIRECT_STATUSES or status == 304 or status >= 400:
                return status, response_headers, b""
            declared = response_headers.get("content-length", "").strip()
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchFailed(f"The answer is larger than {max_bytes} bytes.")
            encodings = [
                part.strip().lower()
                for part in response_headers.get("content-encoding", "").split(",")
                if part.strip() and part.strip().lower() != "identity"
            ]
            if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate")):
                raise FetchFailed("The answer uses a compression this fetcher does not read.")
            encoding = "gzip" if encodings and encodings[0] in ("gzip", "x-gzip") else (encodings or [""])[0]
            decoder = _Decoder(encoding, max_bytes)
            raw_size = 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchFailed("The fetch took too long.")
                chunk = response.read1(CHUNK)
                if not chunk:
                    break
                raw_size += len(chunk)
                if raw_size > max_bytes:
                    raise FetchFailed(f"The answer is larger than {max_bytes} bytes.")
                decoder.feed(chunk)
            return status, response_headers, decoder.finish()
        finally:
            response.release_conn()
            response.close()
    except FetchError:
        raise
    except urllib3.exceptions.NewConnectionError as error:  # a subclass of the timeout error: first
        raise FetchFailed(f"The connection to {target.host} failed ({type(error).__name__}).") from error
    except (TimeoutError, urllib3.exceptions.TimeoutError) as error:
        raise FetchFailed("The fetch took too long.") from error
    except (Urllib3HTTPError, OSError, ValueError) as error:
        raise FetchFailed(f"The connection to {target.host} failed ({type(error).__name__}).") from error
    finally:
        pool.close()


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int = 5_000_000,
    timeout: float = 10.0,
    max_redirects: int = 3,
    accept: str = "*/*",
    connect_timeout: float | None = None,
) -> FetchResult:
    """GET `url` safely (see the module's rules). Raises FetchRefused or FetchFailed."""
    deadline = time.monotonic() + timeout
    connect = min(timeout, connect_timeout if connect_timeout is not None else 5.0)
    current = url.strip() if isinstance(url, str) else url
    hops = 0
    permanent = True  # every redirect so far was 301 or 308
    while True:
        scheme, host, port, path = _check_url(current)
        address = _resolve(host, port)
        target = _Target(scheme=scheme, host=host, port=port, path=path, address=address)
        headers = {
            "Host": _host_header(scheme, host, port),
            "User-Agent": USER_AGENT,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        status, response_headers, body = _one_request(
            target, headers, deadline=deadline, connect_timeout=connect, max_bytes=max_bytes
        )
        if status in REDIRECT_STATUSES:
            location = response_headers.get("location", "").strip()
            if not location:
                raise FetchFailed(f"A redirect ({status}) without a destination.", status=status)
            hops += 1
            if hops > max_redirects:
                raise FetchFailed(f"Too many redirects (more than {max_redirects}).", status=status)
            current = urljoin(current, location)
            permanent = permanent and status in PERMANENT_REDIRECTS
            continue
        moved_to = current if hops and permanent else ""
        if status == 304:
            return FetchResult(
                url=current, status=304, headers=response_headers, body=b"", not_modified=True, moved_to=moved_to
            )
        if status >= 400:
            raise FetchFailed(
                f"The server answered {status}.",
                status=status,
                retry_after=parse_retry_after(response_headers.get("retry-after", "")),
            )
        if status >= 300:
            raise FetchFailed(f"The server answered {status}.", status=status)
        return FetchResult(url=current, status=status, headers=response_headers, body=body, moved_to=moved_to)
