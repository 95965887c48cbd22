"""The Schulze method (Markus Schulze, 2011), winning votes.

d[a][b]: the ballot weight ranking a strictly above b. An option a ballot leaves out is ranked below every option it
ranks; options in one place (a tie, only in files) and options left out together are preferred neither way.
A link a→b has strength d[a][b] when d[a][b] > d[b][a], else 0; p[a][b] is the strength of the strongest path
(the widest path, Floyd–Warshall). a beats b when p[a][b] > p[b][a]; this relation is transitive. The ranking is
built in layers: the options no remaining option beats, then the same among the rest, and so on. The winners are
the first `seats` options of that ranking; a tie across the cut is broken by lot (`ties.lot_order`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from freshground.decisions.tally.i18n import _
from freshground.decisions.tally.model import Ballot, Method, Result
from freshground.decisions.tally.simple import winners_by_lot


def pairwise_matrix(options: Sequence[str], groups: Sequence[tuple[Ballot, float]]) -> np.ndarray:
    """d as an n×n float array."""
    n = len(options)
    index = {o: i for i, o in enumerate(options)}
    d = np.zeros((n, n), dtype=np.float64)
    if not groups:
        return d
    chunk = 20_000
    for start in range(0, len(groups), chunk):
        part = groups[start : start + chunk]
        rows: list[list[int]] = []
        for ballot, _weight in part:
            row = [len(ballot.ranking)] * n
            for place, group in enumerate(ballot.ranking):
                for option in group:
                    row[index[option]] = place
            rows.append(row)
        positions = np.array(rows, dtype=np.int32)
        weights = np.fromiter((w for _b, w in part), dtype=np.float64, count=len(part))
        for a in range(n):
            above = positions[:, a : a + 1] < positions
            d[a] += weights @ above
    return d


def strongest_paths(d: np.ndarray) -> np.ndarray:
    p = np.where(d > d.T, d, 0.0)
    np.fill_diagonal(p, 0.0)
    for k in range(len(p)):
        p = np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]))
    np.fill_diagonal(p, 0.0)
    return p


def schulze_ranking(options: Sequence[str], p: np.ndarray) -> list[tuple[str, ...]]:
    beats = p > p.T
    remaining = list(range(len(options)))
    ranking: list[tuple[str, ...]] = []
    while remaining:
        layer = [a for a in remaining if not any(beats[b, a] for b in remaining)]
        if not layer:  # cannot happen: the relation is a strict partial order
            layer = list(remaining)
        ranking.append(tuple(options[a] for a in layer))
        remaining = [a for a in remaining if a not in layer]
    return ranking


def count_schulze(
    options: Sequence[str], groups: Sequence[tuple[Ballot, float]], *, seats: int, tie_seed: str
) -> Result:
    d = pairwise_matrix(options, groups)
    p = strongest_paths(d)
    ranking = schulze_ranking(options, p)
    beaten = (p > p.T).sum(axis=1)
    totals = {o: float(beaten[i]) for i, o in enumerate(options)}
    winners, notes = winners_by_lot(ranking, seats, tie_seed, _("options beaten"), totals)
    if not groups:
        notes.insert(0, _("No ballots were cast."))
    n = len(options)
    return Result(
        method=Method.SCHULZE,
        options=tuple(options),
        winners=winners,
        ranking=tuple(ranking),
        totals=totals,
        ballots=float(sum(w for _b, w in groups)),
        pairwise={options[a]: {options[b]: float(d[a, b]) for b in range(n) if b != a} for a in range(n)},
        strongest_paths={options[a]: {options[b]: float(p[a, b]) for b in range(n) if b != a} for a in range(n)},
        notes=tuple(notes),
    )
