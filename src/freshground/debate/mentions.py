"""@mentions in comments: which people and circles a text names, and the links shown for them.

The rule:

- A mention is ``@`` followed by a handle: a letter or digit, then letters, digits and hyphens (case does not matter;
  a trailing hyphen is not part of it). It must not follow a letter, digit, ``@``, ``/`` or ``.`` (so e-mail addresses
  and URLs are not mentions), and it counts only in the text itself, not inside code, code blocks or links.
- ``@token`` names the active person whose ``handle`` is ``token``. Only when no person has that handle does it name
  the circle whose ``slug`` is ``token``. People come first because a person's handle is the only way to name them,
  while a circle can always be named by its full name too.
- Anything else stays plain text. At most ``MAX_MENTIONS`` distinct names per text are looked up (the rest stay text).
- The comments service drops people who have blocked the author (they are neither linked nor notified).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

from freshground.network.models import Circle
from freshground.people.models import Person

MAX_MENTIONS = 20
MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9][A-Za-z0-9-]{0,79})")
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
_OPAQUE = {"a", "code", "pre"}


@dataclass
class Mentions:
    people: dict[str, Person] = field(default_factory=dict)
    circles: dict[str, Circle] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.people or self.circles)


def _token(match: re.Match[str]) -> str:
    return match.group(1).lower().rstrip("-")


def _text_parts(html: str) -> list[tuple[str, bool]]:
    """The HTML cut into (piece, is_plain_text_outside_links_and_code)."""
    parts: list[tuple[str, bool]] = []
    depth = 0
    for piece in _TAG.split(html):
        if not piece:
            continue
        if piece.startswith("<"):
            found = _TAG_NAME.match(piece)
            if found and found.group(2).lower() in _OPAQUE and not piece.rstrip().endswith("/>"):
                depth = max(0, depth - 1) if found.group(1) else depth + 1
            parts.append((piece, False))
        else:
            parts.append((piece, depth == 0))
    return parts


def mention_tokens(html: str) -> list[str]:
    """The distinct handles mentioned in rendered (sanitised) HTML, in order of first appearance."""
    seen: dict[str, None] = {}
    for piece, plain in _text_parts(html):
        if plain:
            for match in MENTION.finditer(piece):
                token = _token(match)
                if token:
                    seen.setdefault(token, None)
    return list(seen)[:MAX_MENTIONS]


def resolve_mentions(tokens: list[str]) -> Mentions:
    """People by handle first, then circles by slug for the tokens no person has (two queries at most)."""
    if not tokens:
        return Mentions()
    people = {p.handle or "": p for p in Person.objects.filter(handle__in=tokens, is_active=True)}
    rest = [t for t in tokens if t not in people]
    circles = {c.slug: c for c in Circle.objects.filter(slug__in=rest)} if rest else {}
    return Mentions(people=people, circles=circles)


def find_mentions(html: str) -> Mentions:
    return resolve_mentions(mention_tokens(html))


def link_mentions(html: str, mentions: Mentions) -> SafeString:
    """Turn the resolved mentions in sanitised HTML into links; everything else is left as it was."""
    if not mentions:
        return mark_safe(html)  # noqa: S308 - the caller passes sanitised HTML

    def replace(match: re.Match[str]) -> str:
        token = _token(match)
        person = mentions.people.get(token)
        if person is not None:
            return (
                f'<a class="mention mention-person" href="{escape(person.get_absolute_url())}">'
                f"@{escape(match.group(1))}</a>"
            )
        circle = mentions.circles.get(token)
        if circle is not None:
            return (
                f'<a class="mention mention-circle" href="{escape(circle.get_absolute_url())}">'
                f"@{escape(match.group(1))}</a>"
            )
        return match.group(0)

    out = [MENTION.sub(replace, piece) if plain else piece for piece, plain in _text_parts(html)]
    return mark_safe("".join(out))  # noqa: S308 - only escaped links were added to sanitised HTML
