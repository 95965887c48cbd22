"""The controlled vocabulary of topics: created (or marked, where a free tag of that name exists) once."""

from django.db import migrations
from django.db.models.functions import Lower
from django.utils.text import slugify

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


def create_topics(apps, schema_editor):
    Tag = apps.get_model("core", "Tag")
    for name in TOPICS:
        tag = Tag.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).first()
        if tag is None:
            slug = slugify(name)[:80] or "topic"
            base, n = slug, 2
            while Tag.objects.filter(slug=slug).exists():
                slug = f"{base[:75]}-{n}"
                n += 1
            Tag.objects.create(name=name, slug=slug, is_topic=True)
        elif not tag.is_topic:
            Tag.objects.filter(pk=tag.pk).update(is_topic=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_tag_is_topic")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
