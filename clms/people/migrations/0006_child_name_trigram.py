"""A trigram index on the folded name, for the register's search on PostgreSQL.

The search asks for every typed word anywhere in ``name_folded`` (``LIKE '%word%'``), which
a B-tree cannot serve: at province scale PostgreSQL read all 61,000 children for each search
(bench/bench_register.py).  ``pg_trgm``'s GIN index answers ``LIKE`` with a wildcard on both
sides.  It exists only on PostgreSQL, so it is not in the model's state (``makemigrations``
knows nothing of it) and this migration does nothing on SQLite, the embedded default, where
a district's register is small enough to scan.
"""

from django.db import migrations

INDEX = "people_child_name_folded_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_child USING gin (name_folded gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: another index or a colleague's query may use it.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0005_export_job"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
