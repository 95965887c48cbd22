"""Tour planning for one speaker: which requests to serve, in what order, on which dates. Pure Python, no database.

The travel model (days are whole calendar days; a talk is in the evening):

- Distances are great-circle (haversine) kilometres between city coordinates, rounded to whole metres so that every
  method compares the very same numbers.
- A leg of k km takes ``ceil(k / km_per_day)`` travel days (800 km a day by default). The last travel day may be the
  day of the talk: 500 km away means you can leave in the morning and speak that evening.
- Two talks need at least one day between them (at most one talk a day), and at least the travel days of the leg
  between their cities.
- Each availability window is one trip from home and back: the speaker leaves home on or after the window's first
  day, and is home again by its last day. Talk dates lie inside the trip. Overlapping or touching windows are merged.
- The plan serves as many requests as possible and, among those plans, travels the least in total (home to the first
  city, between cities, and from the last city home, for every trip).

Requests left out carry a reason: their date window misses the speaker's availability ("outside availability"), a
trip to them alone cannot fit inside any availability window that meets their dates ("too far"), or they fit alone
but not together with the requests the plan serves ("conflicts").

Up to EXACT_LIMIT requests an exact method decides (dynamic programming over subsets with Pareto labels on
date and distance, checked against brute force in the tests); above it OR-Tools' routing solver (one vehicle per
trip, a time dimension in days, a drop penalty larger than any total distance) searches within a time limit.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

EARTH_RADIUS_KM = 6371.0088
DEFAULT_KM_PER_DAY = 800.0
EXACT_LIMIT = 9
DEFAULT_TIME_LIMIT_S = 3.0


class Reason(StrEnum):
    OUTSIDE_AVAILABILITY = "outside_availability"
    TOO_FAR = "too_far"
    CONFLICTS = "conflicts"


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Window:
    start: date
    end: date


@dataclass(frozen=True)
class TourRequest:
    id: int
    point: Point
    earliest: date
    latest: date


@dataclass(frozen=True)
class Stop:
    request_id: int
    date: date
    order: int
    km_from_previous: float
    trip: int


@dataclass(frozen=True)
class Unplaced:
    request_id: int
    reason: Reason


@dataclass
class Plan:
    stops: list[Stop] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    total_km: float = 0.0
    # Kilometres of each trip's final leg home, keyed by trip number (for drawing and showing the route).
    km_home: dict[int, float] = field(default_factory=dict)
    method: str = "exact"

    @property
    def served(self) -> int:
        return len(self.stops)


def haversine_km(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    d_lat = lat2 - lat1
    d_lon = math.radians(b.longitude - a.longitude)
    h = math.sin(d_lat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(d_lon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def merge_windows(windows: Iterable[Window]) -> list[Window]:
    """Sorted, with overlapping or touching windows joined, and backwards ones dropped."""
    merged: list[Window] = []
    for window in sorted((w for w in windows if w.start <= w.end), key=lambda w: (w.start, w.end)):
        if merged and window.start <= merged[-1].end + timedelta(days=1):
            last = merged[-1]
            merged[-1] = Window(last.start, max(last.end, window.end))
        else:
            merged.append(window)
    return merged


@dataclass
class Problem:
    """The integer form every method solves: node 0 is home, node k (1…n) is requests[k-1]; days are ordinals."""

    requests: list[TourRequest]
    windows: list[Window]
    km_per_day: float
    metres: list[list[int]]
    earliest: list[int]
    latest: list[int]
    trips: list[tuple[int, int]]

    @classmethod
    def build(
        cls, home: Point, windows: Sequence[Window], requests: Sequence[TourRequest], km_per_day: float
    ) -> Problem:
        if km_per_day <= 0:
            raise ValueError("km_per_day must be positive")
        points = [home, *(r.point for r in requests)]
        metres = [[round(haversine_km(a, b) * 1000) for b in points] for a in points]
        merged = merge_windows(windows)
        return cls(
            requests=list(requests),
            windows=merged,
            km_per_day=km_per_day,
            metres=metres,
            earliest=[0, *(r.earliest.toordinal() for r in requests)],
            latest=[0, *(r.latest.toordinal() for r in requests)],
            trips=[(w.start.toordinal(), w.end.toordinal()) for w in merged],
        )

    @property
    def n(self) -> int:
        return len(self.requests)

    def travel_days(self, i: int, j: int) -> int:
        return math.ceil(self.metres[i][j] / (self.km_per_day * 1000))

    def first_date(self, trip: int, node: int) -> int:
        """The earliest talk date at node as the first stop of trip (leave home on the trip's first day)."""
        return self.trips[trip][0] + max(self.travel_days(0, node), 1) - 1

    def next_date(self, previous_date: int, i: int, j: int) -> int:
        return previous_date + max(self.travel_days(i, j), 1)

    def schedule(self, trip: int, order: Sequence[int]) -> list[int] | None:
        """Earliest dates for visiting nodes in this order on this trip, or None if it cannot be done.

        Taking every talk as early as its constraints allow is optimal: every constraint only pushes dates later.
        """
        dates: list[int] = []
        previous = 0
        for position, node in enumerate(order):
            if position == 0:
                day = max(self.first_date(trip, node), self.earliest[node])
            else:
                day = max(self.next_date(dates[-1], previous, node), self.earliest[node])
            if day > self.latest[node]:
                return None
            dates.append(day)
            previous = node
        if order and dates[-1] + self.travel_days(order[-1], 0) > self.trips[trip][1]:
            return None
        return dates

    def route_metres(self, order: Sequence[int]) -> int:
        if not order:
            return 0
        nodes = [0, *order, 0]
        return sum(self.metres[a][b] for a, b in itertools.pairwise(nodes))


# Exact method: Pareto labels over (subset, last stop) for each trip, then subsets split across trips.

type Label = tuple[int, int, int, object]  # (date, metres, node, parent label or None)


def _trip_best(problem: Problem, trip: int, candidates: list[int]) -> dict[int, tuple[int, list[int]]]:
    """For every subset (bitmask over candidates) one trip can serve: its least metres and an order achieving it."""
    index = {node: bit for bit, node in enumerate(candidates)}
    labels: dict[tuple[int, int], list[Label]] = {}
    best: dict[int, tuple[int, list[int]]] = {0: (0, [])}

    def add(mask: int, node: int, label: Label) -> bool:
        bucket = labels.setdefault((mask, node), [])
        day, metres = label[0], label[1]
        if any(d <= day and m <= metres for d, m, _, _ in bucket):
            return False
        bucket[:] = [lab for lab in bucket if not (day <= lab[0] and metres <= lab[1])]
        bucket.append(label)
        return True

    for node in candidates:
        day = max(problem.first_date(trip, node), problem.earliest[node])
        if day <= problem.latest[node]:
            add(1 << index[node], node, (day, problem.metres[0][node], node, None))
    # Masks grow by one bit per step, so visiting them in increasing popcount order sees every label once extended.
    masks = sorted(range(1, 1 << len(candidates)), key=lambda m: m.bit_count())
    for mask in masks:
        for node in candidates:
            for label in labels.get((mask, node), ()):
                day, metres = label[0], label[1]
                if day + problem.travel_days(node, 0) <= problem.trips[trip][1]:
                    total = metres + problem.metres[node][0]
                    if mask not in best or total < best[mask][0]:
                        best[mask] = (total, _unwind(label))
                for other in candidates:
                    bit = 1 << index[other]
                    if mask & bit:
                        continue
                    next_day = max(problem.next_date(day, node, other), problem.earliest[other])
                    if next_day <= problem.latest[other]:
                        add(mask | bit, other, (next_day, metres + problem.metres[node][other], other, label))
    return best


def _unwind(label: Label) -> list[int]:
    order: list[int] = []
    current: object = label
    while current is not None:
        assert isinstance(current, tuple)
        order.append(current[2])
        current = current[3]
    return order[::-1]


def solve_exact(problem: Problem, candidates: list[int]) -> list[list[int]]:
    """One order per trip, serving the most candidates with the least metres. Exponential: keep candidates small."""
    size = len(candidates)
    # combined[mask] = (metres, routes per trip so far) for the trips handled up to now.
    combined: dict[int, tuple[int, list[list[int]]]] = {0: (0, [])}
    for trip in range(len(problem.trips)):
        best = _trip_best(problem, trip, candidates)
        following: dict[int, tuple[int, list[list[int]]]] = {}
        for mask, (metres, routes) in combined.items():
            free = ((1 << size) - 1) & ~mask
            sub = free
            while True:
                if sub in best:
                    total = metres + best[sub][0]
                    key = mask | sub
                    if key not in following or total < following[key][0]:
                        following[key] = (total, [*routes, best[sub][1]])
                if sub == 0:
                    break
                sub = (sub - 1) & free
        combined = following
    if not combined:
        return [[] for _ in problem.trips]
    mask = min(combined, key=lambda m: (-m.bit_count(), combined[m][0]))
    return combined[mask][1]


def greedy_routes(problem: Problem, candidates: list[int]) -> list[list[int]]:
    """A quick feasible plan: take requests by deadline, put each where it adds the least distance (or leave it)."""
    routes: list[list[int]] = [[] for _ in problem.trips]
    waiting = sorted(candidates, key=lambda node: (problem.latest[node], problem.earliest[node], node))
    for _ in range(2):  # a second pass places requests that an early choice blocked before a later one moved things
        left: list[int] = []
        for node in waiting:
            best: tuple[int, int, int] | None = None
            for trip, route in enumerate(routes):
                base = problem.route_metres(route)
                for at in range(len(route) + 1):
                    trial = [*route[:at], node, *route[at:]]
                    if problem.schedule(trip, trial) is not None:
                        extra = problem.route_metres(trial) - base
                        if best is None or extra < best[0]:
                            best = (extra, trip, at)
            if best is None:
                left.append(node)
            else:
                routes[best[1]].insert(best[2], node)
        waiting = left
    return routes


# OR-Tools routing: one vehicle per trip, days as the time dimension, drops allowed at a penalty.


def solve_ortools(problem: Problem, candidates: list[int], time_limit_s: float) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    trips = len(problem.trips)
    if not candidates or not trips:
        return [[] for _ in range(trips)]
    # Routing node 0 is home (every vehicle's start and end), node k is candidates[k-1].
    nodes = [0, *candidates]
    manager = pywrapcp.RoutingIndexManager(len(nodes), trips, 0)
    routing = pywrapcp.RoutingModel(manager)

    def distance(from_index: int, to_index: int) -> int:
        a: int = nodes[manager.IndexToNode(from_index)]
        b: int = nodes[manager.IndexToNode(to_index)]
        return problem.metres[a][b]

    def days(from_index: int, to_index: int) -> int:
        a: int = nodes[manager.IndexToNode(from_index)]
        b: int = nodes[manager.IndexToNode(to_index)]
        if a == 0 and b == 0:
            return 0
        if a == 0:
            return max(problem.travel_days(0, b), 1) - 1
        if b == 0:
            return problem.travel_days(a, 0)
        return max(problem.travel_days(a, b), 1)

    distance_callback = routing.RegisterTransitCallback(distance)
    routing.SetArcCostEvaluatorOfAllVehicles(distance_callback)
    horizon_start = min(start for start, _ in problem.trips)
    horizon_end = max(end for _, end in problem.trips)
    day_callback = routing.RegisterTransitCallback(days)
    span = horizon_end - horizon_start
    routing.AddDimension(day_callback, span + 1, horizon_end + 1, False, "days")
    dimension = routing.GetDimensionOrDie("days")
    for vehicle, (start, end) in enumerate(problem.trips):
        dimension.CumulVar(routing.Start(vehicle)).SetRange(start, end)
        dimension.CumulVar(routing.End(vehicle)).SetRange(start, end)
    longest = max(max(row) for row in problem.metres)
    penalty = (len(candidates) + trips) * longest + 1
    for position, node in enumerate(candidates, start=1):
        index = manager.NodeToIndex(position)
        # Candidates meet some trip's dates (plan_tour filtered the others out), so this range is never empty.
        low, high = max(problem.earliest[node], horizon_start), min(problem.latest[node], horizon_end)
        dimension.CumulVar(index).SetRange(low, high)
        routing.AddDisjunction([index], penalty)

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.FromMilliseconds(int(time_limit_s * 1000))
    # Start the search from a good feasible tour (deadline order, cheapest insertion): routing heuristics alone
    # often settle for dropping a request that a different order could serve.
    routing.CloseModelWithParameters(parameters)
    routing_node = {node: k for k, node in enumerate(nodes)}
    start_routes = [
        [manager.NodeToIndex(routing_node[node]) for node in route] for route in greedy_routes(problem, candidates)
    ]
    initial = routing.ReadAssignmentFromRoutes(start_routes, True)
    if initial is not None:
        solution = routing.SolveFromAssignmentWithParameters(initial, parameters)
    else:
        solution = routing.SolveWithParameters(parameters)
    routes: list[list[int]] = []
    for vehicle in range(trips):
        order: list[int] = []
        if solution is not None:
            index = solution.Value(routing.NextVar(routing.Start(vehicle)))
            while not routing.IsEnd(index):
                order.append(nodes[manager.IndexToNode(index)])
                index = solution.Value(routing.NextVar(index))
        routes.append(order)
    return routes


# The entry point.


def plan_tour(
    *,
    home: Point,
    availability: Sequence[Window],
    requests: Sequence[TourRequest],
    km_per_day: float = DEFAULT_KM_PER_DAY,
    method: str = "auto",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> Plan:
    """Plan the speaker's trips. method: "auto" (exact up to EXACT_LIMIT requests, else OR-Tools), "exact",
    "ortools"."""
    problem = Problem.build(home, availability, requests, km_per_day)
    unplaced: dict[int, Reason] = {}
    candidates: list[int] = []
    for node in range(1, problem.n + 1):
        meets = [
            t
            for t, (start, end) in enumerate(problem.trips)
            if problem.earliest[node] <= end and problem.latest[node] >= start
        ]
        if not meets:
            unplaced[node] = Reason.OUTSIDE_AVAILABILITY
        elif not any(problem.schedule(t, [node]) is not None for t in meets):
            unplaced[node] = Reason.TOO_FAR
        else:
            candidates.append(node)
    chosen = method if method != "auto" else ("exact" if len(candidates) <= EXACT_LIMIT else "ortools")
    if chosen == "exact":
        routes = solve_exact(problem, candidates)
    elif chosen == "ortools":
        routes = solve_ortools(problem, candidates, time_limit_s)
    else:
        raise ValueError(f"unknown method {method!r}")
    return _assemble(problem, routes, candidates, unplaced, chosen)


def _assemble(
    problem: Problem, routes: list[list[int]], candidates: list[int], unplaced: dict[int, Reason], method: str
) -> Plan:
    plan = Plan(method=method)
    served: set[int] = set()
    total = 0
    order = 0
    for trip, route in enumerate(routes):
        dates = problem.schedule(trip, route)
        if dates is None:  # a solver answer that breaks the model is a bug; never show a broken plan
            raise AssertionError(f"infeasible route {route} for trip {trip}")
        previous = 0
        for node, day in zip(route, dates, strict=True):
            order += 1
            plan.stops.append(
                Stop(
                    request_id=problem.requests[node - 1].id,
                    date=date.fromordinal(day),
                    order=order,
                    km_from_previous=problem.metres[previous][node] / 1000,
                    trip=trip,
                )
            )
            served.add(node)
            previous = node
        if route:
            plan.km_home[trip] = problem.metres[previous][0] / 1000
        total += problem.route_metres(route)
    plan.total_km = total / 1000
    for node in candidates:
        if node not in served:
            unplaced[node] = Reason.CONFLICTS
    plan.unplaced = [Unplaced(problem.requests[node - 1].id, unplaced[node]) for node in sorted(unplaced)]
    return plan


def total_metres(plan: Plan, problem: Problem) -> int:
    """The plan's distance in the problem's integer metres (for exact comparisons)."""
    position = {r.id: k for k, r in enumerate(problem.requests, start=1)}
    metres = 0
    for trip in range(len(problem.trips)):
        order = [position[s.request_id] for s in plan.stops if s.trip == trip]
        metres += problem.route_metres(order)
    return metres
