"""The tour planner against brute force: on random small cases it serves as many requests and travels as little."""

from __future__ import annotations

import itertools
import random
import time
from datetime import date, timedelta

import pytest

from freshground.speakers.planner import (
    Plan,
    Point,
    Problem,
    Reason,
    TourRequest,
    Window,
    haversine_km,
    merge_windows,
    plan_tour,
    total_metres,
)

LEEDS = Point(53.80, -1.55)
DAY0 = date(2027, 3, 1)


def brute_force(problem: Problem) -> tuple[int, int]:
    """(most requests served, least metres) by trying every subset, order and split of the order into trips."""
    best = (0, 0)
    nodes = range(1, problem.n + 1)
    trips = len(problem.trips)
    for size in range(1, problem.n + 1):
        for order in itertools.permutations(nodes, size):
            # Trips are disjoint and in date order, so a plan is one order cut into consecutive runs, one per trip.
            for cuts in itertools.combinations_with_replacement(range(size + 1), trips - 1):
                bounds = [0, *cuts, size]
                runs = [order[bounds[t] : bounds[t + 1]] for t in range(trips)]
                if all(problem.schedule(t, run) is not None for t, run in enumerate(runs)):
                    metres = sum(problem.route_metres(run) for run in runs)
                    if (size, -metres) > (best[0], -best[1]) or (size > best[0]):
                        best = (size, metres)
    return best


def random_case(rng: random.Random, n: int, trips: int) -> tuple[list[Window], list[TourRequest]]:
    windows = []
    start = DAY0
    for _ in range(trips):
        start += timedelta(days=rng.randint(0, 6))
        end = start + timedelta(days=rng.randint(2, 9))
        windows.append(Window(start, end))
        start = end + timedelta(days=2)
    requests = []
    for k in range(n):
        # Cities across Europe: some legs take several travel days, some requests cannot be reached.
        point = Point(rng.uniform(37.0, 60.0), rng.uniform(-9.0, 25.0))
        earliest = DAY0 + timedelta(days=rng.randint(-3, 28))
        latest = earliest + timedelta(days=rng.randint(0, 8))
        requests.append(TourRequest(id=100 + k, point=point, earliest=earliest, latest=latest))
    return windows, requests


def check_plan(plan: Plan, windows: list[Window], requests: list[TourRequest], problem: Problem) -> None:
    """Every stop honours its window, the availability, one talk a day and the travel days."""
    by_id = {r.id: r for r in requests}
    merged = merge_windows(windows)
    days = [stop.date for stop in plan.stops]
    assert len(days) == len(set(days)), "at most one talk a day"
    for stop in plan.stops:
        request = by_id[stop.request_id]
        assert request.earliest <= stop.date <= request.latest
        assert merged[stop.trip].start <= stop.date <= merged[stop.trip].end
    for a, b in itertools.pairwise(plan.stops):
        if a.trip == b.trip:
            travel = problem.travel_days(
                [r.id for r in requests].index(a.request_id) + 1, [r.id for r in requests].index(b.request_id) + 1
            )
            assert (b.date - a.date).days >= max(travel, 1)
    placed = {s.request_id for s in plan.stops} | {u.request_id for u in plan.unplaced}
    assert placed == set(by_id)


@pytest.mark.parametrize("seed", range(40))
def test_exact_plan_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 6)
    trips = rng.randint(1, 2)
    windows, requests = random_case(rng, n, trips)
    problem = Problem.build(LEEDS, windows, requests, 800.0)
    plan = plan_tour(home=LEEDS, availability=windows, requests=requests)
    assert plan.method == "exact"
    assert (plan.served, total_metres(plan, problem)) == brute_force(problem)
    check_plan(plan, windows, requests, problem)


@pytest.mark.parametrize("seed", range(12))
def test_ortools_matches_brute_force_on_small_cases(seed: int) -> None:
    """OR-Tools with the same model finds the same optimum on small cases (the planner still uses the exact method
    up to nine requests, so a heuristic miss could never reach a speaker)."""
    rng = random.Random(1000 + seed)
    windows, requests = random_case(rng, rng.randint(2, 6), rng.randint(1, 2))
    problem = Problem.build(LEEDS, windows, requests, 800.0)
    plan = plan_tour(home=LEEDS, availability=windows, requests=requests, method="ortools", time_limit_s=0.5)
    assert (plan.served, total_metres(plan, problem)) == brute_force(problem)
    check_plan(plan, windows, requests, problem)


def test_nine_requests_exact_is_quick_and_valid() -> None:
    rng = random.Random(9)
    windows = [Window(DAY0, DAY0 + timedelta(days=20)), Window(DAY0 + timedelta(days=25), DAY0 + timedelta(days=40))]
    requests = [
        TourRequest(
            id=k,
            point=Point(rng.uniform(50.0, 56.0), rng.uniform(-5.0, 5.0)),
            earliest=DAY0 + timedelta(days=rng.randint(0, 30)),
            latest=DAY0 + timedelta(days=rng.randint(31, 40)),
        )
        for k in range(9)
    ]
    started = time.perf_counter()
    plan = plan_tour(home=LEEDS, availability=windows, requests=requests)
    assert time.perf_counter() - started < 5
    assert plan.method == "exact"
    assert plan.served == 9
    check_plan(plan, windows, requests, Problem.build(LEEDS, windows, requests, 800.0))


def test_reasons_for_requests_that_cannot_fit() -> None:
    windows = [Window(DAY0, DAY0 + timedelta(days=4))]
    york = Point(53.96, -1.08)
    requests = [
        TourRequest(1, york, DAY0 + timedelta(days=1), DAY0 + timedelta(days=1)),
        # Same evening as York, fifty miles away: one of the two must go.
        TourRequest(2, Point(53.48, -2.24), DAY0 + timedelta(days=1), DAY0 + timedelta(days=1)),
        # Dates after the speaker is home again.
        TourRequest(3, york, DAY0 + timedelta(days=10), DAY0 + timedelta(days=12)),
        # Athens: three travel days there and three back do not fit into five days.
        TourRequest(4, Point(37.98, 23.73), DAY0, DAY0 + timedelta(days=4)),
    ]
    plan = plan_tour(home=LEEDS, availability=windows, requests=requests)
    assert plan.served == 1
    assert plan.stops[0].date == DAY0 + timedelta(days=1)
    reasons = {u.request_id: u.reason for u in plan.unplaced}
    assert reasons[3] == Reason.OUTSIDE_AVAILABILITY
    assert reasons[4] == Reason.TOO_FAR
    assert reasons[plan.stops[0].request_id ^ 3] == Reason.CONFLICTS  # whichever of 1 and 2 was left out


def test_travel_days_between_far_cities() -> None:
    """Leeds to Lisbon is about 1,760 km: three travel days, so the Lisbon talk waits until the third day after."""
    lisbon, york = Point(38.72, -9.14), Point(53.96, -1.08)
    windows = [Window(DAY0, DAY0 + timedelta(days=20))]
    requests = [
        TourRequest(1, york, DAY0, DAY0),
        TourRequest(2, lisbon, DAY0, DAY0 + timedelta(days=10)),
    ]
    plan = plan_tour(home=LEEDS, availability=windows, requests=requests)
    assert [s.request_id for s in plan.stops] == [1, 2]
    days = (plan.stops[1].date - plan.stops[0].date).days
    assert days == 3
    assert plan.total_km == pytest.approx(
        haversine_km(LEEDS, Point(53.96, -1.08))
        + haversine_km(Point(53.96, -1.08), lisbon)
        + haversine_km(lisbon, LEEDS),
        abs=0.01,
    )


def test_windows_merge_and_empty_inputs() -> None:
    merged = merge_windows(
        [Window(DAY0, DAY0 + timedelta(days=3)), Window(DAY0 + timedelta(days=4), DAY0 + timedelta(days=6))]
    )
    assert merged == [Window(DAY0, DAY0 + timedelta(days=6))]
    plan = plan_tour(home=LEEDS, availability=[], requests=[TourRequest(1, LEEDS, DAY0, DAY0)])
    assert plan.served == 0
    assert plan.unplaced[0].reason == Reason.OUTSIDE_AVAILABILITY
    assert plan_tour(home=LEEDS, availability=merged, requests=[]).served == 0


def test_thirty_requests_with_ortools_within_five_seconds() -> None:
    rng = random.Random(30)
    windows = [Window(DAY0, DAY0 + timedelta(days=45))]
    requests = [
        TourRequest(
            id=k,
            point=Point(rng.uniform(50.0, 56.0), rng.uniform(-5.0, 5.0)),
            earliest=DAY0 + timedelta(days=rng.randint(0, 30)),
            latest=DAY0 + timedelta(days=rng.randint(31, 45)),
        )
        for k in range(30)
    ]
    started = time.perf_counter()
    plan = plan_tour(home=LEEDS, availability=windows, requests=requests, time_limit_s=2.0)
    assert time.perf_counter() - started < 5
    assert plan.method == "ortools"
    assert plan.served == 30
    check_plan(plan, windows, requests, Problem.build(LEEDS, windows, requests, 800.0))
