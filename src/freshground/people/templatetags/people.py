"""Template helpers about people: `{% load people %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def author_name(person: Any) -> str:
    """A person's display name, or "a former member" when the account is gone (the author field is None)."""
    if person is None or getattr(person, "pk", None) is None:
        return _("a former member")
    name = str(getattr(person, "display_name", "") or "")
    return name or _("a former member")


@register.filter
def language_name(code: str) -> str:
    """ "pt-br" → "Brazilian Portuguese" when Django knows the code, else the code itself."""
    from django.utils.translation import get_language_info

    try:
        info = get_language_info(str(code))
    except KeyError:
        return str(code)
    return str(info.get("name_translated") or info.get("name") or code)
