"""Journal items in the content registry (core.content): commentable, moderated, with their space and author."""

from __future__ import annotations


def register() -> None:
    """Called from JournalConfig.ready()."""
