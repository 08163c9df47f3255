from django.db import migrations

from clms.outreach.shipped import load_peak_periods, unload_peak_periods


def forward(apps, schema_editor):
    load_peak_periods(apps)


def backward(apps, schema_editor):
    unload_peak_periods(apps)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_activities_reach_attendance_peak_periods")]

    operations = [migrations.RunPython(forward, backward)]
