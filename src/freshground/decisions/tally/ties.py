"""The one tie-breaking rule, used by every method.

1. Backwards: where there were earlier rounds (IRV, STV), look at the round before, then the one before that, …,
   and keep only the tied options that had the fewest votes there (for an elimination) or the most (for a seat or
   for which surplus goes first), until one is left.
2. Lot: what is still tied is ordered by the SHA-256 hex digest of `tie_seed + option id` (UTF-8), smallest first.
   The first in that order is favoured: it wins a tie for a seat and survives a tie for elimination. Anyone can
   recompute it (`echo -n "<seed><id>" | sha256sum`); the site uses the decision's slug as the seed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from freshground.decisions.tally.i18n import _


def lot_key(tie_seed: str, option: str) -> str:
    return hashlib.sha256((tie_seed + option).encode("utf-8")).hexdigest()


def lot_order(options: Sequence[str], tie_seed: str) -> list[str]:
    """Options in lot order, the favoured first."""
    return sorted(options, key=lambda o: (lot_key(tie_seed, o), o))


def names(options: Sequence[str]) -> str:
    return ", ".join(f"“{o}”" for o in options)


def break_tie(
    tied: Sequence[str],
    history: Sequence[Mapping[str, float]],
    *,
    tie_seed: str,
    favour_most: bool,
    eps: float = 1e-9,
) -> tuple[str, str]:
    """Pick one of `tied`: the one to favour (favour_most: most votes earlier) or to drop (fewest votes earlier).

    `history` holds the tallies of earlier rounds, oldest first. Returns the option and the explanation.
    """
    remaining = list(tied)
    for index in range(len(history) - 1, -1, -1):
        tallies = history[index]
        values = {o: tallies.get(o, 0.0) for o in remaining}
        extreme = max(values.values()) if favour_most else min(values.values())
        kept = [o for o in remaining if abs(values[o] - extreme) <= eps]
        if len(kept) < len(remaining):
            remaining = kept
            if len(remaining) == 1:
                word = _("most") if favour_most else _("fewest")
                return remaining[0], _("%(option)s had the %(word)s votes of them in round %(round)d.") % {
                    "option": f"“{remaining[0]}”",
                    "word": word,
                    "round": index + 1,
                }
    order = lot_order(remaining, tie_seed)
    chosen = order[0] if favour_most else order[-1]
    return chosen, _(
        "%(option)s was chosen by lot (SHA-256 of the tie seed and the option id, in order %(order)s)."
    ) % {
        "option": f"“{chosen}”",
        "order": names(order),
    }
