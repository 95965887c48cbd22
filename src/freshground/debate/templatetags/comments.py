"""Comment threads in any page: `{% load comments %}`.

- `{% comment_thread obj %}`: the whole thread section for a commentable object (reads `request` from the context:
  `?thread=<label>:<id>&after=<cursor>` pages it, `&paragraph=<key>` filters it to one paragraph).
- `{% comment_count obj %}`: how many published comments the thread has.
- `{% paragraphs obj html %}`: a long text (sanitised HTML) split into paragraphs, each with an anchor, its comment
  count and a link to comment on it (one query for all the counts).
"""

from __future__ import annotations

from typing import Any

import nh3
from django import template
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from freshground.core.content import kind_for, label_of
from freshground.core.text import ALLOWED_TAGS
from freshground.debate import queries_comments as queries
from freshground.debate.paragraphs import split_blocks

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context: template.Context, obj: Model) -> SafeString:
    from freshground.debate.views_comments import thread_context

    if obj is None or getattr(obj, "pk", None) is None:
        return mark_safe("")
    request = context.get("request")
    data = thread_context(request, obj)
    if data is None:
        return mark_safe("")
    return render_to_string("debate/comment_thread.html", data, request=request)


@register.simple_tag
def comment_count(obj: Model) -> int:
    if obj is None or getattr(obj, "pk", None) is None or kind_for(obj) is None:
        return 0
    return queries.comment_count(obj)


@register.simple_tag(takes_context=True)
def paragraphs(context: template.Context, obj: Model, html: Any) -> SafeString:
    # Sanitised again: the text usually comes straight from a model field, so it cannot be trusted to be safe.
    clean = nh3.clean(
        str(html or ""),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title", "class"}},
        url_schemes={"https", "http", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
    blocks = split_blocks(clean)
    kind = kind_for(obj) if obj is not None else None
    commentable = kind is not None and kind.commentable and getattr(obj, "pk", None) is not None
    counts = queries.paragraph_counts(obj, [b.key for b in blocks]) if commentable else {}
    thread_url = reverse("debate:thread", args=[label_of(obj), obj.pk]) if commentable else ""
    rows = [{"block": b, "count": counts.get(b.key, 0), "html": mark_safe(b.html)} for b in blocks]  # noqa: S308
    return render_to_string(
        "debate/comment_paragraphs.html",
        {
            "rows": rows,
            "thread_url": thread_url,
            "thread_anchor": f"thread-{label_of(obj).replace('.', '-')}-{obj.pk}" if commentable else "",
            "commentable": commentable,
        },
        request=context.get("request"),
    )
