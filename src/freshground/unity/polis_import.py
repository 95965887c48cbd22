"""Import a conversation in the Pol.is export format (the openData folders: comments.csv and votes.csv).

comments.csv: `comment-id`, `comment-body` and `moderated` are required (`author-id`, `timestamp` are read when
present); moderated −1 = moderated out (imported as rejected), 0 or 1 = in (approved). votes.csv: `comment-id`,
`voter-id` and `vote` are required (`timestamp` when present); vote +1 = agree, −1 = disagree, 0 = pass (the export's
sign, which is ours). A participant who voted again on a statement keeps their last vote (by timestamp, then by row).

Everything is checked before anything is written, and the writing is one transaction with bulk inserts: a bad file
imports nothing. Ids must be integers, as Pol.is writes them; a vote on a comment not in comments.csv is an error.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.core.text import clean_text, unique_slug
from freshground.unity.models import (
    STATEMENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Conversation,
    ConversationState,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)

COMMENT_COLUMNS = ("comment-id", "comment-body", "moderated")
VOTE_COLUMNS = ("comment-id", "voter-id", "vote")
BATCH = 5_000


class PolisImportError(DomainError):
    """A file that cannot be imported, with the file and line at fault."""


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    moderated: int
    author: int | None
    created_at: datetime | None


@dataclass(frozen=True)
class ParsedVote:
    comment: int
    voter: int
    value: int
    at: datetime | None


@dataclass(frozen=True)
class Parsed:
    comments: list[Comment]
    votes: list[ParsedVote]  # the last vote per (voter, comment) only

    @property
    def participants(self) -> list[int]:
        ids = {vote.voter for vote in self.votes} | {c.author for c in self.comments if c.author is not None}
        return sorted(ids)


def _rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise PolisImportError(_("%(file)s is missing.") % {"file": path})
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise PolisImportError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}) from error
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except (csv.Error, UnicodeDecodeError) as error:
            raise PolisImportError(
                _("%(file)s is not a CSV file: %(error)s") % {"file": path.name, "error": error}
            ) from error
        missing = [column for column in required if column not in header]
        if missing:
            raise PolisImportError(
                _("%(file)s lacks the column(s) %(columns)s (it has: %(header)s).")
                % {"file": path.name, "columns": ", ".join(missing), "header": ", ".join(header) or _("nothing")}
            )
        try:
            for row in reader:
                yield reader.line_num, row
        except (csv.Error, UnicodeDecodeError) as error:
            raise PolisImportError(
                _("%(file)s, line %(line)d: %(error)s") % {"file": path.name, "line": reader.line_num, "error": error}
            ) from error


def _integer(value: str | None, *, file: str, line: int, column: str, allowed: Sequence[int] = ()) -> int:
    text = (value or "").strip()
    try:
        number = int(text)
    except ValueError:
        raise PolisImportError(
            _("%(file)s, line %(line)d: %(column)s must be a whole number, not %(value)r.")
            % {"file": file, "line": line, "column": column, "value": text}
        ) from None
    if allowed and number not in allowed:
        raise PolisImportError(
            _("%(file)s, line %(line)d: %(column)s must be one of %(allowed)s, not %(value)d.")
            % {"file": file, "line": line, "column": column, "allowed": ", ".join(map(str, allowed)), "value": number}
        )
    return number


def _timestamp(value: str | None, *, file: str, line: int) -> datetime | None:
    text = (value or "").strip()
    if not text:
        return None
    milliseconds = _integer(text, file=file, line=line, column="timestamp")
    try:
        return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise PolisImportError(
            _("%(file)s, line %(line)d: timestamp %(value)s is not a time in milliseconds.")
            % {"file": file, "line": line, "value": text}
        ) from None


def parse(directory: Path) -> Parsed:
    """Read and check both files (no database access)."""
    if not directory.is_dir():
        raise PolisImportError(_("%(dir)s is not a folder.") % {"dir": directory})
    comments: dict[int, Comment] = {}
    name = "comments.csv"
    for line, row in _rows(directory / name, COMMENT_COLUMNS):
        comment_id = _integer(row.get("comment-id"), file=name, line=line, column="comment-id")
        if comment_id in comments:
            raise PolisImportError(
                _("%(file)s, line %(line)d: comment %(id)d appears twice.")
                % {"file": name, "line": line, "id": comment_id}
            )
        body = clean_text(row.get("comment-body") or "")
        if not body:
            raise PolisImportError(
                _("%(file)s, line %(line)d: comment %(id)d has no text.")
                % {"file": name, "line": line, "id": comment_id}
            )
        if len(body) > STATEMENT_MAX_LENGTH:
            raise PolisImportError(
                _("%(file)s, line %(line)d: comment %(id)d is longer than %(n)d characters.")
                % {"file": name, "line": line, "id": comment_id, "n": STATEMENT_MAX_LENGTH}
            )
        moderated = _integer(row.get("moderated"), file=name, line=line, column="moderated", allowed=(-1, 0, 1))
        author_text = (row.get("author-id") or "").strip()
        author = _integer(author_text, file=name, line=line, column="author-id") if author_text else None
        created = _timestamp(row.get("timestamp"), file=name, line=line)
        comments[comment_id] = Comment(comment_id, body, moderated, author, created)

    name = "votes.csv"
    latest: dict[tuple[int, int], tuple[datetime | None, int, ParsedVote]] = {}
    for line, row in _rows(directory / name, VOTE_COLUMNS):
        comment_id = _integer(row.get("comment-id"), file=name, line=line, column="comment-id")
        if comment_id not in comments:
            raise PolisImportError(
                _("%(file)s, line %(line)d: a vote on comment %(id)d, which is not in comments.csv.")
                % {"file": name, "line": line, "id": comment_id}
            )
        voter = _integer(row.get("voter-id"), file=name, line=line, column="voter-id")
        value = _integer(row.get("vote"), file=name, line=line, column="vote", allowed=(-1, 0, 1))
        at = _timestamp(row.get("timestamp"), file=name, line=line)
        key = (voter, comment_id)
        earlier = latest.get(key)
        if earlier is None or at is None or earlier[0] is None or at >= earlier[0]:
            latest[key] = (at, line, ParsedVote(comment_id, voter, value, at))
    votes = [entry[2] for entry in sorted(latest.values(), key=lambda entry: entry[1])]
    return Parsed(list(comments.values()), votes)


@transaction.atomic
def import_conversation(directory: Path, *, title: str, keep_open: bool = False) -> Conversation:
    """Check the files, then create the conversation, its statements, participants and votes in one transaction."""
    title = clean_text(title or "")
    if not title:
        raise PolisImportError(_("Give the conversation a title."), field="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise PolisImportError(_("The title is longer than %(n)d characters.") % {"n": TITLE_MAX_LENGTH}, field="title")
    parsed = parse(Path(directory))
    now = timezone.now()
    conversation = Conversation.objects.create(
        slug=unique_slug(Conversation, title, max_length=90),
        title=title,
        description=_("Imported from a Pol.is export."),
        state=ConversationState.OPEN if keep_open else ConversationState.CLOSED,
        closed_at=None if keep_open else now,
    )
    created = Participant.objects.bulk_create(
        [Participant(conversation=conversation, external_id=str(pid), created_at=now) for pid in parsed.participants],
        batch_size=BATCH,
    )
    participant_pk = {int(p.external_id): p.pk for p in created}
    statements = Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation,
                text=comment.body,
                participant_id=participant_pk.get(comment.author) if comment.author is not None else None,
                status=StatementStatus.REJECTED if comment.moderated == -1 else StatementStatus.APPROVED,
                external_id=str(comment.id),
                created_at=comment.created_at or now,
            )
            for comment in parsed.comments
        ],
        batch_size=BATCH,
    )
    statement_pk = {int(s.external_id): s.pk for s in statements}
    for start in range(0, len(parsed.votes), BATCH):
        Vote.objects.bulk_create(
            [
                Vote(
                    conversation=conversation,
                    participant_id=participant_pk[vote.voter],
                    statement_id=statement_pk[vote.comment],
                    value=vote.value,
                    created_at=vote.at or now,
                    updated_at=vote.at or now,
                )
                for vote in parsed.votes[start : start + BATCH]
            ]
        )
    return conversation
