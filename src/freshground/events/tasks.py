"""Background work for events: registration mails, and the reminder job the worker's scheduler runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.tasks import task

from freshground.core.scheduler import periodic


@task
def send_registration_mail(kind: str, registration_id: int, extra: dict[str, Any] | None = None) -> bool:
    """Render and send one registration mail (events.mail_registrations)."""
    from freshground.events import mail_registrations

    return mail_registrations.send(kind, registration_id, extra)


@periodic(every=timedelta(minutes=15), name="events.send_reminders")
@task
def send_reminders() -> int:
    """Reminders for occurrences starting within each event's reminder hours (default 24 and 1), once each."""
    from freshground.events import services_reminders

    return services_reminders.send_due_reminders()


# events-core: the daily job that extends recurring events (registered on import).
from freshground.events import tasks_occurrences  # noqa: E402, F401
