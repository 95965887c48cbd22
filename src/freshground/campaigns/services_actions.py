"""Planning a campaign: its actions (dated, with an owner and perhaps a calendar event) and the tasks handed out to
its participants."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.campaigns import permissions as perms
from freshground.campaigns.models import Action, ActionStatus, Campaign, Task
from freshground.campaigns.services import check_choice, check_editable, check_place, require, whole_number
from freshground.core.exceptions import DomainError
from freshground.core.validation import checked_text
from freshground.events.models import Event
from freshground.people.models import Person


def _participant_ok(campaign: Campaign, person: Person | None, field: str) -> None:
    if person is not None and not perms.is_participant(person, campaign):
        raise DomainError(
            _("%(name)s is neither a supporter nor in a sponsoring group.") % {"name": person}, field=field
        )


@transaction.atomic
def add_action(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    starts_at: datetime,
    description: str = "",
    place_name: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    owner: Person | None = None,
    people_needed: Any = 0,
    status: str = ActionStatus.PLANNED,
    event: Event | None = None,
) -> Action:
    require(perms.can_plan(actor, campaign), _("Only the campaign's sponsors can plan its actions."))
    title = checked_text(title, field="title", limit=160, message=_("Give the action a title."))
    description = checked_text(description, field="description", limit=5000, required=False)
    place_name = checked_text(place_name, field="place_name", limit=160, required=False)
    if not isinstance(starts_at, datetime):
        raise DomainError(_("Give a date and time."), field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    check_place(latitude, longitude)
    check_choice(status, ActionStatus.values, "status")
    _participant_ok(campaign, owner, "owner")
    return Action.objects.create(
        campaign=campaign,
        title=title,
        description=description,
        starts_at=starts_at,
        place_name=place_name,
        latitude=latitude,
        longitude=longitude,
        owner=owner or actor,
        people_needed=whole_number(people_needed, field="people_needed", minimum=0),
        status=status,
        event=event,
        created_by=actor,
    )


ACTION_EDITABLE = frozenset(
    {"title", "description", "place_name", "status", "people_needed", "starts_at", "owner", "event"}
)


@transaction.atomic
def update_action(*, actor: Any, action: Action, **values: Any) -> Action:
    """Change an action's title, date, place, owner, needed people, status or linked calendar event."""
    require(perms.can_plan(actor, action.campaign), _("Only the campaign's sponsors can change its actions."))
    check_editable(values, ACTION_EDITABLE)
    if "title" in values:
        action.title = checked_text(values["title"], field="title", limit=160, message=_("Give the action a title."))
    if "description" in values:
        action.description = checked_text(values["description"], field="description", limit=5000, required=False)
    if "place_name" in values:
        action.place_name = checked_text(values["place_name"], field="place_name", limit=160, required=False)
    if "status" in values:
        action.status = check_choice(values["status"], ActionStatus.values, "status")
    if "people_needed" in values:
        action.people_needed = whole_number(values["people_needed"], field="people_needed", minimum=0)
    if "starts_at" in values:
        starts_at = values["starts_at"]
        if not isinstance(starts_at, datetime):
            raise DomainError(_("Give a date and time."), field="starts_at")
        action.starts_at = timezone.make_aware(starts_at) if timezone.is_naive(starts_at) else starts_at
    if "owner" in values:
        owner = values["owner"]
        if owner is not None and owner.pk != action.owner_id:  # keeping an owner who has since left is fine
            _participant_ok(action.campaign, owner, "owner")
        action.owner = owner
    if "event" in values:
        if values["event"] is not None and not isinstance(values["event"], Event):
            raise DomainError(_("No event has that short name."), field="event")
        action.event = values["event"]
    action.save()
    return action


@transaction.atomic
def add_task(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    notes: str = "",
    due_on: date | None = None,
    assignees: Iterable[Person] = (),
    action: Action | None = None,
) -> Task:
    require(perms.can_plan(actor, campaign), _("Only the campaign's sponsors can hand out tasks."))
    title = checked_text(title, field="title", limit=200, message=_("Say what needs doing."))
    notes = checked_text(notes, field="notes", limit=3000, required=False)
    people = list(assignees)
    for person in people:
        _participant_ok(campaign, person, "assignees")
    if action is not None and action.campaign_id != campaign.pk:
        raise DomainError(_("That action belongs to another campaign."), field="action")
    task = Task.objects.create(
        campaign=campaign, title=title, notes=notes, due_on=due_on, action=action, created_by=actor
    )
    task.assignees.set(people)
    return task


@transaction.atomic
def set_task_done(*, actor: Any, task: Task, done: bool) -> Task:
    require(perms.can_complete_task(actor, task), _("Only its assignees and the sponsors can tick a task off."))
    task.done = done
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done", "done_at"])
    return task
