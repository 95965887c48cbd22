"""Comment threads for `freshground demo`: people from different circles talking under two events, with replies, a
quote and a mention. Idempotent: an event that already has comments is left as it is."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from freshground.debate import services_comments
from freshground.debate.models import Comment
from freshground.events.models import Event
from freshground.network import permissions as network_permissions
from freshground.network.models import Center, Circle
from freshground.people.models import Person

# (event slug, [(author key, body, index of the comment it replies to or None)])
THREADS: tuple[tuple[str, tuple[tuple[str, str, int | None], ...]], ...] = (
    (
        "infirmary-staffing-meeting",
        (
            (
                "member",
                "Agency staff on nights can't make 18:30. Could someone take notes and post them here afterwards?",
                None,
            ),
            ("organiser", "Yes — I'll post the minutes in this thread the same evening.", 0),
            (
                "ailsa",
                "We had the same problem at the Glasgow depot. What worked for us: a second, shorter meeting at 07:00 "
                "right after the night shift ends.",
                0,
            ),
            (
                "member",
                "> a second, shorter meeting at 07:00\n\nThat would work for most of us. @moth-okafor, can we try it?",
                2,
            ),
        ),
    ),
    (
        "capital-reading-group",
        (
            ("kit", "Is it fine to join halfway through? I missed the first two chapters.", None),
            (
                "priya",
                "Absolutely. We start each session with a ten-minute recap, and chapter 1 is the hardest anyway.",
                0,
            ),
        ),
    ),
)


def load_demo_comments(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo comment threads that are missing; returns how many comments were created."""
    created = 0
    event_type = ContentType.objects.get_for_model(Event)
    for slug, lines in THREADS:
        event = Event.objects.filter(slug=slug).first()
        if event is None or Comment.objects.filter(thread_type=event_type, thread_id=event.pk).exists():
            continue
        posted: list[Comment] = []
        for key, body, reply_to in lines:
            author = people.get(key)
            if author is None:
                continue
            network_permissions.forget_memberships(author)
            parent = posted[reply_to] if reply_to is not None and reply_to < len(posted) else None
            comment = services_comments.post_comment(author=author, target=event, body=body, parent=parent)
            posted.append(comment)
            created += 1
    return created
