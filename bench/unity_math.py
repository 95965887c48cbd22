"""Benchmark of the unity analysis (issue 6): 10,000 participants × 1,000 statements, 1,000,000 votes, planted groups.

    uv run python bench/unity_math.py [--participants 10000] [--statements 1000] [--votes 1000000] [--groups 3]

Prints wall-clock time of a full `analyse` (building the vote matrix from Vote objects included), of a second run given
the first one's Previous, and the process's peak RSS. Exit status 1 if the first run takes 10 s or more or the peak
RSS reaches 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np

from freshground.unity.analysis import Vote, analyse


def synthetic(
    participants: int, statements: int, votes: int, groups: int, seed: int = 1
) -> tuple[list[Vote], list[int]]:
    """Planted opinion groups: each group agrees with a statement with its own probability; the first 10 statements
    are agreed by everyone (the planted consensus)."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, participants)
    p_agree = rng.choice([0.1, 0.5, 0.9], size=(groups, statements))
    p_agree[:, :10] = 0.95
    per = votes // participants
    cols = np.argsort(rng.random((participants, statements)), axis=1)[:, :per].ravel()
    rows = np.repeat(np.arange(participants), per)
    u = rng.random(rows.size)
    pa = p_agree[group[rows], cols]
    value = np.where(u < pa * 0.9, 1, np.where(u < 0.9, -1, 0))
    order = rng.permutation(rows.size)
    return [Vote(int(r), int(c), int(v)) for r, c, v in zip(rows[order], cols[order], value[order], strict=True)], list(
        group
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    votes, _ = synthetic(args.participants, args.statements, args.votes, args.groups)
    print(f"synthetic votes: {len(votes):,} in {time.perf_counter() - started:.1f} s, RSS {peak_rss_mb():.0f} MB")
    started = time.perf_counter()
    first = analyse(votes)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    second = analyse(votes, previous=first.previous)
    warm = time.perf_counter() - started
    rss = peak_rss_mb()
    sizes = sorted((len(g.members) for g in first.groups), reverse=True)
    print("| participants | statements | votes | groups (sizes) | first run | with Previous | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {first.participants:,} | {first.statements:,} | {first.votes:,} | {len(first.groups)} {sizes} "
        f"| {cold:.2f} s | {warm:.2f} s | {rss:.0f} MB |"
    )
    print("top consensus:", [s for s, _ in first.consensus[:10]], "same labels on rerun:",
          [g.members for g in first.groups] == [g.members for g in second.groups])  # fmt: skip
    return 0 if cold < 10 and rss < 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
