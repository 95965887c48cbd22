"""{% load notifications %}{% follow_state obj as state %}: what the follow button needs for any registered content."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from freshground.core.content import label_of
from freshground.core.permissions import is_person
from freshground.notifications import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context: template.Context, obj: Any) -> dict[str, Any] | None:
    if obj is None or getattr(obj, "pk", None) is None:
        return None
    request = context.get("request")
    person = getattr(request, "user", None)
    label = label_of(obj)
    return {
        "label": label,
        "object_id": obj.pk,
        "action": reverse("notifications:follow", args=[label, obj.pk]),
        "signed_in": is_person(person),
        "following": queries.is_following_thread(person, obj),
    }
