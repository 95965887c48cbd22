"""Each formula of the unity analysis on small hand-computed cases (docs/unity-math.md)."""

import math

import numpy as np
import pytest

from freshground.unity.analysis import Previous, Settings, Vote, VoteMatrix, analyse
from freshground.unity.analysis import clusters as cl
from freshground.unity.analysis import stats as st
from freshground.unity.analysis.pca import align_previous, fix_signs, pca


def test_last_vote_wins_and_values_are_signs():
    m = VoteMatrix.from_votes([Vote("a", 1, 1), Vote("a", 1, -1), Vote("b", 1, 5), Vote("b", 2, 0)])
    assert m.participants == ("a", "b")
    assert m.statements == (1, 2)
    cells = sorted(zip(m.rows.tolist(), m.cols.tolist(), m.values.tolist(), strict=True))
    assert cells == [(0, 0, -1.0), (1, 0, 1.0), (1, 1, 0.0)]


def test_prop_test_and_pseudocounts():
    # 8 agrees of 10 seen: pa = 9/12, pat = 2·sqrt(11)·(9/11 − 0.5)
    assert st.p_success(np.array([8.0]), np.array([10.0]))[0] == pytest.approx(0.75)
    assert st.prop_test(np.array([8.0]), np.array([10.0]))[0] == pytest.approx(2 * math.sqrt(11) * (9 / 11 - 0.5))


def test_two_prop_test():
    # 8/10 in the group vs 2/10 outside, +1 on every count: 9/11 vs 3/11, pooled 12/22
    z = st.two_prop_test(np.array([8.0]), np.array([2.0]), np.array([10.0]), np.array([10.0]))[0]
    pooled = 12 / 22
    assert z == pytest.approx((9 / 11 - 3 / 11) / math.sqrt(pooled * (1 - pooled) * (2 / 11)))
    # pooled = 1 → 0, not a division by zero
    assert st.two_prop_test(np.array([5.0]), np.array([5.0]), np.array([5.0]), np.array([5.0]))[0] == 0.0


def test_group_informed_consensus_is_a_product_over_groups():
    g1 = st.Tally(np.array([3.0, 0.0]), np.array([0.0, 3.0]), np.array([3.0, 3.0]))
    g2 = st.Tally(np.array([1.0, 1.0]), np.array([0.0, 0.0]), np.array([2.0, 2.0]))
    gic = st.group_informed_consensus([g1, g2])
    assert gic.tolist() == pytest.approx([(4 / 5) * (2 / 4), (1 / 5) * (2 / 4)])


def test_pca_fills_with_the_column_mean_and_scales_by_sparsity():
    # two statements, the second only voted by two people: missing cells sit at the column mean (centred 0)
    votes = [Vote(0, "s", 1), Vote(1, "s", -1), Vote(2, "s", 1), Vote(0, "t", 1), Vote(1, "t", -1)]
    m = VoteMatrix.from_votes(votes)
    fit = pca(m)
    dense = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, 0.0]])  # 0.0 = the mean of "t"
    centred = dense - dense.mean(0)
    _, _, vt = np.linalg.svd(centred)
    pc1 = vt[0] * np.sign(vt[0][np.argmax(np.abs(vt[0]))])
    assert fit.components[0] == pytest.approx(pc1)
    scale = np.sqrt(2 / np.array([2, 2, 1]))
    assert fit.positions[:, 0] == pytest.approx(centred @ pc1 * scale)
    # a statement's point: a virtual participant who agreed with it alone
    assert fit.statement_positions[0, 0] == pytest.approx((1 - fit.centre[0]) * pc1[0] * math.sqrt(2))


def test_signs_follow_the_previous_components():
    comps = np.array([[0.6, -0.8], [0.8, 0.6]])
    assert fix_signs(comps, None)[0].tolist() == [-0.6, 0.8]  # the largest loading is positive
    assert fix_signs(comps, np.array([[0.6, -0.8], [0.0, 0.0]]))[0].tolist() == [0.6, -0.8]
    aligned = align_previous([[1.0, 2.0], [3.0, 4.0]], ["b", "a"], ["a", "c", "b"])
    assert aligned is not None
    assert aligned.tolist() == [[2.0, 0.0, 1.0], [4.0, 0.0, 3.0]]


def test_kmeans_first_distinct_init_and_silhouette():
    pts = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    assert cl.first_distinct(pts, 2).tolist() == [[0.0, 0.0], [0.0, 1.0]]
    centres, labels = cl.kmeans(pts, cl.first_distinct(pts, 2))
    assert sorted(map(tuple, centres.tolist())) == [pytest.approx((0.0, 1 / 3)), pytest.approx((10.0, 0.5))]
    assert labels.tolist() == [0, 0, 0, 1, 1] or labels.tolist() == [1, 1, 1, 0, 0]
    # silhouette by hand for two tight pairs far apart
    two = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    b = (10 + math.sqrt(101)) / 2
    assert cl.silhouette(two, np.array([0, 0, 1, 1])) == pytest.approx((b - 1) / b)
    assert cl.max_k(100, 5) == 5
    assert cl.max_k(20, 5) == 3


def test_k_smoother_waits_for_four_updates():
    assert cl.smooth_k(3, None, None, 4) == (3, (3, 1))
    k, streak = 2, None
    for expected in (2, 2, 2, 3):
        k, streak = cl.smooth_k(3, k, streak, 4)
        assert k == expected
    assert cl.smooth_k(2, 3, (3, 5), 4) == (3, (2, 1))


def test_hungarian_matches_labels():
    cost = np.array([[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [3.0, 2.0, 2.0]])
    assert cl.hungarian(cost) == [(0, 1), (1, 0), (2, 2)]
    assert cl.hungarian(np.array([[1.0], [0.0]])) == [(1, 0)]
    centres = np.array([[5.0, 0.0], [-5.0, 0.0], [0.0, 9.0]])
    assert cl.stable_labels(centres, [10, 20, 5], {0: (-4.0, 0.0), 1: (4.0, 0.0)}) == [1, 0, 2]
    assert cl.stable_labels(centres, [10, 20, 5], {}) == [1, 0, 2]  # by size without a history


def test_representative_statement_of_a_group():
    statements = ["x", "y"]
    group = st.Tally(np.array([9.0, 5.0]), np.array([1.0, 5.0]), np.array([10.0, 10.0]))
    rest = st.Tally(np.array([1.0, 5.0]), np.array([9.0, 5.0]), np.array([10.0, 10.0]))
    stats = st.statement_stats(statements, group)
    reps = st.representative(statements, group, rest, stats, z=1.2816, keep=5)
    assert [(r.statement, r.direction) for r in reps] == [("x", "agree")]
    pa, pr = 10 / 12, 2 / 12
    assert reps[0].ratio == pytest.approx(pa / pr)
    assert reps[0].metric == pytest.approx(reps[0].ratio * reps[0].ratio_z * pa * stats["x"].z_agree)


def test_in_conversation_rule_and_persistence():
    votes = [Vote(p, s, 1) for p in range(20) for s in range(7 if p < 16 else 3)]
    a = analyse(votes)
    assert set(a.clustered) == set(range(16))  # 16 qualify (≥ 7 votes), no top-up needed
    a = analyse(votes, previous=Previous(in_conversation=frozenset({19})))
    assert 19 in a.clustered
    few = [Vote(p, s, 1) for p in range(20) for s in range(7 if p < 10 else p % 3 + 1)]
    a = analyse(few, settings=Settings(min_clustered=15))
    assert len(a.clustered) == 15  # topped up with the most active voters


def test_previous_round_trips_through_json():
    votes = [Vote(p, s, 1 if (p + s) % 3 else -1) for p in range(30) for s in range(10)]
    prev = analyse(votes).previous
    again = Previous.from_json(prev.to_json())
    assert again.to_json() == prev.to_json()
    assert Previous.from_json({"k": "nonsense", "group_centres": "x"}) == Previous()
