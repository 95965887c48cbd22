"""The Schulze method (implemented next)."""

from __future__ import annotations

from collections.abc import Sequence

from freshground.decisions.tally.model import Ballot, Result, TallyError


def count_schulze(
    options: Sequence[str], groups: Sequence[tuple[Ballot, float]], *, seats: int, tie_seed: str
) -> Result:
    raise TallyError("Schulze is not implemented yet.")
