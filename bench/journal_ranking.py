"""Benchmark: the journal's bridging model on 1,000,000 recommendations by 100,000 readers.

Target (issue 8): under 60 s and under 2 GB RAM. Synthetic data shaped like the site: 100,000 readers in 3,000
circles and 300 centers (each reader in one to three groups; a circle's members lean to one of two factions),
50,000 items published over 60 days; faction items, cross-faction items and noise. Peak RSS is the process's
ru_maxrss (resource.getrusage), measured after the fit; the generation of the data is included in it.

    uv run python bench/journal_ranking.py [--recommendations 1000000] [--readers 100000] [--items 50000]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from freshground.journal.ranking import Settings, fit


def synthetic(recommendations: int, readers: int, items: int, seed: int = 0):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    n_circles, n_centers = 3000, 300
    circle_faction = rng.integers(0, 2, n_circles)
    # memberships: every reader in 1-3 circles of mostly one faction, some also tied to a center
    per_reader = rng.integers(1, 4, readers)
    member_reader = np.repeat(np.arange(readers), per_reader)
    home = rng.integers(0, n_circles, readers)
    # further circles: of the same faction as the home circle, mostly (10 % anywhere)
    by_faction = [np.flatnonzero(circle_faction == f) for f in (0, 1)]
    same = np.where(
        circle_faction[home[member_reader]] == 0,
        by_faction[0][rng.integers(0, by_faction[0].size, member_reader.size)],
        by_faction[1][rng.integers(0, by_faction[1].size, member_reader.size)],
    )
    anywhere = rng.integers(0, n_circles, member_reader.size)
    further = np.where(rng.random(member_reader.size) < 0.9, same, anywhere)
    first = np.arange(member_reader.size) == np.repeat(np.cumsum(per_reader) - per_reader, per_reader)
    member_group = np.where(first, home[member_reader], further)
    centers = rng.random(readers) < 0.3
    member_reader = np.concatenate((member_reader, np.flatnonzero(centers)))
    member_group = np.concatenate((member_group, n_circles + rng.integers(0, n_centers, int(centers.sum()))))
    faction = circle_faction[home]
    # items: 10 % cross-faction, the rest split between the factions; popularity Zipf-like
    item_kind = rng.choice(3, items, p=[0.45, 0.45, 0.10])  # 0: faction 0, 1: faction 1, 2: both
    popularity = 1.0 / np.arange(1, items + 1) ** 0.8
    rng.shuffle(popularity)
    # draw recommendations: a reader, then an item their faction (or both) likes, by popularity
    who = rng.integers(0, readers, int(recommendations * 1.15))
    pools = [np.flatnonzero((item_kind == f) | (item_kind == 2)) for f in (0, 1)]
    weights = [popularity[p] / popularity[p].sum() for p in pools]
    what = np.empty(who.size, np.int64)
    for f in (0, 1):
        mask = faction[who] == f
        what[mask] = rng.choice(pools[f], int(mask.sum()), p=weights[f])
    noise = rng.random(who.size) < 0.05
    what[noise] = rng.integers(0, items, int(noise.sum()))
    codes = np.unique(who * items + what)[:recommendations]
    rng.shuffle(codes)
    codes = codes[:recommendations]
    item_time = rng.uniform(0, 24 * 60, items)
    rating_time = item_time[codes % items] + rng.uniform(0, 48, codes.size)
    kinds = np.array([0] * n_circles + [1] * n_centers)
    return codes // items, codes % items, member_reader, member_group, kinds, item_time, rating_time, item_kind


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recommendations", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--max-iterations", type=int, default=Settings().max_iterations)
    args = parser.parse_args()
    started = time.perf_counter()
    readers, items, mr, mg, kinds, item_time, rating_time, item_kind = synthetic(
        args.recommendations, args.readers, args.items
    )
    generated = time.perf_counter() - started
    started = time.perf_counter()
    cpu_started = time.process_time()
    result = fit(
        (readers, items),
        (mr, mg),
        n_readers=args.readers,
        n_items=args.items,
        n_groups=kinds.size,
        group_kinds=kinds,
        item_time=item_time,
        rating_time=rating_time,
        settings=Settings(max_iterations=args.max_iterations),
    )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    top = np.argsort(-result.item_score)[:100]
    raw_top = np.argsort(-result.item_recommendations)[:100]
    print(f"machine: {platform.machine()} {platform.processor() or ''} {platform.python_version()}")
    print(f"recommendations: {readers.size:,} by {np.unique(readers).size:,} readers on {args.items:,} items")
    print(f"implicit zeros: {result.zeros:,}; ratings fitted: {result.ratings:,}")
    print(f"data generation: {generated:.1f} s")
    print(f"fit: {seconds:.1f} s wall, {cpu:.1f} s CPU ({result.iterations} L-BFGS iterations, "
          f"converged={result.converged}, mse={result.mse:.3f})")  # fmt: skip
    print(f"peak RSS: {peak_mb:.0f} MB")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"cross-faction items among the top 100: by score {int((item_kind[top] == 2).sum())}, "
          f"by raw count {int((item_kind[raw_top] == 2).sum())}")  # fmt: skip


if __name__ == "__main__":
    main()
