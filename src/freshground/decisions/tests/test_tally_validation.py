"""What `validate_ballot` and `tally` refuse, each with a clear message."""

from __future__ import annotations

import pytest

from freshground.decisions.tally import Ballot, Method, TallyError, tally, validate_ballot

OPTIONS = ["a", "b", "c"]


@pytest.mark.parametrize(
    ("method", "ballot", "kwargs", "message"),
    [
        (Method.IRV, Ballot(ranking=(("a",), ("a",))), {}, "ranked twice"),
        (Method.STV, Ballot(ranking=(("a", "b"), ("b",))), {}, "ranked twice"),
        (Method.SCHULZE, Ballot(ranking=(("a",), ("z",))), {}, "not one of the options"),
        (Method.IRV, Ballot(), {}, "Rank at least one option"),
        (
            Method.IRV,
            Ballot(
                ranking=(("a",), ()),
            ),
            {},
            "Place 2 of the ranking is empty",
        ),
        (Method.IRV, Ballot(ranking=(("a", "b"),)), {"allow_ties": False}, "share place 1"),
        (Method.IRV, Ballot(ranking=(("a",),), choices=("a",)), {}, "has no choices"),
        (Method.SINGLE, Ballot(choices=("a", "b")), {}, "Choose only one option"),
        (Method.SINGLE, Ballot(), {}, "Choose one option"),
        (Method.SINGLE, Ballot(choices=("z",)), {}, "not one of the options"),
        (Method.APPROVAL, Ballot(choices=("a", "a")), {}, "chosen twice"),
        (Method.APPROVAL, Ballot(choices=("a", "b", "c")), {"max_choices": 2}, "Tick at most 2 options"),
        (Method.APPROVAL, Ballot(), {}, "Tick at least one option"),
        (Method.SCORE, Ballot(points={"a": 6}), {"max_score": 5}, "Scores go from 0 to 5"),
        (Method.SCORE, Ballot(points={"a": -1}), {}, "Scores go from 0 to 5"),
        (Method.SCORE, Ballot(points={"a": 2.5}), {}, "whole numbers"),  # type: ignore[dict-item]
        (Method.SCORE, Ballot(), {}, "Score at least one option"),
        (Method.DOTS, Ballot(points={"a": 3, "b": 3}), {"dots": 5}, "has 5 dots; this ballot places 6"),
        (Method.DOTS, Ballot(points={"a": -1, "b": 3}), {}, "cannot be negative"),
        (Method.DOTS, Ballot(points={"a": 0}), {}, "at least one dot"),
        (Method.CONSENT, Ballot(response="yes"), {}, "Answer consent, stand_aside or object"),
        (Method.CONSENT, Ballot(response="consent", objection_standing=True), {}, "Only an objection can stand"),
        (Method.ADVICE, Ballot(response="object"), {}, "Answer support, concern or oppose"),
        (Method.ADVICE, Ballot(response=""), {}, "Answer support"),
        (Method.IRV, Ballot(ranking=(("a",),), weight=0), {}, "weight must be a positive number"),
    ],
)
def test_bad_ballots_are_refused_with_a_message(method, ballot, kwargs, message):
    with pytest.raises(TallyError, match=message) as caught:
        validate_ballot(method, OPTIONS, ballot, **kwargs)
    assert caught.value.message == str(caught.value)


@pytest.mark.parametrize(
    ("method", "ballot"),
    [
        (Method.IRV, Ballot(ranking=(("b",), ("a",)))),
        (Method.STV, Ballot(ranking=(("a", "b"), ("c",)))),
        (Method.SINGLE, Ballot(choices=("c",))),
        (Method.APPROVAL, Ballot(choices=("a", "c"))),
        (Method.SCORE, Ballot(points={"a": 0, "b": 5})),
        (Method.DOTS, Ballot(points={"a": 4, "c": 1})),
        (Method.CONSENT, Ballot(response="object", objection_standing=True)),
        (Method.ADVICE, Ballot(response="concern")),
    ],
)
def test_good_ballots_pass(method, ballot):
    validate_ballot(method, OPTIONS, ballot)


def test_tally_names_the_bad_ballot():
    ballots = [Ballot(choices=("a",)), Ballot(choices=("a",)), Ballot(choices=("x",))]
    with pytest.raises(TallyError, match="Ballot 3: “x” is not one of the options"):
        tally(Method.SINGLE, OPTIONS, ballots)


def test_tally_refuses_a_bad_weight_on_a_repeated_ballot():
    ballots = [Ballot(choices=("a",)), Ballot(choices=("a",), weight=-1)]
    with pytest.raises(TallyError, match="Ballot 2"):
        tally(Method.SINGLE, OPTIONS, ballots)


def test_tally_refuses_a_ballot_of_the_wrong_shape():
    with pytest.raises(TallyError, match="Ballot 1: a ballot's ranking"):
        tally(Method.IRV, OPTIONS, [Ballot(ranking=[["a"]])])
