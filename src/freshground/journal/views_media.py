"""The image proxy: `journal:image` `/journal/img/<token>/`.

Outside HTML never points a reader's browser at an outside server: `journal.sanitise.clean_html` rewrites every
image to this view with a token signed by us that holds the outside address. The view unsigns the token, fetches
the image with `core.safe_http` (private addresses refused, size capped, only `image/*` answers), decodes it with
Pillow and re-encodes it (metadata dropped, dimensions capped), caches the result and serves it with long cache
headers and a strict Content-Type. Anything else is refused with a 4xx; the reader's address and headers never
leave our server (the fetch carries none of them).
"""

from __future__ import annotations

import hashlib
import io
import warnings

from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from PIL import Image, ImageOps, UnidentifiedImageError

from freshground.core import safe_http
from freshground.journal.sanitise import unsign_image_url

MAX_SOURCE_BYTES = 8_000_000
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
MAX_DIMENSION = 1600
CACHE_SECONDS = 30 * 24 * 3600
FAILURE_CACHE_SECONDS = 600
CACHE_PREFIX = "journal:img:"
ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"


class ImageRefused(Exception):
    """The address did not give us an image we are willing to serve."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def reencode(body: bytes) -> tuple[bytes, str]:
    """Decode ``body`` as an image and encode it afresh (no metadata survives): JPEG for photographs, PNG for
    images with transparency or a palette. Returns (bytes, content type); raises ImageRefused."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(body)) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS or width < 1 or height < 1:
                    raise ImageRefused(422, "The image is too large.")
                if probe.format not in {"JPEG", "PNG", "GIF", "WEBP", "BMP"}:
                    raise ImageRefused(415, "Not an image format we serve.")
                probe.seek(0)  # the first frame of an animation
                image = ImageOps.exif_transpose(probe)
                image.load()
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
            raise ImageRefused(415, "Not a readable image.") from exc
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageRefused(422, "The image is too large.") from exc
    image.thumbnail((MAX_DIMENSION, MAX_DIMENSION))
    out = io.BytesIO()
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)
    if has_alpha or image.mode == "P":
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.save(out, format="PNG", optimize=False)
        return out.getvalue(), "image/png"
    image.convert("RGB").save(out, format="JPEG", quality=82, optimize=False, progressive=True)
    return out.getvalue(), "image/jpeg"


def fetch_image(url: str) -> tuple[bytes, str]:
    try:
        result = safe_http.fetch(url, max_bytes=MAX_SOURCE_BYTES, timeout=10.0, max_redirects=3, accept=ACCEPT)
    except safe_http.FetchRefused as exc:
        raise ImageRefused(403, str(exc)) from exc
    except safe_http.FetchError as exc:
        raise ImageRefused(404, str(exc)) from exc
    content_type = result.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content_type.startswith("image/") or content_type == "image/svg+xml":
        raise ImageRefused(415, "Not an image.")
    return reencode(result.body)


def _cache_key(url: str) -> str:
    return CACHE_PREFIX + hashlib.sha256(url.encode()).hexdigest()


def _response(body: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _refusal(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def image(request: HttpRequest, token: str) -> HttpResponse:
    try:
        url = unsign_image_url(token)
    except signing.BadSignature:
        return _refusal(404, "No such image.")
    key = _cache_key(url)
    cached = cache.get(key)
    if cached is not None:
        status, content_type, body = cached
        if status != 200:
            return _refusal(status, body.decode())
        return _response(body, content_type)
    try:
        body, content_type = fetch_image(url)
    except ImageRefused as refused:
        cache.set(key, (refused.status, "", refused.message.encode()), FAILURE_CACHE_SECONDS)
        return _refusal(refused.status, refused.message)
    cache.set(key, (200, content_type, body), CACHE_SECONDS)
    return _response(body, content_type)
