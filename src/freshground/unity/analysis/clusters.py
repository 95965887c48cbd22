"""Base clusters, group clusters chosen by silhouette, the k-smoother and stable labels (docs/unity-math.md, 6–9)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .matrix import Floats, Ints

BASE_ITERATIONS = 100  # Pol.is base-iters
GROUP_ITERATIONS = 100  # Pol.is meant group-iters 100 (and ran 20 by a bug); we run to convergence, at most 100
GROUP_RESTARTS = 10  # seeded k-means++ starts tried besides the Pol.is start
INERTIA_MARGIN = 0.01  # another start replaces the Pol.is start only when its inertia is lower by more than 1 %


def first_distinct(points: Floats, k: int, exclude: Floats | None = None) -> Floats:
    """Pol.is's init-clusters: the first k distinct rows in order (skipping rows equal to an excluded centre)."""
    if not len(points) or k <= 0:
        return np.zeros((0, 2))
    _, first = np.unique(points, axis=0, return_index=True)
    candidates = points[np.sort(first)]
    if exclude is not None and len(exclude):
        seen = {tuple(row) for row in exclude.tolist()}
        candidates = np.asarray([row for row in candidates.tolist() if tuple(row) not in seen]).reshape(-1, 2)
    return candidates[:k]


def _sq_dist(points: Floats, centres: Floats) -> Floats:
    d = (points**2).sum(1)[:, None] - 2 * points @ centres.T + (centres**2).sum(1)[None, :]
    return np.maximum(d, 0.0)


def kmeans(
    points: Floats, centres: Floats, *, weights: Floats | None = None, iterations: int = BASE_ITERATIONS
) -> tuple[Floats, Ints]:
    """Lloyd's k-means from the given centres until assignments stop changing. Ties go to the lower centre; empty
    clusters are dropped (Pol.is). Returns (centres, label per point), labels indexing the returned centres."""
    w = np.ones(len(points)) if weights is None else weights
    labels = np.full(len(points), -1, dtype=np.int64)
    for _ in range(iterations):
        new = np.argmin(_sq_dist(points, centres), axis=1).astype(np.int64)
        mass = np.bincount(new, weights=w, minlength=len(centres))
        kept = mass > 0
        if not kept.all():
            remap = np.cumsum(kept) - 1
            new, mass, centres = remap[new], mass[kept], centres[kept]
        sums = np.stack([np.bincount(new, weights=w * points[:, d], minlength=len(centres)) for d in range(2)], 1)
        centres = sums / mass[:, None]
        if np.array_equal(new, labels):
            break
        labels = new
    labels = np.argmin(_sq_dist(points, centres), axis=1).astype(np.int64)
    return centres, labels


def kmeans_pp(points: Floats, weights: Floats, k: int, rng: np.random.Generator) -> Floats:
    """Weighted k-means++ seeding (deterministic given the generator)."""
    chosen = [int(rng.choice(len(points), p=weights / weights.sum()))]
    d = _sq_dist(points, points[chosen])[:, 0]
    for _ in range(1, k):
        p = weights * d
        if p.sum() <= 0:
            break
        chosen.append(int(rng.choice(len(points), p=p / p.sum())))
        d = np.minimum(d, _sq_dist(points, points[chosen[-1:]])[:, 0])
    return points[chosen]


def inertia(points: Floats, weights: Floats, centres: Floats, labels: Ints) -> float:
    return float((weights * ((points - centres[labels]) ** 2).sum(1)).sum())


def silhouette(points: Floats, labels: Ints) -> float:
    """Mean silhouette (Rousseeuw) over the points, unweighted; a point alone in its cluster scores 0."""
    n = len(points)
    clusters = np.unique(labels)
    if len(clusters) < 2 or n < 3:
        return 0.0
    dist = np.sqrt(_sq_dist(points, points))
    sums = np.stack([dist[:, labels == c].sum(1) for c in clusters], 1)
    sizes = np.asarray([(labels == c).sum() for c in clusters], dtype=np.float64)
    own = np.searchsorted(clusters, labels)
    own_size = sizes[own]
    a = sums[np.arange(n), own] / np.maximum(own_size - 1, 1)
    other = sums / sizes[None, :]
    other[np.arange(n), own] = np.inf
    b = other.min(1)
    s = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(np.nan_to_num(s).mean())


def max_k(n_base: int, settings_max_k: int) -> int:
    """Pol.is max-k-fn: min(max_k, 2 + floor(n_base / 12))."""
    return min(settings_max_k, 2 + n_base // 12)


@dataclass(frozen=True)
class GroupClustering:
    k: int
    centres: Floats  # k × 2
    base_labels: Ints  # group index per base cluster


def group_clusterings(
    base: Floats, weights: Floats, *, settings_max_k: int, seed: int, previous_centres: Floats | None
) -> tuple[dict[int, GroupClustering], dict[int, float]]:
    """Weighted k-means of the base centres for k = 2..max k; the silhouette of each on the base centres."""
    distinct = len(np.unique(base, axis=0)) if len(base) else 0
    top = min(max_k(len(base), settings_max_k), distinct)
    results: dict[int, GroupClustering] = {}
    scores: dict[int, float] = {}
    for k in range(2, top + 1):
        # Pol.is: warm start from the last clustering with this k, else the first k distinct base centres. We also try
        # seeded k-means++ starts and keep one only if its weighted inertia is lower by more than INERTIA_MARGIN
        # (the Pol.is start is kept on near-ties, so a recomputation does not hop between equivalent optima).
        start = previous_centres if previous_centres is not None and len(previous_centres) == k else None
        best: tuple[float, Floats, Ints] | None = None
        for attempt in range(GROUP_RESTARTS + 1):
            if attempt == 0:
                init = start if start is not None else first_distinct(base, k)
            else:
                init = kmeans_pp(base, weights, k, np.random.default_rng([seed, k, attempt]))
            centres, labels = kmeans(base, init.copy(), weights=weights, iterations=GROUP_ITERATIONS)
            if len(centres) != k:
                continue
            score = inertia(base, weights, centres, labels)
            if best is None or score < best[0] * (1 - INERTIA_MARGIN):
                best = (score, centres, labels)
        if best is None:
            continue
        results[k] = GroupClustering(k, best[1], best[2])
        scores[k] = silhouette(base, best[2])
    return results, scores


def smooth_k(
    best: int, previous_k: int | None, streak: tuple[int, int] | None, buffer: int
) -> tuple[int, tuple[int, int]]:
    """Pol.is group-k-smoother: switch to the best k only once it has been best `buffer` updates in a row."""
    count = streak[1] + 1 if streak and streak[0] == best else 1
    if previous_k is None or count >= buffer or previous_k == best:
        return best, (best, count)
    return previous_k, (best, count)


def hungarian(cost: Floats) -> list[tuple[int, int]]:
    """Minimum-cost assignment of rows to columns (rows ≤ columns after an internal transpose); pairs (row, col)."""
    n, m = cost.shape
    if n == 0 or m == 0:
        return []
    if n > m:
        return [(r, c) for c, r in hungarian(cost.T)]
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = float(cost[i0 - 1, j - 1]) - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    return sorted((p[j] - 1, j - 1) for j in range(1, m + 1) if p[j])


def stable_labels(centres: Floats, sizes: Sequence[int], previous: Mapping[int, tuple[float, float]]) -> list[int]:
    """A label per new group: matched to the previous centres by minimum total squared distance (Hungarian); new
    groups take the smallest unused labels. Without a history, labels go by size (0 = largest), then by x."""
    order = sorted(range(len(centres)), key=lambda g: (-sizes[g], float(centres[g][0]), float(centres[g][1])))
    labels = [-1] * len(centres)
    if previous:
        old = sorted(previous)
        old_centres = np.asarray([previous[label] for label in old], dtype=np.float64)
        for g, o in hungarian(_sq_dist(centres, old_centres)):
            labels[g] = old[o]
    taken = set(labels) | set(previous)
    free = (i for i in range(len(centres) + len(taken) + 1) if i not in taken)
    for g in order:
        if labels[g] < 0:
            labels[g] = next(free)
    return labels
