"""Background work for notifications: big fan-outs, immediate mails, the outbox retry job and the digests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.tasks import task

from freshground.core.scheduler import periodic


@task
def store_notifications(draft: dict[str, Any], recipient_ids: list[int]) -> int:
    """Store one notification for many people (a large circle's followers)."""
    from freshground.notifications import services

    return services.store(services.Draft(**draft), recipient_ids)


@task
def send_delivery(delivery_id: int) -> bool:
    """Send one immediate notification mail (a failure leaves it to `retry_deliveries`)."""
    from freshground.notifications import mail

    return mail.deliver(delivery_id)


@periodic(every=timedelta(minutes=5), name="notifications.retry_deliveries")
@task
def retry_deliveries() -> int:
    """Send what waits in the outbox: failed mails after their back-off, and any whose task got lost."""
    from freshground.notifications import mail

    return mail.retry_due()


@periodic(every=timedelta(days=1), name="notifications.daily_digest")
@task
def daily_digest() -> dict[str, int]:
    """One digest mail per person with daily notifications waiting (100,000 people: bench/digests.py)."""
    from freshground.notifications import mail
    from freshground.notifications.models import Channel

    stats = mail.run_digest(Channel.DAILY)
    return {"people": stats.people, "notifications": stats.notifications, "sent": stats.sent, "failed": stats.failed}


@periodic(every=timedelta(days=7), name="notifications.weekly_digest")
@task
def weekly_digest() -> dict[str, int]:
    from freshground.notifications import mail
    from freshground.notifications.models import Channel

    stats = mail.run_digest(Channel.WEEKLY)
    return {"people": stats.people, "notifications": stats.notifications, "sent": stats.sent, "failed": stats.failed}
