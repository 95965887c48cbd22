"""Appeals: the affected person may appeal an action once; another moderator of the space decides, and overturning
undoes what can be undone."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.content import ContentStatus
from freshground.core.exceptions import Conflict, NotFound, PermissionDenied
from freshground.core.validation import checked_text
from freshground.moderation import permissions as perms
from freshground.moderation.models import (
    REASON_MAX,
    ActionKind,
    Appeal,
    AppealStatus,
    ModerationAction,
    Restriction,
)
from freshground.moderation.services import log_action, require_person, tell_person
from freshground.moderation.spaces import space_of_row

# Appeals


@transaction.atomic
def appeal(*, actor: Any, action: ModerationAction, text: str) -> Appeal:
    person = require_person(actor)
    already = Appeal.objects.filter(action=action).exists()
    if not perms.can_appeal(person, action, already_appealed=already):
        if already and action.target_person_id == person.pk:
            raise Conflict(_("You have already appealed this decision."))
        if action.target_person_id == person.pk:
            raise PermissionDenied(_("This decision cannot be appealed."))
        raise NotFound(_("There is no such decision about you."))
    body = checked_text(text, limit=REASON_MAX, field="text", required=True, message=_("Say why it should change."))
    try:
        with transaction.atomic():
            return Appeal.objects.create(action=action, person=person, text=body)
    except IntegrityError as error:
        raise Conflict(_("You have already appealed this decision.")) from error


@transaction.atomic
def decide_appeal(*, actor: Any, appeal: Appeal, overturn: bool, note: str = "") -> ModerationAction:
    moderator = require_person(actor)
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("action", "person").get(pk=appeal.pk)
    action = appeal.action
    space = space_of_row(action)
    if not perms.can_decide_appeal(moderator, appeal, space):
        if perms.is_space_moderator(moderator, space):
            raise PermissionDenied(_("Another moderator must decide this appeal."))
        raise PermissionDenied(_("Only this space's moderators can do that."))
    if appeal.status != AppealStatus.PENDING:
        raise Conflict(_("This appeal is already decided."))
    text = checked_text(note, limit=REASON_MAX, field="note", required=True, message=_("Explain the decision."))
    if overturn:
        _undo(action)
    appeal.status = AppealStatus.OVERTURNED if overturn else AppealStatus.UPHELD
    appeal.decided_by = moderator
    appeal.decision_note = text
    appeal.decided_at = timezone.now()
    appeal.save()
    logged = log_action(
        ActionKind.APPEAL_OVERTURNED if overturn else ActionKind.APPEAL_UPHELD,
        moderator=moderator,
        space=space,
        target_person=appeal.person,
        reason=text,
        appeal_of=action,
        title=action.target_title,
    )
    if overturn:
        tell_person(logged, _("Your appeal was accepted: the decision is undone."))
    else:
        tell_person(logged, _("Your appeal was turned down: the decision stands."))
    return logged


def _undo(action: ModerationAction) -> None:
    if action.kind in (ActionKind.HIDE, ActionKind.AUTO_HIDE, ActionKind.REJECT) and action.content_type is not None:
        model = action.content_type.model_class()
        if model is not None:
            model._default_manager.filter(pk=action.object_id, status=ContentStatus.HIDDEN).update(
                status=ContentStatus.PUBLISHED, hidden_reason=""
            )
    elif action.kind in (ActionKind.SUSPEND, ActionKind.BAN, ActionKind.SITE_SUSPEND):
        Restriction.objects.filter(action=action, lifted_at__isnull=True).update(lifted_at=timezone.now())
