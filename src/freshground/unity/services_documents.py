"""Every change to points-of-unity documents: drafting one from a conversation's statements, revising it (a new
version each time, with each statement's support frozen from the current analysis), endorsing a version in a circle's
or center's name, and withdrawing an endorsement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.validation import checked_text
from freshground.network.models import Center, Circle
from freshground.people.models import Person
from freshground.unity import permissions_documents as perms
from freshground.unity.analysis_runs import latest_summary
from freshground.unity.models import AnalysisSnapshot, Conversation, Statement, StatementStatus
from freshground.unity.models_documents import (
    DOCUMENT_TITLE_MAX_LENGTH,
    MAX_DOCUMENT_ITEMS,
    PREAMBLE_MAX_LENGTH,
    DocumentItem,
    DocumentVersion,
    Endorsement,
    UnityDocument,
)


def _tally(value: Any) -> list[int]:
    if isinstance(value, list | tuple) and len(value) == 3:
        return [int(v) for v in value]
    return [0, 0, 0]


def support_of(statement_id: int, summary: Mapping[str, Any], circle_names: Mapping[int, str]) -> dict[str, Any]:
    """A statement's measured support in an analysis summary: overall, per group (numbered as the pages number
    them) and per declared circle."""
    key = str(statement_id)
    groups = []
    group_votes = summary.get("group_votes") or {}
    for number, group in enumerate(summary.get("groups") or [], start=1):
        groups.append([number, _tally((group_votes.get(str(group.get("label"))) or {}).get(key))])
    circles = []
    for circle_id, votes in sorted((summary.get("circle_votes") or {}).items(), key=lambda item: str(item[0])):
        if key in (votes or {}) and str(circle_id).isdigit():
            circles.append([int(circle_id), circle_names.get(int(circle_id), ""), _tally(votes[key])])
    consensus = {str(item.get("statement")): item.get("score") for item in summary.get("consensus") or []}
    return {
        "overall": _tally((summary.get("overall") or {}).get(key)),
        "groups": groups,
        "circles": circles,
        "consensus": consensus.get(key),
    }


def _statements(conversation: Conversation, statement_ids: Sequence[int]) -> list[Statement]:
    ids = list(dict.fromkeys(int(pk) for pk in statement_ids))
    if not ids:
        raise DomainError(_("Choose at least one statement."), field="statements")
    if len(ids) > MAX_DOCUMENT_ITEMS:
        raise DomainError(_("At most %(n)d statements.") % {"n": MAX_DOCUMENT_ITEMS}, field="statements")
    found = {s.pk: s for s in Statement.objects.filter(conversation=conversation, pk__in=ids)}
    for pk in ids:
        statement = found.get(pk)
        if statement is None:
            raise NotFound(_("A chosen statement is not in this conversation."), field="statements")
        if statement.status != StatementStatus.APPROVED:
            raise DomainError(
                _("Only approved statements can go into the document: “%(text)s” is not.") % {"text": statement.text},
                field="statements",
            )
    return [found[pk] for pk in ids]


def _new_version(
    *, person: Person, document: UnityDocument, title: str, preamble: str, statements: Sequence[Statement]
) -> DocumentVersion:
    snapshot: AnalysisSnapshot | None = latest_summary(document.conversation_id)
    summary: Mapping[str, Any] = snapshot.summary if snapshot is not None else {}
    circle_ids = [int(c) for c in (summary.get("circle_votes") or {}) if str(c).isdigit()]
    names = dict(Circle.objects.filter(pk__in=circle_ids).values_list("pk", "name"))
    number = document.latest_version + 1
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        title=title,
        preamble=preamble,
        created_by=person,
        snapshot=snapshot,
        measured_at=snapshot.computed_at if snapshot is not None else None,
        participants=int(summary.get("participants", 0) or 0),
    )
    DocumentItem.objects.bulk_create(
        [
            DocumentItem(
                version=version,
                statement=statement,
                position=position,
                text=statement.text,
                support=support_of(statement.pk, summary, names),
            )
            for position, statement in enumerate(statements, start=1)
        ]
    )
    document.latest_version = number
    document.title = title
    document.save(update_fields=["latest_version", "title"])
    return version


def _checked(title: str, preamble: str) -> tuple[str, str]:
    title = checked_text(title, field="title", limit=DOCUMENT_TITLE_MAX_LENGTH, message=_("Give the document a title."))
    preamble = checked_text(preamble, field="preamble", limit=PREAMBLE_MAX_LENGTH, required=False)
    return title, preamble


@transaction.atomic
def draft_document(
    *, person: Person, conversation: Conversation, title: str, statement_ids: Sequence[int], preamble: str = ""
) -> UnityDocument:
    """Draft a points-of-unity document (its version 1) from the conversation's statements."""
    if not perms.can_draft(person, conversation):
        raise PermissionDenied(_("Only the conversation's moderators can draft a points-of-unity document."))
    title, preamble = _checked(title, preamble)
    statements = _statements(conversation, statement_ids)
    document = UnityDocument.objects.create(conversation=conversation, title=title, created_by=person)
    _new_version(person=person, document=document, title=title, preamble=preamble, statements=statements)
    return document


@transaction.atomic
def revise_document(
    *, person: Person, document: UnityDocument, title: str, statement_ids: Sequence[int], preamble: str = ""
) -> DocumentVersion:
    """A new version with this list of statements; support is measured afresh. Endorsements stay with the version
    they were given to."""
    locked = UnityDocument.objects.select_for_update().select_related("conversation").get(pk=document.pk)
    if not perms.can_revise(person, locked):
        raise PermissionDenied(_("Only the conversation's moderators can revise this document."))
    title, preamble = _checked(title, preamble)
    statements = _statements(locked.conversation, statement_ids)
    version = _new_version(person=person, document=locked, title=title, preamble=preamble, statements=statements)
    document.latest_version, document.title = locked.latest_version, locked.title
    return version


@transaction.atomic
def endorse(
    *, person: Person, version: DocumentVersion, circle: Circle | None = None, center: Center | None = None
) -> Endorsement:
    """Endorse a version in a circle's name (its organisers) or a center's (its editors). A standing endorsement of
    an earlier version by the same circle or center is replaced."""
    if (circle is None) == (center is None):
        raise DomainError(_("Endorse in the name of one circle or one center."), field="group")
    if not is_person(person):
        raise PermissionDenied(_("Sign in to endorse."))
    if circle is not None and not perms.can_endorse_for_circle(person, circle):
        raise PermissionDenied(_("Only the organisers of %(name)s can endorse in its name.") % {"name": circle.name})
    if center is not None and not perms.can_endorse_for_center(person, center):
        raise PermissionDenied(_("Only the editors of %(name)s can endorse in its name.") % {"name": center.name})
    document = UnityDocument.objects.select_for_update().get(pk=version.document_id)
    standing = Endorsement.objects.filter(document=document, withdrawn_at__isnull=True)
    standing = standing.filter(circle=circle) if circle is not None else standing.filter(center=center)
    current = standing.first()
    if current is not None:
        if current.version_id == version.pk:
            raise Conflict(_("This version is already endorsed in that name."), field="group")
        current.withdrawn_at = timezone.now()
        current.withdrawn_by = person
        current.save(update_fields=["withdrawn_at", "withdrawn_by"])
    try:
        with transaction.atomic():
            return Endorsement.objects.create(
                document=document, version=version, circle=circle, center=center, endorsed_by=person
            )
    except IntegrityError as error:  # endorsed at the same moment in another request
        raise Conflict(_("This document is already endorsed in that name."), field="group") from error


@transaction.atomic
def withdraw(*, person: Person, endorsement: Endorsement) -> Endorsement:
    if endorsement.withdrawn_at is not None:
        raise Conflict(_("This endorsement was already withdrawn."))
    if not perms.can_withdraw(person, endorsement):
        raise PermissionDenied(_("Only the organisers or editors who speak for the endorser can withdraw it."))
    endorsement.withdrawn_at = timezone.now()
    endorsement.withdrawn_by = person
    endorsement.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return endorsement
