"""The full-text index behind journal search, one per database engine.

- SQLite: an FTS5 table (`journal_item_fts`, unicode61 tokenizer without diacritics) that mirrors the title, summary
  and body text of `journal_item` as external content, kept in step by three triggers.
- PostgreSQL: a `tsvector` column (`journal_item.search_vector`, the `simple` configuration, title weighted A,
  summary B, body C) that a trigger computes on every insert and on updates of those columns, with a GIN index.

Neither is a Django field: the migration installs them, and `ensure_installed` runs again after every migration of
the journal app, because SQLite rebuilds a table (dropping its triggers) for some schema changes.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from freshground.journal.search.folding import sql_fold

FTS_TABLE = "journal_item_fts"
BODY_LIMIT = 200_000  # characters of body text indexed on PostgreSQL (a tsvector holds at most 1 MB)

SQLITE_TRIGGERS = {
    "journal_item_fts_insert": """
        CREATE TRIGGER IF NOT EXISTS journal_item_fts_insert AFTER INSERT ON journal_item BEGIN
            INSERT INTO journal_item_fts(rowid, title, summary, body_text)
            VALUES (new.id, new.title, new.summary, new.body_text);
        END""",
    "journal_item_fts_delete": """
        CREATE TRIGGER IF NOT EXISTS journal_item_fts_delete AFTER DELETE ON journal_item BEGIN
            INSERT INTO journal_item_fts(journal_item_fts, rowid, title, summary, body_text)
            VALUES ('delete', old.id, old.title, old.summary, old.body_text);
        END""",
    "journal_item_fts_update": """
        CREATE TRIGGER IF NOT EXISTS journal_item_fts_update AFTER UPDATE OF title, summary, body_text
        ON journal_item BEGIN
            INSERT INTO journal_item_fts(journal_item_fts, rowid, title, summary, body_text)
            VALUES ('delete', old.id, old.title, old.summary, old.body_text);
            INSERT INTO journal_item_fts(rowid, title, summary, body_text)
            VALUES (new.id, new.title, new.summary, new.body_text);
        END""",
}

_BODY = f"left(coalesce({{row}}.body_text, ''), {BODY_LIMIT})"
_PG_VECTOR = f"""
    setweight(to_tsvector('simple'::regconfig, {sql_fold("coalesce({row}.title, '')")}), 'A')
    || setweight(to_tsvector('simple'::regconfig, {sql_fold("coalesce({row}.summary, '')")}), 'B')
    || setweight(to_tsvector('simple'::regconfig, {sql_fold(_BODY)}), 'C')"""

# A plain column kept by a trigger rather than a generated column, so later migrations may still change the type of
# the columns it reads.
POSTGRES_STATEMENTS = (
    "ALTER TABLE journal_item ADD COLUMN IF NOT EXISTS search_vector tsvector",
    f"""CREATE OR REPLACE FUNCTION journal_item_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := {_PG_VECTOR.format(row="NEW")};
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS journal_item_search_update ON journal_item",
    """CREATE TRIGGER journal_item_search_update BEFORE INSERT OR UPDATE OF title, summary, body_text
    ON journal_item FOR EACH ROW EXECUTE FUNCTION journal_item_search_vector()""",
    f"UPDATE journal_item SET search_vector = {_PG_VECTOR.format(row='journal_item')} WHERE search_vector IS NULL",  # noqa: S608
    "CREATE INDEX IF NOT EXISTS journal_item_search ON journal_item USING gin (search_vector)",
)


def _sqlite_install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        created_table = FTS_TABLE not in present
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS journal_item_fts USING fts5("
            "title, summary, body_text, content='journal_item', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        if created_table or missing:
            # Rows written while the index or its triggers were missing: index everything again.
            cursor.execute("INSERT INTO journal_item_fts(journal_item_fts) VALUES ('rebuild')")


def _sqlite_uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DROP TABLE IF EXISTS journal_item_fts")


def _postgres_installed(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT"
            " EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
            "  AND table_name = 'journal_item' AND column_name = 'search_vector'),"
            " EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'journal_item_search_update'),"
            " EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema()"
            "  AND indexname = 'journal_item_search')"
        )
        row = cursor.fetchone()
    return bool(row and all(row))


def _postgres_install(connection: BaseDatabaseWrapper) -> None:
    # Only when something is missing: ALTER TABLE is refused inside a transaction that has pending trigger events
    # (a migrate run from a command within a larger transaction, as the demo's tests do).
    if _postgres_installed(connection):
        with connection.cursor() as cursor:
            cursor.execute(POSTGRES_STATEMENTS[1])  # the trigger's function as this release writes it (no ALTER TABLE)
        return
    with connection.cursor() as cursor:
        for statement in POSTGRES_STATEMENTS:
            cursor.execute(statement)


def _postgres_uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS journal_item_search")
        cursor.execute("DROP TRIGGER IF EXISTS journal_item_search_update ON journal_item")
        cursor.execute("DROP FUNCTION IF EXISTS journal_item_search_vector()")
        cursor.execute("ALTER TABLE journal_item DROP COLUMN IF EXISTS search_vector")


def ensure_installed(connection: BaseDatabaseWrapper) -> None:
    """Create whatever part of the index is missing (idempotent); other engines have no full-text index."""
    if connection.vendor == "sqlite":
        _sqlite_install(connection)
    elif connection.vendor == "postgresql":
        _postgres_install(connection)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "sqlite":
        _sqlite_uninstall(connection)
    elif connection.vendor == "postgresql":
        _postgres_uninstall(connection)
