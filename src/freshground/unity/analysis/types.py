"""The analysis's inputs and outputs: plain data, no database. The contract between `unity.analysis` (the maths) and
the rest of the `unity` app (models, services, commands, pages). Both sides rely on these names and fields."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

# Our sign convention, as in the Pol.is CSV export: agree = +1, disagree = -1, pass = 0 (missing = no entry).
AGREE, DISAGREE, PASS = 1, -1, 0


Id = int | str


@dataclass(frozen=True, slots=True)  # slots: a million votes fit in ~100 MB instead of ~300 MB
class Vote:
    participant: int | str  # any hashable id: a Participant pk, or a Pol.is participant id on import
    statement: int | str
    value: int  # AGREE, DISAGREE or PASS; the last vote per (participant, statement) wins


@dataclass(frozen=True)
class Settings:
    """Every constant of the method, documented in docs/unity-math.md; stored with each analysis."""

    min_votes: int = 7  # to be clustered: at least min(min_votes, number of statements) votes
    min_clustered: int = 15  # fewer qualifying participants: the most active are added up to this many
    base_k: int = 100  # base clusters (Pol.is), then groups cluster the base centres
    max_k: int = 5
    k_smoother_updates: int = 4  # a new best k is adopted only after it has been best this many updates in a row
    significance_z: float = 1.2816  # one-sided 90 %
    max_representative: int = 5
    max_consensus: int = 5
    seed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class Previous:
    """What a recomputation may reuse from the last one, so groups keep their labels when data barely changes."""

    in_conversation: frozenset[int | str] = frozenset()  # once clustered, always clustered (Pol.is)
    group_centres: Mapping[int, tuple[float, float]] = field(default_factory=dict)  # label → centre in the plane
    k: int | None = None
    best_k_streak: tuple[int, int] | None = None  # (candidate k, consecutive updates it was best)
    components: Sequence[Sequence[float]] | None = None  # last PCA components (warm start, sign continuity)
    # Optional additions (analysis helper): the statement id of each component entry, so components can be aligned
    # when statements come and go; the base clusters' centres (warm start of the base k-means); the circle analysis'
    # own Previous.
    component_statements: Sequence[int | str] | None = None
    base_centres: Sequence[tuple[float, float]] = ()
    circles: Previous | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "in_conversation": sorted(self.in_conversation, key=_id_key),
            "group_centres": [[label, _num(x), _num(y)] for label, (x, y) in sorted(self.group_centres.items())],
            "k": self.k,
            "best_k_streak": list(self.best_k_streak) if self.best_k_streak else None,
            "components": [[_num(v) for v in row] for row in self.components] if self.components else None,
            "component_statements": list(self.component_statements) if self.component_statements else None,
            "base_centres": [[_num(x), _num(y)] for x, y in self.base_centres],
            "circles": self.circles.to_json() if self.circles else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Previous:
        """The inverse of to_json; anything missing or malformed is left at its default (never raises on a dict)."""
        if not isinstance(data, Mapping):
            return cls()

        def ids(value: Any) -> list[int | str]:
            return [v for v in value if isinstance(v, int | str)] if isinstance(value, list) else []

        def pairs(value: Any) -> list[list[Any]]:
            return [v for v in value if isinstance(v, list)] if isinstance(value, list) else []

        try:
            centres = {int(v[0]): (float(v[1]), float(v[2])) for v in pairs(data.get("group_centres")) if len(v) == 3}
            streak = data.get("best_k_streak")
            comps = data.get("components")
            k = data.get("k")
            return cls(
                in_conversation=frozenset(ids(data.get("in_conversation"))),
                group_centres=centres,
                k=k if isinstance(k, int) else None,
                best_k_streak=(int(streak[0]), int(streak[1]))
                if isinstance(streak, list) and len(streak) == 2
                else None,
                components=[[float(v) for v in row] for row in comps] if isinstance(comps, list) else None,
                component_statements=ids(data.get("component_statements")) or None,
                base_centres=tuple((float(v[0]), float(v[1])) for v in pairs(data.get("base_centres")) if len(v) == 2),
                circles=cls.from_json(data["circles"]) if isinstance(data.get("circles"), Mapping) else None,
            )
        except (TypeError, ValueError, IndexError):
            return cls()


@dataclass(frozen=True)
class StatementStats:
    statement: int | str
    agree: int
    disagree: int
    passed: int  # "seen" = agree + disagree + passed
    p_agree: float  # (agree + 1) / (seen + 2)
    p_disagree: float
    z_agree: float  # prop-test
    z_disagree: float


@dataclass(frozen=True)
class Representative:
    statement: int | str
    direction: Literal["agree", "disagree"]
    stats: StatementStats  # in the group
    ratio: float  # ra or rd: the group's pseudo-counted probability over the rest's
    ratio_z: float  # two-proportion test against the rest
    metric: float  # ra·rat·pa·pat (or the disagree analogue), the sort key


@dataclass(frozen=True)
class Group:
    label: int  # stable across recomputations (matched to Previous.group_centres)
    members: tuple[int | str, ...]
    centre: tuple[float, float]
    representative: tuple[Representative, ...]
    votes: Mapping[int | str, StatementStats]  # per statement, within the group


@dataclass(frozen=True)
class Analysis:
    settings: Settings
    participants: int  # everyone who voted
    clustered: tuple[int | str, ...]  # the "in conversation" participants
    statements: int
    votes: int
    positions: Mapping[int | str, tuple[float, float]]  # participant → point in the PCA plane (scaled as Pol.is)
    statement_positions: Mapping[int | str, tuple[float, float]]
    groups: tuple[Group, ...]
    consensus: tuple[tuple[int | str, float], ...]  # group-informed consensus Π_g (A_g+1)/(S_g+2), best first
    broad_agreement: tuple[StatementStats, ...]  # pa > 0.5 and significant, best first
    broad_disagreement: tuple[StatementStats, ...]
    overall: Mapping[int | str, StatementStats]
    previous: Previous  # what the next recomputation should be given
    silhouettes: Mapping[int, float] = field(default_factory=dict)  # k → silhouette
    # Optional additions (analysis helper):
    k_best: int | None = None  # the k with the best silhouette this time (the smoother may still keep another k)
    circle_analysis: Analysis | None = None  # the same analysis with circles as the unit (see docs/unity-math.md)
    circle_votes: Mapping[int | str, Mapping[int | str, StatementStats]] = field(default_factory=dict)  # per circle
    seconds: float = 0.0  # wall-clock time of the computation

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (lists, dicts, numbers, strings); never NaN or infinity. Ids keep their type (int or str)."""
        return {
            "settings": self.settings.as_dict(),
            "participants": self.participants,
            "clustered": list(self.clustered),
            "statements": self.statements,
            "votes": self.votes,
            "positions": [[p, _num(x), _num(y)] for p, (x, y) in self.positions.items()],
            "statement_positions": [[s, _num(x), _num(y)] for s, (x, y) in self.statement_positions.items()],
            "groups": [_group_json(g) for g in self.groups],
            "consensus": [[s, _num(v)] for s, v in self.consensus],
            "broad_agreement": [_stats_json(s) for s in self.broad_agreement],
            "broad_disagreement": [_stats_json(s) for s in self.broad_disagreement],
            "overall": [_stats_json(s) for s in self.overall.values()],
            "silhouettes": [[k, _num(v)] for k, v in sorted(self.silhouettes.items())],
            "k_best": self.k_best,
            "previous": self.previous.to_json(),
            "circle_analysis": self.circle_analysis.to_json() if self.circle_analysis else None,
            "circle_votes": [
                [circle, [_stats_json(s) for s in stats.values()]] for circle, stats in self.circle_votes.items()
            ],
            "seconds": _num(self.seconds),
        }


def _num(value: float) -> float:
    """A finite float for JSON (NaN and infinities become 0.0; they should never occur, this is the last guard)."""
    value = float(value)
    return value if math.isfinite(value) else 0.0


def _id_key(value: int | str) -> tuple[int, int | str]:
    return (0, value) if isinstance(value, int) else (1, value)


def _stats_json(s: StatementStats) -> dict[str, Any]:
    return {
        "statement": s.statement,
        "agree": s.agree,
        "disagree": s.disagree,
        "passed": s.passed,
        "p_agree": _num(s.p_agree),
        "p_disagree": _num(s.p_disagree),
        "z_agree": _num(s.z_agree),
        "z_disagree": _num(s.z_disagree),
    }


def _group_json(g: Group) -> dict[str, Any]:
    return {
        "label": g.label,
        "members": list(g.members),
        "centre": [_num(g.centre[0]), _num(g.centre[1])],
        "representative": [
            {
                "statement": r.statement,
                "direction": r.direction,
                "stats": _stats_json(r.stats),
                "ratio": _num(r.ratio),
                "ratio_z": _num(r.ratio_z),
                "metric": _num(r.metric),
            }
            for r in g.representative
        ],
        "votes": [_stats_json(s) for s in g.votes.values()],
    }
