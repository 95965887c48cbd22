"""The site's main sections. An app adds its section here when it exists, so no link in the menu is dead."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    label: str | Promise
    url_name: str
    key: str


# In menu order. A section whose URL does not resolve (its app is not built yet) is left out.
SECTIONS: tuple[Section, ...] = (
    Section(_("Journal"), "journal:index", "journal"),
    Section(_("Debate"), "debate:index", "debate"),
    Section(_("Reports"), "reports:index", "reports"),
    Section(_("Inquiries"), "inquiries:index", "inquiries"),
    Section(_("Events"), "events:index", "events"),
    Section(_("Speakers"), "speakers:roster", "speakers"),
    Section(_("Campaigns"), "campaigns:index", "campaigns"),
    Section(_("Decisions"), "decisions:index", "decisions"),
    Section(_("Unity"), "unity:index", "unity"),
    Section(_("Study"), "study:index", "study"),
    Section(_("Library"), "library:index", "library"),
    Section(_("Circles & Centers"), "network:directory", "network"),
)


@cache
def main_sections() -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for section in SECTIONS:
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": section.label, "url": url, "key": section.key})
    return items
