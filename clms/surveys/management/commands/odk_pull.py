"""Fetch the submissions of a commune's CLMS form from ODK Central and import the new ones.

    manage.py odk_pull --commune 16123 --kind report --as canbo.tanninh [--survey 4] [--confirm-new]

Needs CLMS_ODK_CENTRAL_URL, CLMS_ODK_CENTRAL_USERNAME and CLMS_ODK_CENTRAL_PASSWORD (and
CLMS_ODK_CENTRAL_PROJECT, default 1).  It uses pyodk, ODK's official client, and reads the
OData feed with repeats expanded; the import is the upload's (checked whole, all or nothing,
idempotent by instanceID), run as the named officer so that her area and role apply.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clms.accounts.models import User
from clms.places.models import AdminUnit, Level
from clms.surveys.exports import Submission, bare_uuid
from clms.surveys.imports import ImportRejected, submissions_import
from clms.surveys.models import ImportSource, SurveyRound
from clms.surveys.xlsforms import KINDS, form_id


def make_client() -> Any:
    """A pyodk client from the settings (a function, so that tests hand in a fake one)."""
    from pyodk._utils.config import CentralConfig, Config
    from pyodk.client import Client

    config = Config(central=CentralConfig(
        base_url=settings.CLMS_ODK_CENTRAL_URL, username=settings.CLMS_ODK_CENTRAL_USERNAME,
        password=settings.CLMS_ODK_CENTRAL_PASSWORD, default_project_id=settings.CLMS_ODK_CENTRAL_PROJECT,
    ))
    return Client(config=config, cache_path=settings.VAR_DIR / "pyodk-cache.toml",
                  project_id=settings.CLMS_ODK_CENTRAL_PROJECT)


def _flatten(node: dict[str, Any], values: dict[str, str], repeats: dict[str, list[dict[str, str]]]) -> None:
    for key, value in node.items():
        if key.startswith("__") or key.startswith("@"):
            continue
        if isinstance(value, dict):
            _flatten(value, values, repeats)
        elif isinstance(value, list):
            for item in value:
                row: dict[str, str] = {}
                _flatten(item if isinstance(item, dict) else {}, row, {})
                repeats.setdefault(key, []).append(row)
        elif value is not None:
            values[key] = str(value)


def submission_of(record: dict[str, Any]) -> Submission:
    """One OData record (groups as nested objects, repeats as lists) as an export's submission."""
    values: dict[str, str] = {}
    repeats: dict[str, list[dict[str, str]]] = {}
    _flatten(record, values, repeats)
    system = record.get("__system") or {}
    if system.get("submissionDate"):
        values.setdefault("SubmissionDate", str(system["submissionDate"]))
    instance = bare_uuid(values.get("instanceID") or str(record.get("__id", "")))
    return Submission(instance_id=instance, values=values, repeats=repeats)


class Command(BaseCommand):
    help = "Fetch new submissions of a commune's CLMS form from ODK Central and import them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commune", required=True, help="code (or id) of the commune")
        parser.add_argument("--kind", required=True, choices=[k.value for k in KINDS])
        parser.add_argument("--as", dest="username", required=True, help="the officer the import runs as")
        parser.add_argument("--survey", type=int, help="survey round id (household survey)")
        parser.add_argument("--confirm-new", action="store_true", help="children reported are new (checked)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.CLMS_ODK_CENTRAL_URL and settings.CLMS_ODK_CENTRAL_USERNAME and settings.CLMS_ODK_CENTRAL_PASSWORD):
            raise CommandError("Set CLMS_ODK_CENTRAL_URL, CLMS_ODK_CENTRAL_USERNAME and CLMS_ODK_CENTRAL_PASSWORD.")
        raw = options["commune"]
        commune = AdminUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True, code=raw).first()
        if commune is None and str(raw).isdigit():
            commune = AdminUnit.objects.filter(level=Level.COMMUNE, pk=int(raw)).first()
        if commune is None:
            raise CommandError(f"No current commune with code {raw}.")
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']}.")
        survey = SurveyRound.objects.filter(pk=options["survey"]).first() if options.get("survey") else None
        client = make_client()
        table = client.submissions.get_table(form_id=form_id(options["kind"], commune), expand="*")
        submissions = [submission_of(r) for r in table.get("value", [])]
        try:
            outcome = submissions_import(
                user=user, commune=commune, kind=options["kind"], submissions=submissions, source=ImportSource.ODK_PULL,
                filename=form_id(options["kind"], commune), survey=survey, confirm_new=options["confirm_new"],
            )
        except ImportRejected as exc:
            raise CommandError("Nothing imported:\n" + "\n".join(str(e) for e in exc.errors)) from None
        self.stdout.write(f"{outcome.written} imported, {outcome.skipped} already imported")
