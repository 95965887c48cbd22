"""A bridging matrix factorisation in the spirit of Community Notes, for recommendations ("worth reading").

Ratings are 1 (a reader recommended an item) plus implicit 0s: items a reader was plausibly shown and did not
recommend (see `implicit_zeros`). The prediction is

    r̂(u, n) = μ + i_u + i_n + f_u · f_n,    f_u = mean of f_g over the reader's groups g + d_u

so a reader's one-dimensional "faction" factor is the mean of their circles' and centers' factors plus their own
deviation: the model explains away each group's faction as well as each reader's. The loss is Community Notes'
as implemented (per-group means, not sums):

    mean((r − r̂)²) + λ_f·(mean(f_n²) + mean(d_u²) + mean(f_g²)) + λ_i·(mean(i_u²) + mean(i_n²) + μ²)

fitted with L-BFGS and analytic gradients (np.bincount). Signs are identified as Community Notes does (the majority
of readers get a negative factor). An item's score is its intercept i_n: what is left of its appeal once the
factions of its readers are explained away, shrunk towards zero for items with few recommenders
(score = i_n · n / (n + support_prior)): Community Notes gives no status under five ratings; a journal must rank
every item, so the shrinkage plays that part. Without it, on the benchmark's data, items with a dozen recommenders
from one side crowded the top (64 of the top 100 were cross-faction; with it, 95).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from freshground.journal.ranking.blas import single_threaded

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Settings:
    lambda_f: float = 0.03  # factors (items, readers' own deviations, groups)
    lambda_i: float = 0.15  # intercepts (items, readers, global)
    zeros_per_recommendation: float = 1.0  # implicit 0s sampled per recommendation, per reader
    group_share: float = 0.5  # of a reader's implicit 0s, the share drawn from what their groups recommended
    window_hours: float = 24.0 * 14  # an item published this long before/after a reader's activity was "seen"
    support_prior: float = 5.0  # score = intercept · n / (n + support_prior), n = the item's recommenders
    max_iterations: int = 200  # converges in 120–180 on planted data; caps the time at scale
    tolerance: float = 1e-9
    seed: int = 0

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Fit:
    mu: float
    item_score: FloatArray  # the intercept, shrunk towards 0 for items with few recommenders: the ranking
    item_intercept: FloatArray
    item_factor: FloatArray
    reader_intercept: FloatArray
    reader_factor: FloatArray  # group mean + own deviation
    group_factor: FloatArray
    item_recommendations: IntArray  # distinct readers who recommended the item
    item_groups: IntArray  # distinct groups (circles and centers) among its recommenders
    item_groups_by_kind: dict[int, IntArray]  # the same per group kind (e.g. 0: circles, 1: centers)
    ratings: int  # recommendations + implicit zeros fitted
    zeros: int
    loss: float
    mse: float
    iterations: int
    converged: bool
    seconds: float
    settings: Settings = field(default_factory=Settings)


def _pairs(data: Any, name: str) -> tuple[IntArray, IntArray]:
    """(a, b) index arrays from an (m, 2) array-like or a pair of sequences."""
    if isinstance(data, tuple) and len(data) == 2:
        a = np.asarray(data[0], dtype=np.int64).ravel()
        b = np.asarray(data[1], dtype=np.int64).ravel()
    else:
        arr = np.asarray(data, dtype=np.int64)
        if arr.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise ValueError(f"{name} must be (m, 2) pairs")
        a, b = arr[:, 0].copy(), arr[:, 1].copy()
    if a.shape != b.shape:
        raise ValueError(f"{name}: both columns must have the same length")
    if a.size and (a.min() < 0 or b.min() < 0):
        raise ValueError(f"{name}: indices must be non-negative")
    return a, b


def _unique_pairs(a: IntArray, b: IntArray, nb: int) -> tuple[IntArray, IntArray]:
    if a.size == 0:
        return a, b
    codes = np.unique(a * nb + b)
    return codes // nb, codes % nb


def implicit_zeros(
    readers: IntArray,
    items: IntArray,
    member_reader: IntArray,
    member_group: IntArray,
    *,
    n_readers: int,
    n_items: int,
    n_groups: int,
    item_time: FloatArray | None,
    rating_time: FloatArray | None,
    settings: Settings,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray]:
    """Items each reader was plausibly exposed to and did not recommend, as (reader, item) pairs.

    Each reader gets about `zeros_per_recommendation` × (their recommendations) draws:
    - a `group_share` of them from what their groups recommended (a random recommendation by a fellow member of a
      random one of their groups: popular items in one's circles are the ones one has most likely seen), and
    - the rest from the recommended items published in the reader's active window (from `window_hours` before
      their first recommendation to `window_hours` after their last; all of them without times), each in proportion
      to its recommendations: what many recommend is what most readers were shown. (Drawing items uniformly instead
      lands the zeros on obscure items, and the other faction's popular items never get any: measured on the
      benchmark's data, the factors then learned nothing.)
    Only items somebody recommended are candidates: an item nobody recommended carries no signal, and zeros on it would
    only push it below the unranked ones at random. Draws that hit the reader's own recommendations, and repeats,
    are dropped.
    """
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    if readers.size == 0 or settings.zeros_per_recommendation <= 0:
        return empty
    per_reader = np.bincount(readers, minlength=n_readers)
    draws = np.ceil(per_reader * settings.zeros_per_recommendation).astype(np.int64)
    # Window candidates: one per recommendation, so an item is drawn in proportion to how often it was recommended
    # (popular items are the ones most readers were shown, e.g. on the front page).
    candidates = items.copy()

    # Group draws: for each reader with groups, draw group memberships, then a recommendation by that group.
    group_readers = np.zeros(0, np.int64)
    group_items = np.zeros(0, np.int64)
    if member_reader.size and n_groups:
        # recommendations of each group: join ratings with memberships on reader
        order = np.argsort(member_reader, kind="stable")
        mr, mg = member_reader[order], member_group[order]
        groups_per_reader = np.bincount(mr, minlength=n_readers)
        start = np.concatenate(([0], np.cumsum(groups_per_reader)))
        reps = groups_per_reader[readers]
        rating_idx = np.repeat(np.arange(readers.size), reps)
        offsets = np.arange(rating_idx.size) - np.repeat(np.cumsum(reps) - reps, reps)
        g_of = mg[start[readers[rating_idx]] + offsets]
        g_order = np.argsort(g_of, kind="stable")
        g_sorted_items = items[rating_idx[g_order]]
        g_count = np.bincount(g_of, minlength=n_groups)
        g_start = np.concatenate(([0], np.cumsum(g_count)))
        n_group_draws = np.where(groups_per_reader > 0, np.round(draws * settings.group_share), 0).astype(np.int64)
        group_readers = np.repeat(np.arange(n_readers), n_group_draws)
        if group_readers.size:
            k = groups_per_reader[group_readers]
            pick = start[group_readers] + (rng.random(group_readers.size) * k).astype(np.int64)
            g = mg[pick]
            size = g_count[g]
            ok = size > 0
            group_readers, g, size = group_readers[ok], g[ok], size[ok]
            group_items = g_sorted_items[g_start[g] + (rng.random(g.size) * size).astype(np.int64)]
        draws = draws - n_group_draws

    # Window draws.
    window_readers = np.repeat(np.arange(n_readers), np.maximum(draws, 0))
    if item_time is not None and rating_time is not None:
        cand_time = item_time[candidates]
        order = np.argsort(cand_time, kind="stable")
        candidates, cand_time = candidates[order], cand_time[order]
        first = np.full(n_readers, np.inf)
        last = np.full(n_readers, -np.inf)
        np.minimum.at(first, readers, rating_time)
        np.maximum.at(last, readers, rating_time)
        lo = np.searchsorted(cand_time, first - settings.window_hours, side="left")
        hi = np.searchsorted(cand_time, last + settings.window_hours, side="right")
        lo_r, hi_r = lo[window_readers], hi[window_readers]
        ok = hi_r > lo_r
        window_readers, lo_r, hi_r = window_readers[ok], lo_r[ok], hi_r[ok]
        window_items = candidates[lo_r + (rng.random(window_readers.size) * (hi_r - lo_r)).astype(np.int64)]
    else:
        window_items = candidates[(rng.random(window_readers.size) * candidates.size).astype(np.int64)]

    zr = np.concatenate((group_readers, window_readers))
    zi = np.concatenate((group_items, window_items))
    if zr.size == 0:
        return empty
    codes = np.unique(zr * n_items + zi)
    own = np.unique(readers * n_items + items)
    codes = codes[~np.isin(codes, own, assume_unique=True)]
    return codes // n_items, codes % n_items


def fit(
    ratings: Any,
    reader_groups: Any = (),
    *,
    n_readers: int | None = None,
    n_items: int | None = None,
    n_groups: int | None = None,
    group_kinds: Any = None,
    item_time: Any = None,
    rating_time: Any = None,
    settings: Settings | None = None,
) -> Fit:
    """Fit the bridging model.

    `ratings`: (reader, item) index pairs, one per recommendation (duplicates are merged). `reader_groups`:
    (reader, group) pairs, the circles and centers each reader belongs to. `group_kinds[g]` (optional) splits the
    count of valued groups by kind. `item_time[n]` and `rating_time[k]` (hours, optional) bound each reader's
    implicit zeros to the items of their active window.
    """
    settings = settings or Settings()
    started = time.perf_counter()
    rng = np.random.default_rng(settings.seed)
    readers, items = _pairs(ratings, "ratings")
    member_reader, member_group = _pairs(reader_groups, "reader_groups")
    n_readers = int(
        max(
            n_readers or 0,
            readers.max() + 1 if readers.size else 0,
            member_reader.max() + 1 if member_reader.size else 0,
        )
    )
    n_items = int(max(n_items or 0, items.max() + 1 if items.size else 0))
    n_groups = int(max(n_groups or 0, member_group.max() + 1 if member_group.size else 0))
    r_time = None if rating_time is None else np.asarray(rating_time, dtype=np.float64).ravel()
    i_time = None if item_time is None else np.asarray(item_time, dtype=np.float64).ravel()
    if r_time is not None and r_time.shape != readers.shape:
        raise ValueError("rating_time must have one value per rating")
    if i_time is not None and i_time.shape[0] < n_items:
        raise ValueError("item_time must have one value per item")
    if readers.size:
        codes, first = np.unique(readers * n_items + items, return_index=True)
        readers, items = codes // n_items, codes % n_items
        if r_time is not None:
            r_time = r_time[first]
    member_reader, member_group = _unique_pairs(member_reader, member_group, max(n_groups, 1))

    # Distinct groups among each item's recommenders.
    item_recs = np.bincount(items, minlength=n_items).astype(np.int64)
    item_groups, by_kind = _valued_groups(
        readers, items, member_reader, member_group, n_readers, n_items, n_groups, group_kinds
    )

    zero_readers, zero_items = implicit_zeros(
        readers, items, member_reader, member_group,
        n_readers=n_readers, n_items=n_items, n_groups=n_groups,
        item_time=i_time, rating_time=r_time, settings=settings, rng=rng,
    )  # fmt: skip
    u = np.concatenate((readers, zero_readers))
    n = np.concatenate((items, zero_items))
    r = np.concatenate((np.ones(readers.size), np.zeros(zero_readers.size)))
    m = int(r.size)

    if m == 0:
        zeros_n, zeros_u, zeros_g = np.zeros(n_items), np.zeros(n_readers), np.zeros(n_groups)
        return Fit(
            0.0, zeros_n.copy(), zeros_n, zeros_n.copy(), zeros_u, zeros_u.copy(), zeros_g, item_recs, item_groups,
            by_kind,
            0, 0, 0.0, 0.0, 0, True, time.perf_counter() - started, settings,
        )  # fmt: skip

    # Group weights: a reader's group factor is the mean of their groups' factors.
    groups_per_reader = np.bincount(member_reader, minlength=n_readers).astype(np.float64)
    w = 1.0 / groups_per_reader[member_reader] if member_reader.size else np.zeros(0)
    rated_u = np.bincount(u, minlength=n_readers) > 0
    rated_n = np.bincount(n, minlength=n_items) > 0
    rated_g = np.zeros(n_groups, bool)
    if member_reader.size:
        rated_g[member_group[rated_u[member_reader]]] = True
    cu, cn, cg = max(int(rated_u.sum()), 1), max(int(rated_n.sum()), 1), max(int(rated_g.sum()), 1)
    lf, li = settings.lambda_f, settings.lambda_i

    # Parameter vector: [mu, i_u (U), i_n (N), d_u (U), f_n (N), f_g (G)]. The objective is m × the CN loss (same
    # minimiser, gradients of order one for the optimiser's tolerances).
    U, N, G = n_readers, n_items, n_groups
    s_iu, s_in, s_du, s_fn, s_fg = 1, 1 + U, 1 + U + N, 1 + 2 * U + N, 1 + 2 * U + 2 * N

    def unpack(x: FloatArray) -> tuple[float, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        return float(x[0]), x[s_iu:s_in], x[s_in:s_du], x[s_du:s_fn], x[s_fn:s_fg], x[s_fg:]

    def reader_factor(du: FloatArray, fg: FloatArray) -> FloatArray:
        if member_reader.size == 0:
            return du
        return du + np.bincount(member_reader, weights=w * fg[member_group], minlength=U)

    def objective(x: FloatArray) -> tuple[float, FloatArray]:
        mu, iu, i_n, du, fn, fg = unpack(x)
        fu = reader_factor(du, fg)
        fu_r, fn_r = fu[u], fn[n]
        e = mu + iu[u] + i_n[n] + fu_r * fn_r - r
        loss = float(e @ e) / m
        reg = (
            lf * (float(fn @ fn) / cn + float(du @ du) / cu + float(fg @ fg) / cg)
            + li * (float(iu @ iu) / cu + float(i_n @ i_n) / cn + mu * mu)
        )  # fmt: skip
        g = np.empty_like(x)
        two_e = 2.0 * e
        g[0] = two_e.sum() / m + 2 * li * mu
        g[s_iu:s_in] = np.bincount(u, weights=two_e, minlength=U) / m + 2 * li * iu / cu
        g[s_in:s_du] = np.bincount(n, weights=two_e, minlength=N) / m + 2 * li * i_n / cn
        g_fu = np.bincount(u, weights=two_e * fn_r, minlength=U) / m
        g[s_du:s_fn] = g_fu + 2 * lf * du / cu
        g[s_fn:s_fg] = np.bincount(n, weights=two_e * fu_r, minlength=N) / m + 2 * lf * fn / cn
        if G:
            g_fg = 2 * lf * fg / cg
            if member_reader.size:
                g_fg = g_fg + np.bincount(member_group, weights=w * g_fu[member_reader], minlength=G)
            g[s_fg:] = g_fg
        return (loss + reg) * m, g * m

    x0 = np.zeros(1 + 2 * U + 2 * N + G)
    # Factors start small and random (zero is a saddle); intercepts at zero. Unrated entities start at zero and stay.
    x0[s_du:s_fn] = rng.uniform(-0.1, 0.1, U) * rated_u
    x0[s_fn:s_fg] = rng.uniform(-0.1, 0.1, N) * rated_n
    x0[s_fg:] = rng.uniform(-0.1, 0.1, G) * rated_g
    # Diagonal preconditioning: L-BFGS works on y = scale · x, where scale² is (about) the curvature of each
    # parameter: twice its number of ratings plus its regularisation. An item with 5,000 recommendations and one
    # with 5 differ in curvature a thousandfold; unscaled, the optimiser crawls along the flat directions (measured
    # at a million recommendations: stopped at the 200-iteration cap far from the optimum).
    count_u = np.bincount(u, minlength=U).astype(np.float64)
    count_n = np.bincount(n, minlength=N).astype(np.float64)
    count_g = np.bincount(member_group, weights=w * w * count_u[member_reader], minlength=G) if G else np.zeros(0)
    scale = np.sqrt(
        np.concatenate(
            (
                [2.0 * m * (1 + li)],
                2 * count_u + 2 * li * m / cu,
                2 * count_n + 2 * li * m / cn,
                2 * count_u + 2 * lf * m / cu,
                2 * count_n + 2 * lf * m / cn,
                2 * count_g + 2 * lf * m / cg,
            )
        )
    )

    def scaled(y: FloatArray) -> tuple[float, FloatArray]:
        value, gradient = objective(y / scale)
        return value, gradient / scale

    with single_threaded():
        result = minimize(
            scaled, x0 * scale, jac=True, method="L-BFGS-B",
            options={"maxiter": settings.max_iterations, "ftol": settings.tolerance, "gtol": 1e-7, "maxcor": 20},
        )  # fmt: skip
    mu, iu, i_n, du, fn, fg = unpack(np.asarray(result.x, dtype=np.float64) / scale)
    fu = reader_factor(du, fg)
    e = mu + iu[u] + i_n[n] + fu[u] * fn[n] - r
    mse = float(e @ e) / m
    # Sign identification (Community Notes): the majority of readers get a negative factor.
    active = fu[rated_u]
    if active.size and (active < 0).sum() < active.size / 2:
        fu, du, fn, fg = -fu, -du, -fn, -fg
    final = float(result.fun) / m
    support = item_recs.astype(np.float64)
    return Fit(
        mu=mu,
        item_score=i_n * support / (support + settings.support_prior),
        item_intercept=i_n.copy(),
        item_factor=fn.copy(),
        reader_intercept=iu.copy(),
        reader_factor=fu.copy(),
        group_factor=fg.copy(),
        item_recommendations=item_recs,
        item_groups=item_groups,
        item_groups_by_kind=by_kind,
        ratings=m,
        zeros=int(zero_readers.size),
        loss=final if np.isfinite(final) else 0.0,
        mse=mse,
        iterations=int(result.nit),
        converged=bool(result.success),
        seconds=time.perf_counter() - started,
        settings=settings,
    )


def _valued_groups(
    readers: IntArray,
    items: IntArray,
    member_reader: IntArray,
    member_group: IntArray,
    n_readers: int,
    n_items: int,
    n_groups: int,
    group_kinds: Any,
) -> tuple[IntArray, dict[int, IntArray]]:
    """Per item, the number of distinct groups its recommenders belong to (in all, and per group kind)."""
    total = np.zeros(n_items, np.int64)
    by_kind: dict[int, IntArray] = {}
    kinds = None if group_kinds is None else np.asarray(group_kinds, dtype=np.int64).ravel()
    if kinds is not None:
        for k in np.unique(kinds):
            by_kind[int(k)] = np.zeros(n_items, np.int64)
    if readers.size == 0 or member_reader.size == 0:
        return total, by_kind
    order = np.argsort(member_reader, kind="stable")
    mr, mg = member_reader[order], member_group[order]
    per_reader = np.bincount(mr, minlength=n_readers)
    start = np.concatenate(([0], np.cumsum(per_reader)))
    reps = per_reader[readers]
    idx = np.repeat(np.arange(readers.size), reps)
    offsets = np.arange(idx.size) - np.repeat(np.cumsum(reps) - reps, reps)
    groups = mg[start[readers[idx]] + offsets]
    codes = np.unique(items[idx] * max(n_groups, 1) + groups)
    pair_items, pair_groups = codes // max(n_groups, 1), codes % max(n_groups, 1)
    total = np.bincount(pair_items, minlength=n_items).astype(np.int64)
    if kinds is not None:
        pk = kinds[pair_groups]
        for k in by_kind:
            by_kind[k] = np.bincount(pair_items[pk == k], minlength=n_items).astype(np.int64)
    return total, by_kind
