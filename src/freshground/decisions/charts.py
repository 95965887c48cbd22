"""What the results page shows, built from a tally result: labels instead of option ids, the round table, the
pairwise matrix and the bar chart (server-side SVG from core.svg_charts, with its data table next to it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from freshground.core.svg_charts import bar_chart

if TYPE_CHECKING:
    from freshground.decisions.models import Decision
    from freshground.decisions.queries import DecisionResult


def number(value: float | None) -> str:
    """Whole numbers without decimals, fractions (STV transfers) with up to three."""
    if value is None:
        return "—"
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


RESPONSE_LABELS = {
    "consent": _lazy("Consent"),
    "stand_aside": _lazy("Stand aside"),
    "object": _lazy("Object"),
    "objections_standing": _lazy("Objections standing"),
    "support": _lazy("Support"),
    "concern": _lazy("Concern"),
    "oppose": _lazy("Oppose"),
}


@dataclass(frozen=True)
class RoundRow:
    label: str
    cells: list[str]
    elected_in: int | None
    eliminated_in: int | None


@dataclass(frozen=True)
class MatrixRow:
    label: str
    cells: list[str]


class ResultView:
    def __init__(self, decision: Decision, outcome: DecisionResult) -> None:
        self.decision = decision
        self.outcome = outcome
        self.result = outcome.result
        self.labels = outcome.labels

    def label(self, key: str) -> str:
        if self.decision.method in ("consent", "advice") and key in RESPONSE_LABELS:
            return str(RESPONSE_LABELS[key])
        return self.labels.get(key, key)

    @property
    def winners(self) -> list[str]:
        return [self.label(k) for k in self.result.winners]

    @property
    def ranking(self) -> list[str]:
        """The full order, tied options joined with "="."""
        return [" = ".join(self.label(k) for k in group) for group in self.result.ranking]

    def _total_keys(self) -> list[str]:
        order = [k for group in self.result.ranking for k in group if k in self.result.totals]
        seen = set(order)
        return order + [k for k in self.result.totals if k not in seen]

    @property
    def totals(self) -> list[tuple[str, str]]:
        return [(self.label(k), number(self.result.totals[k])) for k in self._total_keys()]

    def chart(self) -> SafeString:
        rows = [(self.label(k), round(self.result.totals[k])) for k in self._total_keys()]
        return bar_chart(
            rows,
            title=_("Totals: %(question)s") % {"question": self.decision.question},
            description=_("One bar per option; the table below has the exact numbers."),
        )

    @property
    def has_rounds(self) -> bool:
        return bool(self.result.rounds)

    @property
    def round_numbers(self) -> list[int]:
        return [r.number for r in self.result.rounds]

    @property
    def round_rows(self) -> list[RoundRow]:
        rows = []
        for key in self.result.options:
            cells = []
            elected_in = eliminated_in = None
            for rnd in self.result.rounds:
                value = rnd.tallies.get(key)
                cells.append(number(value) if value is not None else "")
                if key in rnd.elected and elected_in is None:
                    elected_in = rnd.number
                if key in rnd.eliminated and eliminated_in is None:
                    eliminated_in = rnd.number
            rows.append(RoundRow(self.label(key), cells, elected_in, eliminated_in))
        return rows

    @property
    def exhausted_row(self) -> list[str]:
        return [number(r.exhausted) for r in self.result.rounds]

    @property
    def round_notes(self) -> list[tuple[int, str, list[str], list[str]]]:
        return [
            (r.number, r.note, [self.label(k) for k in r.elected], [self.label(k) for k in r.eliminated])
            for r in self.result.rounds
        ]

    def _matrix(self, data: object) -> list[MatrixRow]:
        if not data:
            return []
        matrix = data  # Mapping[str, Mapping[str, float]]
        keys = list(self.result.options)
        rows = []
        for a in keys:
            row = matrix.get(a, {})  # type: ignore[attr-defined]
            rows.append(MatrixRow(self.label(a), ["—" if a == b else number(row.get(b, 0)) for b in keys]))
        return rows

    @property
    def column_labels(self) -> list[str]:
        return [self.label(k) for k in self.result.options]

    @property
    def pairwise_rows(self) -> list[MatrixRow]:
        return self._matrix(self.result.pairwise)

    @property
    def path_rows(self) -> list[MatrixRow]:
        return self._matrix(self.result.strongest_paths)

    @property
    def quota(self) -> str | None:
        return None if self.result.quota is None else number(self.result.quota)

    @property
    def recount_command(self) -> str:
        seats = f" --seats {self.decision.seats}" if self.decision.seats > 1 else ""
        return f"freshground decisions tally ballots.json --method {self.decision.method}{seats}"
