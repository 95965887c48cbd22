"""Co-hosting (by invitation and consent) and promotion (by anyone, without the host's permission) of events."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.events import permissions as perms
from freshground.events.models import (
    Event,
    EventHost,
    EventStatus,
    HostRole,
    HostStatus,
    Promotion,
)
from freshground.events.services import require_manager
from freshground.network.models import Center, Circle
from freshground.people.models import Person

# Co-hosts


def _group(circle: Circle | None, center: Center | None) -> None:
    if (circle is None) == (center is None):
        raise DomainError(_("Choose one circle or one center."), field="circle")


@transaction.atomic
def invite_cohost(
    *, person: Person, event: Event, circle: Circle | None = None, center: Center | None = None
) -> EventHost:
    """Invite a circle or center to co-host (the event's managers). It hosts once its organisers/editors accept."""
    _group(circle, center)
    require_manager(person, event, _("Only the event's hosts can invite co-hosts."))
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_("This event is cancelled."))
    existing = EventHost.objects.filter(event=event, circle=circle, center=center).first()
    if existing is not None:
        if existing.is_pending:
            raise Conflict(_("They are invited already and have not answered yet."))
        raise Conflict(_("They host this event already."))
    host = EventHost(
        event=event, circle=circle, center=center, role=HostRole.COHOST, status=HostStatus.PENDING, invited_by=person
    )
    # The invited group's own organisers/editors may invite it and accept straight away: no one to ask.
    if (circle is not None and perms.can_host_for_circle(person, circle)) or (
        center is not None and perms.can_host_for_center(person, center)
    ):
        host.status = HostStatus.ACCEPTED
    try:
        with transaction.atomic():
            host.save()
    except IntegrityError as error:
        raise Conflict(_("They are invited already.")) from error
    return host


@transaction.atomic
def answer_cohost_invite(*, person: Person, host: EventHost, accept: bool) -> EventHost | None:
    """The invited circle's organisers or center's editors accept (they co-host) or decline (the invite goes)."""
    if not perms.can_answer_cohost_invite(person, host):
        raise PermissionDenied(_("Only the invited circle's organisers or center's editors can answer."))
    host = EventHost.objects.select_for_update().select_related("event").get(pk=host.pk)
    if not host.is_pending:
        raise Conflict(_("This invitation has been answered already."))
    if not accept:
        host.delete()
        return None
    host.status = HostStatus.ACCEPTED
    host.added_at = timezone.now()
    host.save(update_fields=["status", "added_at"])
    Promotion.objects.filter(event=host.event, circle=host.circle, center=host.center).delete()
    perms.forget_managed_events(person)
    return host


@transaction.atomic
def remove_cohost(*, person: Person, host: EventHost) -> None:
    """Withdraw an invitation or drop a co-host: the event's managers, or the co-host's own organisers/editors.
    The original host stays."""
    if host.role == HostRole.HOST:
        raise DomainError(_("The event's first host cannot be removed."))
    if not (perms.can_manage_event(person, host.event) or perms.can_answer_cohost_invite(person, host)):
        raise PermissionDenied(_("Only the event's hosts can remove a co-host."))
    host.delete()
    perms.forget_managed_events(person)


# Promotions


@transaction.atomic
def promote(*, person: Person, event: Event, circle: Circle | None = None, center: Center | None = None) -> Promotion:
    """Show the event to a circle's or center's followers (its organisers/editors). The host is never asked."""
    _group(circle, center)
    if not perms.can_promote(person, circle=circle, center=center):
        if circle is not None:
            raise PermissionDenied(_("Only the circle's organisers can promote events in its name."))
        raise PermissionDenied(_("Only the center's editors can promote events in its name."))
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_("This event is cancelled: there is nothing to promote."))
    if EventHost.objects.filter(event=event, circle=circle, center=center, status=HostStatus.ACCEPTED).exists():
        raise Conflict(_("They host this event already."))
    try:
        with transaction.atomic():
            return Promotion.objects.create(event=event, circle=circle, center=center, promoted_by=person)
    except IntegrityError as error:
        raise Conflict(_("They promote this event already.")) from error


@transaction.atomic
def unpromote(*, person: Person, event: Event, circle: Circle | None = None, center: Center | None = None) -> None:
    _group(circle, center)
    if not perms.can_promote(person, circle=circle, center=center):
        raise PermissionDenied(_("Only its organisers or editors can stop promoting in its name."))
    deleted, _rows = Promotion.objects.filter(event=event, circle=circle, center=center).delete()
    if not deleted:
        raise NotFound(_("They do not promote this event."))
