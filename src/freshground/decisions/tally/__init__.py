"""Counting votes: every method of a decision, from its textbook definition. Pure Python (and numpy), no database.

    from freshground.decisions import tally
    result = tally.tally(tally.Method.IRV, ["a", "b", "c"], ballots, tie_seed=decision_slug)

The rules we chose (quota, transfers, tie-breaking, tied ranks) are stated in docs/voting.md and in the modules:
`ties` (the one tie-breaking rule), `ranked` (IRV and STV), `schulze`, `simple` (single, approval, score, dots,
consent, advice), `validation` (what a ballot may say), `ballot_file` and `preflib` (reading and writing ballots).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from freshground.decisions.tally.i18n import _
from freshground.decisions.tally.model import (
    ADVICE_RESPONSES,
    CONSENT_RESPONSES,
    RANKED,
    Ballot,
    Method,
    Result,
    Round,
    TallyError,
)
from freshground.decisions.tally.validation import as_method, check_ballot, validate_ballot

__all__ = [
    "ADVICE_RESPONSES",
    "CONSENT_RESPONSES",
    "RANKED",
    "Ballot",
    "Method",
    "Result",
    "Round",
    "TallyError",
    "group_ballots",
    "tally",
    "validate_ballot",
]


def group_ballots(
    method: Method,
    options: Sequence[str],
    ballots: Iterable[Ballot],
    *,
    max_score: int = 5,
    dots: int = 5,
) -> list[tuple[Ballot, float]]:
    """Validate every ballot and merge identical ones: [(ballot, total weight)] in first-seen order."""
    known = frozenset(options)
    index_of: dict[tuple[object, ...], int] = {}
    unique: list[Ballot] = []
    weights: list[float] = []
    for number, ballot in enumerate(ballots, start=1):
        try:
            key = ballot.key()
            index = index_of.get(key)
        except (TypeError, AttributeError):
            raise TallyError(
                _("Ballot %(number)d: %(message)s")
                % {"number": number, "message": _("a ballot's ranking, choices and points must be tuples and a dict.")}
            ) from None
        try:
            if index is None:
                check_ballot(method, known, ballot, max_score=max_score, dots=dots)
            elif isinstance(ballot.weight, bool) or not isinstance(ballot.weight, int | float) or not ballot.weight > 0:
                raise TallyError(_("A ballot's weight must be a positive number."))
        except TallyError as error:
            raise TallyError(
                _("Ballot %(number)d: %(message)s") % {"number": number, "message": error.message}
            ) from None
        if index is None:
            index_of[key] = len(unique)
            unique.append(ballot)
            weights.append(float(ballot.weight))
        else:
            weights[index] += float(ballot.weight)
    return list(zip(unique, weights, strict=True))


def _check_arguments(method: Method, options: Sequence[str], seats: int, max_score: int, dots: int) -> None:
    if not options:
        raise TallyError(_("A decision needs at least one option."))
    for option in options:
        if not isinstance(option, str) or not option:
            raise TallyError(_("Option ids are non-empty strings."))
    if len(set(options)) != len(options):
        raise TallyError(_("Two options have the same id."))
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise TallyError(_("The number of seats must be a whole number of at least 1."))
    if method == Method.STV and seats >= len(options):
        raise TallyError(
            _("STV needs fewer seats than options (%(seats)d seats, %(options)d options).")
            % {"seats": seats, "options": len(options)}
        )
    if method == Method.IRV and seats != 1:
        raise TallyError(_("Instant runoff elects one option; use STV for several seats."))
    if method in (Method.SINGLE, Method.APPROVAL, Method.SCORE, Method.DOTS, Method.SCHULZE) and seats > len(options):
        raise TallyError(
            _("There are more seats (%(seats)d) than options (%(options)d).")
            % {"seats": seats, "options": len(options)}
        )
    if method == Method.SCORE and max_score < 1:
        raise TallyError(_("The highest score must be at least 1."))
    if method == Method.DOTS and dots < 1:
        raise TallyError(_("Each voter needs at least one dot."))


def tally(
    method: Method | str,
    options: Sequence[str],
    ballots: Iterable[Ballot],
    *,
    seats: int = 1,
    max_score: int = 5,
    dots: int = 5,
    tie_seed: str = "",
) -> Result:
    """Count `ballots` over `options` with `method`. Raises TallyError for a bad ballot or bad arguments.

    `seats`: winners wanted (STV: 1 ≤ seats < options; IRV: 1; consent and advice ignore it). `tie_seed`: the seed of
    the lot that breaks ties (the site uses the decision's slug). Identical ballots are counted together.
    """
    method = as_method(method)
    options = list(options)
    _check_arguments(method, options, seats, max_score, dots)
    groups = group_ballots(method, options, ballots, max_score=max_score, dots=dots)
    if method in (Method.SINGLE, Method.APPROVAL, Method.SCORE, Method.DOTS):
        from freshground.decisions.tally.simple import count_simple

        return count_simple(method, options, groups, seats=seats, tie_seed=tie_seed)
    if method in (Method.CONSENT, Method.ADVICE):
        from freshground.decisions.tally.simple import count_responses

        return count_responses(method, options, groups)
    if method == Method.SCHULZE:
        from freshground.decisions.tally.schulze import count_schulze

        return count_schulze(options, groups, seats=seats, tie_seed=tie_seed)
    from freshground.decisions.tally.ranked import count_irv, count_stv

    if method == Method.IRV:
        return count_irv(options, groups, tie_seed=tie_seed)
    return count_stv(options, groups, seats=seats, tie_seed=tie_seed)
