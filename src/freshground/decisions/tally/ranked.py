"""Instant-runoff voting and the single transferable vote (implemented next)."""

from __future__ import annotations

from collections.abc import Sequence

from freshground.decisions.tally.model import Ballot, Result, TallyError


def count_irv(options: Sequence[str], groups: Sequence[tuple[Ballot, float]], *, tie_seed: str) -> Result:
    raise TallyError("IRV is not implemented yet.")


def count_stv(options: Sequence[str], groups: Sequence[tuple[Ballot, float]], *, seats: int, tie_seed: str) -> Result:
    raise TallyError("STV is not implemented yet.")
