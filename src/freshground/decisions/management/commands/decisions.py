"""`freshground decisions …`: decisions from the command line.

freshground decisions tally FILE [--method M] [--seats N] [--tie-seed S] [--json]
    Recount a published ballot list (`ballots.json`, format freshground-ballots/1) or ranked ballots in a PrefLib
    file (.soc, .soi, .toc, .toi). For a ballot list the method, seats and tie seed default to the file's own (the
    decision's), so the result is the one the site shows; for a PrefLib file --method is required.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from freshground.decisions.tally import Ballot, Method, Result, TallyError, tally
from freshground.decisions.tally.ballot_file import read_ballot_file
from freshground.decisions.tally.preflib import EXTENSIONS, read_preflib

METHOD_NAMES = {
    Method.SINGLE: N_("Single choice"),
    Method.APPROVAL: N_("Approval"),
    Method.SCORE: N_("Score"),
    Method.DOTS: N_("Dot voting"),
    Method.IRV: N_("Ranked choice, instant runoff"),
    Method.STV: N_("Single transferable vote"),
    Method.SCHULZE: N_("Schulze"),
    Method.CONSENT: N_("Consent"),
    Method.ADVICE: N_("Advice"),
}


def number(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A plain text table: first column left-aligned, the others right-aligned."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [str(row[0]).ljust(widths[0])] + [str(c).rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def relabel(text: str, options: Sequence[str], label: Callable[[str], str]) -> str:
    """Notes quote option ids as “id”; show their labels instead."""
    for option in options:
        if label(option) != option:
            text = text.replace(f"“{option}”", f"“{label(option)}”")
    return text


class Command(BaseCommand):
    help = _("Decisions: recount a published ballot list or a PrefLib file.")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{tally}")
        recount = commands.add_parser(
            "tally", help=_("Count a ballot file (ballots.json) or a PrefLib file (.soc, .soi, .toc, .toi).")
        )
        recount.add_argument("file", help=_("The ballot file."))
        recount.add_argument(
            "--method",
            choices=[m.value for m in Method],
            help=_("The counting method (default: the ballot file's; required for PrefLib files)."),
        )
        recount.add_argument("--seats", type=int, help=_("Winners wanted (default: the file's, else 1)."))
        recount.add_argument("--tie-seed", help=_("The seed of the lot breaking ties (default: the file's)."))
        recount.add_argument("--json", action="store_true", help=_("Print the result as JSON."))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        try:
            if path.suffix.lower() in EXTENSIONS:
                if not options["method"]:
                    raise CommandError(_("A PrefLib file needs --method (irv, stv or schulze)."))
                data = read_preflib(path)
                method = Method(options["method"])
                title = data.title or path.name
                option_ids: Sequence[str] = data.options
                ballots: Sequence[Ballot] = data.ballots
                label: Callable[[str], str] = data.label
                seats = options["seats"] or 1
                tie_seed = options["tie_seed"] or ""
                max_score, dots = 5, 5
            else:
                document = read_ballot_file(path)
                method = Method(options["method"] or document.method)
                title = document.question or document.decision or path.name
                option_ids, ballots, label = document.options, document.ballots, document.label
                seats = options["seats"] or document.seats
                tie_seed = document.tie_seed if options["tie_seed"] is None else options["tie_seed"]
                max_score, dots = document.max_score, document.dots
            result = tally(method, option_ids, ballots, seats=seats, max_score=max_score, dots=dots, tie_seed=tie_seed)
        except TallyError as error:
            raise CommandError(_("Nothing was counted: %(error)s") % {"error": error.message}) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2, allow_nan=False))
            return
        self.stdout.write("\n".join(self.text(title, result, label)))

    def text(self, title: str, result: Result, label: Callable[[str], str]) -> list[str]:
        def names(ids: Sequence[str]) -> str:
            return ", ".join(label(o) for o in ids)

        lines = [title, ""]
        facts = [_(METHOD_NAMES[result.method]), _("%(n)s ballots") % {"n": number(result.ballots)}]
        if result.quota is not None:
            facts.append(_("quota %(q)s") % {"q": number(result.quota)})
        lines.append(" · ".join(facts))
        if result.passed is not None:
            lines.append(_("Passed") if result.passed else _("Not passed"))
        if result.method != Method.ADVICE and result.method != Method.CONSENT:
            lines.append(_("Winners: %(names)s") % {"names": names(result.winners) or "—"})
            lines.append("")
            lines.append(_("Ranking:"))
            for place, group in enumerate(result.ranking, start=1):
                lines.append(f"{place:>3}. {names(group)}")
        lines.append("")
        if result.rounds:
            lines.extend(self.rounds(result, label))
        elif result.pairwise is not None and result.strongest_paths is not None:
            lines.extend(self.matrix(_("Pairwise preferences d[row][column]:"), result.options, result.pairwise, label))
            lines.append("")
            lines.extend(
                self.matrix(_("Strongest paths p[row][column]:"), result.options, result.strongest_paths, label)
            )
        else:
            header = [
                _("Option") if result.method not in (Method.CONSENT, Method.ADVICE) else _("Response"),
                _("Total"),
            ]
            rows = [
                [label(k) if k in result.options else k.replace("_", " "), number(v)] for k, v in result.totals.items()
            ]
            if result.means is not None:
                header.append(_("Mean"))
                for row, key in zip(rows, result.totals, strict=True):
                    row.append(f"{result.means[key]:.2f}")
            lines.extend(table(header, rows))
        round_notes = [r.note for r in result.rounds if r.note]
        notes = [n for n in result.notes if not any(n.split(": ", 1)[-1] in said for said in round_notes)]
        if notes:
            lines.append("")
            lines.append(_("Notes:"))
            lines.extend(f"- {relabel(note, result.options, label)}" for note in notes)
        return lines

    def rounds(self, result: Result, label: Callable[[str], str]) -> list[str]:
        header = [_("Option")] + [_("R%(n)d") % {"n": r.number} for r in result.rounds]
        rows: list[list[str]] = []
        for option in result.options:
            row = [label(option)[:40]]
            out = False
            for r in result.rounds:
                if out:
                    row.append("")
                    continue
                mark = "  "
                if option in r.elected:
                    mark = " *"
                elif option in r.eliminated:
                    mark = " x"
                    out = True
                row.append(number(r.tallies.get(option, 0.0)) + mark)
            rows.append(row)
        rows.append([_("Exhausted")] + [number(r.exhausted) + "  " for r in result.rounds])
        lines = [_("Rounds (* elected, x eliminated):"), *table(header, rows), ""]
        lines.extend(f"{r.number:>3}. {relabel(r.note, result.options, label)}" for r in result.rounds)
        return lines

    def matrix(
        self,
        heading: str,
        options: Sequence[str],
        values: Mapping[str, Mapping[str, float]],
        label: Callable[[str], str],
    ) -> list[str]:
        short = {o: label(o)[:12] for o in options}
        header = ["", *(short[o] for o in options)]
        rows = [[label(a)[:30], *("—" if a == b else number(values[a][b]) for b in options)] for a in options]
        return [heading, *table(header, rows)]
