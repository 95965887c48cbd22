"""The image proxy: signed tokens only, images only, re-encoded without metadata, cached, refused loudly."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import Client
from PIL import Image

from freshground.journal.sanitise import image_proxy_url
from freshground.testing.feed_server import FeedServer, allow_private_fetch, feed_server  # noqa: F401


def jpeg_with_exif(size: tuple[int, int] = (3200, 200)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x9286] = "secret comment"  # UserComment
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def server(feed_server: FeedServer, allow_private_fetch: None) -> FeedServer:  # noqa: F811
    return feed_server


def test_an_image_is_fetched_reencoded_and_cached(client: Client, server: FeedServer) -> None:
    original = jpeg_with_exif()
    assert b"SpyCam" in original
    url = server.add("/photo.jpg", body=original, content_type="image/jpeg")
    proxied = image_proxy_url(url)
    response = client.get(proxied)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "max-age=" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content
    assert b"SpyCam" not in body
    assert b"secret comment" not in body
    with Image.open(io.BytesIO(body)) as served:
        assert max(served.size) <= 1600
        assert not served.getexif()
    assert client.get(proxied).content == body
    assert server.hits("/photo.jpg") == 1  # the second answer came from the cache


def test_transparent_png_stays_png(client: Client, server: FeedServer) -> None:
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG")
    url = server.add("/t.png", body=out.getvalue(), content_type="image/png")
    response = client.get(image_proxy_url(url))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"<html>not an image</html>", "text/html", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml", 415),
        (b"GIF89a not really", "image/gif", 415),
    ],
)
def test_what_is_not_an_image_is_refused(
    client: Client, server: FeedServer, body: bytes, content_type: str, status: int
) -> None:
    url = server.add("/thing", body=body, content_type=content_type)
    response = client.get(image_proxy_url(url))
    assert response.status_code == status


def test_a_missing_image_is_a_404(client: Client, server: FeedServer) -> None:
    url = server.add("/gone.png", body=b"", status=404)
    assert client.get(image_proxy_url(url)).status_code == 404


def test_tokens_we_did_not_sign_are_refused(client: Client) -> None:
    assert client.get("/journal/img/aHR0cDovL2V4YW1wbGUub3JnLw:forged:signature/").status_code == 404
    assert client.get("/journal/img/plain-text/").status_code == 404


def test_private_addresses_are_refused_without_the_switch(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", raising=False)
    for url in ("http://127.0.0.1:8000/x.png", "http://10.0.0.1/x.png", "http://169.254.169.254/latest/meta-data"):
        assert client.get(image_proxy_url(url)).status_code == 403


def test_only_get_and_head(client: Client) -> None:
    assert client.post(image_proxy_url("https://example.org/x.png")).status_code == 405
