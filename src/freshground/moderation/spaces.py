"""Naming spaces: a circle, a center or the site, as model fields, as URL parts and as "circle:<slug>" keys."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from freshground.core.content import Space, kind_for
from freshground.network.models import Center, Circle

SPACE_KINDS = ("circle", "center")


def space_fields(space: Space) -> dict[str, Any]:
    """The circle/center foreign key values for a row in `space`."""
    return {
        "circle": space if isinstance(space, Circle) else None,
        "center": space if isinstance(space, Center) else None,
    }


def space_filter(space: Space) -> dict[str, Any]:
    if isinstance(space, Circle):
        return {"circle": space}
    if isinstance(space, Center):
        return {"center": space}
    return {"circle__isnull": True, "center__isnull": True}


def space_of_row(row: Any) -> Space:
    circle: Circle | None = row.circle
    center: Center | None = row.center
    return circle or center


def space_key(space: Space) -> str:
    if isinstance(space, Circle):
        return f"circle:{space.slug}"
    if isinstance(space, Center):
        return f"center:{space.slug}"
    return "site"


def space_url_args(space: Space) -> list[str]:
    if isinstance(space, Circle):
        return ["circle", space.slug]
    if isinstance(space, Center):
        return ["center", space.slug]
    return []


def find_space(kind: str, slug: str) -> Circle | Center | None:
    if kind == "circle":
        return Circle.objects.filter(slug=slug).first()
    if kind == "center":
        return Center.objects.filter(slug=slug).first()
    return None


def parse_space_key(key: str) -> tuple[bool, Space]:
    """(found, space) for "site", "circle:<slug>" or "center:<slug>"; found is False for an unknown space."""
    if key in ("", "site"):
        return True, None
    kind, _sep, slug = key.partition(":")
    space = find_space(kind, slug)
    return space is not None, space


def space_name(space: Space) -> str:
    return str(space) if space is not None else ""


def queue_url(space: Space) -> str:
    if space is None:
        return reverse("moderation:site_queue")
    return reverse("moderation:queue", args=space_url_args(space))


def content_space(obj: models.Model) -> Space:
    """The space a registered object lives in (None when it is not registered or lives on the site)."""
    kind = kind_for(obj)
    return kind.space_of(obj) if kind is not None else None


def label_of_type(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"
