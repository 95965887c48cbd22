"""Serving a report's attachment, for views that have already checked who may see it."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from freshground.reports.models import Attachment, AttachmentKind


def attachment_response(
    attachment: Attachment, *, inline: bool = False, cache: str = "private, no-store"
) -> HttpResponse:
    """The stored bytes (at most a few megabytes: uploads are capped): never sniffed, sandboxed if a browser renders
    them; images inline when asked (reviewers, published reports), everything else as a download."""
    try:
        with attachment.file.open("rb") as stored:
            content = stored.read()
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("This file is missing.")) from error
    show_inline = inline and attachment.kind == AttachmentKind.IMAGE
    disposition = "inline" if show_inline else "attachment"
    response = HttpResponse(content, content_type=attachment.content_type)
    response["Content-Disposition"] = f'{disposition}; filename="attachment-{attachment.pk}{attachment.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = cache
    return response
