"""Reading ranked ballots in PrefLib's formats: .soc, .soi (strict orders, complete / incomplete) and .toc, .toi
(orders with ties, complete / incomplete).

The current format (PrefLib 2022+): metadata lines starting with `#`, among them
`# ALTERNATIVE NAME i: name`, then one line per distinct order, `count: order`, where the order lists alternative
numbers best first, separated by commas, with a tie as a group in braces: `12: 1,2,{3,4}`.
The legacy format (before 2022): the number of alternatives, one `i,name` line each, a line `voters,sum,unique`,
then `count,order` lines.

Options get the alternative numbers as ids ("1", "2", …) and the names as labels. Each line becomes one Ballot
whose weight is its count. Orders with nothing ranked are skipped (and counted in `skipped`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from freshground.decisions.tally.i18n import _
from freshground.decisions.tally.model import Ballot, TallyError

EXTENSIONS = (".soc", ".soi", ".toc", ".toi")
_NAME = re.compile(r"^#\s*ALTERNATIVE NAME\s+(\d+)\s*:\s*(.*)$")
_COUNT = re.compile(r"^#\s*NUMBER ALTERNATIVES\s*:\s*(\d+)\s*$")


@dataclass(frozen=True)
class PreflibFile:
    kind: str
    options: tuple[str, ...]
    ballots: tuple[Ballot, ...]
    labels: dict[str, str] = field(default_factory=dict)
    title: str = ""
    skipped: int = 0

    def label(self, option: str) -> str:
        return self.labels.get(option, option)


def read_preflib(path: str | Path) -> PreflibFile:
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in EXTENSIONS:
        raise TallyError(_("A PrefLib file ends in .soc, .soi, .toc or .toi."))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TallyError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from None
    return parse_preflib(text, kind)


def parse_order(text: str) -> tuple[tuple[str, ...], ...]:
    """`1,2,{3,4},5` → (("1",), ("2",), ("3", "4"), ("5",))."""
    groups: list[tuple[str, ...]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        char = text[position]
        if char in " ,\t":
            position += 1
        elif char == "{":
            end = text.find("}", position)
            if end < 0:
                raise TallyError(_("A tie group opened with “{” is not closed."))
            members = tuple(m.strip() for m in text[position + 1 : end].split(",") if m.strip())
            if members:
                groups.append(members)
            position = end + 1
        else:
            match = re.compile(r"\d+").match(text, position)
            if match is None:
                raise TallyError(_("Unexpected “%(char)s” in an order.") % {"char": char})
            groups.append((str(int(match.group())),))
            position = match.end()
    return tuple(groups)


def _ballot(count_text: str, order_text: str, line_number: int, strict: bool) -> Ballot | None:
    try:
        count = int(count_text.strip())
    except ValueError:
        raise TallyError(
            _("Line %(line)d: the count “%(count)s” is not a whole number.")
            % {"line": line_number, "count": count_text}
        ) from None
    if count < 1:
        raise TallyError(_("Line %(line)d: a count is at least 1.") % {"line": line_number})
    try:
        ranking = parse_order(order_text)
    except TallyError as error:
        raise TallyError(_("Line %(line)d: %(message)s") % {"line": line_number, "message": error.message}) from None
    if strict and any(len(group) > 1 for group in ranking):
        raise TallyError(_("Line %(line)d: a strict order (.soc, .soi) has no ties.") % {"line": line_number})
    if not ranking:
        return None
    return Ballot(ranking=ranking, weight=count)


def parse_preflib(text: str, kind: str = ".toi") -> PreflibFile:
    kind = kind if kind.startswith(".") else f".{kind}"
    strict = kind in (".soc", ".soi")
    lines = text.splitlines()
    if any(line.startswith("#") for line in lines):
        return _parse_current(lines, kind, strict)
    return _parse_legacy(lines, kind, strict)


def _finish(
    kind: str, labels: dict[str, str], declared: int | None, ballots: list[Ballot], title: str, skipped: int
) -> PreflibFile:
    if declared is not None:
        for number in range(1, declared + 1):
            labels.setdefault(str(number), str(number))
    if not labels:
        raise TallyError(_("The file names no alternatives."))
    options = tuple(sorted(labels, key=int))
    known = set(options)
    for ballot in ballots:
        for group in ballot.ranking:
            for option in group:
                if option not in known:
                    raise TallyError(
                        _("An order ranks alternative %(option)s, which the file does not name.") % {"option": option}
                    )
    return PreflibFile(
        kind=kind.lstrip("."), options=options, ballots=tuple(ballots), labels=labels, title=title, skipped=skipped
    )


def _parse_current(lines: list[str], kind: str, strict: bool) -> PreflibFile:
    labels: dict[str, str] = {}
    declared: int | None = None
    title = ""
    ballots: list[Ballot] = []
    skipped = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if match := _NAME.match(line):
                labels[str(int(match.group(1)))] = match.group(2).strip()
            elif match := _COUNT.match(line):
                declared = int(match.group(1))
            elif line.upper().startswith("# TITLE:"):
                title = line.split(":", 1)[1].strip()
            continue
        if ":" not in line:
            raise TallyError(_("Line %(line)d is not “count: order”.") % {"line": number})
        count_text, order_text = line.split(":", 1)
        ballot = _ballot(count_text, order_text, number, strict)
        if ballot is None:
            skipped += 1
        else:
            ballots.append(ballot)
    return _finish(kind, labels, declared, ballots, title, skipped)


def _parse_legacy(lines: list[str], kind: str, strict: bool) -> PreflibFile:
    rows = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    if not rows:
        raise TallyError(_("The file is empty."))
    try:
        declared = int(rows[0][1])
    except ValueError:
        raise TallyError(_("This is not a PrefLib file: it starts with neither “#” lines nor a number.")) from None
    if len(rows) < declared + 2:
        raise TallyError(_("The file ends before its list of alternatives and counts."))
    labels: dict[str, str] = {}
    for number, line in rows[1 : declared + 1]:
        index, _sep, name = line.partition(",")
        if not index.strip().isdigit():
            raise TallyError(_("Line %(line)d is not “number,name”.") % {"line": number})
        labels[str(int(index))] = name.strip()
    ballots: list[Ballot] = []
    skipped = 0
    for number, line in rows[declared + 2 :]:
        count_text, _sep, order_text = line.partition(",")
        ballot = _ballot(count_text, order_text, number, strict)
        if ballot is None:
            skipped += 1
        else:
            ballots.append(ballot)
    return _finish(kind, labels, declared, ballots, "", skipped)
