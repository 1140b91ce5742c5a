"""The full-text parts each database needs, which Django's model fields cannot express portably.

PostgreSQL: pg_trgm (for "did you mean") when the server offers it, a GIN index on the search vector and
a trigram GIN index on the vocabulary. SQLite: the FTS5 table whose rowid is SearchDocument.id.
"""

from django.db import migrations

SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS discovery_fts USING fts5("
    "title, summary, keywords, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
SQLITE_BACKWARD = "DROP TABLE IF EXISTS discovery_fts"


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
    elif connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS discovery_search_vector_gin "
            "ON discovery_searchdocument USING gin (search_vector)"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            available = cursor.fetchone() is not None
        if available:
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS discovery_term_trgm "
                "ON discovery_searchterm USING gin (term gin_trgm_ops)"
            )


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)
    elif connection.vendor == "postgresql":
        # The extension stays: other code may use it, and dropping it needs more rights than creating.
        schema_editor.execute("DROP INDEX IF EXISTS discovery_term_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS discovery_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
