"""The registry of content kinds: one place where every app says what its content is, whose it is and where it lives.

Comments (debate), flags and moderator actions (moderation), notifications and, later, search and the journal work
on *any* content through this registry instead of importing every app. An app registers its models in its
``AppConfig.ready()``::

    register_content(ContentKind(
        model=Event, label="events.event", noun=_("event"),
        space_of=event_space, author_of=lambda e: e.created_by, can_view=can_view_event,
        url_of=lambda e: e.get_absolute_url(), title_of=lambda e: e.title,
        commentable=True, moderated=False,
    ))

A *space* is where content lives for moderation: a circle, a center, or ``None`` for the site as a whole. The
moderators of a space are its circle organisers or center editors (see moderation.permissions); site moderators act
everywhere.

A *moderated* model has a ``status`` field with ``ContentStatus`` values and a ``hidden_reason`` text field, so the
moderation app can hide and restore it without knowing the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from freshground.network.models import Center, Circle
    from freshground.people.models import Person

type Space = Circle | Center | None


class ContentStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    PENDING = "pending", _("awaiting approval")  # first posts, spam heuristic, or N flags: not shown to others
    HIDDEN = "hidden", _("hidden by moderators")
    DELETED = "deleted", _("deleted by its author")


@dataclass(frozen=True)
class ContentKind:
    model: type[models.Model]
    label: str  # "app_label.model_name", the same as ContentType's natural key joined by a dot
    noun: str | Promise
    space_of: Callable[[Any], Space]
    author_of: Callable[[Any], Person | None]
    can_view: Callable[[Any, Any], bool]  # (viewer, obj): may viewer see obj at all?
    url_of: Callable[[Any], str]
    title_of: Callable[[Any], str]
    commentable: bool = False  # may people comment on it (debate.Comment threads)?
    moderated: bool = False  # has status/hidden_reason fields that moderation may change
    # Moderators' "edit with a note": (moderator, obj, new_text, note), keeping the old text in the edit history.
    moderator_edit: Callable[[Any, Any, str, str], None] | None = None
    # The text a moderator edits (pre-filled in the form), when moderator_edit is set.
    text_of: Callable[[Any], str] | None = None


_REGISTRY: dict[str, ContentKind] = {}


def register_content(kind: ContentKind) -> None:
    expected = f"{kind.model._meta.app_label}.{kind.model._meta.model_name}"
    if kind.label != expected:
        raise ValueError(f"content label {kind.label!r} must be {expected!r}")
    if kind.moderated:
        names = {field.name for field in kind.model._meta.get_fields()}
        missing = {"status", "hidden_reason"} - names
        if missing:
            raise ValueError(f"moderated content {kind.label} lacks fields {sorted(missing)}")
    _REGISTRY[kind.label] = kind


def content_kinds() -> list[ContentKind]:
    return list(_REGISTRY.values())


def kind_for_label(label: str) -> ContentKind | None:
    return _REGISTRY.get(label)


def kind_for(obj_or_model: models.Model | type[models.Model]) -> ContentKind | None:
    meta = obj_or_model._meta
    return _REGISTRY.get(f"{meta.app_label}.{meta.model_name}")


def label_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def resolve(label: str, object_id: int | str) -> tuple[ContentKind, models.Model] | None:
    """The registered kind and the object for a (label, id) pair, or None when either does not exist."""
    kind = _REGISTRY.get(label)
    if kind is None:
        return None
    try:
        obj = kind.model._default_manager.get(pk=object_id)
    except (ObjectDoesNotExist, ValueError, TypeError):
        return None
    return kind, obj


def content_type_of(obj_or_model: models.Model | type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(obj_or_model)
