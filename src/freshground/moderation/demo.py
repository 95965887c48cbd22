"""Moderation for `freshground demo`: the code of conduct, house rules for a circle, and a queue with one pending flag
(on a demo comment when comments exist, otherwise on a person). Idempotent: a second run creates nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from freshground.core.content import kind_for
from freshground.moderation import services, services_rules
from freshground.moderation.models import CodeOfConduct, Flag, FlagResolution, HouseRules
from freshground.network.models import Circle, Membership, Role
from freshground.people.models import Person

CODE_OF_CONDUCT = """\
## Argue with ideas, not with people

Fresh Ground exists so that people from different circles, centers and traditions can work and think together.
Disagreement is welcome; contempt is not.

- **Be generous.** Read the strongest version of what someone said before you answer it.
- **No sectarian point-scoring.** Nobody has to sign up to a line to take part.
- **No harassment**, threats, slurs or attacks on someone's identity.
- **Protect each other.** Never post someone's private details, workplace or address without their consent.
- **No spam** or advertising.

Moderators of each circle and center apply this code and their own house rules. Every moderation action is logged,
the person affected is told why, and they can appeal once to another moderator.
"""

HOUSE_RULES = """\
- Stay on the subject of the thread; start a new one for something else.
- Name the hospital, not the colleague: no complaints about named co-workers.
- Meeting notes stay in the circle until the meeting agrees to share them.
"""


def _admin(people: dict[str, Person]) -> Person | None:
    return next((person for person in people.values() if person.is_staff), None)


def _moderated_circle(circles: dict[str, Circle]) -> tuple[Circle, Person] | None:
    for circle in circles.values():
        membership = Membership.objects.filter(circle=circle, role=Role.ORGANISER).select_related("person").first()
        if membership is not None:
            return circle, membership.person
    return None


def _demo_comment(people: dict[str, Person]) -> Any:
    from freshground.debate.models import Comment

    ids = [person.pk for person in people.values()]
    comment = Comment.objects.filter(author_id__in=ids).order_by("id").first()
    return comment if comment is not None and kind_for(comment) is not None else None


def load_demo_moderation(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Any]) -> int:
    created = 0
    admin = _admin(people)
    if admin is not None and not CodeOfConduct.objects.exists():
        services_rules.edit_code_of_conduct(actor=admin, body=CODE_OF_CONDUCT, note="First version")
        created += 1
    found = _moderated_circle(circles)
    if found is not None:
        circle, organiser = found
        if not HouseRules.objects.filter(circle=circle).exists():
            services_rules.edit_house_rules(actor=organiser, space=circle, body=HOUSE_RULES)
            created += 1
    if Flag.objects.filter(resolution=FlagResolution.OPEN).exists():
        return created
    comment = _demo_comment(people)
    if comment is not None:
        label, object_id, author = "debate.comment", comment.pk, comment.author
    else:
        target = next((p for p in people.values() if not p.is_staff), None)
        if target is None:
            return created
        label, object_id, author = "people.person", target.pk, target
    flagger = next(
        (
            person
            for person in people.values()
            if person.pk != getattr(author, "pk", None) and person.is_active and not person.is_staff
        ),
        None,
    )
    if flagger is None or Flag.objects.filter(Q(flagger=flagger) & Q(object_id=object_id)).exists():
        return created
    services.flag(
        actor=flagger,
        label=label,
        object_id=object_id,
        category="abuse",
        text="This reads as a personal attack on another member rather than an argument.",
    )
    return created + 1
