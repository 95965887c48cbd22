"""Reads for points-of-unity documents: a conversation's documents, one document's version with its items and
frozen support, and who endorsed it (fixed query counts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from freshground.events.queries import groups_person_acts_for
from freshground.network.models import Center, Circle
from freshground.unity import permissions_documents as perms
from freshground.unity.models import Conversation
from freshground.unity.models_documents import DocumentItem, DocumentVersion, Endorsement, UnityDocument
from freshground.unity.queries_pages import Tally


def documents_of(conversation: Conversation) -> list[UnityDocument]:
    return list(
        UnityDocument.objects.filter(conversation=conversation)
        .annotate(endorsement_count=Count("endorsements", filter=Q(endorsements__withdrawn_at__isnull=True)))
        .order_by("-created_at", "-id")
    )


def document_by_pk(pk: int) -> UnityDocument | None:
    return UnityDocument.objects.select_related("conversation", "created_by").filter(pk=pk).first()


@dataclass(frozen=True)
class ItemView:
    item: DocumentItem
    overall: Tally
    groups: tuple[tuple[int, Tally], ...]
    circles: tuple[tuple[int, str, Tally], ...]


def _tally(value: Any) -> Tally:
    if isinstance(value, list | tuple) and len(value) == 3:
        return Tally(int(value[0]), int(value[1]), int(value[2]))
    return Tally()


def item_view(item: DocumentItem) -> ItemView:
    support = item.support or {}
    return ItemView(
        item=item,
        overall=_tally(support.get("overall")),
        groups=tuple((int(g[0]), _tally(g[1])) for g in support.get("groups") or [] if len(g) == 2),
        circles=tuple((int(c[0]), str(c[1]), _tally(c[2])) for c in support.get("circles") or [] if len(c) == 3),
    )


@dataclass
class DocumentPage:
    document: UnityDocument
    version: DocumentVersion
    versions: list[DocumentVersion]
    items: list[ItemView]
    endorsements: list[Endorsement]  # standing ones, any version
    withdrawn: list[Endorsement]
    can_revise: bool
    endorse_as: list[tuple[str, str]]  # (value "circle:slug" / "center:slug", name) the viewer may still endorse as
    withdrawable: set[int]


def document_page(viewer: Any, document: UnityDocument, number: int | None = None) -> DocumentPage | None:
    versions = list(DocumentVersion.objects.filter(document=document).select_related("created_by").order_by("-number"))
    version = next((v for v in versions if v.number == number), None) if number else (versions[0] if versions else None)
    if version is None:
        return None
    items = [item_view(i) for i in DocumentItem.objects.filter(version=version).order_by("position")]
    all_endorsements = list(
        Endorsement.objects.filter(document=document)
        .select_related("circle", "center", "version", "endorsed_by")
        .order_by("endorsed_at", "id")
    )
    standing = [e for e in all_endorsements if e.withdrawn_at is None]
    withdrawn = [e for e in all_endorsements if e.withdrawn_at is not None]
    circles, centers = groups_person_acts_for(viewer)
    endorsed_here = {(e.circle_id, e.center_id) for e in standing if e.version_id == version.pk}
    endorse_as = [
        (f"circle:{c.slug}", c.name)
        for c in circles
        if perms.can_endorse_for_circle(viewer, c) and (c.pk, None) not in endorsed_here
    ]
    endorse_as += [
        (f"center:{c.slug}", c.name)
        for c in centers
        if perms.can_endorse_for_center(viewer, c) and (None, c.pk) not in endorsed_here
    ]
    withdrawable = {e.pk for e in standing if perms.can_withdraw(viewer, e)}
    return DocumentPage(
        document=document,
        version=version,
        versions=versions,
        items=items,
        endorsements=standing,
        withdrawn=withdrawn,
        can_revise=perms.can_revise(viewer, document),
        endorse_as=endorse_as,
        withdrawable=withdrawable,
    )


def endorser_by_value(value: str) -> tuple[Circle | None, Center | None]:
    kind, _sep, slug = (value or "").partition(":")
    if kind == "circle":
        return Circle.objects.filter(slug=slug).first(), None
    if kind == "center":
        return None, Center.objects.filter(slug=slug).first()
    return None, None
