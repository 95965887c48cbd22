"""Who may do what with the journal's sources. Pure predicates: the only home of these rules.

- Anyone signed in may propose a source in their own name; in a circle's name its organisers, in a center's name its
  editors.
- Journal editors are site admins and the editors of any center. They approve, reject, pause and edit sources, see
  each source's fetching health, and import OPML.
- Trusted proposals are active at once: a journal editor's own, and a circle organiser's in the circle's name. Others
  wait for a journal editor.
- Marking a source as a center's publication is for that center's editors (and site admins).
- Active and paused sources are public; proposed and rejected ones are seen by journal editors and the proposer.
"""

from __future__ import annotations

from typing import Any

from freshground.core.permissions import is_person, is_site_admin
from freshground.journal.models import Source, SourceStatus
from freshground.network.models import Center, CenterEditor, Circle
from freshground.network.permissions import is_center_editor, is_organiser

_CACHE = "_fg_journal_editor"


def is_journal_editor(person: Any) -> bool:
    if not is_person(person):
        return False
    if is_site_admin(person):
        return True
    cached = vars(person).get(_CACHE)
    if cached is None:
        cached = CenterEditor.objects.filter(person=person).exists()
        vars(person)[_CACHE] = cached
    return bool(cached)


def can_propose_source(person: Any) -> bool:
    return is_person(person)


def can_propose_for_circle(person: Any, circle: Circle) -> bool:
    return is_person(person) and (is_site_admin(person) or is_organiser(person, circle))


def can_propose_for_center(person: Any, center: Center) -> bool:
    return is_person(person) and (is_site_admin(person) or is_center_editor(person, center))


def can_set_publisher(person: Any, center: Center) -> bool:
    """May mark a source as `center`'s own publication."""
    return can_propose_for_center(person, center)


def proposal_is_trusted(person: Any, *, circle: Circle | None = None) -> bool:
    """A proposal by this person (in this circle's name) is active at once."""
    if is_journal_editor(person):
        return True
    return circle is not None and is_person(person) and is_organiser(person, circle)


def can_review_sources(person: Any) -> bool:
    return is_journal_editor(person)


def can_see_health(person: Any) -> bool:
    return is_journal_editor(person)


def can_import_opml(person: Any) -> bool:
    return is_journal_editor(person)


def is_proposer(person: Any, source: Source) -> bool:
    return is_person(person) and source.proposed_by_id == person.pk


def can_view_source(person: Any, source: Source) -> bool:
    if source.status in (SourceStatus.ACTIVE, SourceStatus.PAUSED):
        return True
    return is_journal_editor(person) or is_proposer(person, source)


def can_edit_source(person: Any, source: Source) -> bool:
    if is_journal_editor(person):
        return True
    return source.status == SourceStatus.PROPOSED and is_proposer(person, source)


def can_follow_source(person: Any, source: Source) -> bool:
    return is_person(person) and source.status in (SourceStatus.ACTIVE, SourceStatus.PAUSED)


def can_filter_by_status(person: Any) -> bool:
    return is_journal_editor(person)
