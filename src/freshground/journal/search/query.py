"""What a reader types in the search box, read into words, phrases and excluded words.

The syntax is the one people know from web search engines: words (all must match), "quoted phrases", and -word to
exclude a word. Everything else (operators, brackets, stars, column filters) is treated as plain text, so no input can
reach the full-text engine as syntax. Each backend turns the parsed query into its own expression.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 300
MAX_TERMS = 12

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits: what the index calls a word


@dataclass(frozen=True)
class ParsedQuery:
    """Each term is a tuple of words: one word, or the words of a phrase in order."""

    include: tuple[tuple[str, ...], ...]
    exclude: tuple[tuple[str, ...], ...]

    @property
    def is_empty(self) -> bool:
        return not self.include

    @property
    def words(self) -> tuple[str, ...]:
        """Every included word, for highlighting."""
        return tuple(word for term in self.include for word in term)


def _words(text: str) -> tuple[str, ...]:
    normalised = unicodedata.normalize("NFKC", text).casefold()
    return tuple(_WORD.findall(normalised))


def parse_query(text: str) -> ParsedQuery:
    """Read `text` into included and excluded terms (at most MAX_TERMS, duplicates dropped)."""
    include: list[tuple[str, ...]] = []
    exclude: list[tuple[str, ...]] = []
    for match in _TOKEN.finditer((text or "")[:MAX_QUERY_LENGTH]):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if phrase is None:
            negated = "-" if bare.startswith("-") and len(bare) > 1 else ""
            phrase = bare[1:] if negated else bare
        # A bare token may hold several words ("covid-19", "don't"): to the index they are a phrase.
        words = _words(phrase)
        target = exclude if negated else include
        if words and words not in target:
            target.append(words)
    return ParsedQuery(tuple(include[:MAX_TERMS]), tuple(exclude[:MAX_TERMS]))
