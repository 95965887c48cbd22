"""Snippets with the searched words marked, cut from an item's text in Python (the same on every database)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_LENGTH = 260


def _fold(text: str) -> tuple[str, list[int]]:
    """`text` case-folded and without diacritics, with the index in `text` of each folded character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).casefold()
        for piece in base:
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions


def _spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Where in `text` the words occur as whole words (or word starts), merged and in order."""
    wanted = {_fold(word)[0] for word in words if word}
    if not wanted or not text:
        return []
    folded, positions = _fold(text)
    pattern = re.compile(r"(?<![^\W_])(" + "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True)) + ")")
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(folded):
        start, end = positions[match.start()], positions[match.end() - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def highlight(text: str, words: Iterable[str], *, length: int = SNIPPET_LENGTH) -> SafeString:
    """A window of about `length` characters around the first match, escaped, with matches in <mark>."""
    text = " ".join((text or "").split())
    spans = _spans(text, words)
    start = 0
    if spans and spans[0][0] > length // 3:
        start = text.rfind(" ", 0, spans[0][0] - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    parts: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text was escaped above


def snippet(summary: str, body: str, words: Iterable[str], *, length: int = SNIPPET_LENGTH) -> SafeString:
    """The snippet from the summary when the words are there, otherwise from the body where they are."""
    wanted = list(words)
    if summary and (_spans(summary, wanted) or not body):
        return highlight(summary, wanted, length=length)
    if body and _spans(body, wanted):
        return highlight(body, wanted, length=length)
    return highlight(summary or body, wanted, length=length)
