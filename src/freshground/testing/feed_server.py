"""A local threaded HTTP server for tests, benchmarks and the demo: serves given routes.

    with FeedServer({"/feed.xml": Route(body=b"<rss…", headers={"Content-Type": "application/rss+xml"})}) as server:
        fetch(server.url("/feed.xml"))

A route can answer with a status, headers, a body (optionally gzip- or deflate-compressed), a redirect, a delay
before answering, a slow trickle, or an endless body; with `etag` / `last_modified` set it answers conditional
requests with 304. `server.requests` records every request (method, path, headers). The pytest fixtures
`feed_server` (a started server, no routes yet: add them with `server.add(path, …)`) and `allow_private_fetch`
(sets FRESHGROUND_ALLOW_PRIVATE_FETCH=1 for one test) are importable from here:

    from freshground.testing.feed_server import allow_private_fetch, feed_server  # noqa: F401
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/xml"
    compress: str = ""  # "gzip" or "deflate"
    redirect: str = ""  # a Location: answers `status` (302 unless set to another 3xx)
    delay: float = 0.0  # seconds before the answer
    trickle: float = 0.0  # seconds between bytes of the body
    endless: bool = False  # a body that never ends (no Content-Length)
    etag: str = ""
    last_modified: str = ""
    send_length: bool = True


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float = 0.0  # time.monotonic() when it arrived


Responder = Route | Callable[[Request], Route]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # clients hanging up on endless or slow answers are expected here


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        owner = self.server.owner
        request = Request(
            method="GET",
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            at=time.monotonic(),
        )
        owner.record(request)
        responder = owner.lookup(self.path)
        if responder is None:
            self._simple(404, b"not found")
            return
        route = responder(request) if callable(responder) else responder
        try:
            self._answer(route, request)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            return

    def _simple(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, route: Route, request: Request) -> None:
        if route.delay:
            time.sleep(route.delay)
        if route.redirect:
            status = route.status if 300 <= route.status < 400 else 302
            self.send_response(status)
            self.send_header("Location", route.redirect)
            self.send_header("Content-Length", "0")
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        matched = (route.etag and request.headers.get("if-none-match") == route.etag) or (
            route.last_modified and not route.etag and request.headers.get("if-modified-since") == route.last_modified
        )
        if matched:
            self.send_response(304)
            if route.etag:
                self.send_header("ETag", route.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = route.body
        if route.compress == "gzip":
            body = gzip.compress(body)
        elif route.compress == "deflate":
            body = zlib.compress(body)
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        if route.compress:
            self.send_header("Content-Encoding", route.compress)
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.endless:
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = body or b"x" * 65536
            while not self.server.owner.stopping.is_set():
                self.wfile.write(chunk)
                if route.trickle:
                    time.sleep(route.trickle)
            return
        if route.send_length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        if route.trickle:
            for index in range(len(body)):
                if self.server.owner.stopping.is_set():
                    return
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(route.trickle)
        else:
            self.wfile.write(body)


class FeedServer:
    """A threaded HTTP server on `host` (127.0.0.1 by default) and a free port, serving `routes`."""

    def __init__(self, routes: dict[str, Responder] | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Responder] = dict(routes or {})
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server((host, port), _Handler)
        self._server.owner = self
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(self, path: str, responder: Responder | None = None, **route: Any) -> str:
        """Serve `path` (exact, including any query); returns its full URL."""
        self.routes[path] = responder if responder is not None else Route(**route)
        return self.url(path)

    def add_directory(self, directory: Path, *, prefix: str = "/") -> None:
        for file in sorted(directory.iterdir()):
            if file.is_file():
                self.add(prefix + file.name, body=file.read_bytes(), content_type=_guess_type(file.name))

    def lookup(self, path: str) -> Responder | None:
        return self.routes.get(path)

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for request in self.requests if request.path == path)

    def start(self) -> FeedServer:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _guess_type(name: str) -> str:
    if name.endswith(".json"):
        return "application/feed+json"
    if name.endswith(".atom"):
        return "application/atom+xml"
    if name.endswith(".rdf"):
        return "application/rdf+xml"
    if name.endswith((".html", ".htm")):
        return "text/html; charset=utf-8"
    return "application/rss+xml"


try:  # the fixtures need pytest; the server itself (used by the demo) does not
    import pytest
except ImportError:  # pragma: no cover - installs without the test tools
    pass
else:

    @pytest.fixture
    def feed_server() -> Iterator[FeedServer]:
        with FeedServer() as server:
            yield server

    @pytest.fixture
    def allow_private_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", "1")
