from django.db import migrations

from clms.plans.shipped import load_shipped, unload_shipped


def forward(apps, schema_editor):
    load_shipped(apps)


def backward(apps, schema_editor):
    unload_shipped(apps)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_plans_targets_agencies_budget_pilots")]

    operations = [migrations.RunPython(forward, backward)]
