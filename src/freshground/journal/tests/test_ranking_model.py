"""The bridging model on planted data: cross-faction items first, one faction's mass support not enough."""

from __future__ import annotations

import numpy as np
import pytest

from freshground.journal.ranking import Settings, fit

N_PARTISAN = 40
N_BRIDGE = 20


def planted(
    seed: int = 0, *, na: int = 300, nb: int = 200, circles: int = 6, p_own: float = 0.5, p_bridge: float = 0.3
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two factions of readers (each in one or two of its own circles); 40 items each faction likes, 20 items both
    like. Returns (recommendations, memberships, item kinds, reader factions)."""
    rng = np.random.default_rng(seed)
    faction = np.array([0] * na + [1] * nb)
    groups = [
        (u, faction[u] * circles + g)
        for u in range(na + nb)
        for g in rng.choice(circles, size=rng.integers(1, 3), replace=False)
    ]
    kind = np.array(["A"] * N_PARTISAN + ["B"] * N_PARTISAN + ["X"] * N_BRIDGE)
    own = np.where(kind[None, :] == "X", p_bridge, 0.0)
    a_side = (kind == "A")[None, :]
    b_side = (kind == "B")[None, :]
    is_a = (faction == 0)[:, None]
    p = (
        own
        + np.where((a_side & is_a) | (b_side & ~is_a), p_own, 0.0)
        + np.where((a_side & ~is_a) | (b_side & is_a), 0.02, 0.0)
    )
    hits = rng.random(p.shape) < p
    recs = np.argwhere(hits)
    return recs, np.array(groups), kind, faction


def top(scores: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-scores, kind="stable")[:k]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cross_faction_items_rank_first(seed: int) -> None:
    recs, groups, kind, faction = planted(seed)
    result = fit(recs, groups, settings=Settings(seed=seed))
    assert (kind[top(result.item_score, N_BRIDGE)] == "X").mean() >= 0.9
    # Raw counts would not: the large faction's own items have more recommendations.
    raw = np.bincount(recs[:, 1], minlength=kind.size).astype(float)
    assert (kind[top(raw, N_BRIDGE)] == "X").mean() < 0.5
    # The factor separates the factions; bridging items have small factors.
    assert abs(np.corrcoef(result.reader_factor, faction)[0, 1]) >= 0.9
    assert np.abs(result.item_factor[kind == "X"]).mean() < np.abs(result.item_factor[kind != "X"]).mean() / 3
    # Majority negative (sign identification).
    assert (result.reader_factor < 0).sum() >= faction.size / 2


def test_the_fit_converges_well_within_its_iteration_cap() -> None:
    # Ten times the readers of the other tests: popular and obscure items differ in curvature a hundredfold, which
    # the preconditioning absorbs (unscaled, L-BFGS ran into the cap at a million recommendations).
    recs, groups, kind, _ = planted(5, na=3000, nb=2000, circles=30)
    result = fit(recs, groups, settings=Settings(seed=5))
    assert result.converged
    assert result.iterations < Settings().max_iterations / 2
    assert (kind[top(result.item_score, N_BRIDGE)] == "X").mean() >= 0.9


def test_unequal_factions_keep_the_bridging_ranking() -> None:
    recs, groups, kind, _ = planted(3, na=400, nb=100)
    result = fit(recs, groups)
    assert (kind[top(result.item_score, N_BRIDGE)] == "X").mean() >= 0.9


def test_one_faction_mass_recommending_cannot_reach_the_top() -> None:
    recs, groups, kind, faction = planted(4)
    mass = kind.size  # a new item that 95 % of the large faction recommends, nobody else
    rng = np.random.default_rng(4)
    fans = np.flatnonzero((faction == 0) & (rng.random(faction.size) < 0.95))
    recs = np.vstack([recs, np.column_stack([fans, np.full(fans.size, mass)])])
    result = fit(recs, groups, n_items=kind.size + 1)
    assert result.item_recommendations[mass] > result.item_recommendations[: kind.size].max()
    assert mass not in set(top(result.item_score, N_BRIDGE).tolist())


def test_a_bridging_item_with_three_readers_of_one_faction_does_not_reach_the_top() -> None:
    recs, groups, kind, faction = planted(5)
    few = kind.size
    three = np.flatnonzero(faction == 0)[:3]
    recs = np.vstack([recs, np.column_stack([three, np.full(3, few)])])
    result = fit(recs, groups, n_items=kind.size + 1)
    assert few not in set(top(result.item_score, N_BRIDGE).tolist())


def test_deterministic_with_a_seed() -> None:
    recs, groups, _, _ = planted(6, na=120, nb=80)
    first = fit(recs, groups, settings=Settings(seed=7))
    again = fit(recs, groups, settings=Settings(seed=7))
    np.testing.assert_array_equal(first.item_intercept, again.item_intercept)
    np.testing.assert_array_equal(first.reader_factor, again.reader_factor)


def test_valued_groups_count_distinct_circles_and_centers() -> None:
    # readers 0, 1 in circle 0; reader 2 in circle 1 and center 2 (kinds: 0 circle, 1 center)
    groups = [(0, 0), (1, 0), (2, 1), (2, 2)]
    recs = [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1)]
    result = fit(recs, groups, group_kinds=[0, 0, 1])
    assert result.item_recommendations.tolist() == [3, 2]
    assert result.item_groups.tolist() == [3, 1]
    assert result.item_groups_by_kind[0].tolist() == [2, 1]
    assert result.item_groups_by_kind[1].tolist() == [1, 0]


def test_implicit_zeros_stay_in_the_readers_window() -> None:
    # Item 2 was published long after everyone's activity: nobody gets a zero on it, so it keeps what it earned.
    recs = [(0, 0), (1, 1), (2, 0), (3, 2)]
    times = [0.0, 1.0, 2.0, 10_000.0]
    result = fit(recs, [], item_time=[0.0, 1.0, 10_000.0], rating_time=times)
    assert result.zeros >= 1
    assert np.isfinite(result.item_intercept).all()


@pytest.mark.parametrize(
    ("recs", "groups"),
    [([], []), ([(0, 0)], []), ([(0, 0), (0, 1), (0, 2)], [(0, 0)]), ([(0, 0), (1, 0), (2, 0)], [(0, 0), (1, 1)])],
)
def test_degenerate_inputs_give_finite_numbers(recs: list[tuple[int, int]], groups: list[tuple[int, int]]) -> None:
    result = fit(recs, groups, n_items=3, n_readers=3, n_groups=2)
    for values in (result.item_intercept, result.item_factor, result.reader_factor, result.group_factor):
        assert np.isfinite(values).all()
    assert np.isfinite(result.mu)
    assert np.isfinite(result.loss)
    assert result.item_intercept.shape == (3,)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        fit([(0, -1)], [])
    with pytest.raises(ValueError, match="pairs"):
        fit([(0, 1, 2)], [])
