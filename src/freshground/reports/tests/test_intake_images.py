from __future__ import annotations

import io

import pytest

pytest.importorskip("PIL", reason="Pillow is not installed")
from PIL import Image

from freshground.core.exceptions import DomainError
from freshground.reports import images
from freshground.reports.models import AttachmentKind
from freshground.reports.tests.intake_support import assert_no_metadata, jpeg_with_gps, png_with_text


def test_the_fixtures_really_carry_metadata():
    jpeg = Image.open(io.BytesIO(jpeg_with_gps()))
    assert jpeg.getexif().get_ifd(0x8825)  # GPS
    assert "xmp" in jpeg.info
    assert "comment" in jpeg.info
    png = Image.open(io.BytesIO(png_with_text()))
    png.load()
    assert png.text["Author"].startswith("Jane")


def test_a_jpeg_loses_exif_gps_xmp_and_comments():
    clean = images.clean_image(jpeg_with_gps())
    assert (clean.kind, clean.extension, clean.content_type) == (AttachmentKind.IMAGE, ".jpg", "image/jpeg")
    image = assert_no_metadata(clean.content)
    assert image.format == "JPEG"
    assert image.size == (64, 48)


def test_a_png_loses_its_text_chunks():
    clean = images.clean_image(png_with_text())
    assert clean.extension == ".png"
    image = assert_no_metadata(clean.content)
    assert image.mode == "RGBA"


def test_orientation_is_applied_before_the_exif_goes():
    clean = images.clean_image(jpeg_with_gps((64, 48), orientation=6))  # "rotate 90° clockwise to display"
    image = assert_no_metadata(clean.content)
    assert image.size == (48, 64)
    assert (clean.width, clean.height) == (48, 64)


def test_webp_stays_webp_and_gif_becomes_png_of_its_first_frame():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Inc"
    Image.new("RGB", (20, 10), "red").save(out, format="WEBP", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif()
    webp = images.clean_image(out.getvalue())
    assert webp.extension == ".webp"
    assert_no_metadata(webp.content)
    frames = [Image.new("P", (10, 10), colour) for colour in (1, 2)]
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:], comment=b"secret")
    clean = images.clean_image(gif.getvalue())
    assert clean.extension == ".png"
    assert_no_metadata(clean.content)


@pytest.mark.parametrize("data", [b"not an image", b"GIF89a broken", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20])
def test_garbage_is_refused(data):
    with pytest.raises(DomainError):
        images.clean_image(data)


def test_other_image_formats_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, format="BMP")
    with pytest.raises(DomainError):
        images.clean_image(out.getvalue())


def test_huge_images_are_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.raises(DomainError, match="too large"):
        images.clean_image(jpeg_with_gps((20, 20)))


def test_documents_need_the_confirmation_then_are_kept_as_sent():
    pdf = b"%PDF-1.7\n1 0 obj <</Author (Jane Whistle)>> endobj\n%%EOF"
    with pytest.raises(images.DocumentNeedsConfirmation):
        images.clean_upload(io.BytesIO(pdf), name="minutes.pdf", documents_confirmed=False)
    clean = images.clean_upload(io.BytesIO(pdf), name="minutes.PDF", documents_confirmed=True)
    assert (clean.kind, clean.extension, clean.content) == (AttachmentKind.DOCUMENT, ".pdf", pdf)


def test_a_document_must_be_what_its_name_says_and_unknown_types_are_refused():
    with pytest.raises(DomainError):
        images.clean_upload(io.BytesIO(b"MZ\x90\x00"), name="report.docx", documents_confirmed=True)
    with pytest.raises(DomainError):
        images.clean_upload(io.BytesIO(b"PK\x03\x04rest"), name="archive.zip", documents_confirmed=True)
    with pytest.raises(DomainError):
        images.clean_upload(io.BytesIO(b"#!/bin/sh\n"), name="run.sh", documents_confirmed=True)


def test_too_big_and_empty_files_are_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(DomainError, match="at most"):
        images.clean_upload(io.BytesIO(b"x" * 11), name="a.jpg", documents_confirmed=False)
    with pytest.raises(DomainError, match="empty"):
        images.clean_upload(io.BytesIO(b""), name="a.jpg", documents_confirmed=False)
