"""Published examples with known results, counted by `decisions.tally`."""

from __future__ import annotations

import pytest

from freshground.decisions.tally import Ballot, Method, TallyError, tally
from freshground.decisions.tally.ties import lot_order


def ranked(order: str, weight: float = 1) -> Ballot:
    """'A>B>C' → a strict ranking; 'A=B>C' → A and B tied first."""
    return Ballot(ranking=tuple(tuple(place.split("=")) for place in order.split(">")), weight=weight)


# Wikipedia, "Instant-runoff voting" / "Condorcet method" / "Schulze method": the Tennessee capital election.
# 42 % Memphis > Nashville > Chattanooga > Knoxville, 26 % Nashville > Chattanooga > Knoxville > Memphis,
# 15 % Chattanooga > Knoxville > Nashville > Memphis, 17 % Knoxville > Chattanooga > Nashville > Memphis.
TENNESSEE_OPTIONS = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
TENNESSEE = [
    ranked("Memphis>Nashville>Chattanooga>Knoxville", 42),
    ranked("Nashville>Chattanooga>Knoxville>Memphis", 26),
    ranked("Chattanooga>Knoxville>Nashville>Memphis", 15),
    ranked("Knoxville>Chattanooga>Nashville>Memphis", 17),
]


def test_tennessee_irv_elects_knoxville_in_three_rounds():
    result = tally(Method.IRV, TENNESSEE_OPTIONS, TENNESSEE)
    assert result.winners == ("Knoxville",)
    assert [r.eliminated for r in result.rounds] == [("Chattanooga",), ("Nashville",), ()]
    assert result.rounds[0].tallies == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17}
    assert result.rounds[1].tallies["Knoxville"] == 32
    assert result.rounds[2].tallies["Knoxville"] == 58
    assert result.rounds[2].elected == ("Knoxville",)
    assert result.ranking == (("Knoxville",), ("Memphis",), ("Nashville",), ("Chattanooga",))
    assert result.totals["Memphis"] == 42  # first preferences


def test_tennessee_schulze_elects_the_condorcet_winner_nashville():
    result = tally(Method.SCHULZE, TENNESSEE_OPTIONS, TENNESSEE)
    assert result.winners == ("Nashville",)
    # Wikipedia's Schulze article gives the full ranking Nashville > Chattanooga > Knoxville > Memphis.
    assert result.ranking == (("Nashville",), ("Chattanooga",), ("Knoxville",), ("Memphis",))
    assert result.pairwise is not None
    assert result.pairwise["Nashville"]["Memphis"] == 58
    assert result.pairwise["Chattanooga"]["Knoxville"] == 83


# Wikipedia, "Schulze method", the example with 45 voters and 5 candidates.
SCHULZE_45 = [
    ("ACBED", 5),
    ("ADECB", 5),
    ("BEDAC", 8),
    ("CABED", 3),
    ("CAEBD", 7),
    ("CBADE", 2),
    ("DCEBA", 7),
    ("EBADC", 8),
]


def test_schulze_45_voter_example():
    ballots = [ranked(">".join(order), weight) for order, weight in SCHULZE_45]
    result = tally(Method.SCHULZE, list("ABCDE"), ballots)
    assert result.winners == ("E",)
    assert result.ranking == (("E",), ("A",), ("C",), ("B",), ("D",))
    assert result.ballots == 45
    # The article's matrix d[*,*] of pairwise preferences and p[*,*] of strongest paths.
    d = {
        "A": {"B": 20, "C": 26, "D": 30, "E": 22},
        "B": {"A": 25, "C": 16, "D": 33, "E": 18},
        "C": {"A": 19, "B": 29, "D": 17, "E": 24},
        "D": {"A": 15, "B": 12, "C": 28, "E": 14},
        "E": {"A": 23, "B": 27, "C": 21, "D": 31},
    }
    p = {
        "A": {"B": 28, "C": 28, "D": 30, "E": 24},
        "B": {"A": 25, "C": 28, "D": 33, "E": 24},
        "C": {"A": 25, "B": 29, "D": 29, "E": 24},
        "D": {"A": 25, "B": 28, "C": 28, "E": 24},
        "E": {"A": 25, "B": 28, "C": 28, "D": 31},
    }
    assert result.pairwise == d
    assert result.strongest_paths == p


# Wikipedia, "Single transferable vote", the example of a food election for a party: 20 guests, 3 of 5 foods.
FOOD_OPTIONS = ["Oranges", "Pears", "Chocolate", "Strawberries", "Sweets"]
FOOD = [
    ranked("Oranges", 4),
    ranked("Pears>Oranges", 2),
    ranked("Chocolate>Strawberries", 8),
    ranked("Chocolate>Sweets", 4),
    ranked("Strawberries", 1),
    ranked("Sweets", 1),
]


def test_stv_food_election():
    result = tally(Method.STV, FOOD_OPTIONS, FOOD, seats=3)
    assert result.quota == 6  # Droop: floor(20 / (3 + 1)) + 1
    assert result.winners == ("Chocolate", "Oranges", "Strawberries")
    first, second, third, fourth = result.rounds
    assert first.elected == ("Chocolate",)
    # Chocolate's surplus of 6 moves on at 6/12: 8 × ½ to Strawberries, 4 × ½ to Sweets.
    assert second.tallies == {"Oranges": 4, "Pears": 2, "Chocolate": 6, "Strawberries": 5, "Sweets": 3}
    assert second.eliminated == ("Pears",)
    assert third.tallies["Oranges"] == 6
    assert third.elected == ("Oranges",)
    assert third.eliminated == ("Sweets",)
    assert fourth.elected == ("Strawberries",)
    assert fourth.exhausted == 3  # Sweets' ballots rank nothing after Sweets
    assert result.ranking[-2:] == (("Sweets",), ("Pears",))


# Wikipedia, "Counting single transferable votes", the example with 57 voters for 2 seats (Droop quota 20):
# Andrea is elected with 40 and her surplus of 20 goes 12 to Carter and 8 to Brad; Brad is excluded and his votes
# bring Carter to the quota.
def test_stv_fractional_surplus_andrea_carter():
    ballots = [
        ranked("Andrea>Brad>Carter>Delilah", 16),
        ranked("Andrea>Carter>Brad>Delilah", 24),
        ranked("Delilah>Andrea>Brad>Carter", 17),
    ]
    result = tally(Method.STV, ["Andrea", "Brad", "Carter", "Delilah"], ballots, seats=2)
    assert result.quota == 20
    assert result.winners == ("Andrea", "Carter")
    assert result.rounds[1].tallies == {"Andrea": 20, "Brad": 8, "Carter": 12, "Delilah": 17}
    assert result.rounds[1].eliminated == ("Brad",)
    assert result.rounds[2].tallies["Carter"] == pytest.approx(20)


def test_single_choice_plurality_and_several_winners():
    ballots = [Ballot(choices=("a",))] * 3 + [Ballot(choices=("b",))] * 2 + [Ballot(choices=("c",))]
    result = tally(Method.SINGLE, ["a", "b", "c"], ballots, seats=2)
    assert result.winners == ("a", "b")
    assert result.totals == {"a": 3, "b": 2, "c": 1}
    assert result.ranking == (("a",), ("b",), ("c",))


def test_approval_counts_every_tick():
    ballots = [Ballot(choices=("a", "b")), Ballot(choices=("b", "c")), Ballot(choices=("b",))]
    result = tally(Method.APPROVAL, ["a", "b", "c"], ballots)
    assert result.totals == {"a": 1, "b": 3, "c": 1}
    assert result.winners == ("b",)
    assert result.ranking == (("b",), ("a", "c"))


def test_score_sums_and_means():
    ballots = [Ballot(points={"a": 5, "b": 2}), Ballot(points={"a": 1, "b": 4}), Ballot(points={"b": 3})]
    result = tally(Method.SCORE, ["a", "b"], ballots, max_score=5)
    assert result.totals == {"a": 6, "b": 9}
    assert result.means == {"a": 2, "b": 3}
    assert result.winners == ("b",)


def test_dots_spread_as_the_voter_likes():
    ballots = [Ballot(points={"a": 3, "b": 2}), Ballot(points={"c": 5}), Ballot(points={"a": 1})]
    result = tally(Method.DOTS, ["a", "b", "c"], ballots, dots=5)
    assert result.totals == {"a": 4, "b": 2, "c": 5}
    assert result.winners == ("c",)


def test_consent_passes_unless_an_objection_stands():
    passed = tally(
        Method.CONSENT,
        ["proposal"],
        [Ballot(response="consent"), Ballot(response="stand_aside"), Ballot(response="object")],
    )
    assert passed.passed is True
    assert passed.winners == ("proposal",)
    assert passed.totals == {"consent": 1, "stand_aside": 1, "object": 1, "objections_standing": 0}
    blocked = tally(
        Method.CONSENT,
        ["proposal"],
        [Ballot(response="consent"), Ballot(response="object", objection_standing=True)],
    )
    assert blocked.passed is False
    assert blocked.winners == ()
    assert "Not passed" in blocked.notes[0]


def test_advice_is_a_non_binding_count():
    result = tally(
        Method.ADVICE,
        ["proposal"],
        [Ballot(response="support"), Ballot(response="support"), Ballot(response="concern")],
    )
    assert result.passed is None
    assert result.winners == ()
    assert result.totals == {"support": 2, "concern": 1, "oppose": 0}
    assert "not binding" in result.notes[0]


def test_a_tie_for_the_last_seat_is_broken_by_the_lot_and_noted():
    ballots = [Ballot(choices=("a",)), Ballot(choices=("b",))]
    result = tally(Method.SINGLE, ["a", "b"], ballots, tie_seed="decision-slug")
    assert result.winners == (lot_order(["a", "b"], "decision-slug")[0],)
    assert result.ranking == (("a", "b"),)
    assert "by lot" in result.notes[0]
    other_seed = next(s for s in ("x", "y", "z", "w") if lot_order(["a", "b"], s)[0] != result.winners[0])
    assert tally(Method.SINGLE, ["a", "b"], ballots, tie_seed=other_seed).winners != result.winners


def test_irv_breaks_a_tie_for_last_backwards_before_the_lot():
    # Round 1: a 4, b 3, c 3, d 2 → d out, its votes go to b → round 2: a 4, b 5, c 3 ... no tie.
    # Built so that b and c tie in round 2 after having 3 and 2 in round 1: c had fewer earlier, so c goes.
    ballots = [
        ranked("a", 5),
        ranked("b", 3),
        ranked("c", 2),
        ranked("d>c", 1),
        ranked("e", 1),
        ranked("e>d", 0.5),
    ]
    # Round 1: a 5, b 3, c 2, d 1, e 1.5 → d out (its ballot goes to c) → round 2: a 5, b 3, c 3, e 1.5 → e out
    # (its ballots exhaust) → round 3: a 5, b 3, c 3: b and c tie for last; in round 1 c had fewer, so c goes.
    result = tally(Method.IRV, ["a", "b", "c", "d", "e"], ballots)
    assert [r.eliminated for r in result.rounds[:3]] == [("d",), ("e",), ("c",)]
    assert any("round 1" in note for note in result.notes)
    assert result.winners == ("a",)


def test_tied_ranks_count_fractionally_in_irv_and_stv_and_as_ties_in_schulze():
    ballots = [ranked("a=b>c", 2), ranked("c", 1)]
    irv = tally(Method.IRV, ["a", "b", "c"], ballots)
    assert irv.rounds[0].tallies == {"a": 1, "b": 1, "c": 1}
    schulze = tally(Method.SCHULZE, ["a", "b", "c"], ballots)
    assert schulze.pairwise is not None
    assert schulze.pairwise["a"]["b"] == 0
    assert schulze.pairwise["b"]["a"] == 0
    assert schulze.pairwise["a"]["c"] == 2
    # When a leaves, its half of the tied ballots goes to b (still tied first with it), not to c.
    stv = tally(Method.STV, ["a", "b", "c"], [*ballots, ranked("a", 0.5)], seats=1)
    assert stv.winners == ("a",) or stv.winners == ("b",)
    assert stv.rounds[0].tallies == {"a": 1.5, "b": 1, "c": 1}


def test_stv_fills_the_remaining_seats_when_as_many_continue():
    ballots = [ranked("a>b", 10), ranked("b", 1), ranked("c", 1)]
    result = tally(Method.STV, ["a", "b", "c"], ballots, seats=2)
    assert result.winners[0] == "a"
    assert set(result.winners) == {"a", "b"}


def test_no_ballots_still_gives_a_result():
    result = tally(Method.IRV, ["a", "b"], [], tie_seed="s")
    assert len(result.winners) == 1
    assert "No ballots" in result.notes[0]


@pytest.mark.parametrize(
    ("method", "seats", "message"),
    [
        (Method.STV, 3, "fewer seats than options"),
        (Method.STV, 0, "at least 1"),
        (Method.IRV, 2, "use STV"),
        (Method.SINGLE, 4, "more seats"),
        ("borda", 1, "Unknown method"),
    ],
)
def test_bad_arguments_are_refused(method, seats, message):
    with pytest.raises(TallyError, match=message):
        tally(method, ["a", "b", "c"], [], seats=seats)


def test_options_must_be_unique_and_present():
    with pytest.raises(TallyError, match="at least one option"):
        tally(Method.SINGLE, [], [])
    with pytest.raises(TallyError, match="same id"):
        tally(Method.SINGLE, ["a", "a"], [])


def test_result_to_json_is_plain_data():
    result = tally(Method.STV, FOOD_OPTIONS, FOOD, seats=3)
    data = result.to_json()
    assert data["method"] == "stv"
    assert data["winners"] == ["Chocolate", "Oranges", "Strawberries"]
    assert data["quota"] == 6
    assert data["rounds"][1]["tallies"]["Strawberries"] == 5
    assert data["ranking"][0] == ["Chocolate"]


def test_irv_float_noise_never_makes_a_majority_out_of_a_tie():
    # b and c end with 4.5 of 9 votes each, through thirds and quarters of tied ballots, in any ballot order:
    # no majority, so the tie-break (backwards: c had fewer in round 3) eliminates c.
    ballots = [
        ranked("a"),
        ranked("a>c"),
        ranked("b", 2),
        ranked("d>b"),
        ranked("a=b=c=d"),
        ranked("b"),
        ranked("c", 3),
    ]
    for order in (ballots, ballots[::-1], ballots[3:] + ballots[:3]):
        result = tally(Method.IRV, ["a", "b", "c", "d", "e"], order)
        assert result.winners == ("b",)
        assert result.rounds[3].eliminated == ("c",)
