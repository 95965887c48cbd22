"""Progress for long-running commands: a live bar on a terminal, a few plain lines in logs and pipes.

Use it around any loop whose length is known (seeding, imports, fetches):

    with progress(gettext("Creating people"), total=len(rows)) as step:
        for batch in batches:
            ...
            step.advance(len(batch))
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO, cast

from django.utils.translation import gettext as _


class Step(Protocol):
    """What the body of a `progress()` block gets: a way to say how far it has come."""

    def advance(self, amount: int = 1) -> None: ...


class _PlainStep:
    """Prints "label: done/total (pct%)" at most every tenth of the way and at the end, for logs and pipes."""

    def __init__(self, label: str, total: int | None, stream: TextIO, every_seconds: float) -> None:
        self.label = label
        self.total = total
        self.stream = stream
        self.every_seconds = every_seconds
        self.done = 0
        self.started = time.monotonic()
        self._last_print = self.started
        self._last_tenth = 0

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        now = time.monotonic()
        if self.total:
            tenth = min(10, self.done * 10 // self.total)
            if tenth > self._last_tenth and self.done < self.total:
                self._last_tenth = tenth
                self._print(now)
        elif now - self._last_print >= self.every_seconds:
            self._print(now)

    def _print(self, now: float) -> None:
        self._last_print = now
        if self.total:
            percent = self.done * 100 // self.total
            line = f"{self.label}: {self.done}/{self.total} ({percent}%)"
        else:
            line = f"{self.label}: {self.done}"
        self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        elapsed = time.monotonic() - self.started
        line = _("%(label)s: %(done)d done in %(seconds).1f s") % {
            "label": self.label,
            "done": self.done,
            "seconds": elapsed,
        }
        self.stream.write(line + "\n")
        self.stream.flush()


class _RichStep:
    def __init__(self, bar: object, task_id: object) -> None:
        self._bar = bar
        self._task_id = task_id

    def advance(self, amount: int = 1) -> None:
        self._bar.advance(self._task_id, amount)  # type: ignore[attr-defined]


def raw_stream(command: object) -> TextIO:
    """The file behind a management command's stdout (its wrapper adds newlines, which would break a live bar)."""
    wrapper = getattr(command, "stdout", None)
    return cast(TextIO, getattr(wrapper, "_out", None) or sys.stdout)


def is_interactive(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress(
    label: str,
    total: int | None = None,
    *,
    stream: TextIO | None = None,
    interactive: bool | None = None,
    every_seconds: float = 5.0,
) -> Iterator[Step]:
    """Report progress of one step. `interactive` defaults to whether `stream` (stdout) is a terminal."""
    out = stream if stream is not None else sys.stdout
    live = is_interactive(out) if interactive is None else interactive
    if live:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=Console(file=out)) as bar:
            task_id = bar.add_task(label, total=total)
            yield _RichStep(bar, task_id)
        return
    step = _PlainStep(label, total, out, every_seconds)
    yield step
    step.finish()
