"""Differences between two revisions of an article, line by line (difflib), for an accessible table.

Each row says in words what happened to the line (kept, added, removed), so a screen reader does not rely on colour;
the template puts added lines in <ins> and removed ones in <del>. Long runs of unchanged lines are folded to a few
lines of context around each change.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from freshground.journal.models import ArticleRevision

CONTEXT = 3

RowKind = Literal["same", "added", "removed", "skip"]


@dataclass(frozen=True)
class DiffRow:
    kind: RowKind
    old_number: int | None
    new_number: int | None
    text: str


@dataclass(frozen=True)
class RevisionDiff:
    old: int
    new: int
    title_changed: tuple[str, str] | None
    standfirst_changed: tuple[str, str] | None
    rows: tuple[DiffRow, ...]
    added: int
    removed: int

    @property
    def unchanged(self) -> bool:
        return not self.added and not self.removed and not self.title_changed and not self.standfirst_changed


def diff_lines(old: str, new: str, *, context: int = CONTEXT) -> tuple[list[DiffRow], int, int]:
    a = old.splitlines()
    b = new.splitlines()
    rows: list[DiffRow] = []
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, a, b)  # autojunk: blank lines never anchor a match (fast)
    for group in matcher.get_grouped_opcodes(context):
        if rows or group[0][1] > 0:
            rows.append(DiffRow("skip", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(DiffRow("same", i1 + k + 1, j1 + k + 1, a[i1 + k]) for k in range(i2 - i1))
                continue
            if tag in ("replace", "delete"):
                rows.extend(DiffRow("removed", i + 1, None, a[i]) for i in range(i1, i2))
                removed += i2 - i1
            if tag in ("replace", "insert"):
                rows.extend(DiffRow("added", None, j + 1, b[j]) for j in range(j1, j2))
                added += j2 - j1
    return rows, added, removed


def diff_revisions(old: ArticleRevision, new: ArticleRevision) -> RevisionDiff:
    rows, added, removed = diff_lines(old.body, new.body)
    return RevisionDiff(
        old=old.number,
        new=new.number,
        title_changed=(old.title, new.title) if old.title != new.title else None,
        standfirst_changed=(old.standfirst, new.standfirst) if old.standfirst != new.standfirst else None,
        rows=tuple(rows),
        added=added,
        removed=removed,
    )
