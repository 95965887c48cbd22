"""The network's part of a person's data download and of account deletion."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from freshground.network.models import Center, Circle, Follow, JoinRequest, Membership, Role, Tie
from freshground.people.models import Person


def export(person: Person) -> dict[str, Any]:
    return {
        "memberships": [
            {"circle": m.circle.name, "slug": m.circle.slug, "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in Membership.objects.filter(person=person).select_related("circle")
        ],
        "join_requests": [
            {"circle": r.circle.slug, "status": r.status, "message": r.message, "created_at": r.created_at.isoformat()}
            for r in JoinRequest.objects.filter(person=person).select_related("circle")
        ],
        "ties_declared": [
            {"circle": t.circle.slug, "center": t.center.slug, "wants": t.wants, "created_at": t.created_at.isoformat()}
            for t in Tie.objects.filter(declared_by=person).select_related("circle", "center")
        ],
        "centers_edited": [e.center.slug for e in person.editorships.select_related("center")],
        "follows": [
            {"circle": f.circle.slug if f.circle else None, "center": f.center.slug if f.center else None}
            for f in Follow.objects.filter(person=person).select_related("circle", "center")
        ],
    }


def erase(person: Person) -> None:
    """Hand each circle the person organises alone to its longest-standing member, and fix the counters."""
    for membership in Membership.objects.filter(person=person).select_related("circle"):
        circle = membership.circle
        if membership.role == Role.ORGANISER:
            organisers = Membership.objects.filter(circle=circle, role=Role.ORGANISER).exclude(person=person)
            if not organisers.exists():
                others = Membership.objects.filter(circle=circle).exclude(person=person)
                successor = others.order_by("joined_at", "id").first()
                if successor is not None:
                    successor.role = Role.ORGANISER
                    successor.save(update_fields=["role"])
        Circle.objects.filter(pk=circle.pk).update(member_count=F("member_count") - 1)
    for follow in Follow.objects.filter(person=person):
        if follow.circle_id is not None:
            Circle.objects.filter(pk=follow.circle_id).update(follower_count=F("follower_count") - 1)
        elif follow.center_id is not None:
            Center.objects.filter(pk=follow.center_id).update(follower_count=F("follower_count") - 1)
