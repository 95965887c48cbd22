"""One-round methods: single choice, approval, score, dots; consent and advice."""

from __future__ import annotations

from collections.abc import Sequence

from freshground.decisions.tally.i18n import _
from freshground.decisions.tally.model import ADVICE_RESPONSES, CONSENT_RESPONSES, Ballot, Method, Result
from freshground.decisions.tally.ties import lot_order, names

EPS = 1e-9


def grouped_ranking(options: Sequence[str], totals: dict[str, float]) -> list[tuple[str, ...]]:
    """Options by total, most first, equal totals in one group (in the options' order)."""
    ranking: list[tuple[str, ...]] = []
    for option in sorted(options, key=lambda o: -totals[o]):
        if ranking and abs(totals[ranking[-1][0]] - totals[option]) <= EPS:
            ranking[-1] = (*ranking[-1], option)
        else:
            ranking.append((option,))
    return ranking


def winners_by_lot(
    ranking: Sequence[tuple[str, ...]], seats: int, tie_seed: str, what: str, totals: dict[str, float]
) -> tuple[tuple[str, ...], list[str]]:
    """The first `seats` options of a grouped ranking; a group crossing the cut is split by lot (with a note)."""
    winners: list[str] = []
    notes: list[str] = []
    for group in ranking:
        left = seats - len(winners)
        if left <= 0:
            break
        order = lot_order(group, tie_seed) if len(group) > left else list(group)
        if len(group) > left:
            chosen = order[:left]
            notes.append(
                _(
                    _(
                        "%(tied)s tied with %(total)s %(what)s for %(seats)s; "
                        "by lot (SHA-256 of the tie seed and the option id) %(chosen)s won."
                    )
                )
                % {
                    "tied": names(group),
                    "total": f"{totals[group[0]]:g}",
                    "what": what,
                    "seats": _("the last seat") if left == 1 else _("the last %(n)d seats") % {"n": left},
                    "chosen": names(chosen),
                }
            )
            winners.extend(chosen)
        else:
            winners.extend(order)
    return tuple(winners), notes


def count_simple(
    method: Method,
    options: Sequence[str],
    groups: Sequence[tuple[Ballot, float]],
    *,
    seats: int,
    tie_seed: str,
) -> Result:
    totals = dict.fromkeys(options, 0.0)
    for ballot, weight in groups:
        if method in (Method.SINGLE, Method.APPROVAL):
            for option in ballot.choices:
                totals[option] += weight
        else:
            for option, value in ballot.points.items():
                totals[option] += weight * value
    total_weight = sum(w for _b, w in groups)
    ranking = grouped_ranking(options, totals)
    what = {
        Method.SINGLE: _("votes"),
        Method.APPROVAL: _("approvals"),
        Method.SCORE: _("points"),
        Method.DOTS: _("dots"),
    }[method]
    winners, notes = winners_by_lot(ranking, seats, tie_seed, what, totals)
    means = None
    if method == Method.SCORE:
        means = {o: (totals[o] / total_weight if total_weight else 0.0) for o in options}
    if not groups:
        notes.insert(0, _("No ballots were cast."))
    return Result(
        method=method,
        options=tuple(options),
        winners=winners,
        ranking=tuple(ranking),
        totals=totals,
        ballots=total_weight,
        notes=tuple(notes),
        means=means,
    )


def count_responses(method: Method, options: Sequence[str], groups: Sequence[tuple[Ballot, float]]) -> Result:
    words = CONSENT_RESPONSES if method == Method.CONSENT else ADVICE_RESPONSES
    totals = dict.fromkeys(words, 0.0)
    standing = 0.0
    for ballot, weight in groups:
        totals[ballot.response] += weight
        if ballot.objection_standing:
            standing += weight
    total_weight = sum(w for _b, w in groups)
    counts = ", ".join(f"{totals[w]:g} {w.replace('_', ' ')}" for w in words)
    if method == Method.CONSENT:
        totals["objections_standing"] = standing
        passed = standing == 0
        if passed:
            note = _("Passed: no objection stands (%(counts)s).") % {"counts": counts}
        else:
            note = _("Not passed: %(n)s objection(s) stand (%(counts)s).") % {"n": f"{standing:g}", "counts": counts}
        return Result(
            method=method,
            options=tuple(options),
            winners=tuple(options) if passed else (),
            ranking=(tuple(options),) if options else (),
            totals=totals,
            ballots=total_weight,
            passed=passed,
            notes=(note,),
        )
    note = _("Advice is not binding: %(counts)s.") % {"counts": counts}
    return Result(
        method=method,
        options=tuple(options),
        winners=(),
        ranking=(tuple(options),) if options else (),
        totals=totals,
        ballots=total_weight,
        passed=None,
        notes=(note,),
    )
