"""Articles' Markdown: CommonMark with tables and footnotes (markdown-it-py), then sanitised with nh3.

Raw HTML is off in the parser and the output is cleaned again to an allow-list (core.text's, plus what footnotes and
images need). Images are kept only when they point at our own article images (`journal:article_image`); any other
image source is dropped, so a reader's browser never asks an outside server for anything.

Footnotes follow the usual syntax: a reference `[^label]` in the text and a definition `[^label]: text` at the start
of a line (indented lines after it continue it). mdit-py-plugins is not installed, so they are done here: the
definitions are lifted out of the text before parsing (outside fenced code), an inline rule turns each reference to
a known label into a numbered link, and the notes are appended as an ordered list with links back.
"""

from __future__ import annotations

import re
from typing import Any

import nh3
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from freshground.core.text import ALLOWED_TAGS

_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]{1,40})\]:[ \t]?(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_REFERENCE = re.compile(r"\[\^([^\]\s]{1,40})\]")
_FOOTNOTE_ID = re.compile(r"^fn(ref)?-\d{1,4}(-\d{1,4})?$")
_CLASSES = {"footnote-ref", "footnotes", "footnote-back"}

TAGS = set(ALLOWED_TAGS) | {"sup", "section", "img", "h1"}
ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "id", "class", "aria-label"},
    "img": {"src", "alt", "title"},
    "li": {"id"},
    "sup": {"class"},
    "section": {"class", "aria-label"},
    "td": {"align"},
    "th": {"align"},
}


def image_url_prefix() -> str:
    """Where our own article images live; the only image sources an article may use."""
    return reverse("journal:article_image", kwargs={"name": "x"})[:-1]


def _split_definitions(source: str) -> tuple[str, dict[str, str]]:
    """The text without footnote definitions, and the definitions by label (outside fenced code only)."""
    lines = source.split("\n")
    kept: list[str] = []
    notes: dict[str, str] = {}
    fence: str | None = None
    current: str | None = None
    for line in lines:
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            kept.append(line)
            continue
        if fence_match:
            fence = fence_match.group(1)
            current = None
            kept.append(line)
            continue
        definition = _DEFINITION.match(line)
        if definition:
            current = definition.group(1)
            notes.setdefault(current, definition.group(2))
            continue
        if current is not None and line.startswith(("    ", "\t")):
            notes[current] += "\n" + line.strip()
            continue
        current = None
        kept.append(line)
    return "\n".join(kept), notes


def _footnote_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[" or state.src[state.pos + 1 : state.pos + 2] != "^":
        return False
    match = _REFERENCE.match(state.src, state.pos)
    notes: dict[str, str] = state.env.get("footnotes", {})
    if match is None or match.group(1) not in notes:
        return False
    if not silent:
        order: list[str] = state.env.setdefault("footnote_order", [])
        label = match.group(1)
        if label not in order:
            order.append(label)
        counts: dict[str, int] = state.env.setdefault("footnote_counts", {})
        counts[label] = counts.get(label, 0) + 1
        token = state.push("footnote_ref", "", 0)
        token.meta = {"number": order.index(label) + 1, "use": counts[label]}
    state.pos = match.end()
    return True


def _render_footnote_ref(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    number = tokens[idx].meta["number"]
    use = tokens[idx].meta["use"]
    ref_id = f"fnref-{number}" if use == 1 else f"fnref-{number}-{use}"
    return f'<sup class="footnote-ref"><a href="#fn-{number}" id="{ref_id}">{number}</a></sup>'


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable("table")
    md.inline.ruler.before("link", "footnote_ref", _footnote_rule)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    return md


_markdown = _parser()


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _FOOTNOTE_ID.match(value) else None
    if attribute == "class":
        return value if value in _CLASSES else None
    if element == "img" and attribute == "src":
        prefix = image_url_prefix()
        return value if value.startswith(prefix) and ".." not in value and "//" not in value[1:] else None
    if attribute == "align":
        return value if value in {"left", "right", "center"} else None
    return value


def sanitise(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"https", "http", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
        attribute_filter=_attribute_filter,
    )
    # An image whose source was refused is left without one: drop it entirely.
    return re.sub(r"<img(?![^>]*\ssrc=)[^>]*>", "", cleaned)


def render_html(source: str) -> str:
    """The article's body as sanitised HTML (a plain string, for storing in Article.body_html)."""
    text, notes = _split_definitions(source or "")
    env: dict[str, Any] = {"footnotes": notes}
    html = _markdown.render(text, env)
    order: list[str] = env.get("footnote_order", [])
    if order:
        counts: dict[str, int] = env.get("footnote_counts", {})
        items = []
        for number, label in enumerate(order, start=1):
            note_html = _markdown.render(notes[label], {"footnotes": {}}).strip()
            back = " ".join(
                f'<a href="#fnref-{number}{"" if use == 1 else f"-{use}"}" class="footnote-back" '
                f'aria-label="{escape(_("Back to the text"))}">↩</a>'
                for use in range(1, counts.get(label, 1) + 1)
            )
            if note_html.endswith("</p>"):
                note_html = note_html[:-4] + " " + back + "</p>"
            else:
                note_html += back
            items.append(f'<li id="fn-{number}">{note_html}</li>')
        html += f'<section class="footnotes" aria-label="{escape(_("Notes"))}"><ol>{"".join(items)}</ol></section>'
    return sanitise(html)


def render(source: str) -> SafeString:
    """For templates: the rendered, sanitised HTML marked safe."""
    return mark_safe(render_html(source))  # noqa: S308 - sanitised by nh3 in render_html
