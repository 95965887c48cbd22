"""Validation against real Pol.is output (issue 6): our groups vs the group-id column of Pol.is's own export.

Reads ../shared/data/polis/ next to the repository (or $FRESHGROUND_SHARED/data/polis); skips only when it is absent.
"""

import csv
import os
from collections import Counter
from math import comb
from pathlib import Path

import pytest

from freshground.unity.analysis import Vote, analyse

REPO = Path(__file__).resolve().parents[4]


def polis_root() -> Path:
    shared = os.environ.get("FRESHGROUND_SHARED")
    return (Path(shared) if shared else REPO / ".." / "shared") / "data" / "polis"


def conversations() -> list[Path]:
    root = polis_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "votes.csv").is_file() and (p / "participants-votes.csv").is_file())


def adjusted_rand_index(a: list[object], b: list[object]) -> float:
    """Hubert & Arabie's ARI (as sklearn.metrics.adjusted_rand_score)."""
    n = len(a)
    pairs = sum(comb(v, 2) for v in Counter(zip(a, b, strict=True)).values())
    rows = sum(comb(v, 2) for v in Counter(a).values())
    cols = sum(comb(v, 2) for v in Counter(b).values())
    expected = rows * cols / comb(n, 2)
    top = (rows + cols) / 2
    return 1.0 if top == expected else (pairs - expected) / (top - expected)


def test_adjusted_rand_index_by_hand():
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == 1.0
    # sklearn.metrics.adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.5714285714285715
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(0.5714285714285715)


def load(directory: Path) -> tuple[list[Vote], set[int], dict[int, str]]:
    """Votes in time order (the last one per participant and statement wins), moderated-out statements, and
    Pol.is's group per participant ('' = not in the conversation)."""
    with (directory / "votes.csv").open(newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r["timestamp"]))
    votes = [Vote(int(r["voter-id"]), int(r["comment-id"]), int(r["vote"])) for r in rows]  # +1 = agree
    moderated_out: set[int] = set()
    if (directory / "comments.csv").is_file():
        with (directory / "comments.csv").open(newline="") as f:
            moderated_out = {int(r["comment-id"]) for r in csv.DictReader(f) if r.get("moderated") == "-1"}
    with (directory / "participants-votes.csv").open(newline="") as f:
        truth = {int(r["participant"]): r["group-id"] for r in csv.DictReader(f)}
    return votes, moderated_out, truth


@pytest.mark.parametrize("directory", conversations() or [None], ids=lambda p: p.name if p else "absent")
def test_groups_agree_with_polis_export(directory):
    if directory is None:
        pytest.skip(f"Pol.is open data not found at {polis_root()} (set FRESHGROUND_SHARED to the shared folder)")
    votes, moderated_out, truth = load(directory)
    analysis = analyse(votes, moderated_out=moderated_out)
    ours = {p: g.label for g in analysis.groups for p in g.members}
    polis_groups = {g for g in truth.values() if g != ""}
    assert len(analysis.groups) == len(polis_groups)
    both = [p for p in ours if truth.get(p, "") != ""]
    assert len(both) >= 0.95 * sum(1 for g in truth.values() if g != "")
    ari = adjusted_rand_index([ours[p] for p in both], [truth[p] for p in both])
    assert ari >= 0.9, f"ARI {ari:.3f} over {len(both)} participants"
