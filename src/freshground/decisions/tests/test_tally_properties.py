"""Properties of the methods, checked on random elections (hypothesis)."""

from __future__ import annotations

import math
import random

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from freshground.decisions.tally import Ballot, Method, tally

OPTIONS = ["a", "b", "c", "d", "e"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def strict_ballot(draw, options=OPTIONS, complete=False):
    order = draw(st.permutations(options))
    length = len(order) if complete else draw(st.integers(min_value=1, max_value=len(order)))
    weight = draw(st.integers(min_value=1, max_value=5))
    return Ballot(ranking=tuple((o,) for o in order[:length]), weight=weight)


@st.composite
def tied_ballot(draw, options=OPTIONS):
    """A ranking with ties and truncation, as a .toi file may hold."""
    order = draw(st.permutations(options))
    length = draw(st.integers(min_value=1, max_value=len(order)))
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=max(1, length - 1)), max_size=length)))
    places, start = [], 0
    for cut in [*cuts, length]:
        if cut > start:
            places.append(tuple(order[start:cut]))
            start = cut
    weight = draw(st.sampled_from([1, 2, 3, 0.5]))
    return Ballot(ranking=tuple(places), weight=weight)


def pairwise(ballots, options):
    d = {a: dict.fromkeys(options, 0.0) for a in options}
    for ballot in ballots:
        place = {o: i for i, group in enumerate(ballot.ranking) for o in group}
        for a in options:
            for b in options:
                if a != b and place.get(a, len(ballot.ranking)) < place.get(b, len(ballot.ranking)):
                    d[a][b] += ballot.weight
    return d


@SETTINGS
@given(st.lists(st.one_of(strict_ballot(), tied_ballot()), min_size=1, max_size=40))
def test_a_condorcet_winner_always_wins_under_schulze(ballots):
    d = pairwise(ballots, OPTIONS)
    winners = [a for a in OPTIONS if all(d[a][b] > d[b][a] for b in OPTIONS if b != a)]
    assume(winners)
    result = tally(Method.SCHULZE, OPTIONS, ballots)
    assert result.winners == (winners[0],)
    assert result.ranking[0] == (winners[0],)


@SETTINGS
@given(st.lists(strict_ballot(), min_size=1, max_size=40))
def test_irv_majority_of_first_preferences_wins_in_round_one(ballots):
    total = sum(b.weight for b in ballots)
    first = {o: sum(b.weight for b in ballots if b.ranking[0] == (o,)) for o in OPTIONS}
    leader = max(OPTIONS, key=first.__getitem__)
    assume(first[leader] > total / 2)
    result = tally(Method.IRV, OPTIONS, ballots)
    assert result.winners == (leader,)
    assert len(result.rounds) == 1
    assert result.rounds[0].elected == (leader,)


@SETTINGS
@given(
    st.lists(st.one_of(strict_ballot(), tied_ballot()), min_size=0, max_size=40),
    st.integers(min_value=1, max_value=4),
)
def test_stv_conserves_ballot_weight_in_every_round(ballots, seats):
    result = tally(Method.STV, OPTIONS, ballots, seats=seats, tie_seed="seed")
    total = sum(b.weight for b in ballots)
    assert result.ballots == total
    for round_ in result.rounds:
        assert math.isclose(math.fsum(round_.tallies.values()) + round_.exhausted, total, abs_tol=1e-9 * max(1, total))
    assert len(result.winners) == seats
    assert len(set(result.winners)) == seats
    assert sorted(o for group in result.ranking for o in group) == sorted(OPTIONS)


@SETTINGS
@given(st.lists(st.one_of(strict_ballot(), tied_ballot()), min_size=0, max_size=40))
def test_irv_conserves_ballot_weight_and_ranks_every_option(ballots):
    result = tally(Method.IRV, OPTIONS, ballots, tie_seed="seed")
    total = sum(b.weight for b in ballots)
    for round_ in result.rounds:
        assert math.isclose(math.fsum(round_.tallies.values()) + round_.exhausted, total, abs_tol=1e-9 * max(1, total))
    assert next(o for group in result.ranking for o in group) == result.winners[0]
    assert sorted(o for group in result.ranking for o in group) == sorted(OPTIONS)


approval_ballot = st.sets(st.sampled_from(OPTIONS), min_size=1).map(lambda s: Ballot(choices=tuple(sorted(s))))
score_ballot = st.dictionaries(st.sampled_from(OPTIONS), st.integers(0, 5), min_size=1).map(lambda p: Ballot(points=p))


def relabel(ballot: Ballot, mapping: dict[str, str]) -> Ballot:
    return Ballot(
        choices=tuple(mapping[o] for o in ballot.choices),
        points={mapping[o]: v for o, v in ballot.points.items()},
    )


@SETTINGS
@given(
    st.sampled_from([Method.APPROVAL, Method.SCORE]),
    st.data(),
    st.permutations(["v", "w", "x", "y", "z"]),
)
def test_approval_and_score_do_not_depend_on_option_names(method, data, new_names):
    ballots = data.draw(st.lists(approval_ballot if method == Method.APPROVAL else score_ballot, max_size=30))
    mapping = dict(zip(OPTIONS, new_names, strict=True))
    before = tally(method, OPTIONS, ballots)
    after = tally(method, [mapping[o] for o in OPTIONS], [relabel(b, mapping) for b in ballots])
    assert {mapping[o]: v for o, v in before.totals.items()} == after.totals
    assert [{mapping[o] for o in group} for group in before.ranking] == [set(group) for group in after.ranking]


@SETTINGS
@given(
    st.sampled_from([Method.IRV, Method.STV, Method.SCHULZE]),
    st.lists(st.one_of(strict_ballot(), tied_ballot()), max_size=30),
    st.text(max_size=8),
    st.randoms(use_true_random=False),
)
def test_same_ballots_and_seed_give_the_same_result(method, ballots, seed, rng: random.Random):
    seats = 2 if method == Method.STV else 1
    first = tally(method, OPTIONS, ballots, seats=seats, tie_seed=seed)
    assert tally(method, OPTIONS, ballots, seats=seats, tie_seed=seed).to_json() == first.to_json()
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert tally(method, OPTIONS, shuffled, seats=seats, tie_seed=seed).winners == first.winners


@SETTINGS
@given(
    st.lists(strict_ballot(), max_size=40),
    st.integers(min_value=1, max_value=4),
    st.text(max_size=4),
)
def test_the_numpy_and_the_general_piles_count_alike(ballots, seats, seed):
    from freshground.decisions.tally import group_ballots
    from freshground.decisions.tally.ranked import ArrayPiles, Piles, count_irv, count_stv

    groups = group_ballots(Method.STV, OPTIONS, ballots)
    for count, kwargs in ((count_irv, {}), (count_stv, {"seats": seats})):
        fast = count(OPTIONS, groups, tie_seed=seed, engine=ArrayPiles, **kwargs).to_json()
        general = count(OPTIONS, groups, tie_seed=seed, engine=Piles, **kwargs).to_json()
        assert fast == general
