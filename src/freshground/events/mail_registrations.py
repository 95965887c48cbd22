"""The e-mails registrants get. Services queue them; a background task renders and sends them after the commit.

Each kind has three templates under events/email/: <kind>_subject.txt, <kind>.txt and <kind>.html. A task carries
only the kind, the registration's id and a little JSON-ready context, so a queue never holds an e-mail address; and
no log line ever names one.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from freshground.events.models import Event, EventStatus, Feedback, Registration, RegistrationStatus

logger = logging.getLogger(__name__)

KINDS = frozenset(
    {
        "guest_confirm",
        "confirmed",
        "waitlisted",
        "moved_up",
        "reminder",
        "event_changed",
        "event_cancelled",
        "feedback_invite",
    }
)


def queue_mail(kind: str, registration: Registration, **extra: Any) -> None:
    """Send this mail once the current transaction commits (at once outside a transaction), in the background."""
    if kind not in KINDS:
        raise ValueError(f"Unknown registration mail: {kind}")
    registration_id = registration.pk

    def enqueue() -> None:
        from freshground.events.tasks import send_registration_mail

        try:
            send_registration_mail.enqueue(kind, registration_id, extra)
        except Exception:
            logger.exception("Could not queue the %s mail for registration %s", kind, registration_id)

    transaction.on_commit(enqueue)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def event_page_url(event: Event) -> str:
    """The event's page (events-core's events:event), or its registration page if that page is not wired yet."""
    try:
        return event.get_absolute_url()
    except NoReverseMatch:
        return reverse("events:register", args=[event.slug])


def in_zone(moment: datetime, event: Event) -> datetime:
    try:
        zone = ZoneInfo(event.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return timezone.localtime(moment, zone)


def recipient(registration: Registration) -> tuple[str, str]:
    """The address and the name to greet."""
    if registration.person is not None:
        return registration.person.email, registration.person.display_name
    return registration.guest_email, registration.guest_name


def manage_url(registration: Registration) -> str:
    """Where the registrant sees their code and can cancel: their own page, or the guest's link."""
    if registration.person_id is not None:
        return site_url(reverse("events:registration", args=[registration.pk]))
    return site_url(reverse("events:guest_registration", args=[registration.confirmation_token]))


def feedback_url(registration: Registration) -> str:
    """Where the attendee leaves feedback: their own registration's form, or the one behind the guest's link."""
    if registration.person_id is not None:
        return site_url(reverse("events:registration_feedback", args=[registration.pk]))
    return site_url(reverse("events:guest_registration_feedback", args=[registration.confirmation_token]))


def mail_context(registration: Registration, extra: dict[str, Any]) -> dict[str, Any]:
    event = registration.event
    _address, name = recipient(registration)
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    starts_at = registration.timeslot.starts_at if registration.timeslot is not None else event.starts_at
    if extra.get("starts_at"):
        starts_at = datetime.fromisoformat(str(extra["starts_at"]))
    return {
        "registration": registration,
        "event": event,
        "name": name,
        "site_name": settings.FRESHGROUND["SITE_NAME"],
        "event_url": site_url(event_page_url(event)),
        "manage_url": manage_url(registration),
        "feedback_url": feedback_url(registration),
        "cancel_url": (
            site_url(reverse("events:registration_cancel", args=[registration.pk]))
            if registration.person_id is not None
            else site_url(reverse("events:guest_registration_cancel", args=[registration.confirmation_token]))
        ),
        "starts_at": in_zone(starts_at, event),
        "time_zone": event.time_zone,
        "timeslot": registration.timeslot,
        "code": registration.code if confirmed else "",
        "show_address": confirmed and bool(event.address),
        "show_online_url": confirmed and bool(event.online_url),
        "show_public_address": bool(event.address) and not event.address_for_registered_only,
        "changes": [str(change) for change in extra.get("changes", [])][:20],
        "reason": str(extra.get("reason", ""))[:2000],
        "hours_before": extra.get("hours_before"),
    }


def send(kind: str, registration_id: int, extra: dict[str, Any] | None = None) -> bool:
    """Render and send one mail. False (and nothing sent) if the registration is gone or no longer concerned."""
    if kind not in KINDS:
        raise ValueError(f"Unknown registration mail: {kind}")
    registration = Registration.objects.select_related("event", "person", "timeslot").filter(pk=registration_id).first()
    if registration is None:
        return False
    if registration.status == RegistrationStatus.CANCELLED:
        return False
    if kind == "guest_confirm" and registration.status != RegistrationStatus.UNCONFIRMED:
        return False
    if kind in {"reminder", "moved_up", "confirmed", "feedback_invite"} and (
        registration.status != RegistrationStatus.CONFIRMED
    ):
        return False
    if kind == "feedback_invite" and (
        registration.event.status != EventStatus.CLOSED or Feedback.objects.filter(registration=registration).exists()
    ):
        return False
    address, _name = recipient(registration)
    if not address:
        return False
    context = mail_context(registration, extra or {})
    subject = " ".join(render_to_string(f"events/email/{kind}_subject.txt", context).split())
    text = render_to_string(f"events/email/{kind}.txt", context)
    html = render_to_string(f"events/email/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body=text, to=[address]
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True
