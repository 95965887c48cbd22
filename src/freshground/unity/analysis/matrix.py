"""The vote matrix, kept sparse: one (row, column, value) cell per vote; a missing vote has no cell."""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .types import Id, Vote

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True)
class VoteMatrix:
    """Participants × statements in first-seen order. `values` are +1 agree, -1 disagree, 0 pass for people; for
    circles they are the members' average vote (in [-1, 1]). Exactly one cell per (row, col)."""

    participants: tuple[Id, ...]
    statements: tuple[Id, ...]
    rows: Ints
    cols: Ints
    values: Floats

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    @classmethod
    def from_votes(cls, votes: Iterable[Vote]) -> VoteMatrix:
        """The last vote per (participant, statement) wins; a value other than -1, 0, +1 counts as its sign."""
        pidx: dict[Hashable, int] = {}
        sidx: dict[Hashable, int] = {}
        rows, cols, vals = array("q"), array("q"), array("b")
        for vote in votes:
            r = pidx.get(vote.participant)
            if r is None:
                r = pidx[vote.participant] = len(pidx)
            c = sidx.get(vote.statement)
            if c is None:
                c = sidx[vote.statement] = len(sidx)
            rows.append(r)
            cols.append(c)
            value = vote.value
            vals.append(1 if value > 0 else -1 if value < 0 else 0)
        return cls.from_arrays(
            tuple(pidx),  # type: ignore[arg-type]  # the keys are Vote ids
            tuple(sidx),  # type: ignore[arg-type]
            np.frombuffer(rows, dtype=np.int64) if rows else np.zeros(0, np.int64),
            np.frombuffer(cols, dtype=np.int64) if cols else np.zeros(0, np.int64),
            np.frombuffer(vals, dtype=np.int8).astype(np.float64) if vals else np.zeros(0),
        )

    @classmethod
    def from_arrays(
        cls, participants: Sequence[Id], statements: Sequence[Id], rows: Ints, cols: Ints, values: Floats
    ) -> VoteMatrix:
        """Cells in vote order; duplicates keep the last one. Rows and columns without a cell are dropped."""
        n, m = len(participants), len(statements)
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        values = np.nan_to_num(np.clip(np.asarray(values, dtype=np.float64), -1.0, 1.0))
        if rows.size:
            key = rows * max(m, 1) + cols
            # the last occurrence of each key: unique over the reversed keys
            _, first_in_reversed = np.unique(key[::-1], return_index=True)
            keep = np.sort(key.size - 1 - first_in_reversed)
            rows, cols, values = rows[keep], cols[keep], values[keep]
        used_rows = np.bincount(rows, minlength=n) > 0
        used_cols = np.bincount(cols, minlength=m) > 0
        if not used_rows.all() or not used_cols.all():
            row_map = np.cumsum(used_rows) - 1
            col_map = np.cumsum(used_cols) - 1
            participants = [p for p, u in zip(participants, used_rows, strict=True) if u]
            statements = [s for s, u in zip(statements, used_cols, strict=True) if u]
            rows, cols = row_map[rows], col_map[cols]
        return cls(tuple(participants), tuple(statements), rows, cols, values)

    def without_columns(self, drop: NDArray[np.bool_]) -> VoteMatrix:
        """The same participants (same rows), without the marked statements' columns and cells."""
        keep_cell = ~drop[self.cols]
        col_map = np.cumsum(~drop) - 1
        return VoteMatrix(
            self.participants,
            tuple(s for s, d in zip(self.statements, drop.tolist(), strict=True) if not d),
            self.rows[keep_cell],
            col_map[self.cols[keep_cell]],
            self.values[keep_cell],
        )

    def row_counts(self) -> Ints:
        return np.bincount(self.rows, minlength=len(self.participants)).astype(np.int64)


def circle_matrix(votes: VoteMatrix, circles: Mapping[Id, Sequence[Id]]) -> tuple[VoteMatrix, dict[Id, list[int]]]:
    """Circles as the unit: a circle's value on a statement is the average vote of its members who voted on it.
    Returns the circle matrix and each circle's member rows in `votes`."""
    members: dict[Id, list[int]] = {}
    for row, participant in enumerate(votes.participants):
        for circle in dict.fromkeys(circles.get(participant, ())):
            members.setdefault(circle, []).append(row)
    ids = list(members)
    if not ids or not votes.rows.size:
        return VoteMatrix((), (), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)), members
    # expand every vote once per circle of its voter: (circle, statement) sums and counts
    member_rows = np.concatenate([np.asarray(members[c], np.int64) for c in ids])
    member_circle = np.concatenate([np.full(len(members[c]), i, np.int64) for i, c in enumerate(ids)])
    order = np.argsort(votes.rows, kind="stable")
    starts = np.searchsorted(votes.rows[order], np.arange(len(votes.participants) + 1))
    lengths = starts[member_rows + 1] - starts[member_rows]
    cell_idx = np.concatenate([order[starts[r] : starts[r + 1]] for r in member_rows]) if lengths.sum() else None
    if cell_idx is None:
        return VoteMatrix((), (), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)), members
    cell_circle = np.repeat(member_circle, lengths)
    m = len(votes.statements)
    key = cell_circle * m + votes.cols[cell_idx]
    sums = np.bincount(key, weights=votes.values[cell_idx], minlength=len(ids) * m)
    counts = np.bincount(key, minlength=len(ids) * m)
    cells = np.flatnonzero(counts)
    return (
        VoteMatrix.from_arrays(ids, votes.statements, cells // m, cells % m, sums[cells] / counts[cells]),
        members,
    )
