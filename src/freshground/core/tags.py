"""Free-text tags shared by every app (skills, interests, event topics): clean names, find or create the rows."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import slugify
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.core.models import Tag
from freshground.core.text import clean_text

MAX_TAGS = 30


def tags_from_names(names: Iterable[str], field: str, *, limit: int = MAX_TAGS) -> list[Tag]:
    """The Tag rows for these names (created when missing), in the order given, duplicates dropped.

    A name nobody could find again (one that slugifies to nothing) or more than `limit` tags is a DomainError on
    `field`.
    """
    cleaned: dict[str, str] = {}
    for raw in names:
        name = clean_text(str(raw))[:60]
        if not name:
            continue
        slug = slugify(name, allow_unicode=True)[:80]
        if not slug:
            raise DomainError(_("“%(tag)s” is not a usable tag.") % {"tag": name[:30]}, field=field)
        cleaned.setdefault(slug, name)
    if len(cleaned) > limit:
        raise DomainError(_("At most %(n)d tags.") % {"n": limit}, field=field)
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=cleaned)}
    missing = [Tag(name=name, slug=slug) for slug, name in cleaned.items() if slug not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=cleaned)}
    return [existing[slug] for slug in cleaned if slug in existing]
