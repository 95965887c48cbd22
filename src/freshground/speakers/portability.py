"""The speakers app's part of a person's data download and of account deletion."""

from __future__ import annotations

from typing import Any

from freshground.people.models import Person
from freshground.speakers.models import Speaker, SpeakingRequest


def export(person: Person) -> dict[str, Any]:
    """Their own roster entry with its talks, availability and the invitations it received; the speakers they entered;
    the invitations they sent for their circles."""
    own = Speaker.objects.filter(person=person).prefetch_related("topics", "talks", "availability", "requests").first()
    entry = None
    if own is not None:
        entry = {
            "name": own.name,
            "bio": own.bio,
            "topics": [tag.name for tag in own.topics.all()],
            "talks": [{"title": t.title, "abstract": t.abstract} for t in own.talks.all()],
            "languages": own.languages,
            "home": {"place": own.place_name, "latitude": own.latitude, "longitude": own.longitude},
            "regions": own.regions,
            "fees": own.fees,
            "accessibility_needs": own.accessibility_needs,
            "availability": [[str(w.starts_on), str(w.ends_on)] for w in own.availability.all()],
            "invitations_received": [_request(r) for r in own.requests.all()],
        }
    sent = SpeakingRequest.objects.filter(requested_by=person).select_related("speaker", "circle").order_by("id")
    return {
        "speaker": entry,
        "speakers_entered": list(
            Speaker.objects.filter(entered_by=person).order_by("id").values_list("name", flat=True)
        ),
        "invitations_sent": [{**_request(r), "speaker": r.speaker.name} for r in sent],
    }


def _request(request: SpeakingRequest) -> dict[str, Any]:
    return {
        "circle": request.circle_id,
        "earliest": str(request.earliest),
        "latest": str(request.latest),
        "place": request.place_name,
        "status": request.status,
        "message": request.message,
        "scheduled_date": str(request.scheduled_date) if request.scheduled_date else None,
        "created_at": request.created_at.isoformat(),
    }
