"""Background jobs of the speakers app: mails about invitations and answers."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task


@task
def send_speaker_mail(subject: str, body: str, recipients: list[str]) -> int:
    """Send one already-rendered mail to each recipient separately (addresses never see each other)."""
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    for address in recipients:
        EmailMessage(subject=f"{prefix}{subject}", body=body, to=[address]).send()
    return len(recipients)
