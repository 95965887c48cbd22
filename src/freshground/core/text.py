"""Text helpers shared by every app: unique slugs, safe markdown rendering."""

from __future__ import annotations

import unicodedata

import nh3
from django.db.models import Model
from django.utils.crypto import get_random_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}


def clean_text(value: str) -> str:
    """Drop control characters (except newlines and tabs) that no one types on purpose."""
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs", "Co", "Cn"}
    ).strip()


def render_markdown(source: str) -> SafeString:
    """Render user markdown to HTML that is safe to show: raw HTML is off and the output is sanitised again."""
    html = _markdown.render(source or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"https", "http", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitised it


# Words that are also URL segments under /circles/ and /centers/ (and likely future sections).
RESERVED_SLUGS = frozenset({"new", "edit", "search", "feed", "feeds", "api", "admin", "calendar", "map", "export"})


def unique_slug(model: type[Model], text: str, *, max_length: int = 80, field: str = "slug") -> str:
    base = slugify(text).replace("_", "-")[: max_length - 7].strip("-") or "group"
    slug = base
    manager = model._default_manager
    while slug in RESERVED_SLUGS or manager.filter(**{field: slug}).exists():
        slug = f"{base}-{get_random_string(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    return slug
