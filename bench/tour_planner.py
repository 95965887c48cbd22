"""Benchmark the speaker tour planner: 30 requests in 30 cities must come back with a plan within 5 s.

Builds random cases (a speaker in Leeds, cities across Britain and Europe, date windows over six weeks, one or two
availability windows), times freshground.speakers.planner.plan_tour end to end (matrix, greedy start, OR-Tools search
with its time limit, assembling the plan) and prints a Markdown table. Also checks, on small cases, that OR-Tools
reaches the exact optimum the planner uses up to nine requests. No database, no Django setup.

    uv run python bench/tour_planner.py                  # 10 cases of 30 requests, 3 s solver limit
    uv run python bench/tour_planner.py --cases 20 --requests 30 --time-limit 2

Exit status 1 when any case takes 5 s or more.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from freshground.speakers.planner import Point, Problem, TourRequest, Window, plan_tour, total_metres

TARGET_S = 5.0
HOME = Point(53.80, -1.55)
DAY0 = date(2027, 3, 1)


def case(rng: random.Random, size: int, wide: bool) -> tuple[list[Window], list[TourRequest]]:
    if rng.random() < 0.5:
        windows = [Window(DAY0, DAY0 + timedelta(days=45))]
    else:
        windows = [
            Window(DAY0, DAY0 + timedelta(days=20)),
            Window(DAY0 + timedelta(days=26), DAY0 + timedelta(days=45)),
        ]
    lat, lon = ((37.0, 60.0), (-9.0, 25.0)) if wide else ((50.0, 56.5), (-5.5, 1.5))
    requests = []
    for k in range(size):
        earliest = DAY0 + timedelta(days=rng.randint(-2, 36))
        requests.append(
            TourRequest(
                id=k,
                point=Point(rng.uniform(*lat), rng.uniform(*lon)),
                earliest=earliest,
                latest=earliest + timedelta(days=rng.randint(2, 14)),
            )
        )
    return windows, requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--time-limit", type=float, default=3.0, help="OR-Tools search limit in seconds")
    parser.add_argument("--small-cases", type=int, default=30, help="small cases for OR-Tools vs exact")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    print(
        f"Machine: {platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"{platform.system()} {platform.release()} · load {os.getloadavg()[0]:.2f} · "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
    )
    print("| case | region | trips | requests | served | km | method | seconds |")
    print("|---:|---|---:|---:|---:|---:|---|---:|")
    seconds: list[float] = []
    for number in range(1, args.cases + 1):
        wide = number % 2 == 0
        windows, requests = case(rng, args.requests, wide)
        started = time.perf_counter()
        plan = plan_tour(home=HOME, availability=windows, requests=requests, time_limit_s=args.time_limit)
        elapsed = time.perf_counter() - started
        seconds.append(elapsed)
        print(
            f"| {number} | {'Europe' if wide else 'Britain'} | {len(windows)} | {len(requests)} | {plan.served} | "
            f"{plan.total_km:,.0f} | {plan.method} | {elapsed:.2f} |"
        )
    print(
        f"\nWall time per plan: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s "
        f"(target < {TARGET_S:.0f} s)."
    )

    matches = 0
    small_seconds: list[float] = []
    for _ in range(args.small_cases):
        windows, requests = case(rng, rng.randint(4, 9), wide=False)
        problem = Problem.build(HOME, windows, requests, 800.0)
        started = time.perf_counter()
        exact = plan_tour(home=HOME, availability=windows, requests=requests, method="exact")
        small_seconds.append(time.perf_counter() - started)
        heuristic = plan_tour(home=HOME, availability=windows, requests=requests, method="ortools", time_limit_s=1.0)
        same = (exact.served, total_metres(exact, problem)) == (heuristic.served, total_metres(heuristic, problem))
        matches += same
    print(
        f"Small cases (4–9 requests): OR-Tools (1 s) reached the exact optimum in {matches} of {args.small_cases}; "
        f"the exact method took at most {max(small_seconds) * 1000:.0f} ms."
    )
    return 1 if max(seconds) >= TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
