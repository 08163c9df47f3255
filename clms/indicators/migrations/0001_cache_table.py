"""The database cache table (settings.CACHES on the embedded default): created by `migrate`
so the demo, the tests and every deployment have it without a separate createcachetable."""

import io

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0, stdout=io.StringIO())


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
