"""Attachments as the server keeps them: images re-encoded from their pixels alone, documents only after a warning.

An image is decoded, turned upright by its EXIF orientation, copied pixel by pixel into a new image that has no
metadata at all (no EXIF with its GPS position and camera serial number, no XMP, no IPTC, no ICC profile, no PNG text
chunks, no comments), and encoded again: JPEG stays JPEG, PNG stays PNG, WebP stays WebP, a GIF becomes a PNG of its
first frame. Nothing of the original file is kept, not even its name.

PDFs and office documents carry metadata this server cannot remove reliably (authors, software, edit history, hidden
text), so they are refused unless the reporter confirms a warning; then they are kept exactly as sent.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.reports.models import AttachmentKind

if TYPE_CHECKING:
    from PIL import Image

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000  # about 8,700 × 5,800: any phone photo, no decompression bombs
MAX_SIDE = 6000  # larger images are scaled down to this longest side
MAX_ATTACHMENTS = 5
JPEG_QUALITY = 88
WEBP_QUALITY = 85

# Format Pillow reports → (extension, content type) of the clean copy. "MPO" is the multi-picture JPEG of some phones.
IMAGE_OUTPUT = {
    "JPEG": (".jpg", "image/jpeg"),
    "MPO": (".jpg", "image/jpeg"),
    "PNG": (".png", "image/png"),
    "WEBP": (".webp", "image/webp"),
    "GIF": (".png", "image/png"),
}

# Documents: the extension must agree with the file's first bytes.
_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENT_TYPES: dict[str, tuple[bytes, str]] = {
    ".pdf": (_PDF, "application/pdf"),
    ".docx": (_ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": (_ZIP, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".odt": (_ZIP, "application/vnd.oasis.opendocument.text"),
    ".ods": (_ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": (_ZIP, "application/vnd.oasis.opendocument.presentation"),
    ".doc": (_OLE, "application/msword"),
    ".xls": (_OLE, "application/vnd.ms-excel"),
    ".ppt": (_OLE, "application/vnd.ms-powerpoint"),
}


@dataclass(frozen=True)
class CleanFile:
    """What will be stored: the bytes, and what the server says about them (never the original name)."""

    kind: AttachmentKind
    content: bytes
    extension: str
    content_type: str
    width: int | None = None
    height: int | None = None


class DocumentNeedsConfirmation(DomainError):
    """A PDF or office document was sent without ticking the metadata warning."""


def _read(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("Each file may be at most %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}, field="attachments"
        )
    if not data:
        raise DomainError(_("One of the files is empty."), field="attachments")
    return data


def _pixels_only(image: Image.Image) -> Image.Image:
    from PIL import Image

    """A new image holding the pixels and nothing else: no info dict, no EXIF, no ICC profile, no text chunks."""
    if image.mode in ("P", "PA"):
        image = image.convert("RGBA")
    elif image.mode in ("CMYK", "YCbCr", "LAB", "HSV"):
        image = image.convert("RGB")
    elif image.mode in ("I;16", "I;16B", "I;16L", "I", "F", "1"):
        image = image.convert("L")
    return Image.frombytes(image.mode, image.size, image.tobytes())


def clean_image(data: bytes) -> CleanFile:
    """Re-encode an image from its pixels. Raises DomainError for anything that is not a supported, sane image."""
    try:  # Pillow is imported here so that the app still loads (and refuses images) where it is missing
        from PIL import Image, ImageOps, UnidentifiedImageError
    except ImportError as missing:
        raise DomainError(_("This server cannot accept images at the moment."), field="attachments") from missing
    refusal = DomainError(_("This file is not an image we can accept (JPEG, PNG, WebP or GIF)."), field="attachments")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format not in IMAGE_OUTPUT:
                    raise refusal
                fmt = opened.format
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise DomainError(
                        _("This image is too large (at most %(mp)d megapixels).") % {"mp": MAX_PIXELS // 1_000_000},
                        field="attachments",
                    )
                opened.seek(0)  # GIF, MPO: the first frame only
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                clean = _pixels_only(upright)
    except DomainError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise refusal from error
    if max(clean.size) > MAX_SIDE:
        clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    extension, content_type = IMAGE_OUTPUT[fmt]
    out = io.BytesIO()
    if extension == ".jpg":
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    elif extension == ".webp":
        clean.save(out, format="WEBP", quality=WEBP_QUALITY)
    else:
        clean.save(out, format="PNG", optimize=False)
    return CleanFile(
        kind=AttachmentKind.IMAGE,
        content=out.getvalue(),
        extension=extension,
        content_type=content_type,
        width=clean.width,
        height=clean.height,
    )


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def clean_upload(upload: IO[bytes], *, name: str, documents_confirmed: bool) -> CleanFile:
    """The file as the server will keep it, or a DomainError saying why not.

    `name` is used only to tell a document's type; it is never stored.
    """
    data = _read(upload)
    extension = _extension(name)
    if extension in DOCUMENT_TYPES:
        magic, content_type = DOCUMENT_TYPES[extension]
        if not data.startswith(magic):
            raise DomainError(
                _("This file does not look like the kind of document its name says it is."), field="attachments"
            )
        if not documents_confirmed:
            raise DocumentNeedsConfirmation(
                _(
                    "PDFs and office documents keep hidden details we cannot remove (who wrote them, on which "
                    "computer, earlier versions). Tick the box to confirm you want to send them as they are, or "
                    "remove them."
                ),
                field="confirm_documents",
            )
        return CleanFile(kind=AttachmentKind.DOCUMENT, content=data, extension=extension, content_type=content_type)
    if data.startswith((_PDF, _ZIP, _OLE)):
        raise DomainError(
            _("Documents are accepted only as .pdf, .docx, .xlsx, .pptx, .odt, .ods, .odp, .doc, .xls or .ppt."),
            field="attachments",
        )
    return clean_image(data)
