"""The network's controlled vocabulary of topics (`Tag.is_topic`): created by a data migration
(core/migrations/0003_topic_vocabulary.py); `ensure_topic_vocabulary` puts back any that are missing."""

from __future__ import annotations

from django.db.models.functions import Lower
from django.utils.text import slugify

from freshground.core.models import Tag

TOPICS = (
    "Anti-racism",
    "Anti-war",
    "Budget cuts",
    "Climate and ecology",
    "Democracy and rights",
    "Disability",
    "Education",
    "Feminism",
    "Health care",
    "History",
    "Housing",
    "Immigration",
    "International",
    "LGBTQ+ liberation",
    "Organising",
    "Policing and prisons",
    "Public services",
    "Socialist theory",
    "Strategy",
    "Strikes",
    "Students",
    "Tenants",
    "Trade unions",
    "Transport",
    "Wages and cost of living",
    "Workplace",
)


def ensure_topic_vocabulary() -> int:
    """Create the vocabulary's missing topics (or mark free tags of the same name as topics); returns how many."""
    if Tag.objects.filter(is_topic=True).count() >= len(TOPICS):
        return 0
    existing = {
        name: (pk, is_topic)
        for pk, name, is_topic in Tag.objects.annotate(lower=Lower("name"))
        .filter(lower__in=[name.lower() for name in TOPICS])
        .values_list("pk", "lower", "is_topic")
    }
    changed = 0
    for name in TOPICS:
        found = existing.get(name.lower())
        if found is None:
            slug = slugify(name)[:80] or "topic"
            if Tag.objects.filter(slug=slug).exists():
                Tag.objects.filter(slug=slug).update(is_topic=True)
            else:
                Tag.objects.create(name=name, slug=slug, is_topic=True)
            changed += 1
        elif not found[1]:
            Tag.objects.filter(pk=found[0]).update(is_topic=True)
            changed += 1
    return changed
