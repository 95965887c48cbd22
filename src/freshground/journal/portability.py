"""The journal's part of a person's data download and account deletion (people.portability)."""

from __future__ import annotations


def register() -> None:
    """Called from JournalConfig.ready()."""
