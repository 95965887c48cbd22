"""`freshground unity import-polis` and `report`: the shared Pol.is conversation, malformed files, degenerate data."""

from __future__ import annotations

import json
import math
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from freshground.unity import analysis_runs
from freshground.unity.models import Conversation, Participant, Statement, StatementStatus, Vote

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[4]
POLIS = REPO / ".." / "shared" / "data" / "polis"


def run(*args: str) -> str:
    out = StringIO()
    call_command("unity", *args, stdout=out)
    return out.getvalue()


def write(directory: Path, comments: str, votes: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "comments.csv").write_text(comments)
    (directory / "votes.csv").write_text(votes)
    return directory


COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1000,x,0,0,0,0,1,First statement\n"
    "2000,x,1,1,0,0,-1,Moderated out\n"
    '3000,x,2,1,0,0,1,"Third, with a comma"\n'
)
VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "1000,x,0,0,1\n"
    "1500,x,0,0,-1\n"
    "1200,x,0,1,0\n"
    "1300,x,2,1,1\n"
    "1400,x,1,2,-1\n"
)


def test_import_small_export(tmp_path):
    out = run("import-polis", str(write(tmp_path / "ok", COMMENTS, VOTES)), "--title", "Small test")
    slug = out.strip().splitlines()[-1]
    conversation = Conversation.objects.get(slug=slug)
    assert conversation.title == "Small test"
    assert not conversation.is_open
    statements = dict(Statement.objects.values_list("external_id", "status"))
    assert statements == {"0": StatementStatus.APPROVED, "1": StatementStatus.REJECTED, "2": StatementStatus.APPROVED}
    assert sorted(Participant.objects.values_list("external_id", flat=True)) == ["0", "1", "2"]
    votes = {
        (v.participant.external_id, v.statement.external_id): v.value
        for v in Vote.objects.select_related("participant", "statement")
    }
    assert votes == {("0", "0"): -1, ("1", "0"): 0, ("1", "2"): 1, ("2", "1"): -1}  # the later revote won
    assert Statement.objects.get(external_id="2").participant.external_id == "1"


@pytest.mark.parametrize(
    ("comments", "votes", "message"),
    [
        (COMMENTS.replace("moderated,", "mod,"), VOTES, "lacks the column(s) moderated"),
        (COMMENTS, VOTES.replace("voter-id", "who"), "lacks the column(s) voter-id"),
        (COMMENTS, VOTES + "1600,x,7,3,1\n", "comment 7, which is not in comments.csv"),
        (COMMENTS, VOTES + "1600,x,0,3,yes\n", "vote must be a whole number"),
        (COMMENTS, VOTES + "1600,x,0,3,2\n", "vote must be one of -1, 0, 1"),
        (COMMENTS, VOTES + "1600,x,0,abc,1\n", "voter-id must be a whole number"),
        (COMMENTS + "4000,x,zero,1,0,0,1,Text\n", VOTES, "comment-id must be a whole number"),
        (COMMENTS + "4000,x,0,1,0,0,1,Again\n", VOTES, "comment 0 appears twice"),
        (COMMENTS + "4000,x,5,1,0,0,1," + "x" * 281 + "\n", VOTES, "longer than 280"),
        (COMMENTS + "4000,x,5,1,0,0,3,Text\n", VOTES, "moderated must be one of"),
        (COMMENTS, "", "votes.csv lacks the column(s)"),
    ],
)
def test_malformed_exports_import_nothing(tmp_path, comments, votes, message):
    directory = write(tmp_path / "bad", comments, votes)
    with pytest.raises(CommandError, match="Nothing was imported") as refused:
        run("import-polis", str(directory), "--title", "Bad")
    assert message in str(refused.value)
    assert not Conversation.objects.exists()
    assert not Statement.objects.exists()
    assert not Participant.objects.exists()
    assert not Vote.objects.exists()


def test_missing_folder_or_file(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        run("import-polis", str(tmp_path / "nowhere"), "--title", "Missing")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "comments.csv").write_text(COMMENTS)
    with pytest.raises(CommandError, match=r"votes\.csv is missing"):
        run("import-polis", str(tmp_path / "half"), "--title", "Half")
    assert not Conversation.objects.exists()


def test_report_of_an_unknown_conversation():
    with pytest.raises(CommandError, match="no conversation"):
        run("report", "nothing-here", "--json")


# With the maths (unity.analysis.analyse)


def no_nan(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(no_nan(v) for v in value.values())
    if isinstance(value, list):
        return all(no_nan(v) for v in value)
    return True


def report(slug: str, *extra: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("report", slug, "--json", *extra))
    assert no_nan(data)
    return data


@pytest.mark.skipif(not POLIS.is_dir(), reason=f"The shared Pol.is data is absent (looked in {POLIS.resolve()})")
@pytest.mark.parametrize("name", sorted(p.name for p in POLIS.iterdir()) if POLIS.is_dir() else [])
def test_import_and_report_shared_conversations(name):
    directory = POLIS / name
    slug = run("import-polis", str(directory), "--title", name).strip().splitlines()[-1]
    data = report(slug)
    assert data["conversation"]["slug"] == slug
    assert data["settings"]["min_votes"] == 7
    voters = {line.split(",")[3] for line in (directory / "votes.csv").read_text().splitlines()[1:]}
    assert data["participants"] == len(voters)
    members = [m for group in data["groups"] for m in group["members"]]
    assert len(members) == len(set(members))
    assert {str(m) for m in members} <= voters
    assert all(group["size"] == len(group["members"]) for group in data["groups"])
    assert len(data["groups"]) >= 2
    assert data["consensus"]
    assert all(item["text"] for item in data["consensus"])
    assert all(isinstance(item["statement"], int) for item in data["consensus"])
    # A second report reuses the fresh analysis.
    snapshot = analysis_runs.latest_snapshot(Conversation.objects.get(slug=slug))
    assert report(slug)["computed_at"] == snapshot.computed_at.isoformat()


@pytest.mark.parametrize(
    "votes",
    [
        "",  # no votes
        "1,x,0,0,1\n",  # one participant, one vote
        "".join(f"1,x,{c},{p},1\n" for p in range(20) for c in range(3)),  # everybody agrees with everything
        "".join(f"1,x,0,{p},{(-1) ** p}\n" for p in range(30)),  # one statement
    ],
)
def test_degenerate_conversations_report(tmp_path, votes):
    comments = "comment-id,comment-body,moderated\n0,Only one,1\n1,Second,1\n2,Third,1\n"
    directory = write(tmp_path / "degenerate", comments, "timestamp,datetime,comment-id,voter-id,vote\n" + votes)
    slug = run("import-polis", str(directory), "--title", "Degenerate", "--open").strip().splitlines()[-1]
    data = report(slug)
    assert data["votes"] == len(votes.splitlines())
    text = run("report", slug)
    assert "Degenerate" in text
