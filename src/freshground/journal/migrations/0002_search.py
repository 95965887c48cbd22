"""The full-text index of journal items: FTS5 on SQLite, a tsvector column with a GIN index on PostgreSQL
(journal.search.schema)."""

from django.db import migrations


def install(apps, schema_editor):
    from freshground.journal.search.schema import ensure_installed

    ensure_installed(schema_editor.connection)


def uninstall(apps, schema_editor):
    from freshground.journal.search.schema import uninstall as remove

    remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
