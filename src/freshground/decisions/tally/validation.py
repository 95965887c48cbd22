"""Checking one ballot against its method and options; every refusal is a TallyError in plain words."""

from __future__ import annotations

import math
from collections.abc import Collection

from freshground.decisions.tally.i18n import _
from freshground.decisions.tally.model import (
    ADVICE_RESPONSES,
    CONSENT_RESPONSES,
    RANKED,
    Ballot,
    Method,
    TallyError,
)


def as_method(method: Method | str) -> Method:
    try:
        return Method(method)
    except ValueError:
        raise TallyError(
            _("Unknown method “%(method)s”: use one of %(methods)s.")
            % {"method": method, "methods": ", ".join(m.value for m in Method)}
        ) from None


def _known(option: object, known: set[str] | frozenset[str]) -> str:
    if not isinstance(option, str) or option not in known:
        raise TallyError(_("“%(option)s” is not one of the options.") % {"option": option})
    return option


def _only(ballot: Ballot, method: Method, *fields: str) -> None:
    """Refuse a ballot that fills in fields of another method."""
    present = {
        "ranking": bool(ballot.ranking),
        "choices": bool(ballot.choices),
        "points": bool(ballot.points),
        "response": bool(ballot.response),
        "objection_standing": ballot.objection_standing,
    }
    extra = [name for name, filled in present.items() if filled and name not in fields]
    if extra:
        raise TallyError(
            _("A ballot of the method “%(method)s” has no %(fields)s.")
            % {"method": method.value, "fields": ", ".join(extra)}
        )


def validate_ballot(
    method: Method | str,
    options: Collection[str],
    ballot: Ballot,
    *,
    max_score: int = 5,
    dots: int = 5,
    max_choices: int | None = None,
    allow_ties: bool = True,
) -> None:
    """Raise TallyError unless `ballot` is a valid ballot of `method` over `options`.

    Refused: unknown options, an option ranked or chosen twice, an empty ballot, more choices than allowed (single:
    one; approval: `max_choices` when given), scores outside 0..max_score, negative dots or more than `dots`, a
    response word the method does not know, fields of another method, a weight that is not a positive number.
    Ties in a ranking (several options in one group) are accepted unless `allow_ties` is False.
    """
    method = as_method(method)
    known = options if isinstance(options, set | frozenset) else frozenset(options)
    check_ballot(method, known, ballot, max_score=max_score, dots=dots, max_choices=max_choices, allow_ties=allow_ties)


def check_ballot(
    method: Method,
    known: set[str] | frozenset[str],
    ballot: Ballot,
    *,
    max_score: int = 5,
    dots: int = 5,
    max_choices: int | None = None,
    allow_ties: bool = True,
) -> None:
    """`validate_ballot` for a method already checked and options given as a set (the tally's inner loop)."""
    weight = ballot.weight
    if type(weight) not in (int, float) or not 0 < weight < math.inf:
        raise TallyError(_("A ballot's weight must be a positive number."))
    if method in RANKED:
        _validate_ranking(method, known, ballot, allow_ties)
    elif method in (Method.SINGLE, Method.APPROVAL):
        _validate_choices(method, known, ballot, max_choices)
    elif method in (Method.SCORE, Method.DOTS):
        _validate_points(method, known, ballot, max_score, dots)
    else:
        _validate_response(method, ballot)


def _validate_ranking(method: Method, known: set[str] | frozenset[str], ballot: Ballot, allow_ties: bool) -> None:
    if ballot.choices or ballot.points or ballot.response or ballot.objection_standing:
        _only(ballot, method, "ranking")
    try:  # the fast path for a good ballot; anything odd gets the detailed checks below, with their messages
        ranking = ballot.ranking
        flat = [option for group in ranking for option in group]
        if (
            flat
            and set(map(type, ranking)) == {tuple}
            and all(ranking)
            and len(set(flat)) == len(flat)
            and known.issuperset(flat)
            and (allow_ties or len(flat) == len(ranking))
        ):
            return
    except TypeError:
        pass
    if not ballot.ranking:
        raise TallyError(_("Rank at least one option."))
    seen: set[str] = set()
    for place, group in enumerate(ballot.ranking, start=1):
        if not isinstance(group, tuple | list) or not group:
            raise TallyError(_("Place %(place)d of the ranking is empty.") % {"place": place})
        if len(group) > 1 and not allow_ties:
            raise TallyError(_("Two options share place %(place)d: give each place to one option.") % {"place": place})
        for option in group:
            _known(option, known)
            if option in seen:
                raise TallyError(_("“%(option)s” is ranked twice.") % {"option": option})
            seen.add(option)


def _validate_choices(
    method: Method, known: set[str] | frozenset[str], ballot: Ballot, max_choices: int | None
) -> None:
    _only(ballot, method, "choices")
    if not ballot.choices:
        raise TallyError(_("Choose one option.") if method == Method.SINGLE else _("Tick at least one option."))
    seen: set[str] = set()
    for option in ballot.choices:
        _known(option, known)
        if option in seen:
            raise TallyError(_("“%(option)s” is chosen twice.") % {"option": option})
        seen.add(option)
    if method == Method.SINGLE and len(ballot.choices) > 1:
        raise TallyError(_("Choose only one option (this ballot chooses %(n)d).") % {"n": len(ballot.choices)})
    if max_choices is not None and len(ballot.choices) > max_choices:
        raise TallyError(
            _("Tick at most %(max)d options (this ballot ticks %(n)d).")
            % {"max": max_choices, "n": len(ballot.choices)}
        )


def _validate_points(
    method: Method, known: set[str] | frozenset[str], ballot: Ballot, max_score: int, dots: int
) -> None:
    _only(ballot, method, "points")
    if not ballot.points:
        raise TallyError(_("Score at least one option.") if method == Method.SCORE else _("Place at least one dot."))
    spent = 0
    for option, value in ballot.points.items():
        _known(option, known)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TallyError(
                _("Points are whole numbers (“%(option)s” has %(value)r).") % {"option": option, "value": value}
            )
        if method == Method.SCORE and not 0 <= value <= max_score:
            raise TallyError(
                _("Scores go from 0 to %(max)d: “%(option)s” has %(value)d.")
                % {"max": max_score, "option": option, "value": value}
            )
        if method == Method.DOTS and value < 0:
            raise TallyError(
                _("Dots cannot be negative: “%(option)s” has %(value)d.") % {"option": option, "value": value}
            )
        spent += value
    if method == Method.DOTS:
        if spent > dots:
            raise TallyError(
                _("Each voter has %(dots)d dots; this ballot places %(spent)d.") % {"dots": dots, "spent": spent}
            )
        if spent == 0:
            raise TallyError(_("Place at least one dot."))


def _validate_response(method: Method, ballot: Ballot) -> None:
    _only(ballot, method, "response", "objection_standing")
    if method == Method.CONSENT:
        if ballot.response not in CONSENT_RESPONSES:
            raise TallyError(
                _("Answer consent, stand_aside or object (not “%(response)s”).") % {"response": ballot.response}
            )
        if ballot.objection_standing and ballot.response != "object":
            raise TallyError(_("Only an objection can stand: this ballot does not object."))
    else:
        if ballot.response not in ADVICE_RESPONSES:
            raise TallyError(
                _("Answer support, concern or oppose (not “%(response)s”).") % {"response": ballot.response}
            )
        if ballot.objection_standing:
            raise TallyError(_("Advice has no standing objections; use consent for that."))
