"""What every part of the generator shares: the constants, the guard and flush of generated
rows, the batch of rows to write, and the run's state (``GeneratorBase``)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from clms.accounts.models import Role, User
from clms.cases.calendar import current_calendar
from clms.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    CasePlan,
    CaseStep,
    DuePolicy,
    FollowUp,
    Notification,
    PlanService,
    Referral,
    Report,
    ReporterIdentity,
)
from clms.demo.generator import scenarios
from clms.demo.generator.cases import CaseRows
from clms.demo.generator.fast import new
from clms.demo.generator.insert import insert
from clms.demo.generator.units import (
    Scale,
)
from clms.employers.models import (
    Commitment,
    CraftVillage,
    Employer,
    FoundChild,
    Inspection,
    Violation,
)
from clms.outreach.models import (
    Attendee,
    OutreachActivity,
    PrintedQuantity,
    Reach,
)
from clms.people.models import (
    Child,
    Classification,
    Consent,
    Guardian,
    Household,
    RiskAssessment,
    Visit,
    WorkObservation,
)
from clms.people.reference import special_circumstances
from clms.places.models import (
    Denominator,
)

GENERATOR_USERNAME = "generator"
CRAFT_VILLAGE_NOTE = "Dữ liệu mô phỏng do bộ sinh dữ liệu tạo."
FIRST_DAY = dt.date(2021, 4, 1)  # Circular 09/2020 applies from 15 March 2021
BATCH = 4000
CL = ("CHILD_LABOUR", "HAZARDOUS_CHILD_LABOUR")
MINORITY_CODES = [("06", 45), ("03", 30), ("08", 10), ("09", 5), ("07", 5), ("02", 5)]  # Mường, Thái, Mông, Dao, Nùng, Tày


class GeneratorRefused(Exception):
    """The database holds records the generator did not make (or made already)."""


@dataclass
class Result:
    scale: str
    seed: int
    clusters: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    duplicates_file: str = ""

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        rate = self.rows / self.seconds if self.seconds else 0
        parts = ", ".join(f"{k}={v:,}" for k, v in sorted(self.counts.items()))
        return (
            f"scale={self.scale} seed={self.seed} clusters={self.clusters}: {self.rows:,} rows in "
            f"{self.seconds:.1f} s ({rate:,.0f} rows/s); {parts}"
        )


# ---------------------------------------------------------------------------
# Guard and flush
# ---------------------------------------------------------------------------


def generator_user() -> User:
    user, created = User.objects.get_or_create(
        username=GENERATOR_USERNAME,
        defaults={"full_name": "Bộ sinh dữ liệu mô phỏng", "role": Role.ADMIN, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def foreign_records(gen: User) -> list[str]:
    """Kinds of records present that the generator did not make."""
    found = []
    checks: list[tuple[str, models.QuerySet[Any]]] = [
        ("children", Child.objects.exclude(created_by=gen)),
        ("employers", Employer.objects.exclude(created_by=gen)),
        ("reports", Report.objects.exclude(filed_by=gen)),
        ("outreach", OutreachActivity.objects.exclude(created_by=gen)),
    ]
    for name, qs in checks:
        if qs.exists():
            found.append(name)
    return found


@transaction.atomic
def flush(gen: User | None = None) -> None:
    """Delete every generated record (and what other code hung on generated children)."""
    gen = gen or User.objects.filter(username=GENERATOR_USERNAME).first()
    if gen is None:
        return
    children = Child.objects.filter(created_by=gen)
    cases = Case.objects.filter(child__in=children)
    report_ids = set(cases.values_list("report_id", flat=True))
    Notification.objects.filter(case__in=cases).delete()
    Referral.objects.filter(case__in=cases).delete()
    cases.delete()
    Report.objects.filter(pk__in=report_ids, cases__isnull=True).delete()
    Report.objects.filter(filed_by=gen).delete()
    inspections = Inspection.objects.filter(created_by=gen)
    employers = Employer.objects.filter(created_by=gen)
    Violation.objects.filter(
        models.Q(child__in=children) | models.Q(inspection__in=inspections) | models.Q(employer__in=employers)
    ).delete()
    FoundChild.objects.filter(
        models.Q(child__in=children) | models.Q(inspection__in=inspections) | models.Q(employer__in=employers)
    ).delete()
    inspections.delete()
    Attendee.objects.filter(models.Q(activity__created_by=gen) | models.Q(employer__in=employers)).delete()
    OutreachActivity.objects.filter(created_by=gen).delete()
    Visit.objects.filter(child__in=children).delete()
    WorkObservation.objects.filter(child__in=children).delete()
    Child.objects.filter(merged_into__in=children).update(merged_into=None)
    children.delete()
    Household.objects.filter(created_by=gen).delete()
    Commitment.objects.filter(employer__in=employers).delete()
    employers.delete()
    CraftVillage.objects.filter(note=CRAFT_VILLAGE_NOTE).delete()
    Denominator.objects.filter(updated_by=gen).delete()
    from clms.surveys.generator import flush as survey_flush  # the survey round (issue 20)

    survey_flush(gen)


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


@contextmanager
def dated_rows() -> Iterator[None]:
    """Let generated rows carry their historical creation time.

    ``auto_now_add`` would stamp every row with the moment of generation, which makes the
    register's history (EDU_ACCESS counts children "entered by the end of the year") wrong;
    the flag is switched off for the duration of the run on the fields the generator sets.
    """
    fields = [
        Child._meta.get_field("created_at"), Household._meta.get_field("created_at"),
        WorkObservation._meta.get_field("created_at"), Classification._meta.get_field("classified_at"),
        Visit._meta.get_field("created_at"), RiskAssessment._meta.get_field("created_at"),
        Consent._meta.get_field("recorded_at"), Report._meta.get_field("created_at"),
        Case._meta.get_field("created_at"), CaseStep._meta.get_field("created_at"),
        FollowUp._meta.get_field("created_at"), Employer._meta.get_field("created_at"),
        OutreachActivity._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now_add = False
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


@dataclass
class ChildPlan:
    child: Child
    labour: bool
    observations: list[WorkObservation] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    scenario_of: dict[int, scenarios.Scenario] = field(default_factory=dict)
    # id(observation) -> its vn-law classification, once classified
    law_of: dict[int, Classification] = field(default_factory=dict)
    case: CaseRows | None = None
    duplicate_of: Child | None = None


class Batch:
    """Rows of a few clusters, written together in dependency order."""

    ORDER = (
        CraftVillage, Employer, Commitment, Household, Child, Guardian, Consent, WorkObservation, Classification,
        Visit, RiskAssessment, Inspection, "inspection_employers", FoundChild, Violation, Report, ReporterIdentity,
        Case, CaseEvent, CaseStep, Assessment, CasePlan, PlanService, Referral, FollowUp, OutreachActivity, Reach,
        PrintedQuantity, Attendee, Denominator,
    )

    def __init__(self) -> None:
        self.rows: dict[Any, list[Any]] = defaultdict(list)
        self.children = 0

    def add(self, key: Any, *objs: Any) -> None:
        self.rows[key].extend(objs)

    def write(self, counts: Counter[str]) -> None:
        through = Inspection.employers.through
        for key in self.ORDER:
            objs = self.rows.get(key)
            if not objs:
                continue
            model: type[models.Model] = through if isinstance(key, str) else key
            if key == "inspection_employers":
                objs = [new(through, inspection=i, employer=e) for i, e in objs]
            insert(model, objs)
            counts[model._meta.label_lower] += len(objs)
        # Written rows keep their related instances in their relation caches, and a one-to-one
        # keeps both ends (an observation and its visit, a case and its plan): cycles that only
        # the cyclic collector frees, which the run keeps off (pipeline.py).  Every id is in
        # the rows by now, so the caches can go and plain reference counting frees the batch.
        for key, objs in self.rows.items():
            if not isinstance(key, str):
                for obj in objs:
                    obj._state.fields_cache.clear()
        self.rows.clear()
        self.children = 0


class GeneratorBase:
    """The state of one run; the parts (employers, register, outreach) build on it."""

    # Children per inhabitant of the scale, set by Generator.run once the population is known.
    share: float

    def __init__(self, *, scale: Scale, seed: int, as_of: dt.date | None = None, provinces: list[str] | None = None) -> None:
        self.scale = scale
        self.seed = seed
        self.provinces = provinces
        self.today = as_of or timezone.localdate()
        self.now = timezone.make_aware(dt.datetime.combine(self.today, dt.time(10, 0)))
        self.gen = generator_user()
        self.result = Result(scale=scale.name, seed=seed)
        self.calendar = current_calendar()
        self.policies = {p.step: p for p in DuePolicy.objects.filter(scope_unit__isnull=True)}
        self.circumstances = [code for code, _label in special_circumstances()]
        self.used_ids: set[str] = set()
        self.officers = self._officers()
        # make_aware looks the zone up per call (a thread-local); _at runs once per dated row.
        self.tz = timezone.get_current_timezone()

    def _officers(self) -> dict[int, User]:
        """The one commune officer of each commune (and of the old communes it absorbed), if any."""
        found: dict[int, list[User]] = defaultdict(list)
        for user in User.objects.filter(role=Role.COMMUNE_OFFICER, is_active=True, area__isnull=False).select_related("area"):
            found[user.area_id].append(user)  # type: ignore[index]
        return {unit: users[0] for unit, users in found.items() if len(users) == 1}

    def _at(self, day: dt.date, rng: random.Random) -> dt.datetime:
        # What timezone.make_aware does for a zoneinfo zone: attach it.
        return dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59)), tzinfo=self.tz)
