"""What other parts of the events app want to hear about an event: a tiny registry, no signals.

The registrations part registers listeners (in its AppConfig.ready or at import of its services) to mail registrants
when an event changes, is cancelled or is closed. Listeners run inside the service's transaction, after the change is
saved: send mail with transaction.on_commit (or by enqueueing a task there), never directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from freshground.events.models import Event

ChangeListener = Callable[["Event", frozenset[str]], None]
CancelListener = Callable[["Event"], None]
CloseListener = Callable[["Event"], None]

_change_listeners: dict[str, ChangeListener] = {}
_cancel_listeners: dict[str, CancelListener] = {}
_close_listeners: dict[str, CloseListener] = {}

# Fields whose change registrants should hear about (times, place, link); the others change silently.
NOTEWORTHY_FIELDS = frozenset(
    {
        "starts_at",
        "ends_at",
        "time_zone",
        "all_day",
        "rrule",
        "exdates",
        "attendance_mode",
        "venue_name",
        "address",
        "online_url",
        "timeslots",
        "title",
    }
)


def register_change_listener(fn: ChangeListener, *, name: str | None = None) -> None:
    """fn(event, changed_fields) after update_event saved a change. Registering the same name again replaces it."""
    _change_listeners[name or f"{fn.__module__}.{fn.__qualname__}"] = fn


def register_cancel_listener(fn: CancelListener, *, name: str | None = None) -> None:
    """fn(event) after cancel_event."""
    _cancel_listeners[name or f"{fn.__module__}.{fn.__qualname__}"] = fn


def register_close_listener(fn: CloseListener, *, name: str | None = None) -> None:
    """fn(event) after close_event first closed the event (not when its hosts correct the report later)."""
    _close_listeners[name or f"{fn.__module__}.{fn.__qualname__}"] = fn


def unregister(name: str) -> None:
    _change_listeners.pop(name, None)
    _cancel_listeners.pop(name, None)
    _close_listeners.pop(name, None)


def on_event_changed(event: Event, changed: frozenset[str]) -> None:
    for listener in list(_change_listeners.values()):
        listener(event, changed)


def on_event_cancelled(event: Event) -> None:
    for listener in list(_cancel_listeners.values()):
        listener(event)


def on_event_closed(event: Event) -> None:
    for listener in list(_close_listeners.values()):
        listener(event)
