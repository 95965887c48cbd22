"""Registrations' part of a person's data download and of account deletion."""

from __future__ import annotations

from typing import Any

from freshground.events import services_registrations as services
from freshground.events.models import Registration
from freshground.people.models import Person


def export(person: Person) -> dict[str, Any]:
    registrations = (
        Registration.objects.filter(person=person).select_related("event", "timeslot", "feedback").order_by("id")
    )
    rows = []
    for registration in registrations:
        feedback = getattr(registration, "feedback", None)
        rows.append(
            {
                "event": registration.event.title,
                "event_slug": registration.event.slug,
                "timeslot": str(registration.timeslot) if registration.timeslot else None,
                "status": registration.status,
                "code": registration.code,
                "answers": registration.answers,
                "attended": registration.attended,
                "created_at": registration.created_at.isoformat(),
                "cancelled_at": registration.cancelled_at.isoformat() if registration.cancelled_at else None,
                "feedback": (
                    {
                        "rating": feedback.rating,
                        "comment": feedback.comment,
                        "created_at": feedback.created_at.isoformat(),
                    }
                    if feedback is not None
                    else None
                ),
            }
        )
    return {"registrations": rows}


def erase(person: Person) -> None:
    """The rows go with the person (cascade); first free their places so the waiting lists move up."""
    services.erase_person(person)
