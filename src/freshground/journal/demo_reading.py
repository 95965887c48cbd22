"""Demo recommendations and editorial picks, then a ranking run (runs after the sources and articles loaders).

Members of several different circles recommend the same few items, while each circle also pushes a couple of items
of its own: after the run, the items valued across circles lead the front page. Idempotent: a recommendation or a
pick that exists is left alone, and the ranking runs only when something was added (or never ran).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.journal import ranking_runs, services_reading
from freshground.journal.models import Item, RankingRun
from freshground.network import permissions as network_permissions
from freshground.network.models import Center, CenterEditor, Circle, Membership
from freshground.people.models import Person

SHARED_ITEMS = 4  # recommended across circles
OWN_ITEMS_PER_CIRCLE = 2  # recommended only inside one circle
POOL = 30
PICK_NOTES = (
    "A clear account that every circle can use.",
    "Worth discussing at the next meeting.",
)


def _fresh(person: Person) -> Person:
    network_permissions.forget_memberships(person)
    return person


def load_demo_reading(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo recommendations and picks that are missing; returns how many were created."""
    pool = list(Item.objects.visible().order_by("-published_at", "id")[:POOL])
    if not pool:
        return 0
    person_ids = {p.pk for p in people.values()}
    members: dict[int, list[Person]] = {}
    for membership in (
        Membership.objects.filter(circle__in=list(circles.values()), person_id__in=person_ids)
        .select_related("person")
        .order_by("circle_id", "person_id")
    ):
        members.setdefault(membership.circle_id, []).append(membership.person)
    groups = [group for _circle_id, group in sorted(members.items()) if group]
    shared = pool[:SHARED_ITEMS]
    rest = pool[SHARED_ITEMS:]
    created = 0

    def recommend(person: Person, item: Item) -> None:
        nonlocal created
        try:
            if services_reading.recommend(person=_fresh(person), item=item):
                created += 1
        except DomainError:
            pass  # one's own article or link

    for g, group in enumerate(groups):
        for n, item in enumerate(shared):
            for person in group[: 1 + (n + g) % 2]:
                recommend(person, item)
        own = rest[g * OWN_ITEMS_PER_CIRCLE : (g + 1) * OWN_ITEMS_PER_CIRCLE] if rest else []
        for item in own:
            for person in group:
                recommend(person, item)

    for n, center in enumerate(list(centers.values())[: len(PICK_NOTES)]):
        editor = CenterEditor.objects.filter(center=center).select_related("person").order_by("id").first()
        picked: Item | None = shared[n % len(shared)] if shared else None
        if editor is None or picked is None or picked.picks.filter(center=center).exists():
            continue
        try:
            services_reading.pick(person=_fresh(editor.person), center=center, item=picked, note=_(PICK_NOTES[n]))
            created += 1
        except DomainError:
            continue

    if created or not RankingRun.objects.exists():
        ranking_runs.run_ranking()
    return created
