"""The types of the tally contract: methods, ballots, rounds, results and the one error."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Method(StrEnum):
    SINGLE = "single"
    APPROVAL = "approval"
    SCORE = "score"
    DOTS = "dots"
    IRV = "irv"
    STV = "stv"
    SCHULZE = "schulze"
    CONSENT = "consent"
    ADVICE = "advice"


RANKED = frozenset({Method.IRV, Method.STV, Method.SCHULZE})
CONSENT_RESPONSES = ("consent", "stand_aside", "object")
ADVICE_RESPONSES = ("support", "concern", "oppose")


class TallyError(ValueError):
    """A bad ballot or bad arguments, refused with a message in plain words (`.message`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Ballot:
    """One ballot. Only the fields of its method are set.

    ranking: irv/stv/schulze, preference groups best first (a group of several options is a tie; only files have them).
    choices: single (one option) and approval (any number).
    points: score (0..max_score per option) and dots (dots per option).
    response: consent (consent|stand_aside|object) and advice (support|concern|oppose).
    objection_standing: consent, an objection neither withdrawn nor resolved.
    weight: how many identical ballots this one stands for (PrefLib multiplicities).
    """

    ranking: tuple[tuple[str, ...], ...] = ()
    choices: tuple[str, ...] = ()
    points: Mapping[str, int] = field(default_factory=dict)
    response: str = ""
    objection_standing: bool = False
    weight: float = 1.0

    def key(self) -> tuple[Any, ...]:
        """What identical ballots share (everything but the weight): the tally counts each key once."""
        return (
            self.ranking,
            self.choices,
            tuple(sorted(self.points.items())) if self.points else (),
            self.response,
            self.objection_standing,
        )


@dataclass(frozen=True)
class Round:
    """One round of a count: the tallies at its start and what it decided.

    tallies: every option's votes at this count (elected options hold what they keep, eliminated ones 0).
    elected / eliminated: options elected or eliminated in this round.
    exhausted: ballot weight with no continuing preference left, at this count.
    note: what happened in plain words (a surplus transfer, a tie-break).
    """

    number: int
    tallies: Mapping[str, float]
    elected: tuple[str, ...]
    eliminated: tuple[str, ...]
    exhausted: float
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "tallies": {k: _num(v) for k, v in self.tallies.items()},
            "elected": list(self.elected),
            "eliminated": list(self.eliminated),
            "exhausted": _num(self.exhausted),
            "note": self.note,
        }


@dataclass(frozen=True)
class Result:
    """A decision's result.

    winners: in order (of election for STV). ranking: every option, best first, in groups of equal standing.
    totals: single/approval/score/dots the votes, approvals, points or dots per option; irv/stv first preferences;
    schulze the number of options each one beats by its strongest paths; consent/advice the count of each response
    (and for consent `objections_standing`). ballots: the total ballot weight counted.
    means: score only, the mean score per option over all ballots (an option a ballot left out scores 0).
    """

    method: Method
    options: tuple[str, ...]
    winners: tuple[str, ...]
    ranking: tuple[tuple[str, ...], ...]
    totals: Mapping[str, float]
    ballots: float
    rounds: tuple[Round, ...] = ()
    quota: float | None = None
    pairwise: Mapping[str, Mapping[str, float]] | None = None
    strongest_paths: Mapping[str, Mapping[str, float]] | None = None
    passed: bool | None = None
    notes: tuple[str, ...] = ()
    means: Mapping[str, float] | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (floats rounded to 9 decimals so float noise does not show)."""
        return {
            "method": str(self.method),
            "options": list(self.options),
            "winners": list(self.winners),
            "ranking": [list(group) for group in self.ranking],
            "totals": {k: _num(v) for k, v in self.totals.items()},
            "means": None if self.means is None else {k: _num(v) for k, v in self.means.items()},
            "ballots": _num(self.ballots),
            "rounds": [r.to_json() for r in self.rounds],
            "quota": None if self.quota is None else _num(self.quota),
            "pairwise": _matrix(self.pairwise),
            "strongest_paths": _matrix(self.strongest_paths),
            "passed": self.passed,
            "notes": list(self.notes),
        }


def _num(value: float) -> float | int:
    """Whole numbers as ints, others rounded to 9 decimals."""
    if math.isfinite(value) and abs(value - round(value)) < 1e-9:
        return round(value)
    return round(value, 9)


def _matrix(matrix: Mapping[str, Mapping[str, float]] | None) -> dict[str, dict[str, float | int]] | None:
    if matrix is None:
        return None
    return {a: {b: _num(v) for b, v in row.items()} for a, row in matrix.items()}
