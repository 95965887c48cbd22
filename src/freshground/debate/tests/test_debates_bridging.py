# factory_boy factories are typed as the factory, not the model they build:
# mypy: disable-error-code="arg-type"
"""The bridging score: breadth across circles and centers beats raw counts."""

from __future__ import annotations

import math

import pytest

from freshground.debate import bridging
from freshground.debate import services_debates as services
from freshground.debate.models import Argument
from freshground.debate.tests.debates_helpers import argue, circle, debate_of, no_rate_limits, people_in, person, sent
from freshground.testing import factories

pytestmark = pytest.mark.usefixtures("no_rate_limits", "sent")
__all__ = ["no_rate_limits", "sent"]


def test_empty_is_zero() -> None:
    assert bridging.bridging_score([]) == 0.0
    assert bridging.tally([]) == bridging.Tally(0, 0, 0.0)


def test_one_group_grows_slowly() -> None:
    five_in_one = [{"circle:1"}] * 5
    three_in_three = [{"circle:1"}, {"circle:2"}, {"center:3"}]
    assert bridging.bridging_score(five_in_one) == pytest.approx(math.log2(6))
    assert bridging.bridging_score(three_in_three) == pytest.approx(3.0)
    assert bridging.bridging_score(three_in_three) > bridging.bridging_score(five_in_one)


def test_worked_example_from_the_docs() -> None:
    # docs/bridging.md: A is in circles 1 and 2, B in circle 1, C in center 7, D in no group.
    people = [{"circle:1", "circle:2"}, {"circle:1"}, {"center:7"}, set()]
    support = bridging.group_support(people)
    assert support == {"circle:1": 1.5, "circle:2": 0.5, "center:7": 1.0, "unaffiliated": 1.0}
    expected = math.log2(2.5) + math.log2(1.5) + 1 + 1
    assert bridging.bridging_score(people) == pytest.approx(expected)
    assert bridging.tally(people) == bridging.Tally(4, 3, round(expected, 6))


def test_unaffiliated_people_share_one_group() -> None:
    crowd: list[set[str]] = [set()] * 8
    assert bridging.bridging_score(crowd) == pytest.approx(math.log2(9))
    assert bridging.tally(crowd).group_count == 0
    assert bridging.bridging_score(crowd) < bridging.bridging_score(
        [{"circle:1"}, {"circle:2"}, {"circle:3"}, {"circle:4"}]
    )


def test_many_memberships_do_not_multiply_a_voice() -> None:
    joiner = [{f"circle:{i}" for i in range(10)}]
    assert bridging.bridging_score(joiner) < 1.5
    assert bridging.group_support(joiner)["circle:3"] == pytest.approx(0.1)


def test_adding_a_supporter_never_lowers_the_score() -> None:
    base = [{"circle:1"}, {"circle:2"}]
    for extra in ({"circle:1"}, {"circle:3"}, set(), {"circle:1", "center:2"}):
        assert bridging.bridging_score([*base, extra]) > bridging.bridging_score(base)


def test_five_from_one_circle_rank_below_three_from_three_circles(cast) -> None:
    debate = debate_of(cast)
    narrow = argue(cast.member, debate, "Narrow support.")
    broad = argue(cast.organiser, debate, "Broad support.")
    for someone in people_in(circle(), 5):
        services.set_convincing(person=someone, argument=narrow)
    for _ in range(3):
        services.set_convincing(person=people_in(circle(), 1)[0], argument=broad)
    narrow.refresh_from_db()
    broad.refresh_from_db()
    assert (narrow.convinced_count, narrow.group_count) == (5, 1)
    assert (broad.convinced_count, broad.group_count) == (3, 3)
    assert broad.bridging_score > narrow.bridging_score
    ranked = list(Argument.objects.filter(position=narrow.position, side="for").values_list("pk", flat=True))
    assert ranked == [broad.pk, narrow.pk]


def test_center_editors_count_by_their_center(cast) -> None:
    debate = debate_of(cast)
    argument = argue(cast.member, debate)
    editor = person()
    factories.add_editor(factories.CenterFactory(), editor)
    services.set_convincing(person=editor, argument=argument)
    services.set_convincing(person=cast.editor, argument=argument)
    argument.refresh_from_db()
    assert (argument.convinced_count, argument.group_count) == (2, 2)
    assert argument.bridging_score == pytest.approx(2.0)


def test_unmarking_recomputes(cast) -> None:
    debate = debate_of(cast)
    argument = argue(cast.member, debate)
    services.set_convincing(person=cast.editor, argument=argument)
    services.set_convincing(person=cast.editor, argument=argument)  # twice counts once
    argument.refresh_from_db()
    assert argument.convinced_count == 1
    services.set_convincing(person=cast.editor, argument=argument, convincing=False)
    argument.refresh_from_db()
    assert (argument.convinced_count, argument.group_count, argument.bridging_score) == (0, 0, 0.0)
