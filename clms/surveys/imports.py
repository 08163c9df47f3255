"""Importing ODK/KoBo submissions of the CLMS XLSForms: every submission of a batch is checked
first (by the online forms, the catalogues and the unit's villages), then all are written by
the online services in one transaction, or none.  A submission already imported (same
``instanceID`` / ``_uuid``) is skipped, so an export imports once and only once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, require
from clms.cases.models import Source
from clms.cases.services import NewChild, report_file
from clms.people.duplicates import find_duplicates
from clms.people.forms import ObservationForm
from clms.people.selectors import children_for_user
from clms.people.services import observation_record
from clms.places.models import AdminUnit, Level
from clms.places.scoping import can_write_unit
from clms.surveys import services as survey_services
from clms.surveys.exports import Submission, SubmissionError
from clms.surveys.models import FieldKind, ImportBatch, ImportedSubmission, SurveyPSU, SurveyRound
from clms.surveys.xlsforms import village_code

if TYPE_CHECKING:
    from clms.accounts.models import User

YES, NO = "yes", "no"
LABELS = {
    "commune": "commune", "village": "village", "what_seen": "what_seen", "child_name": "child/child_name",
    "child_sex": "child/child_sex", "child_dob": "child/child_dob", "child_id": "child_id",
    "observed_on": "observed_on", "household_number": "household_number", "result": "result",
    "interviewed_on": "interviewed_on", "member_dob": "member/member_dob", "member_sex": "member/member_sex",
}


class ImportRejected(Exception):
    def __init__(self, errors: list[SubmissionError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass
class Planned:
    submission: Submission
    write: Callable[[], tuple[str, list[int]]]


@dataclass
class Outcome:
    batch: ImportBatch | None
    written: int
    skipped: int
    ids: dict[str, list[int]] = field(default_factory=dict)


def _date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    parsed = parse_date(value[:10])
    return parsed


def _dmy(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _number(value: str) -> float | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    return float(value)


def _tristate(value: str) -> str:
    return value if value in (YES, NO) else ""


def _received(values: dict[str, str]) -> dt.datetime:
    for key in ("start", "SubmissionDate", "_submission_time", "end"):
        raw = values.get(key, "").strip()
        if raw:
            parsed = parse_datetime(raw.replace("Z", "+00:00"))
            if parsed is not None:
                return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return timezone.now()


class Checker:
    def __init__(self, *, user: User, commune: AdminUnit, kind: str, survey: SurveyRound | None, confirm_new: bool) -> None:
        self.user, self.commune, self.kind, self.survey, self.confirm_new = user, commune, kind, survey, confirm_new
        self.villages = {village_code(v): v for v in AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE)}
        self.errors: list[SubmissionError] = []
        self.psus: dict[int, SurveyPSU] = {}
        self.numbers: set[tuple[int, int]] = set()
        if survey is not None:
            self.psus = {p.village_id: p for p in survey.psus.select_related("village", "round")}

    def error(self, submission: Submission, name: str, message: str) -> None:
        self.errors.append(SubmissionError(submission.instance_id, LABELS.get(name, name), message))

    def common(self, s: Submission) -> bool:
        own = str(self.commune.code or self.commune.pk)
        commune = s.values.get("commune", "").strip()
        if commune != own:
            self.error(s, "commune", _("The submission is for commune “%(code)s”, not for %(name)s (code %(own)s).") % {
                "code": commune or "-", "name": self.commune.name, "own": own})
            return False
        return True

    def village(self, s: Submission) -> AdminUnit | None:
        code = s.values.get("village", "").strip()
        village = self.villages.get(code)
        if village is None:
            self.error(s, "village", _("Unknown village code “%(code)s” in %(name)s.") % {"code": code or "-", "name": self.commune.name})
        return village

    def form_errors(self, s: Submission, form: Any, names: dict[str, str]) -> None:
        for name, messages in form.errors.items():
            for message in messages:
                self.error(s, names.get(name, name), str(message))

    # -- the three forms -------------------------------------------------------------------

    def report(self, s: Submission) -> Planned | None:
        v = s.values
        village = self.village(s)
        name = " ".join(v.get("child_name", "").split())
        sex = v.get("child_sex", "").strip()
        dob = _date(v.get("child_dob", ""))
        what = v.get("what_seen", "").strip()
        if not what:
            self.error(s, "what_seen", _("Say what was seen."))
        if not name:
            self.error(s, "child_name", _("Enter the child's name."))
        if sex not in ("M", "F"):
            self.error(s, "child_sex", _("Sex is M or F."))
        if dob is None or dob > timezone.localdate():
            self.error(s, "child_dob", _("Enter a date of birth that is not in the future (yyyy-mm-dd)."))
        if village is None or not name or dob is None or not what or sex not in ("M", "F"):
            return None
        if not self.confirm_new:
            found = find_duplicates(user=self.user, full_name=name, dob=dob, commune=self.commune, village=village, limit=3)
            if found:
                self.error(s, "child_name", _("This child may already be in the register: %(names)s. Check, then import with “new children confirmed”.") % {
                    "names": "; ".join(f"{c.child.full_name} ({c.child.dob:%d/%m/%Y}, #{c.child.pk})" for c in found)})
                return None
        received = _received(v)
        new = NewChild(full_name=name, sex=sex, dob=dob, village=village, dob_estimated=v.get("child_dob_estimated") == YES)

        def write() -> tuple[str, list[int]]:
            report = report_file(
                user=self.user, source=Source.COLLABORATOR, received_at=min(received, timezone.now()), what_seen=what,
                emergency=v.get("emergency") == YES, new_children=[new], commune=self.commune,
                reporter_name=v.get("reporter_name", ""), reporter_phone=v.get("reporter_phone", ""), confirm_new=True,
            )
            return "cases.report", [report.pk]

        return Planned(s, write)

    def _observation_data(self, values: dict[str, str], observed_on: str) -> dict[str, Any]:
        return {
            "observed_on": observed_on, "activity": values.get("activity", ""),
            "job_code": values.get("job_code", ""), "workplace_code": values.get("workplace_code", ""),
            "hours_per_day": values.get("hours_per_day", ""), "days_per_week": values.get("days_per_week", ""),
            "night_work": _tristate(values.get("night_work", "")),
            "hazards": [h for h in values.get("hazards", "").split() if h],
            "load_kg": values.get("load_kg", ""), "chores_hours_week": values.get("chores_hours_week", ""),
            "note": values.get("note", ""),
        }

    def observation(self, s: Submission) -> Planned | None:
        v = s.values
        raw = v.get("child_id", "").strip()
        child = None
        if raw.isdigit():
            child = children_for_user(self.user).filter(pk=int(raw), commune=self.commune).first()
        if child is None:
            self.error(s, "child_id", _("No child number %(n)s in the register of %(name)s.") % {"n": raw or "-", "name": self.commune.name})
            return None
        form = ObservationForm(self._observation_data(v, _dmy(_date(v.get("observed_on", "")))))
        if not form.is_valid():
            self.form_errors(s, form, {"observed_on": "observed_on"})
            return None
        if form.cleaned_data["observed_on"] < child.dob:
            self.error(s, "observed_on", _("The observation date is before the date of birth."))
            return None

        def write() -> tuple[str, list[int]]:
            observation = observation_record(user=self.user, child=child, observed_on=form.cleaned_data["observed_on"],
                                             **form.service_fields())
            return "people.workobservation", [observation.pk]

        return Planned(s, write)

    def survey_household(self, s: Submission) -> Planned | None:
        v = s.values
        if self.survey is None:
            self.error(s, "-", _("Choose the survey round the households belong to."))
            return None
        village = self.village(s)
        if village is None:
            return None
        psu = self.psus.get(village.pk)
        if psu is None:
            self.error(s, "village", _("%(village)s is not a sampling unit of the survey “%(survey)s”.") % {
                "village": village.name, "survey": self.survey.title})
            return None
        number_raw = v.get("household_number", "").strip()
        if not number_raw.isdigit() or int(number_raw) < 1:
            self.error(s, "household_number", _("The household number is a positive whole number."))
            return None
        number = int(number_raw)
        if (psu.pk, number) in self.numbers:
            self.error(s, "household_number", _("Household %(n)s of %(village)s appears twice in the file.") % {"n": number, "village": village.name})
            return None
        self.numbers.add((psu.pk, number))
        interviewed = _date(v.get("interviewed_on", ""))
        members = []
        rows = [row for rows in s.repeats.values() for row in rows]
        for line, row in enumerate(rows, start=1):
            dob = _date(row.get("member_dob", ""))
            if dob is None:
                self.error(s, "member_dob", _("Child %(line)s: enter the date of birth (yyyy-mm-dd).") % {"line": line})
                continue
            try:
                situation = {
                    "activity": row.get("activity", "") or None, "job_code": row.get("job_code", "") or None,
                    "workplace_code": row.get("workplace_code", "") or None,
                    "hours_per_day": _number(row.get("hours_per_day", "")),
                    "days_per_week": _number(row.get("days_per_week", "")),
                    "night_work": {YES: True, NO: False}.get(row.get("night_work", "")),
                    "hazards": sorted(h for h in row.get("hazards", "").split() if h),
                    "load_kg": _number(row.get("load_kg", "")),
                    "chores_hours_week": _number(row.get("chores_hours_week", "")),
                    "school_status": row.get("member_school", ""),
                }
            except ValueError:
                self.error(s, "hours_per_day", _("Child %(line)s: hours, days and loads are numbers.") % {"line": line})
                continue
            members.append(survey_services.MemberInput(line=line, full_name=row.get("member_name", ""),
                                                       sex=row.get("member_sex", ""), dob=dob, situation=situation))
        on = interviewed or dt.date(self.survey.year, 12, 31)
        for member in members:
            for name, messages in survey_services.check_member(member, on).items():
                for message in messages:
                    self.error(s, name, _("Child %(line)s: %(message)s") % {"line": member.line, "message": message})
        result = v.get("result", "").strip()

        def write() -> tuple[str, list[int]]:
            household = survey_services.household_record(
                user=self.user, psu=psu, number=number, result=result, interviewed_on=interviewed,
                head_name=v.get("head_name", ""), members=members, instance_id=s.instance_id,
            )
            return "surveys.surveyhousehold", [household.pk]

        return Planned(s, write)


CHECKS = {FieldKind.REPORT: Checker.report, FieldKind.OBSERVATION: Checker.observation,
          FieldKind.SURVEY: Checker.survey_household}


def _service_errors(s: Submission, exc: ValidationError) -> list[SubmissionError]:
    if hasattr(exc, "error_dict"):
        return [SubmissionError(s.instance_id, LABELS.get(name, name), m) for name, ms in exc.message_dict.items() for m in ms]
    return [SubmissionError(s.instance_id, "-", m) for m in exc.messages]


def submissions_import(*, user: User, commune: AdminUnit, kind: str, submissions: list[Submission], source: str,
                       filename: str = "", survey: SurveyRound | None = None, confirm_new: bool = False) -> Outcome:
    """Check the whole batch, then write it all or raise ImportRejected with every error."""
    require(user, Perm.REGISTER_MANAGE)
    if commune.level != Level.COMMUNE or not can_write_unit(user, commune):
        raise PermissionDenied
    if kind not in CHECKS:
        raise ImportRejected([SubmissionError("", "", _("Unknown form."))])
    if survey is not None and not commune.path.startswith(survey.unit.path):
        raise ImportRejected([SubmissionError("", "", _("The commune is not inside the unit of the survey."))])
    checker = Checker(user=user, commune=commune, kind=kind, survey=survey, confirm_new=confirm_new)
    seen: set[str] = set()
    known = set(ImportedSubmission.objects.filter(instance_id__in=[s.instance_id for s in submissions])
                .values_list("instance_id", flat=True))
    planned: list[Planned] = []
    skipped = 0
    for s in submissions:
        if s.instance_id in seen:
            checker.error(s, "meta/instanceID", _("The same instanceID appears twice in the file."))
            continue
        seen.add(s.instance_id)
        if s.instance_id in known:
            skipped += 1
            continue
        if not checker.common(s):
            continue
        plan = CHECKS[FieldKind(kind)](checker, s)
        if plan is not None:
            planned.append(plan)
    if checker.errors:
        raise ImportRejected(checker.errors)
    if not planned:
        return Outcome(None, 0, skipped)
    ids: dict[str, list[int]] = {}
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(source=source, form_kind=kind, commune=commune, filename=filename[:255],
                                               imported_by=user if getattr(user, "pk", None) else None,
                                               submissions=len(planned), skipped=skipped)
            for plan in planned:
                try:
                    object_type, written = plan.write()
                except ValidationError as exc:
                    raise ImportRejected(_service_errors(plan.submission, exc)) from None
                except PermissionDenied:
                    raise ImportRejected([SubmissionError(plan.submission.instance_id, "-", _(
                        "You may not record this for that place."))]) from None
                ids.setdefault(object_type, []).extend(written)
                ImportedSubmission.objects.create(instance_id=plan.submission.instance_id, batch=batch,
                                                  object_type=object_type, object_ids=written)
            audit_log(user=user, action=AuditAction.IMPORT, object_type="surveys.importbatch", object_id=batch.pk,
                      object_ids=[i for values in ids.values() for i in values],
                      detail={"kind": kind, "source": source, "written": ids, "skipped": skipped,
                              "instances": [p.submission.instance_id for p in planned]})
    except ImportRejected:
        raise
    return Outcome(batch, len(planned), skipped, ids)
