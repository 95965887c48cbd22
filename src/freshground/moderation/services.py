"""Every moderation write: one transaction per use case, refusals as domain errors, each action logged and told.

The audit log (ModerationAction) is only ever appended to. The affected person gets a Kind.MODERATION notification
for every action on them or their content, saying what and why; they may appeal once per appealable action.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.content import ContentKind, ContentStatus, Space, content_type_of, resolve
from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.validation import checked_text
from freshground.moderation import gate
from freshground.moderation import permissions as perms
from freshground.moderation.models import (
    REASON_MAX,
    TEXT_MAX,
    ActionKind,
    Flag,
    FlagCategory,
    FlagResolution,
    ModerationAction,
    Restriction,
    RestrictionKind,
    ThreadSetting,
)
from freshground.moderation.spaces import space_fields, space_filter, space_of_row
from freshground.people.models import Person

MAX_SUSPENSION_DAYS = 365
MAX_SLOW_MODE_SECONDS = 24 * 3600


def flag_threshold() -> int:
    from django.conf import settings

    configured: Any = settings.FRESHGROUND.get("FLAG_THRESHOLD", 3)
    return max(1, int(configured))


def require_person(actor: Any) -> Person:
    if not is_person(actor):
        raise PermissionDenied(_("Sign in first."))
    return actor


def find_content(label: str, object_id: int) -> tuple[ContentKind, Model]:
    found = resolve(label, object_id)
    if found is None:
        raise NotFound(_("There is no such content."))
    return found


def my_record_url(action: ModerationAction) -> str:
    return f"{reverse('moderation:mine')}#action-{action.pk}"


def log_action(
    kind: ActionKind,
    *,
    moderator: Person | None,
    space: Space,
    obj: Model | None = None,
    title: str = "",
    target_person: Person | None = None,
    reason: str = "",
    until: Any = None,
    seconds: int | None = None,
    appeal_of: ModerationAction | None = None,
) -> ModerationAction:
    return ModerationAction.objects.create(
        kind=kind,
        moderator=moderator,
        **space_fields(space),
        content_type=content_type_of(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        target_title=title[:200],
        target_person=target_person,
        reason=reason,
        until=until,
        seconds=seconds,
        appeal_of=appeal_of,
    )


def tell_person(action: ModerationAction, summary: str) -> None:
    """Kind.MODERATION to the affected person, after the transaction commits."""
    person = action.target_person
    if person is None:
        return
    from freshground.notifications.send import Kind, notify

    space = space_of_row(action)
    reason = f" {_('Reason:')} {action.reason}" if action.reason else ""
    text = (summary + reason)[:500]
    url = my_record_url(action)

    def send() -> None:
        notify(
            kind=Kind.MODERATION,
            recipients=[person],
            actor=action.moderator,
            target=action,
            summary=text,
            url=url,
            space=space,
        )

    transaction.on_commit(send)


# Flags


def _open_flags(obj: Model) -> Any:
    return Flag.objects.filter(content_type=content_type_of(obj), object_id=obj.pk, resolution=FlagResolution.OPEN)


def _resolve_flags(obj: Model, resolution: FlagResolution) -> int:
    return int(_open_flags(obj).update(resolution=resolution, resolved_at=timezone.now()))


@transaction.atomic
def flag(*, actor: Any, label: str, object_id: int, category: str, text: str = "") -> Flag:
    """Flag content or a person. The FLAG_THRESHOLD-th distinct flagger hides a moderated item pending review."""
    person = require_person(actor)
    kind, obj = find_content(label, object_id)
    author = kind.author_of(obj)
    if not perms.can_flag(person, author=author, can_view=kind.can_view(person, obj)):
        if author is not None and author.pk == person.pk:
            raise PermissionDenied(_("You cannot flag your own content."))
        raise NotFound(_("There is no such content."))
    if category not in FlagCategory.values:
        raise DomainError(_("Choose a reason."), field="category")
    body = checked_text(text, limit=REASON_MAX, field="text", required=False)
    if category == FlagCategory.OTHER and not body:
        raise DomainError(_("Say what is wrong."), field="text")
    space = kind.space_of(obj)
    gate.check_may_post(person, action="flag", space=space)
    if _open_flags(obj).filter(flagger=person).exists():
        raise Conflict(_("You have already flagged this; moderators will look at it."))
    first = not _open_flags(obj).exists()
    try:
        with transaction.atomic():
            created = Flag.objects.create(
                content_type=content_type_of(obj),
                object_id=obj.pk,
                flagger=person,
                author=author,
                **space_fields(space),
                category=category,
                text=body,
            )
    except IntegrityError as error:
        raise Conflict(_("You have already flagged this; moderators will look at it.")) from error
    if first:
        _tell_moderators_of_flag(kind, obj, space, author)
    _apply_threshold(kind, obj, space, author)
    return created


def _tell_moderators_of_flag(kind: ContentKind, obj: Model, space: Space, author: Person | None) -> None:
    """The space's own moderators hear of a newly flagged item (site moderators look at their queue)."""
    from freshground.moderation.queries import local_moderator_ids
    from freshground.moderation.spaces import queue_url
    from freshground.notifications.send import Kind, notify

    recipients = [pk for pk in local_moderator_ids(space) if author is None or pk != author.pk]
    if not recipients:
        return
    summary = _("Something was flagged in %(space)s: %(noun)s") % {"space": space, "noun": kind.noun}
    url = queue_url(space)
    transaction.on_commit(
        lambda: notify(
            kind=Kind.MODERATION, recipients=recipients, actor=None, target=obj, summary=summary, url=url, space=space
        )
    )


def _apply_threshold(kind: ContentKind, obj: Model, space: Space, author: Person | None) -> None:
    if not kind.moderated or getattr(obj, "status", None) != ContentStatus.PUBLISHED:
        return
    flaggers = _open_flags(obj).values("flagger").distinct().count()
    threshold = flag_threshold()
    if flaggers < threshold:
        return
    reason = _("Hidden after %(n)d people flagged it; a moderator will review it.") % {"n": flaggers}
    type(obj)._default_manager.filter(pk=obj.pk).update(status=ContentStatus.HIDDEN, hidden_reason=reason)
    action = log_action(
        ActionKind.AUTO_HIDE, moderator=None, space=space, obj=obj, title=kind.title_of(obj), target_person=author
    )
    tell_person(
        action, _("Your %(noun)s was hidden after several people flagged it.") % {"noun": kind.noun} + " " + reason
    )


# Acting on content

CONTENT_ACTIONS = ("hide", "restore", "edit", "dismiss", "approve", "reject")


@transaction.atomic
def act_on_content(
    *, actor: Any, label: str, object_id: int, action: str, reason: str = "", text: str = ""
) -> ModerationAction:
    """hide, restore, edit (with `reason` as the note), dismiss flags, approve or reject a pending post."""
    moderator = require_person(actor)
    kind, obj = find_content(label, object_id)
    space = kind.space_of(obj)
    author = kind.author_of(obj)
    if not perms.can_act_on_content(moderator, space, author=author):
        if perms.is_space_moderator(moderator, space):
            raise PermissionDenied(_("Another moderator must act on your own content."))
        raise PermissionDenied(_("Only this space's moderators can do that."))
    if action not in CONTENT_ACTIONS:
        raise DomainError(_("Choose an action."), field="action")
    note = checked_text(reason, limit=REASON_MAX, field="reason", required=False)
    title = kind.title_of(obj)
    status = getattr(obj, "status", None)
    noun = kind.noun

    def needs_moderated() -> None:
        if not kind.moderated:
            raise DomainError(_("This kind of content cannot be hidden; act on its author instead."), field="action")

    def set_status(value: ContentStatus, hidden_reason: str) -> None:
        type(obj)._default_manager.filter(pk=obj.pk).update(status=value, hidden_reason=hidden_reason)

    if action == "hide":
        needs_moderated()
        if status == ContentStatus.DELETED:
            raise Conflict(_("Its author already deleted it."))
        if not note:
            raise DomainError(_("Say why it is hidden: the author is told."), field="reason")
        set_status(ContentStatus.HIDDEN, note)
        _resolve_flags(obj, FlagResolution.ACTIONED)
        logged = log_action(
            ActionKind.HIDE, moderator=moderator, space=space, obj=obj, title=title, target_person=author, reason=note
        )
        tell_person(logged, _("A moderator hid your %(noun)s.") % {"noun": noun})
    elif action == "restore":
        needs_moderated()
        if status not in (ContentStatus.HIDDEN, ContentStatus.PENDING):
            raise Conflict(_("It is not hidden."))
        set_status(ContentStatus.PUBLISHED, "")
        _resolve_flags(obj, FlagResolution.DISMISSED)
        logged = log_action(
            ActionKind.RESTORE,
            moderator=moderator,
            space=space,
            obj=obj,
            title=title,
            target_person=author,
            reason=note,
        )
        tell_person(logged, _("A moderator restored your %(noun)s.") % {"noun": noun})
    elif action == "edit":
        if kind.moderator_edit is None:
            raise DomainError(_("This kind of content cannot be edited by moderators."), field="action")
        if not note:
            raise DomainError(_("Say why you edit it: the note is shown in its history."), field="reason")
        new_text = checked_text(text, limit=TEXT_MAX, field="text", required=True, message=_("Write the new text."))
        kind.moderator_edit(moderator, obj, new_text, note)
        _resolve_flags(obj, FlagResolution.ACTIONED)
        logged = log_action(
            ActionKind.EDIT, moderator=moderator, space=space, obj=obj, title=title, target_person=author, reason=note
        )
        tell_person(logged, _("A moderator edited your %(noun)s.") % {"noun": noun})
    elif action == "dismiss":
        if not _resolve_flags(obj, FlagResolution.DISMISSED):
            raise Conflict(_("There are no open flags on it."))
        logged = log_action(ActionKind.DISMISS, moderator=moderator, space=space, obj=obj, title=title, reason=note)
    elif action == "approve":
        needs_moderated()
        if status != ContentStatus.PENDING:
            raise Conflict(_("It is not waiting for approval."))
        set_status(ContentStatus.PUBLISHED, "")
        logged = log_action(
            ActionKind.APPROVE,
            moderator=moderator,
            space=space,
            obj=obj,
            title=title,
            target_person=author,
            reason=note,
        )
        tell_person(logged, _("A moderator approved your %(noun)s: everyone can see it now.") % {"noun": noun})
    else:  # reject
        needs_moderated()
        if status != ContentStatus.PENDING:
            raise Conflict(_("It is not waiting for approval."))
        if not note:
            raise DomainError(_("Say why it is rejected: the author is told."), field="reason")
        set_status(ContentStatus.HIDDEN, note)
        logged = log_action(
            ActionKind.REJECT, moderator=moderator, space=space, obj=obj, title=title, target_person=author, reason=note
        )
        tell_person(logged, _("A moderator did not approve your %(noun)s.") % {"noun": noun})
    return logged


# Threads

THREAD_ACTIONS = ("lock", "unlock", "slow_mode")


@transaction.atomic
def act_on_thread(
    *, actor: Any, label: str, object_id: int, action: str, seconds: int = 0, reason: str = ""
) -> ModerationAction:
    """Lock or unlock a thread, or set its slow mode (0 seconds turns it off)."""
    moderator = require_person(actor)
    kind, obj = find_content(label, object_id)
    space = kind.space_of(obj)
    if not perms.can_moderate_thread(moderator, space):
        raise PermissionDenied(_("Only this space's moderators can do that."))
    if action not in THREAD_ACTIONS:
        raise DomainError(_("Choose an action."), field="action")
    if action == "slow_mode" and not 0 <= seconds <= MAX_SLOW_MODE_SECONDS:
        raise DomainError(_("Between 0 seconds (off) and one day."), field="seconds")
    note = checked_text(reason, limit=REASON_MAX, field="reason", required=False)
    setting, _created = ThreadSetting.objects.select_for_update().get_or_create(
        content_type=content_type_of(obj), object_id=obj.pk
    )
    if action == "lock":
        setting.locked, kind_logged = True, ActionKind.LOCK
    elif action == "unlock":
        setting.locked, kind_logged = False, ActionKind.UNLOCK
    else:
        setting.slow_mode_seconds, kind_logged = seconds, ActionKind.SLOW_MODE
    setting.updated_at = timezone.now()
    setting.save()
    return log_action(
        kind_logged,
        moderator=moderator,
        space=space,
        obj=obj,
        title=kind.title_of(obj),
        reason=note,
        seconds=seconds if action == "slow_mode" else None,
    )


# Acting on people

PERSON_ACTIONS = ("warn", "suspend", "ban", "site_suspend", "lift")


@transaction.atomic
def act_on_person(
    *, actor: Any, person: Person, space: Space, action: str, reason: str = "", days: int = 0
) -> ModerationAction:
    """warn, suspend for `days` (in a space), ban from a circle or center, suspend site-wide, lift restrictions."""
    moderator = require_person(actor)
    if action not in PERSON_ACTIONS:
        raise DomainError(_("Choose an action."), field="action")
    if action == "site_suspend":
        allowed = perms.can_suspend_site_wide(moderator, target=person)
    elif action == "ban":
        allowed = perms.can_ban(moderator, space, target=person)
    else:
        allowed = perms.can_act_on_person(moderator, space, target=person)
    if not allowed:
        if action == "site_suspend":
            raise PermissionDenied(_("Only site moderators suspend someone from the whole site."))
        if getattr(person, "pk", None) == moderator.pk and perms.is_space_moderator(moderator, space):
            raise PermissionDenied(_("You cannot moderate yourself."))
        if action == "ban" and space is None and perms.is_site_moderator(moderator):
            raise DomainError(_("A ban is from a circle or a center; use a site suspension."), field="action")
        raise PermissionDenied(_("Only this space's moderators can do that."))
    note = checked_text(reason, limit=REASON_MAX, field="reason", required=False)
    if action != "lift" and not note:
        raise DomainError(_("Say why: the person is told."), field="reason")
    where = space if action != "site_suspend" else None
    name = str(where) if where is not None else _("the whole site")
    if action == "warn":
        logged = log_action(
            ActionKind.WARN,
            moderator=moderator,
            space=space,
            target_person=person,
            reason=note,
            title=person.display_name,
        )
        tell_person(logged, _("A moderator warned you in %(space)s.") % {"space": name})
        return logged
    if action == "lift":
        lifted = Restriction.objects.filter(**space_filter(space), person=person, lifted_at__isnull=True).update(
            lifted_at=timezone.now()
        )
        if not lifted:
            raise Conflict(_("There is nothing to lift."))
        logged = log_action(
            ActionKind.LIFT,
            moderator=moderator,
            space=space,
            target_person=person,
            reason=note,
            title=person.display_name,
        )
        tell_person(logged, _("A moderator lifted your suspension or ban in %(space)s.") % {"space": name})
        return logged
    until = None
    if action in ("suspend", "site_suspend"):
        if action == "suspend" and space is None:
            raise DomainError(_("Choose a circle or center, or suspend site-wide."), field="action")
        if not 1 <= days <= MAX_SUSPENSION_DAYS:
            raise DomainError(_("Between 1 and %(n)d days.") % {"n": MAX_SUSPENSION_DAYS}, field="days")
        until = timezone.now() + timedelta(days=days)
    kind_logged = {"suspend": ActionKind.SUSPEND, "ban": ActionKind.BAN, "site_suspend": ActionKind.SITE_SUSPEND}[
        action
    ]
    logged = log_action(
        kind_logged,
        moderator=moderator,
        space=where,
        target_person=person,
        reason=note,
        until=until,
        title=person.display_name,
    )
    Restriction.objects.create(
        person=person,
        kind=RestrictionKind.BAN if action == "ban" else RestrictionKind.SUSPENSION,
        **space_fields(where),
        until=until,
        action=logged,
    )
    if action == "ban":
        tell_person(logged, _("A moderator banned you from %(space)s.") % {"space": name})
    else:
        tell_person(
            logged, _("A moderator suspended you from %(space)s for %(days)d days.") % {"space": name, "days": days}
        )
    return logged
