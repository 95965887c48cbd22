"""Time the similar-campaign ranking (TF-IDF cosine + topic + place) over a pool of N candidate campaigns.

    uv run python bench/campaign_similarity.py [--pool 500] [--repeat 20]

Pure Python and numpy, no database: what the "step 2: similar campaigns" page spends on ranking.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from freshground.campaigns.similarity import Doc, rank

WORDS = [
    "rent",
    "hikes",
    "tenants",
    "eviction",
    "council",
    "housing",
    "hospital",
    "staffing",
    "nurses",
    "wards",
    "bus",
    "routes",
    "fares",
    "tram",
    "depot",
    "library",
    "hours",
    "school",
    "closure",
    "teachers",
    "pay",
    "climate",
    "flood",
    "defences",
    "parks",
    "playground",
    "water",
    "prices",
    "wages",
    "warehouse",
    "heat",
    "breaks",
    "union",
    "recognition",
    "childcare",
    "nursery",
    "clinic",
    "pharmacy",
    "migrants",
    "detention",
    "police",
    "surveillance",
    "cuts",
    "budget",
    "pension",
    "care",
    "homes",
    "cleaners",
    "outsourcing",
    "energy",
    "bills",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(7)
    pool = [
        Doc(
            i,
            " ".join(rng.choices(WORDS, k=rng.randint(30, 120))),
            topic_id=rng.randint(1, 25),
            latitude=rng.uniform(35, 60),
            longitude=rng.uniform(-10, 30),
        )
        for i in range(args.pool)
    ]
    new = Doc(0, "Stop the rent hikes and evictions: tenants of Riverside", topic_id=3, latitude=51.5, longitude=-0.1)
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        rank(new, pool)
        timings.append(time.perf_counter() - started)
    print(f"pool={args.pool} median={statistics.median(timings) * 1000:.1f} ms max={max(timings) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
