"""Bridging score of an argument: how broadly, across circles and centers, it was found convincing.

Pure functions, no database: services collect each convinced person's *groups* (the circles they are a member of and
the centers they edit) and call `bridging_score`. The formula and why it is shaped this way are in docs/bridging.md.

    score = Σ over distinct groups g of log2(1 + s_g),   s_g = Σ over convinced people p in g of 1 / |groups(p)|

Each person carries a weight of 1, split evenly across their groups, so belonging to many groups does not multiply
anyone's voice. The logarithm is concave: a group's first supporter adds 1, and each further point needs the group's
support to double, so a new group adds more than another voice from a group already counted. People in no group
share one group, UNAFFILIATED: breadth must come from real circles and centers, and a crowd of fresh accounts with no
ties counts as one group however many there are.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

UNAFFILIATED = "unaffiliated"


def circle_key(circle_id: int) -> str:
    return f"circle:{circle_id}"


def center_key(center_id: int) -> str:
    return f"center:{center_id}"


@dataclass(frozen=True)
class Tally:
    convinced_count: int  # people who found it convincing
    group_count: int  # distinct circles and centers among them (the shared unaffiliated group is not one)
    bridging_score: float


def group_support(groups_of_people: Iterable[frozenset[str] | set[str]]) -> dict[str, float]:
    """Each group's support: the sum of its supporters' weights (1 / the number of groups each is in)."""
    support: dict[str, float] = defaultdict(float)
    for groups in groups_of_people:
        keys = groups or {UNAFFILIATED}
        weight = 1.0 / len(keys)
        for key in keys:
            support[key] += weight
    return dict(support)


def score_from_support(support: Mapping[str, float]) -> float:
    return math.fsum(math.log2(1.0 + value) for value in support.values())


def bridging_score(groups_of_people: Iterable[frozenset[str] | set[str]]) -> float:
    """The bridging score for the convinced people, each given as the set of their group keys (may be empty)."""
    return score_from_support(group_support(groups_of_people))


def tally(groups_of_people: Iterable[frozenset[str] | set[str]]) -> Tally:
    people = list(groups_of_people)
    support = group_support(people)
    real_groups = [key for key in support if key != UNAFFILIATED]
    return Tally(
        convinced_count=len(people), group_count=len(real_groups), bridging_score=round(score_from_support(support), 6)
    )
