"""Fixtures for the notifications tests: a clean cache (the bell's counts), a mail server that fails, a followable
content kind."""

from __future__ import annotations

from collections.abc import Iterator
from smtplib import SMTPServerDisconnected
from typing import Any

import pytest
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend

from freshground.core import content
from freshground.network.models import Circle


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    calls = 0

    def send_messages(self, email_messages: Any) -> int:
        FailingBackend.calls += 1
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mail_down(settings: Any) -> type[FailingBackend]:
    FailingBackend.calls = 0
    settings.MAILERS = {"default": {"BACKEND": "freshground.notifications.tests.conftest.FailingBackend"}}
    return FailingBackend


@pytest.fixture
def followable() -> Iterator[str]:
    """Circles registered as content (if nothing registered them), so threads can be followed in tests."""
    label = "network.circle"
    before = content.kind_for_label(label)
    if before is None:
        content.register_content(
            content.ContentKind(
                model=Circle,
                label=label,
                noun="circle",
                space_of=lambda c: c,
                author_of=lambda c: None,
                can_view=lambda viewer, c: True,
                url_of=lambda c: c.get_absolute_url(),
                title_of=lambda c: c.name,
            )
        )
    yield label
    if before is None:
        content._REGISTRY.pop(label, None)
