"""Moderation reads with a fixed number of queries: the queue, the audit log, one's flags and one's record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, QuerySet

from freshground.core.content import ContentKind, ContentStatus, Space, content_kinds, kind_for_label
from freshground.moderation import permissions as perms
from freshground.moderation.models import (
    Appeal,
    AppealStatus,
    Block,
    CodeOfConduct,
    Flag,
    FlagResolution,
    HouseRules,
    ModerationAction,
    Mute,
    SiteModerator,
    SpaceSettings,
)
from freshground.moderation.spaces import label_of_type, space_filter
from freshground.network.models import CenterEditor, Circle, Membership, Role
from freshground.people.models import Person

QUEUE_LIMIT = 50
PENDING_SCAN_LIMIT = 200


def current_code_of_conduct() -> CodeOfConduct | None:
    return CodeOfConduct.objects.select_related("edited_by").order_by("-version").first()


def current_house_rules(space: Space) -> HouseRules | None:
    if space is None:
        return None
    return HouseRules.objects.filter(**space_filter(space)).order_by("-version").first()


def space_settings(space: Space) -> SpaceSettings | None:
    if space is None:
        return None
    return SpaceSettings.objects.filter(**space_filter(space)).first()


def local_moderator_ids(space: Space) -> list[int]:
    if isinstance(space, Circle):
        return list(
            Membership.objects.filter(circle=space, role=Role.ORGANISER, person__is_active=True).values_list(
                "person_id", flat=True
            )
        )
    if space is not None:
        return list(
            CenterEditor.objects.filter(center=space, person__is_active=True).values_list("person_id", flat=True)
        )
    return []


def site_moderators() -> QuerySet[SiteModerator]:
    return SiteModerator.objects.select_related("person").order_by("person__display_name")


@dataclass
class FlaggedItem:
    label: str
    object_id: int
    kind: ContentKind | None
    obj: Model | None
    flagger_count: int
    reasons: list[tuple[str, str, Person | None]] = field(default_factory=list)  # (category label, text, flagger)
    can_see_flaggers: bool = False
    can_act: bool = False

    @property
    def title(self) -> str:
        if self.kind is not None and self.obj is not None:
            return self.kind.title_of(self.obj)
        return ""

    @property
    def url(self) -> str:
        if self.kind is not None and self.obj is not None:
            return self.kind.url_of(self.obj)
        return ""

    @property
    def status(self) -> str:
        return str(getattr(self.obj, "status", ""))

    @property
    def noun(self) -> str:
        return str(self.kind.noun) if self.kind is not None else self.label

    @property
    def is_person(self) -> bool:
        return isinstance(self.obj, Person)


def _objects_by_type(keys: list[tuple[int, int]]) -> dict[tuple[int, int], Model]:
    """Load objects named by (content type id, object id), one query per content type."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for type_id, object_id in keys:
        wanted[type_id].add(object_id)
    found: dict[tuple[int, int], Model] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            found[(type_id, int(pk))] = obj
    return found


def flagged_items(viewer: Any, space: Space, *, everywhere: bool = False) -> list[FlaggedItem]:
    """Open flags grouped per item, most flagged first; `everywhere` (site moderators) covers every space."""
    flags = Flag.objects.filter(resolution=FlagResolution.OPEN)
    if not everywhere:
        flags = flags.filter(**space_filter(space))
    groups = list(
        flags.values("content_type", "object_id")
        .annotate(flaggers=Count("flagger", distinct=True))
        .order_by("-flaggers", "content_type", "object_id")[:QUEUE_LIMIT]
    )
    keys = [(g["content_type"], g["object_id"]) for g in groups]
    objects = _objects_by_type(keys)
    reasons: dict[tuple[int, int], list[Flag]] = defaultdict(list)
    if keys:
        type_ids = {k[0] for k in keys}
        object_ids = {k[1] for k in keys}
        for row in (
            Flag.objects.filter(resolution=FlagResolution.OPEN, content_type_id__in=type_ids, object_id__in=object_ids)
            .select_related("flagger", "circle", "center", "author")
            .order_by("created_at", "id")
        ):
            reasons[(row.content_type_id, row.object_id)].append(row)
    items = []
    for group, key in zip(groups, keys, strict=True):
        label = label_of_type(ContentType.objects.get_for_id(key[0]))
        kind = kind_for_label(label)
        rows = reasons.get(key, [])
        row_space: Space = (rows[0].circle or rows[0].center) if rows else space
        author = rows[0].author if rows else None
        see = perms.can_see_flaggers(viewer, row_space, author=author)
        items.append(
            FlaggedItem(
                label=label,
                object_id=key[1],
                kind=kind,
                obj=objects.get(key),
                flagger_count=group["flaggers"],
                reasons=[(row.get_category_display(), row.text, row.flagger if see else None) for row in rows],
                can_see_flaggers=see,
                can_act=perms.can_act_on_content(viewer, row_space, author=author),
            )
        )
    return items


@dataclass
class PendingItem:
    kind: ContentKind
    obj: Model
    space: Space
    can_act: bool

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def title(self) -> str:
        return self.kind.title_of(self.obj)

    @property
    def url(self) -> str:
        return self.kind.url_of(self.obj)


def pending_items(viewer: Any, space: Space, *, everywhere: bool = False) -> list[PendingItem]:
    """PENDING content of every moderated kind in `space` (space_of is asked per item: keep the scan bounded)."""
    items: list[PendingItem] = []
    for kind in content_kinds():
        if not kind.moderated:
            continue
        rows = kind.model._default_manager.filter(status=ContentStatus.PENDING).order_by("pk")[:PENDING_SCAN_LIMIT]
        for obj in rows:
            where = kind.space_of(obj)
            if not everywhere and where != space:
                continue
            if everywhere and not perms.is_space_moderator(viewer, where):
                continue
            author = kind.author_of(obj)
            items.append(PendingItem(kind, obj, where, perms.can_act_on_content(viewer, where, author=author)))
            if len(items) >= QUEUE_LIMIT:
                return items
    return items


def pending_appeals(viewer: Any, space: Space, *, everywhere: bool = False) -> list[Appeal]:
    appeals = Appeal.objects.filter(status=AppealStatus.PENDING).select_related(
        "person", "action", "action__moderator", "action__circle", "action__center"
    )
    if not everywhere:
        appeals = appeals.filter(**{f"action__{key}": value for key, value in space_filter(space).items()})
    return list(appeals.order_by("created_at", "id")[:QUEUE_LIMIT])


def audit_log(space: Space, *, everywhere: bool = False) -> QuerySet[ModerationAction]:
    actions = ModerationAction.objects.select_related(
        "moderator", "target_person", "circle", "center", "content_type"
    ).order_by("-created_at", "-id")
    if not everywhere:
        actions = actions.filter(**space_filter(space))
    return actions


def my_flags(person: Person) -> QuerySet[Flag]:
    return (
        Flag.objects.filter(flagger=person)
        .select_related("content_type", "circle", "center")
        .order_by("-created_at", "-id")
    )


def my_record(person: Person) -> list[ModerationAction]:
    """Actions about `person` (never showing who flagged), with their appeal if any."""
    return list(
        ModerationAction.objects.filter(target_person=person)
        .select_related("circle", "center", "appeal", "appeal__decided_by")
        .order_by("-created_at", "-id")[:200]
    )


def action_about(person: Person, pk: int) -> ModerationAction | None:
    return ModerationAction.objects.filter(pk=pk, target_person=person).select_related("circle", "center").first()


def appeal_by_pk(pk: int) -> Appeal | None:
    return (
        Appeal.objects.filter(pk=pk)
        .select_related("person", "action", "action__moderator", "action__circle", "action__center")
        .first()
    )


def mutes_of(person: Person) -> QuerySet[Mute]:
    return Mute.objects.filter(person=person).select_related("muted").order_by("muted__display_name")


def blocks_of(person: Person) -> QuerySet[Block]:
    return Block.objects.filter(person=person).select_related("blocked").order_by("blocked__display_name")
