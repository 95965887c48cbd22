"""Helpers for the reports-intake tests: desks, images with metadata, a ready-made report."""

from __future__ import annotations

import io
from importlib.util import find_spec
from typing import Any

import pytest

from freshground.reports import services_intake as services
from freshground.reports.models import Desk, PlaceKind

GPS_MARKER = "GPSMARKER-51.5007N"
# Pillow is a dependency; where it is missing the image tests are skipped with this reason, everything else runs.
needs_pillow = pytest.mark.skipif(find_spec("PIL") is None, reason="Pillow is not installed")


def platform_desk() -> Desk:
    desk, _ = Desk.objects.get_or_create(circle=None, center=None, defaults={"name": "Platform editors"})
    return desk


def jpeg_with_gps(size: tuple[int, int] = (64, 48), *, orientation: int = 1) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(size[0] // 2):
        image.putpixel((x, 0), (0, 0, 255))  # a blue line along the top-left, to check orientation
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Inc"  # Make
    exif[0x0110] = "Model-SERIAL-12345"  # Model
    exif[0x0131] = "EditorApp " + GPS_MARKER  # Software
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 2.52)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 39.9)
    out = io.BytesIO()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>{GPS_MARKER}</rdf:Description></x:xmpmeta>'
    image.save(out, format="JPEG", exif=exif, comment=GPS_MARKER.encode(), xmp=xmp.encode())
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL import Image, PngImagePlugin

    image = Image.new("RGBA", (40, 30), (10, 120, 10, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Whistle " + GPS_MARKER)
    info.add_itxt("Description", "taken at the loading dock " + GPS_MARKER)
    info.add_text("XML:com.adobe.xmp", f"<x:xmpmeta>{GPS_MARKER}</x:xmpmeta>")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def assert_no_metadata(data: bytes) -> Any:
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    assert not image.getexif(), dict(image.getexif())
    assert "exif" not in image.info
    assert "xmp" not in image.info
    assert "XML:com.adobe.xmp" not in image.info
    assert "icc_profile" not in image.info
    assert "comment" not in image.info
    text = getattr(image, "text", {})
    assert not text, text
    assert GPS_MARKER.encode() not in data
    assert b"SecretCam" not in data
    assert b"SERIAL" not in data
    return image


def report_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "mode": "anonymous",
        "desks": [platform_desk()],
        "title": "Unpaid overtime at the depot",
        "place_kind": PlaceKind.WORKPLACE,
        "what_happened": "Managers kept us an hour after every shift.",
        "sector": "H",
        "region": "Leeds",
    }
    values.update(overrides)
    return values


def submit(actor: Any = None, **overrides: Any) -> services.Submitted:
    return services.submit_report(actor, **report_values(**overrides))


@pytest.fixture(autouse=True)
def cheap_argon2_and_fresh_cache(settings: Any) -> Any:
    """Argon2 at its cheapest (the parameters are in the hash: nothing else changes), and no throttle counts left over
    from another test."""
    from django.core.cache import cache

    settings.REPORTS_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    cache.clear()
    yield
    cache.clear()
