"""A covering index for counting a wide scope's register on PostgreSQL.

The register's total (minors, not merged away, in the user's area) read the whole table:
82 ms for a province of 61,000 children.  ``clms.people.counting`` keeps the total between
writes, but the first page after a write still counts; from this index (date of birth, with
the commune to test the area, only the rows not merged away) PostgreSQL counts without
reading the table: 24 ms (bench/bench_register.py --cold, and the notes of issue 18).
``INCLUDE`` exists on PostgreSQL only, so, like 0006, the index is not in the model's state
and nothing is done on SQLite.
"""

from django.db import migrations

INDEX = "people_child_minor_count"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_child (dob) INCLUDE (commune_id) WHERE merged_into_id IS NULL"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0006_child_name_trigram"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
