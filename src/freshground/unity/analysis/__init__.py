"""Pol.is-grade consensus discovery: pure numpy, no database access (see docs/unity-math.md).

    analysis = analyse(votes, settings=Settings(), previous=None, circles=None)

The public surface is `analyse`, `analyse_circles`, `VoteMatrix` and the types in `unity.analysis.types`.
"""

from .matrix import VoteMatrix
from .pipeline import analyse, analyse_circles
from .types import AGREE, DISAGREE, PASS, Analysis, Group, Previous, Representative, Settings, StatementStats, Vote

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "Analysis",
    "Group",
    "Previous",
    "Representative",
    "Settings",
    "StatementStats",
    "Vote",
    "VoteMatrix",
    "analyse",
    "analyse_circles",
]
