"""Each app says what it holds about a person (for the data download) and what to do when they leave.

Apps register in their AppConfig.ready(); the people app calls every hook, so a new app's data is never forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from freshground.people.models import Person

Exporter = Callable[["Person"], dict[str, Any]]
Eraser = Callable[["Person"], None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register_exporter(section: str, exporter: Exporter) -> None:
    _exporters[section] = exporter


def register_eraser(section: str, eraser: Eraser) -> None:
    """An eraser runs inside the account-deletion transaction, before the person's row is deleted."""
    _erasers[section] = eraser


def exporters() -> dict[str, Exporter]:
    return dict(sorted(_exporters.items()))


def erasers() -> dict[str, Eraser]:
    return dict(sorted(_erasers.items()))
