"""The unity analysis end to end: planted groups, degenerate data, label stability, circles, JSON."""

import json
import math

import numpy as np
import pytest

from freshground.unity.analysis import AGREE, DISAGREE, PASS, Analysis, Settings, Vote, analyse

CONSENSUS = ("c0", "c1", "c2")


def planted(groups=3, size=100, statements=40, seed=7, coverage=0.8):
    """`groups` × `size` participants; each group agrees with its own statements and disagrees with the others';
    everyone agrees with the CONSENSUS statements."""
    rng = np.random.default_rng(seed)
    votes, truth = [], {}
    for g in range(groups):
        for i in range(size):
            person = f"p{g}-{i}"
            truth[person] = g
            for s in range(statements):
                if rng.random() > coverage:
                    continue
                agree = 0.9 if s % groups == g else 0.15
                value = AGREE if rng.random() < agree else DISAGREE if rng.random() < 0.85 else PASS
                votes.append(Vote(person, f"s{s}", value))
            for c in CONSENSUS:
                votes.append(Vote(person, c, AGREE if rng.random() < 0.93 else PASS))
    order = rng.permutation(len(votes))
    return [votes[i] for i in order], truth


def assert_finite(analysis: Analysis) -> None:
    text = json.dumps(analysis.to_json(), allow_nan=False)  # raises on NaN or infinity
    assert "NaN" not in text


def test_planted_groups_are_recovered_with_the_consensus_on_top():
    votes, truth = planted()
    a = analyse(votes)
    assert len(a.groups) == 3
    assert a.k_best == 3
    for g in a.groups:
        counts = np.bincount([truth[p] for p in g.members], minlength=3)
        assert counts.max() >= 0.98 * len(g.members)  # an odd noisy voter may land elsewhere
        assert 98 <= len(g.members) <= 102
        assert g.representative
        assert all(r.direction == "agree" for r in g.representative[:1])
    assert {s for s, _ in a.consensus[:3]} == set(CONSENSUS)
    assert {s.statement for s in a.broad_agreement[:3]} == set(CONSENSUS)
    assert_finite(a)


def test_labels_stay_when_a_few_votes_are_added():
    votes, _ = planted(seed=3)
    first = analyse(votes)
    more = votes + [Vote(f"new{i}", f"s{s}", AGREE) for i in range(3) for s in range(10)]
    second = analyse(more, previous=first.previous)
    before = {g.label: set(g.members) for g in first.groups}
    after = {g.label: set(g.members) for g in second.groups}
    assert before.keys() == after.keys()
    for label, members in before.items():
        assert len(members & after[label]) >= 0.95 * len(members)


def test_labels_stay_when_the_vote_order_changes():
    votes, _ = planted(seed=4)
    first = analyse(votes)
    second = analyse(list(reversed(votes)), previous=first.previous)
    assert {g.label: set(g.members) for g in first.groups} == {g.label: set(g.members) for g in second.groups}


@pytest.mark.parametrize(
    "votes",
    [
        [],
        [Vote(1, "a", AGREE)],
        [Vote(1, s, AGREE) for s in "abcdefgh"],
        [Vote(p, "only", AGREE if p % 2 else DISAGREE) for p in range(30)],
        [Vote(p, s, AGREE) for p in range(40) for s in "abcdefgh"],
        [Vote(p, s, PASS) for p in range(40) for s in "abcdefgh"],
        [Vote(p, s, AGREE if p < 2 else DISAGREE) for p in range(3) for s in "ab"],
    ],
    ids=["no votes", "one vote", "one participant", "one statement", "all agree", "all pass", "three people"],
)
def test_degenerate_data_gives_a_sensible_analysis(votes):
    a = analyse(votes, circles={1: ["x"], 2: ["x", "y"]})
    assert_finite(a)
    assert a.votes == len({(v.participant, v.statement) for v in votes})
    assert sum(len(g.members) for g in a.groups) == len(a.clustered)
    for stats in a.overall.values():
        assert 0 < stats.p_agree < 1
    for _, value in a.consensus:
        assert math.isfinite(value)


def test_everyone_agreeing_is_one_group_and_broad_agreement():
    a = analyse([Vote(p, s, AGREE) for p in range(40) for s in "abcdefgh"])
    assert len(a.groups) == 1
    assert len(a.groups[0].members) == 40
    assert {s.statement for s in a.broad_agreement} == set("abcde")  # the top max_consensus = 5
    assert a.broad_disagreement == ()


def test_circles_as_the_unit():
    votes, truth = planted(seed=5)
    # six circles per planted group; everyone is also in one "all" circle
    circles = {p: [f"circle{g}-{int(p.split('-')[1]) % 6}", "all"] for p, g in truth.items()}
    a = analyse(votes, circles=circles)
    c = a.circle_analysis
    assert c is not None
    assert c.participants == 19
    assert len(c.groups) == 3
    grouped = [{int(m[6]) for m in g.members if m != "all"} for g in c.groups]
    assert sorted(map(len, grouped)) == [1, 1, 1]  # each group of circles holds one planted group's circles
    assert set().union(*grouped) == {0, 1, 2}
    # the statements uniting circles that usually disagree: the planted consensus
    assert {s for s, _ in c.consensus[:3]} == set(CONSENSUS)
    assert a.circle_votes["all"]["c0"].agree > 250
    assert a.previous.circles is not None
    assert_finite(a)


def test_moderated_out_statements_count_as_pol_is_does_and_are_not_reported():
    votes, _ = planted(seed=6)
    a = analyse([*votes, Vote("p0-0", "spam", AGREE)], moderated_out={"spam"})
    assert "spam" not in a.overall
    assert "spam" not in dict(a.consensus)
    assert "spam" not in a.statement_positions


def test_settings_are_stored_and_json_is_plain():
    a = analyse(planted(groups=2, size=30)[0], settings=Settings(max_k=3, seed=2))
    data = a.to_json()
    assert data["settings"]["max_k"] == 3
    assert json.loads(json.dumps(data)) == data
