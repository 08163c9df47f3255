import json
from importlib import resources

from django.db import migrations


def _rows():
    return json.loads((resources.files("clms.outreach") / "data" / "peak_periods.json").read_text(encoding="utf-8"))


def forward(apps, schema_editor):
    PeakPeriod = apps.get_model("outreach", "PeakPeriod")
    for row in _rows():
        PeakPeriod.objects.update_or_create(code=row["code"], defaults=row)


def backward(apps, schema_editor):
    PeakPeriod = apps.get_model("outreach", "PeakPeriod")
    PeakPeriod.objects.filter(code__in=[row["code"] for row in _rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_activities_reach_attendance_peak_periods")]

    operations = [migrations.RunPython(forward, backward)]
