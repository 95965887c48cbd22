"""Small helpers shared by the notifications tests."""

from __future__ import annotations

from typing import Any

from freshground.notifications.send import Kind, notify
from freshground.testing import factories


def person(**fields: Any) -> Any:
    return factories.PersonFactory(**fields)


def circle(**fields: Any) -> Any:
    return factories.CircleFactory(**fields)


def tell(recipient: Any, *, actor: Any = None, kind: Kind = Kind.REPLY, target: Any = None, **extra: Any) -> None:
    target = target if target is not None else recipient
    notify(
        kind=kind,
        recipients=[recipient],
        actor=actor,
        target=target,
        summary=extra.pop("summary", "Someone replied to you"),
        url=extra.pop("url", "/circles/"),
        **extra,
    )
