"""The ballot file round trip, the PrefLib readers and the `freshground decisions tally` command."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from freshground.decisions.tally import Ballot, Method, TallyError, tally
from freshground.decisions.tally.ballot_file import parse_ballot_file, read_ballot_file, write_ballot_file
from freshground.decisions.tally.preflib import parse_preflib, read_preflib

TENNESSEE_SOC = """\
# FILE NAME: tennessee.soc
# TITLE: Tennessee capital (Wikipedia)
# DATA TYPE: soc
# NUMBER ALTERNATIVES: 4
# NUMBER VOTERS: 100
# NUMBER UNIQUE ORDERS: 4
# ALTERNATIVE NAME 1: Memphis
# ALTERNATIVE NAME 2: Nashville
# ALTERNATIVE NAME 3: Chattanooga
# ALTERNATIVE NAME 4: Knoxville
42: 1,2,3,4
26: 2,3,4,1
15: 3,4,2,1
17: 4,3,2,1
"""

TIES_TOI = """\
# FILE NAME: small.toi
# DATA TYPE: toi
# NUMBER ALTERNATIVES: 3
# ALTERNATIVE NAME 1: Apple
# ALTERNATIVE NAME 2: Banana
# ALTERNATIVE NAME 3: Cherry
4: 1,{2,3}
3: {1,2},3
2: 3
"""

LEGACY_SOC = """\
3
1,Apple
2,Banana
3,Cherry
6,6,3
3,1,2,3
2,2,3,1
1,3,1,2
"""


def run(*args: str) -> str:
    out = StringIO()
    call_command("decisions", *args, stdout=out)
    return out.getvalue()


def test_ballot_file_round_trip(tmp_path):
    ballots = [
        ("r1", Ballot(ranking=(("a",), ("b", "c")))),
        ("r2", Ballot(ranking=(("c",),), weight=2)),
        {"receipt": "r3", "ranking": [["b"], ["a"]]},
    ]
    text = write_ballot_file(
        decision="pick-food",
        question="What do we eat?",
        method="stv",
        options=[("a", "Apples"), {"id": "b", "label": "Beans"}, ("c", "Cake")],
        ballots=ballots,
        seats=2,
        tie_seed="pick-food",
    )
    path = tmp_path / "ballots.json"
    path.write_text(text, encoding="utf-8")
    document = read_ballot_file(path)
    assert document.decision == "pick-food"
    assert document.method == Method.STV
    assert document.options == ("a", "b", "c")
    assert document.label("b") == "Beans"
    assert document.seats == 2
    assert document.tie_seed == "pick-food"
    assert document.receipts == ("r1", "r2", "r3")
    assert document.ballots == (
        Ballot(ranking=(("a",), ("b", "c"))),
        Ballot(ranking=(("c",),), weight=2),
        Ballot(ranking=(("b",), ("a",))),
    )
    again = parse_ballot_file(
        write_ballot_file(
            decision=document.decision,
            question=document.question,
            method=document.method,
            options=[(o, document.label(o)) for o in document.options],
            ballots=zip(document.receipts, document.ballots, strict=True),
            seats=document.seats,
            tie_seed=document.tie_seed,
        )
    )
    assert again == document


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "JSON object"),
        ('{"format": "other"}', "not a ballot file"),
        ('{"format": "freshground-ballots/1", "method": "borda"}', "Unknown method"),
        ('{"format": "freshground-ballots/1", "method": "irv", "options": []}', "no options"),
        (
            '{"format": "freshground-ballots/1", "method": "irv", "options": [{"id": "a"}], '
            '"ballots": [{"ranking": 3}]}',
            "Ballot 1",
        ),
    ],
)
def test_bad_ballot_files_are_refused(text, message):
    with pytest.raises(TallyError, match=message):
        parse_ballot_file(text)


def test_preflib_current_format(tmp_path):
    path = tmp_path / "tennessee.soc"
    path.write_text(TENNESSEE_SOC, encoding="utf-8")
    data = read_preflib(path)
    assert data.kind == "soc"
    assert data.options == ("1", "2", "3", "4")
    assert data.label("4") == "Knoxville"
    assert data.title == "Tennessee capital (Wikipedia)"
    assert data.ballots[0] == Ballot(ranking=(("1",), ("2",), ("3",), ("4",)), weight=42)
    assert tally(Method.IRV, data.options, data.ballots).winners == ("4",)
    assert tally(Method.SCHULZE, data.options, data.ballots).winners == ("2",)


def test_preflib_ties_and_legacy_format():
    data = parse_preflib(TIES_TOI, ".toi")
    assert data.ballots == (
        Ballot(ranking=(("1",), ("2", "3")), weight=4),
        Ballot(ranking=(("1", "2"), ("3",)), weight=3),
        Ballot(ranking=(("3",),), weight=2),
    )
    legacy = parse_preflib(LEGACY_SOC, ".soc")
    assert legacy.label("2") == "Banana"
    assert legacy.ballots[1] == Ballot(ranking=(("2",), ("3",), ("1",)), weight=2)


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("# ALTERNATIVE NAME 1: A\n2: 1,{2\n", ".toi", "not closed"),
        ("# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n2: {1,2}\n", ".soc", "no ties"),
        ("# ALTERNATIVE NAME 1: A\nx: 1\n", ".soi", "not a whole number"),
        ("# ALTERNATIVE NAME 1: A\n3: 1,7\n", ".soi", "does not name"),
        ("# ALTERNATIVE NAME 1: A\n3 1\n", ".soi", "count: order"),
        ("hello\n", ".soc", "not a PrefLib file"),
    ],
)
def test_bad_preflib_files_are_refused(text, kind, message):
    with pytest.raises(TallyError, match=message):
        parse_preflib(text, kind)


def test_command_recounts_a_preflib_file_as_text(tmp_path):
    path = tmp_path / "tennessee.soc"
    path.write_text(TENNESSEE_SOC, encoding="utf-8")
    out = run("tally", str(path), "--method", "irv")
    assert "Winners: Knoxville" in out
    assert "Rounds" in out
    assert "“Chattanooga” has the fewest votes" in out
    out = run("tally", str(path), "--method", "schulze")
    assert "Winners: Nashville" in out
    assert "Pairwise preferences" in out


def test_command_prints_the_result_json_of_a_ballot_file(tmp_path):
    ballots = [
        ("r1", Ballot(ranking=(("a",), ("b",)))),
        ("r2", Ballot(ranking=(("b",),))),
        ("r3", Ballot(ranking=(("a",),))),
    ]
    path = tmp_path / "ballots.json"
    path.write_text(
        write_ballot_file(
            decision="d", question="Q?", method="irv", options=[("a", "A"), ("b", "B")], ballots=ballots, tie_seed="d"
        ),
        encoding="utf-8",
    )
    data = json.loads(run("tally", str(path), "--json"))
    expected = tally(Method.IRV, ["a", "b"], [b for _r, b in ballots], tie_seed="d").to_json()
    assert data == expected
    assert data["winners"] == ["a"]
    text = run("tally", str(path), "--method", "schulze")
    assert "Winners: A" in text


def test_command_shows_totals_for_one_round_methods(tmp_path):
    path = tmp_path / "ballots.json"
    path.write_text(
        write_ballot_file(
            decision="d",
            question="Rate",
            method="score",
            options=[("a", "A"), ("b", "B")],
            ballots=[("r1", Ballot(points={"a": 4, "b": 1})), ("r2", Ballot(points={"a": 2}))],
        ),
        encoding="utf-8",
    )
    out = run("tally", str(path))
    assert "Mean" in out
    assert "3.00" in out


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("missing.json", None, (), "There is no file"),
        ("bad.json", "{", (), "Nothing was counted: This is not JSON"),
        ("t.soc", TENNESSEE_SOC, (), "needs --method"),
        ("t.soc", TENNESSEE_SOC, ("--method", "stv", "--seats", "4"), "fewer seats"),
        ("t.soc", TENNESSEE_SOC, ("--method", "approval"), "method “approval” has no ranking"),
    ],
)
def test_command_refuses_bad_files_with_a_clear_error(tmp_path, name, content, args, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("tally", str(path), *args)
