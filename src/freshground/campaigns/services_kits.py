"""A campaign's kit (leaflets, posters, guides, files) and the circles' adapted copies, which credit the original."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.campaigns import permissions as perms
from freshground.campaigns.models import Campaign, KitItem, KitKind
from freshground.campaigns.services import check_choice, require
from freshground.core.exceptions import DomainError
from freshground.core.validation import checked_text
from freshground.network.models import Circle

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_EXTENSIONS = frozenset({"pdf", "png", "jpg", "jpeg", "odt", "docx", "txt", "svg", "zip"})


def _check_attachment(attachment: UploadedFile[Any] | None) -> None:
    if attachment is None:
        return
    if attachment.size is not None and attachment.size > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            _("The file is too large (at most %(n)d MB).") % {"n": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            field="attachment",
        )
    extension = (attachment.name or "").rsplit(".", 1)[-1].lower()
    if extension not in ATTACHMENT_EXTENSIONS:
        raise DomainError(
            _("Upload one of: %(types)s.") % {"types": ", ".join(sorted(ATTACHMENT_EXTENSIONS))}, field="attachment"
        )


@transaction.atomic
def add_kit_item(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    kind: str = KitKind.LEAFLET,
    body: str = "",
    attachment: UploadedFile[Any] | None = None,
) -> KitItem:
    require(perms.can_manage_kit(actor, campaign), _("Only the campaign's sponsors can add to its kit."))
    title = checked_text(title, field="title", limit=200, message=_("Give it a title."))
    body = checked_text(body, field="body", limit=50000, required=False)
    check_choice(kind, KitKind.values, "kind")
    _check_attachment(attachment)
    if not body and attachment is None:
        raise DomainError(_("Write the text or attach a file."), field="body")
    item = KitItem(campaign=campaign, kind=kind, title=title, body=body, created_by=actor)
    if attachment is not None:
        item.attachment.save(attachment.name or "file", attachment, save=False)
    item.save()
    return item


@transaction.atomic
def update_kit_item(*, actor: Any, item: KitItem, title: str | None = None, body: str | None = None) -> KitItem:
    require(perms.can_edit_kit_item(actor, item), _("Only its owners can change this material."))
    if title is not None:
        item.title = checked_text(title, field="title", limit=200, message=_("Give it a title."))
    if body is not None:
        item.body = checked_text(body, field="body", limit=50000, required=False)
    item.updated_at = timezone.now()
    item.save()
    return item


@transaction.atomic
def set_kit_attachment(*, actor: Any, item: KitItem, attachment: UploadedFile[Any] | None) -> KitItem:
    """Attach a file to a kit item (replacing its file), with the same size cap and file types as a new item. The
    old file stays in storage: a circle's copy may share it."""
    require(perms.can_edit_kit_item(actor, item), _("Only its owners can change this material."))
    if attachment is None:
        raise DomainError(_("Choose a file to upload."), field="attachment")
    _check_attachment(attachment)
    item.attachment.save(attachment.name or "file", attachment, save=False)
    item.updated_at = timezone.now()
    item.save(update_fields=["attachment", "updated_at"])
    return item


def credit_for(item: KitItem) -> str:
    owner = str(item.circle) if item.circle_id else item.campaign.title
    return _("Adapted from “%(title)s” by %(owner)s") % {"title": item.title, "owner": owner}


@transaction.atomic
def copy_kit_item(*, actor: Any, item: KitItem, circle: Circle) -> KitItem:
    """ "Copy into our circle": a circle-owned copy to adapt, crediting (and linking back to) the original."""
    require(
        perms.can_copy_kit_item(actor, item, circle),
        _("Only organisers of a circle that sponsors this campaign can copy its kit into the circle."),
    )
    return KitItem.objects.create(
        campaign=item.campaign,
        circle=circle,
        kind=item.kind,
        title=item.title,
        body=item.body,
        attachment=item.attachment.name if item.attachment else "",
        adapted_from=item,
        credit=credit_for(item),
        created_by=actor,
    )
