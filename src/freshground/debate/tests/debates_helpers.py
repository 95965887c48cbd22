"""Helpers shared by the debates tests."""

from __future__ import annotations

from typing import Any

import pytest

from freshground.debate import services_debates as services
from freshground.debate.models import Argument, Debate, Position
from freshground.network.models import Role
from freshground.testing import factories


def person(**fields: Any) -> Any:
    return factories.PersonFactory(**fields)


def circle(**fields: Any) -> Any:
    return factories.CircleFactory(**fields)


def center(**fields: Any) -> Any:
    return factories.CenterFactory(**fields)


def people_in(group: Any, n: int, role: str = Role.MEMBER) -> list[Any]:
    result = []
    for _ in range(n):
        someone = person()
        factories.add_member(group, someone, role)
        result.append(someone)
    return result


def debate_of(cast: Any, **values: Any) -> Debate:
    """A debate opened by the cast's organiser in the name of the cast's circle, with two positions."""
    values.setdefault("question", "Should circles federate regionally?")
    values.setdefault("opening_statement", "First paragraph.\n\nSecond paragraph.")
    values.setdefault("positions", ["Yes, federate", "No, stay local"])
    return services.create_debate(person=cast.organiser, circle=cast.circle, **values)


def first_position(debate: Debate) -> Position:
    position = debate.positions.order_by("order").first()
    assert position is not None
    return position


def argue(author: Any, debate: Debate, body: str = "Because it works.", side: str = "for") -> Argument:
    return services.add_argument(person=author, position=first_position(debate), side=side, body=body)


@pytest.fixture
def no_rate_limits(settings: Any) -> None:
    """Moderation's per-person rate limits off: these tests post more than a person may in an hour."""
    settings.FRESHGROUND = {**getattr(settings, "FRESHGROUND", {}), "RATE_LIMITS": {}, "NEW_ACCOUNT_RATE_LIMITS": {}}


@pytest.fixture
def sent(monkeypatch: Any) -> list[tuple[str, dict[str, Any]]]:
    """Record what debates tell notifications.send (whose delivery the notifications part tests) instead of sending."""
    from freshground.notifications import send

    calls: list[tuple[str, dict[str, Any]]] = []

    def recorder(name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> None:
            calls.append((name, {"args": args, **kwargs}))

        return record

    for name in ("notify", "notify_thread_followers", "notify_new_content", "follow_thread"):
        monkeypatch.setattr(send, name, recorder(name))
    return calls
