"""The analysis's inputs and outputs: plain data, no database. The contract between `unity.analysis` (the maths) and
the rest of the `unity` app (models, services, commands, pages). Both sides rely on these names and fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

# Our sign convention, as in the Pol.is CSV export: agree = +1, disagree = -1, pass = 0 (missing = no entry).
AGREE, DISAGREE, PASS = 1, -1, 0


@dataclass(frozen=True)
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

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (lists, dicts, numbers, strings); never NaN or infinity."""
        raise NotImplementedError  # written by the analysis helper
