"""Template helpers for the speakers app: `{% load speakers %}`.

`{% event_speakers event %}` is the speakers app's panel on the events app's event page (events never imports
speakers): the roster speakers at the event, for its managers a link to choose them, for a listed speaker a way to
take themself off.
"""

from __future__ import annotations

from typing import Any

from django import template

from freshground.core.permissions import is_person
from freshground.events.models import Event
from freshground.speakers import permissions as perms
from freshground.speakers import queries

register = template.Library()


@register.inclusion_tag("speakers/event_speakers_panel.html", takes_context=True)
def event_speakers(context: template.Context, event: Event) -> dict[str, Any]:
    """Rendered inside the event page's facts list (<dl>). One query, two when the event has roster speakers; the
    manager check reuses what the event page already learnt about the viewer."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    appearances = queries.event_appearances(event)
    own = None
    if is_person(viewer):
        own = next((a for a in appearances if a.speaker.person_id == viewer.pk), None)
    return {
        "event": event,
        "appearances": appearances,
        "can_manage": perms.can_manage_event_speakers(viewer, event),
        "own_appearance": own,
    }
