"""What the home page shows: what is happening across the network right now."""

from __future__ import annotations

from typing import Any

from freshground.core.permissions import is_person
from freshground.network.models import Center, Circle, Follow, Membership, Tie
from freshground.people.models import Person


def home_page(viewer: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "stats": {
            "circles": Circle.objects.count(),
            "centers": Center.objects.count(),
            "people": Person.objects.filter(is_active=True).count(),
            "ties": Tie.objects.active().count(),
        },
        "new_circles": list(Circle.objects.order_by("-created_at")[:6]),
        "new_ties": list(Tie.objects.active().select_related("circle", "center").order_by("-created_at")[:8]),
        "centers": list(Center.objects.order_by("-tie_count", "name")[:6]),
    }
    if is_person(viewer):
        context["my_circles"] = list(Circle.objects.filter(memberships__person=viewer).order_by("name")[:12])
        context["my_follows"] = list(
            Follow.objects.filter(person=viewer).select_related("circle", "center").order_by("-created_at")[:12]
        )
        context["organising"] = Membership.objects.filter(person=viewer, role="organiser").count()
    return context
