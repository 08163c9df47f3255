"""Load the default due times of the case steps from clms/cases/data/due_policies.json."""

import json
from importlib import resources

from django.db import migrations


def load(apps, schema_editor):
    DuePolicy = apps.get_model("cases", "DuePolicy")
    text = resources.files("clms.cases").joinpath("data", "due_policies.json").read_text(encoding="utf-8")
    for row in json.loads(text)["policies"]:
        DuePolicy.objects.update_or_create(
            step=row["step"],
            scope_unit=None,
            defaults={
                "amount": row["amount"],
                "unit": row["unit"],
                "start_event": row["start_event"],
                "statutory": row["statutory"],
                "legal_basis": row["legal_basis"],
            },
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "DuePolicy").objects.filter(scope_unit__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_reports_steps_referrals")]

    operations = [migrations.RunPython(load, unload)]
