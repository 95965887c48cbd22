"""Instant-runoff voting (one winner) and the single transferable vote (several winners).

Both count ballots in piles. A ballot sits with its highest-ranked *continuing* option; a ballot whose highest place
with a continuing option is a tie of k continuing options (only files have ties) is split into k equal parcels, one
with each. When an option leaves the count (eliminated, or elected with a surplus), each parcel of its pile moves on
to the continuing options of the same place, else of the next place that has any, else it is exhausted.

IRV: in each round, an option with more than half of the continuing (non-exhausted) votes wins; otherwise the option
with the fewest votes is eliminated (one at a time) and its ballots move on. The last continuing option wins.

STV: the Droop quota floor(valid ballots / (seats + 1)) + 1 (the integer form, not the exact fractional one).
Surpluses are transferred by the weighted inclusive Gregory method: when an elected option's surplus is transferred,
every parcel in its pile moves on at value × surplus / its votes (no rounding), and the option keeps exactly the
quota. Each round: every continuing option reaching the quota is elected (most votes first); if the seats are full
the count ends; if no more options continue than seats remain, they are all elected; otherwise the largest
untransferred surplus is transferred, or, when none is left, the option with the fewest votes is eliminated.

Ties (fewest votes, largest surplus, order of election) are broken by `ties.break_tie`: backwards through earlier
rounds, then by lot.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from freshground.decisions.tally.i18n import _
from freshground.decisions.tally.model import Ballot, Method, Result, Round
from freshground.decisions.tally.ties import break_tie, names


def _fmt(value: float) -> str:
    return f"{value:.6g}" if abs(value - round(value)) > 1e-9 else str(round(value))


class Piles:
    """The ballots' parcels, by option index, with running tallies."""

    def __init__(self, options: Sequence[str], groups: Sequence[tuple[Ballot, float]]) -> None:
        index = {o: i for i, o in enumerate(options)}
        self.options = list(options)
        single: dict[tuple[str, ...], tuple[int, ...] | None] = {(o,): (i,) for o, i in index.items()}
        self.rankings: list[tuple[tuple[int, ...], ...]] = []
        for ballot, _w in groups:
            places = tuple(map(single.get, ballot.ranking))
            if None in places:  # a tie: a place of several options
                self.rankings.append(tuple(tuple(index[o] for o in place) for place in ballot.ranking))
            else:
                self.rankings.append(places)  # type: ignore[arg-type]
        self.continuing = [True] * len(options)
        self.piles: list[list[tuple[int, int, float]]] = [[] for _o in options]
        self.tallies = [0.0] * len(options)
        self.exhausted = 0.0
        self.total = math.fsum(w for _b, w in groups)
        for number, (_ballot, weight) in enumerate(groups):
            self.place(number, 0, weight)

    def place(self, ballot: int, start: int, value: float) -> None:
        """Give `value` of `ballot` to its continuing options from place `start` on, or exhaust it."""
        ranking = self.rankings[ballot]
        continuing = self.continuing
        for position in range(start, len(ranking)):
            group = ranking[position]
            if len(group) == 1:
                option = group[0]
                if continuing[option]:
                    self.piles[option].append((ballot, position, value))
                    self.tallies[option] += value
                    return
                continue
            live = [o for o in group if continuing[o]]
            if live:
                share = value / len(live)
                for option in live:
                    self.piles[option].append((ballot, position, share))
                    self.tallies[option] += share
                return
        self.exhausted += value

    def move_on(self, option: int, factor: float) -> float:
        """Move every parcel of a no longer continuing option on at value × factor; return the value moved."""
        pile, self.piles[option] = self.piles[option], []
        moved = 0.0
        for ballot, position, value in pile:
            part = value * factor
            moved += part
            self.place(ballot, position, part)
        if factor == 1.0:
            self.tallies[option] = 0.0
        else:
            self.tallies[option] -= moved
        return moved

    def snapshot(self) -> dict[str, float]:
        return dict(zip(self.options, self.tallies, strict=True))


class ArrayPiles:
    """The same count as `Piles` for strict rankings (no ties), vectorised with numpy: each ballot points at its
    current option; moving a pile on advances the pointers of its ballots to their next continuing option."""

    def __init__(self, options: Sequence[str], groups: Sequence[tuple[Ballot, float]]) -> None:
        n = len(options)
        self.options = list(options)
        self.continuing = [True] * n
        single: dict[tuple[str, ...], int] = {(o,): i for i, o in enumerate(options)}
        rows = [list(map(single.__getitem__, ballot.ranking)) for ballot, _w in groups]
        width = max((len(r) for r in rows), default=0) + 1
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        self.ranks = np.full((len(rows), width), n, dtype=np.int32)  # n: no option left (exhausted)
        if rows:
            flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int32, count=int(lengths.sum()))
            row_index = np.repeat(np.arange(len(rows)), lengths)
            starts = np.cumsum(lengths) - lengths
            column = np.arange(flat.size) - np.repeat(starts, lengths)
            self.ranks[row_index, column] = flat
        self.values = np.fromiter((w for _b, w in groups), dtype=np.float64, count=len(groups))
        self.position = np.zeros(len(rows), dtype=np.int64)
        self.holder = self.ranks[:, 0].copy() if rows else np.zeros(0, dtype=np.int32)
        self.held: dict[int, float] = {}  # elected options whose surplus went on: what they keep
        self.total = math.fsum(self.values.tolist())
        self.tallies: list[float] = []
        self.exhausted = 0.0
        self._recount()

    def _recount(self) -> None:
        n = len(self.options)
        counts = np.bincount(self.holder, weights=self.values, minlength=n + 1)
        self.tallies = counts[:n].tolist()
        for option, kept in self.held.items():
            self.tallies[option] = kept
        self.exhausted = float(counts[n])

    def move_on(self, option: int, factor: float) -> float:
        moving = np.flatnonzero(self.holder == option)
        before = self.tallies[option]
        moved = float(self.values[moving].sum()) * factor
        if factor != 1.0:
            self.values[moving] *= factor
            self.held[option] = before - moved
        live = np.array([*self.continuing, True])
        while moving.size:
            self.position[moving] += 1
            nxt = self.ranks[moving, self.position[moving]]
            stop = live[nxt]
            self.holder[moving[stop]] = nxt[stop]
            moving = moving[~stop]
        self._recount()
        return moved

    def snapshot(self) -> dict[str, float]:
        return dict(zip(self.options, self.tallies, strict=True))


def make_piles(options: Sequence[str], groups: Sequence[tuple[Ballot, float]]) -> Piles | ArrayPiles:
    """The numpy piles when every ranking is strict, the general ones when a ballot has tied places."""
    try:
        return ArrayPiles(options, groups)
    except KeyError:  # a place of several options (a tie) is not a key of one option
        return Piles(options, groups)


def _order_by_votes(
    candidates: list[int],
    piles: Piles | ArrayPiles,
    history: list[dict[str, float]],
    tie_seed: str,
    notes: list[str],
    round_number: int,
) -> list[int]:
    """Candidates by votes, most first; equal votes ordered by the tie-break rule (each break noted)."""
    remaining = list(candidates)
    ordered: list[int] = []
    eps = 1e-9 * max(1.0, piles.total)
    while remaining:
        top = max(piles.tallies[c] for c in remaining)
        tied = [c for c in remaining if piles.tallies[c] >= top - eps]
        if len(tied) > 1:
            chosen, why = break_tie(
                [piles.options[c] for c in tied], history, tie_seed=tie_seed, favour_most=True, eps=eps
            )
            notes.append(
                _("Round %(round)d: %(tied)s tied with %(votes)s votes; %(chosen)s goes first. %(why)s")
                % {
                    "round": round_number,
                    "tied": names([piles.options[c] for c in tied]),
                    "votes": _fmt(top),
                    "chosen": f"“{chosen}”",
                    "why": why,
                }
            )
            first = piles.options.index(chosen)
        else:
            first = tied[0]
        ordered.append(first)
        remaining.remove(first)
    return ordered


def _lowest(
    piles: Piles | ArrayPiles, history: list[dict[str, float]], tie_seed: str, notes: list[str], round_number: int
) -> tuple[int, str]:
    continuing = [c for c, live in enumerate(piles.continuing) if live]
    eps = 1e-9 * max(1.0, piles.total)
    low = min(piles.tallies[c] for c in continuing)
    tied = [c for c in continuing if piles.tallies[c] <= low + eps]
    if len(tied) == 1:
        return tied[0], ""
    chosen, why = break_tie([piles.options[c] for c in tied], history, tie_seed=tie_seed, favour_most=False, eps=eps)
    note = _("%(tied)s tied for the fewest votes (%(votes)s); %(chosen)s is eliminated. %(why)s") % {
        "tied": names([piles.options[c] for c in tied]),
        "votes": _fmt(low),
        "chosen": f"“{chosen}”",
        "why": why,
    }
    notes.append(_("Round %(round)d: %(note)s") % {"round": round_number, "note": note})
    return piles.options.index(chosen), note


def _final_ranking(piles: Piles | ArrayPiles, elected: list[int], eliminated: list[int]) -> tuple[tuple[str, ...], ...]:
    """Elected in order of election, then the rest still in the count by votes, then the eliminated, last out
    first."""
    ranking: list[tuple[str, ...]] = [(piles.options[c],) for c in elected]
    rest = [c for c in range(len(piles.options)) if c not in elected and c not in eliminated]
    rest.sort(key=lambda c: -piles.tallies[c])
    eps = 1e-9 * max(1.0, piles.total)
    previous: float | None = None
    for c in rest:
        if previous is not None and abs(previous - piles.tallies[c]) <= eps:
            ranking[-1] = (*ranking[-1], piles.options[c])
        else:
            ranking.append((piles.options[c],))
        previous = piles.tallies[c]
    ranking.extend((piles.options[c],) for c in reversed(eliminated))
    return tuple(ranking)


def count_irv(
    options: Sequence[str], groups: Sequence[tuple[Ballot, float]], *, tie_seed: str, engine: type | None = None
) -> Result:
    piles = make_piles(options, groups) if engine is None else engine(options, groups)
    first = piles.snapshot()
    history: list[dict[str, float]] = []
    rounds: list[Round] = []
    notes: list[str] = []
    eliminated: list[int] = []
    winner: int | None = None
    while winner is None:
        number = len(rounds) + 1
        tallies = piles.snapshot()
        continuing = [c for c, live in enumerate(piles.continuing) if live]
        active = math.fsum(piles.tallies[c] for c in continuing)
        top = max(continuing, key=lambda c: piles.tallies[c])
        if len(continuing) == 1 or piles.tallies[top] > active / 2 + 1e-9 * max(1.0, piles.total):
            winner = top
            if len(continuing) == 1:
                note = _("%(option)s is the last option left.") % {"option": f"“{options[top]}”"}
            else:
                note = _("%(option)s has a majority: %(votes)s of %(active)s continuing votes.") % {
                    "option": f"“{options[top]}”",
                    "votes": _fmt(piles.tallies[top]),
                    "active": _fmt(active),
                }
            rounds.append(Round(number, tallies, (options[top],), (), piles.exhausted, note))
            break
        loser, tie_note = _lowest(piles, history, tie_seed, notes, number)
        note = _("No majority; %(option)s has the fewest votes and is eliminated.") % {"option": f"“{options[loser]}”"}
        if tie_note:
            note = tie_note
        rounds.append(Round(number, tallies, (), (options[loser],), piles.exhausted, note))
        history.append(tallies)
        piles.continuing[loser] = False
        eliminated.append(loser)
        piles.move_on(loser, 1.0)
    if not groups:
        notes.insert(0, _("No ballots were cast."))
    return Result(
        method=Method.IRV,
        options=tuple(options),
        winners=(options[winner],),
        ranking=_final_ranking(piles, [winner], eliminated),
        totals=first,
        ballots=piles.total,
        rounds=tuple(rounds),
        notes=tuple(notes),
    )


def droop_quota(valid: float, seats: int) -> float:
    return float(math.floor(valid / (seats + 1)) + 1)


def count_stv(
    options: Sequence[str],
    groups: Sequence[tuple[Ballot, float]],
    *,
    seats: int,
    tie_seed: str,
    engine: type | None = None,
) -> Result:
    piles = make_piles(options, groups) if engine is None else engine(options, groups)
    first = piles.snapshot()
    quota = droop_quota(piles.total, seats)
    eps = 1e-9 * max(1.0, piles.total)
    history: list[dict[str, float]] = []
    rounds: list[Round] = []
    notes: list[str] = []
    elected: list[int] = []
    eliminated: list[int] = []
    pending: list[int] = []  # elected, surplus not yet transferred
    while True:
        number = len(rounds) + 1
        tallies = piles.snapshot()
        exhausted = piles.exhausted
        reaching = [c for c, live in enumerate(piles.continuing) if live and piles.tallies[c] >= quota - eps]
        newly = _order_by_votes(reaching, piles, history, tie_seed, notes, number) if reaching else []
        for c in newly:
            piles.continuing[c] = False
            elected.append(c)
            pending.append(c)
        said: list[str] = []
        if newly:
            message = (
                _("%(options)s reaches the quota of %(quota)s and is elected.")
                if len(newly) == 1
                else _("%(options)s reach the quota of %(quota)s and are elected.")
            )
            said.append(message % {"options": names([options[c] for c in newly]), "quota": _fmt(quota)})
        if len(elected) >= seats:
            rounds.append(Round(number, tallies, tuple(options[c] for c in newly), (), exhausted, " ".join(said)))
            break
        continuing = [c for c, live in enumerate(piles.continuing) if live]
        left = seats - len(elected)
        if len(continuing) <= left:
            rest = _order_by_votes(continuing, piles, history, tie_seed, notes, number)
            for c in rest:
                piles.continuing[c] = False
                elected.append(c)
            said.append(
                _("As many options continue as seats remain, so %(options)s elected.")
                % {"options": names([options[c] for c in rest]) + (_(" is") if len(rest) == 1 else _(" are"))}
            )
            rounds.append(
                Round(number, tallies, tuple(options[c] for c in (*newly, *rest)), (), exhausted, " ".join(said))
            )
            break
        surpluses = [c for c in pending if piles.tallies[c] - quota > eps]
        if surpluses:
            top = max(piles.tallies[c] for c in surpluses)
            tied = [c for c in surpluses if piles.tallies[c] >= top - eps]
            source = tied[0]
            if len(tied) > 1:
                chosen, why = break_tie(
                    [options[c] for c in tied], history, tie_seed=tie_seed, favour_most=True, eps=eps
                )
                source = options.index(chosen)
                notes.append(
                    _("Round %(round)d: the surpluses of %(tied)s are equal; %(chosen)s is transferred first. %(why)s")
                    % {"round": number, "tied": names([options[c] for c in tied]), "chosen": f"“{chosen}”", "why": why}
                )
            pending.remove(source)
            surplus = piles.tallies[source] - quota
            factor = surplus / piles.tallies[source]
            piles.move_on(source, factor)
            said.append(
                _("The surplus of %(option)s (%(surplus)s) is transferred at %(factor)s of each ballot's value.")
                % {"option": f"“{options[source]}”", "surplus": _fmt(surplus), "factor": f"{factor:.6g}"}
            )
            rounds.append(Round(number, tallies, tuple(options[c] for c in newly), (), exhausted, " ".join(said)))
            history.append(tallies)
            continue
        pending.clear()
        loser, tie_note = _lowest(piles, history, tie_seed, notes, number)
        said.append(
            tie_note or _("%(option)s has the fewest votes and is eliminated.") % {"option": f"“{options[loser]}”"}
        )
        rounds.append(
            Round(number, tallies, tuple(options[c] for c in newly), (options[loser],), exhausted, " ".join(said))
        )
        history.append(tallies)
        piles.continuing[loser] = False
        eliminated.append(loser)
        piles.move_on(loser, 1.0)
    if not groups:
        notes.insert(0, _("No ballots were cast."))
    return Result(
        method=Method.STV,
        options=tuple(options),
        winners=tuple(options[c] for c in elected),
        ranking=_final_ranking(piles, elected, eliminated),
        totals=first,
        ballots=piles.total,
        rounds=tuple(rounds),
        quota=quota,
        notes=tuple(notes),
    )
