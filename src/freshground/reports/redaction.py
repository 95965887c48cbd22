"""The redaction tool: a reviewer lists "find → replace" pairs (a person's name → "[a manager]", the employer →
"[a hospital]", an exact place → "[a ward]"), the server applies them to every text of the report at once and shows
a preview with each replacement marked; the reviewer may then edit the text freely and propose it to the reporter.

Pure functions, no database. Replacement is case-insensitive, whole-word where the found text starts or ends with a
letter or digit, longest finds first, and done in one pass, so a replacement is never itself replaced. A pair whose
replacement contains its own find is refused: with that rule, applying the same pairs twice changes nothing (a
preview can be applied again when the reviewer proposes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError

# The texts of a report a version redacts, in the order they are shown.
REDACTED_FIELDS = ("title", "region", "what_happened", "what_we_did", "outcome")
ARROWS = ("→", "=>", "->")
MAX_PAIRS = 100
MAX_FIND = 200


@dataclass(frozen=True)
class Replacement:
    find: str
    replace: str


def parse_pairs(text: str, *, field: str = "pairs") -> list[Replacement]:
    """One pair a line: `find → replace` (or `=>`, `->`). Blank lines are skipped; a line without an arrow replaces
    the text with "[…]". Raises DomainError on `field` for an unusable pair."""
    pairs: list[Replacement] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        find, replace = line, "[…]"
        for arrow in ARROWS:
            if arrow in line:
                find, _sep, replace = line.partition(arrow)
                break
        find, replace = find.strip(), replace.strip()
        if not find:
            raise DomainError(_("Line %(n)d: write the text to replace before the arrow.") % {"n": number}, field=field)
        if len(find) > MAX_FIND or len(replace) > MAX_FIND:
            raise DomainError(_("Line %(n)d is too long.") % {"n": number}, field=field)
        if find.casefold() in replace.casefold():
            raise DomainError(
                _("Line %(n)d: the replacement must not contain the text it replaces.") % {"n": number}, field=field
            )
        if find.casefold() in seen:
            continue
        seen.add(find.casefold())
        pairs.append(Replacement(find, replace))
    if len(pairs) > MAX_PAIRS:
        raise DomainError(_("At most %(n)d replacements.") % {"n": MAX_PAIRS}, field=field)
    return pairs


def format_pairs(pairs: Iterable[Replacement]) -> str:
    return "\n".join(f"{pair.find} → {pair.replace}" for pair in pairs)


def _pattern(pairs: Sequence[Replacement]) -> re.Pattern[str] | None:
    if not pairs:
        return None
    alternatives = []
    for pair in sorted(pairs, key=lambda p: len(p.find), reverse=True):
        piece = re.escape(pair.find)
        if pair.find[0].isalnum():
            piece = r"(?<!\w)" + piece
        if pair.find[-1].isalnum():
            piece += r"(?!\w)"
        alternatives.append(piece)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _replacement_for(pairs: Sequence[Replacement]) -> dict[str, str]:
    return {pair.find.casefold(): pair.replace for pair in pairs}


def apply(text: str, pairs: Sequence[Replacement]) -> str:
    """The text with every find replaced (one pass)."""
    pattern = _pattern(pairs)
    if pattern is None:
        return text
    lookup = _replacement_for(pairs)
    return pattern.sub(lambda match: lookup[match.group(0).casefold()], text)


def apply_all(texts: Mapping[str, str], pairs: Sequence[Replacement]) -> dict[str, str]:
    """Each named text with the pairs applied."""
    return {name: apply(value, pairs) for name, value in texts.items()}


def highlight(text: str, pairs: Sequence[Replacement]) -> SafeString:
    """The redacted text as HTML for the preview: everything escaped, each replacement in a <mark>."""
    pattern = _pattern(pairs)
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped just above
    lookup = _replacement_for(pairs)
    parts: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f'<mark class="redacted">{escape(lookup[match.group(0).casefold()])}</mark>')
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped


def remaining(texts: Mapping[str, str], pairs: Sequence[Replacement]) -> list[str]:
    """The finds still present in the texts (after free editing put one back, say)."""
    left: list[str] = []
    for pair in pairs:
        single = _pattern([pair])
        if single is not None and any(single.search(value) for value in texts.values()):
            left.append(pair.find)
    return left


_CANDIDATE = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+"  # e-mail addresses
    r"|\+?\d[\d ()-]{6,}\d"  # phone numbers
    r"|(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+",  # Two Or More Capitalised Words inside a sentence
    re.MULTILINE,
)


def suggestions(texts: Iterable[str], *, limit: int = 20) -> list[str]:
    """Words worth a second look: runs of capitalised words (names, employers, places), e-mail addresses and phone
    numbers. Only a prompt for the reviewer; nothing is replaced without them."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _CANDIDATE.finditer(text):
            value = match.group(0).strip()
            found.setdefault(value.casefold(), value)
            if len(found) >= limit:
                return list(found.values())
    return list(found.values())
