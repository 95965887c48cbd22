"""The published anonymised ballot list (`freshground-ballots/1`), written by the site and read by the recount.

    {"format": "freshground-ballots/1", "decision": slug, "question": …, "method": …, "seats": n,
     "max_score": …, "dots": …, "tie_seed": …, "options": [{"id": …, "label": …}],
     "ballots": [{"receipt": …, "ranking": [[…], …]} | {"receipt": …, "choices": […]} |
                 {"receipt": …, "points": {…}} | {"receipt": …, "response": …, "objection_standing": …}]}

A ballot may also carry `"weight"` (identical ballots counted at once; 1 when absent). In a ranking each place is a
list of option ids (several ids: a tie); a bare id is read as a place of its own.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from freshground.decisions.tally.i18n import _
from freshground.decisions.tally.model import Ballot, Method, TallyError
from freshground.decisions.tally.validation import as_method

FORMAT = "freshground-ballots/1"


@dataclass(frozen=True)
class BallotFile:
    decision: str
    question: str
    method: Method
    options: tuple[str, ...]
    ballots: tuple[Ballot, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    receipts: tuple[str, ...] = ()
    seats: int = 1
    max_score: int = 5
    dots: int = 5
    tie_seed: str = ""

    def label(self, option: str) -> str:
        return self.labels.get(option, option)


def ballot_entry(ballot: Ballot, receipt: str = "") -> dict[str, Any]:
    """One ballot as the file writes it (only the fields its method uses)."""
    entry: dict[str, Any] = {"receipt": receipt}
    if ballot.ranking:
        entry["ranking"] = [list(group) for group in ballot.ranking]
    if ballot.choices:
        entry["choices"] = list(ballot.choices)
    if ballot.points:
        entry["points"] = dict(ballot.points)
    if ballot.response:
        entry["response"] = ballot.response
        entry["objection_standing"] = ballot.objection_standing
    if ballot.weight != 1:
        entry["weight"] = ballot.weight
    return entry


def write_ballot_file(
    *,
    decision: str,
    question: str,
    method: Method | str,
    options: Sequence[tuple[str, str] | Mapping[str, str]],
    ballots: Iterable[Mapping[str, Any] | tuple[str, Ballot] | Ballot],
    seats: int = 1,
    max_score: int = 5,
    dots: int = 5,
    tie_seed: str = "",
) -> str:
    """The ballot file as JSON text. `options`: (id, label) pairs or {"id", "label"} dicts. `ballots`: file entries
    (dicts with a receipt and the method's fields, written as given), (receipt, Ballot) pairs or bare Ballots."""
    option_rows = []
    for option in options:
        if isinstance(option, Mapping):
            option_rows.append({"id": str(option["id"]), "label": str(option.get("label", option["id"]))})
        else:
            option_rows.append({"id": str(option[0]), "label": str(option[1])})
    entries: list[dict[str, Any]] = []
    for ballot in ballots:
        if isinstance(ballot, Ballot):
            entries.append(ballot_entry(ballot))
        elif isinstance(ballot, tuple):
            entries.append(ballot_entry(ballot[1], ballot[0]))
        else:
            entries.append(dict(ballot))
    document = {
        "format": FORMAT,
        "decision": decision,
        "question": question,
        "method": str(as_method(method)),
        "seats": seats,
        "max_score": max_score,
        "dots": dots,
        "tie_seed": tie_seed,
        "options": option_rows,
        "ballots": entries,
    }
    return json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def read_ballot_file(path: str | Path) -> BallotFile:
    """Read a ballot file; TallyError (plain words) when it cannot be read or is not one."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TallyError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from None
    return parse_ballot_file(text)


def _fail(text: str, **values: object) -> TallyError:
    return TallyError(_(text) % values if values else _(text))


def _int(document: Mapping[str, Any], name: str, default: int) -> int:
    value = document.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail("“%(name)s” must be a whole number.", name=name)
    return value


def parse_ballot_file(text: str) -> BallotFile:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _fail("This is not JSON: %(error)s", error=error) from None
    if not isinstance(document, dict):
        raise _fail("A ballot file is a JSON object.")
    if document.get("format") != FORMAT:
        raise _fail("This is not a ballot file (its format is not %(format)s).", format=FORMAT)
    method = as_method(str(document.get("method", "")))
    raw_options = document.get("options")
    if not isinstance(raw_options, list) or not raw_options:
        raise _fail("The file lists no options.")
    options: list[str] = []
    labels: dict[str, str] = {}
    for row in raw_options:
        if isinstance(row, str):
            option_id, label = row, row
        elif isinstance(row, dict) and isinstance(row.get("id"), str | int):
            option_id = str(row["id"])
            label = str(row.get("label", option_id))
        else:
            raise _fail("Each option is an object with an “id” and a “label”.")
        options.append(option_id)
        labels[option_id] = label
    raw_ballots = document.get("ballots")
    if not isinstance(raw_ballots, list):
        raise _fail("The file has no list of ballots.")
    ballots: list[Ballot] = []
    receipts: list[str] = []
    for number, entry in enumerate(raw_ballots, start=1):
        try:
            ballots.append(entry_ballot(entry))
        except TallyError as error:
            raise _fail("Ballot %(number)d: %(message)s", number=number, message=error.message) from None
        receipts.append(str(entry.get("receipt", "")))
    return BallotFile(
        decision=str(document.get("decision", "")),
        question=str(document.get("question", "")),
        method=method,
        options=tuple(options),
        ballots=tuple(ballots),
        labels=labels,
        receipts=tuple(receipts),
        seats=_int(document, "seats", 1),
        max_score=_int(document, "max_score", 5),
        dots=_int(document, "dots", 5),
        tie_seed=str(document.get("tie_seed", "") or ""),
    )


def entry_ballot(entry: object) -> Ballot:
    """A Ballot from one file entry (shape only; `tally.validate_ballot` judges the content)."""
    if not isinstance(entry, dict):
        raise _fail("A ballot is a JSON object.")
    ranking: list[tuple[str, ...]] = []
    raw_ranking = entry.get("ranking", [])
    if not isinstance(raw_ranking, list):
        raise _fail("“ranking” is a list of places.")
    for place in raw_ranking:
        if isinstance(place, str):
            ranking.append((place,))
        elif isinstance(place, list) and all(isinstance(o, str) for o in place):
            ranking.append(tuple(place))
        else:
            raise _fail("Each place of a ranking is a list of option ids.")
    choices = entry.get("choices", [])
    if not isinstance(choices, list) or not all(isinstance(o, str) for o in choices):
        raise _fail("“choices” is a list of option ids.")
    points = entry.get("points", {})
    if not isinstance(points, dict):
        raise _fail("“points” maps option ids to whole numbers.")
    response = entry.get("response", "")
    if not isinstance(response, str):
        raise _fail("“response” is a word.")
    standing = entry.get("objection_standing", False)
    if not isinstance(standing, bool):
        raise _fail("“objection_standing” is true or false.")
    weight = entry.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight) or weight <= 0:
        raise _fail("“weight” is a positive number.")
    return Ballot(
        ranking=tuple(ranking),
        choices=tuple(choices),
        points=dict(points),
        response=response,
        objection_standing=standing,
        weight=float(weight) if isinstance(weight, float) else weight,
    )
