"""Benchmark of the vote count (issue 7): 100,000 ranked ballots over 20 candidates.

    uv run python bench/tally.py [--ballots 100000] [--candidates 20] [--seats 5] [--seed 1]

Two electorates, each counted with IRV, Schulze and STV (5 seats) through the public `tally()` (validation and the
grouping of identical ballots included; making the ballots is not timed):
- "uniform": every ballot a uniformly random complete ranking (almost all ballots distinct: the worst case);
- "realistic": Plackett–Luce rankings from candidate strengths, each voter ranking 1–20 candidates (many ballots
  repeat, as in real elections).
Each count runs --repeat times (default 3); the table shows the best wall-clock time, with its CPU time, and the
worst. Exit status 1 if the best IRV or Schulze time is 5 s or more, or STV 10 s or more.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time

import numpy as np

from freshground.decisions.tally import Ballot, Method, tally

LIMITS = {Method.IRV: 5.0, Method.SCHULZE: 5.0, Method.STV: 10.0}


def uniform(ballots: int, candidates: int, rng: np.random.Generator) -> list[Ballot]:
    names = [f"c{i:02d}" for i in range(candidates)]
    orders = np.argsort(rng.random((ballots, candidates)), axis=1)
    return [Ballot(ranking=tuple((names[i],) for i in row)) for row in orders.tolist()]


def realistic(ballots: int, candidates: int, rng: np.random.Generator) -> list[Ballot]:
    names = [f"c{i:02d}" for i in range(candidates)]
    strength = rng.gamma(1.0, 1.0, candidates) ** 2
    # Plackett–Luce by the Gumbel trick: sort log-strength + Gumbel noise.
    keys = np.log(strength)[None, :] + rng.gumbel(size=(ballots, candidates))
    orders = np.argsort(-keys, axis=1)
    lengths = np.minimum(rng.geometric(0.3, ballots), candidates)
    return [
        Ballot(ranking=tuple((names[i],) for i in row[:length]))
        for row, length in zip(orders.tolist(), lengths.tolist(), strict=True)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    options = [f"c{i:02d}" for i in range(args.candidates)]
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · Python {platform.python_version()}")
    print()
    print("| electorate | distinct ballots | method | best wall s | its CPU s | worst wall s | rounds | winners |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
    failed = False
    for name, make in (("uniform", uniform), ("realistic", realistic)):
        ballots = make(args.ballots, args.candidates, rng)
        distinct = len({b.ranking for b in ballots})
        for method in (Method.IRV, Method.SCHULZE, Method.STV):
            seats = args.seats if method == Method.STV else 1
            runs = []
            for _run in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                result = tally(method, options, ballots, seats=seats, tie_seed="bench")
                runs.append((time.perf_counter() - wall, time.process_time() - cpu))
            wall, cpu = min(runs)
            worst = max(w for w, _c in runs)
            failed |= wall >= LIMITS[method]
            label = f"{method.value} ({seats} seats)" if method == Method.STV else method.value
            print(
                f"| {name} | {distinct} | {label} | {wall:.2f} | {cpu:.2f} | {worst:.2f} | {len(result.rounds) or '—'} "
                f"| {', '.join(result.winners)} |"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
