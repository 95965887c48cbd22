"""`{% feed_links "journal:topic_feed" slug=topic.slug %}` shows a page's feeds (RSS, Atom, JSON Feed) as links;
`{% feed_head … %}` announces them in the page's <head> for feed readers."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()

FORMATS = (
    ("rss", "RSS", "application/rss+xml"),
    ("atom", "Atom", "application/atom+xml"),
    ("json", "JSON Feed", "application/feed+json"),
)


def _feeds(name: str, kwargs: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"href": reverse(name, kwargs={**kwargs, "fmt": fmt}), "label": label, "type": kind}
        for fmt, label, kind in FORMATS
    ]


@register.inclusion_tag("journal/feed_links.html")
def feed_links(name: str, **kwargs: Any) -> dict[str, Any]:
    return {"feeds": _feeds(name, {key: str(value) for key, value in kwargs.items()})}


@register.inclusion_tag("journal/feed_head.html")
def feed_head(name: str, title: str = "", **kwargs: Any) -> dict[str, Any]:
    return {"feeds": _feeds(name, {key: str(value) for key, value in kwargs.items()}), "title": title}
