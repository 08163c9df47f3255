"""The synthetic-data generator: households, children, their work, cases, employers, outreach.

Speed comes from doing everything in memory per cluster (a new commune and the old ones it
absorbed) and writing with bulk_create in batches; correctness from reusing the code the
services use: ``clms.people.classification.build_classifications`` for the stored
classifications, ``register_status_for`` and ``clms.people.risk`` for the denormalised child
fields, ``clms.cases.calendar`` and the DuePolicy rows for due times.

Generated rows are marked by their author, the inactive user ``generator`` (``created_by``,
``filed_by``, ``updated_by``; craft villages, which have no author, by their note), which is
what ``--flush`` deletes and what the "other data present" check looks past.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
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
from clms.core.generator import scenarios
from clms.core.generator.cases import CaseRows, build_case
from clms.core.generator.insert import insert
from clms.core.generator.names import (
    MINORITY_SURNAME,
    SURNAME,
    person_name,
    strip_diacritics,
    typo,
)
from clms.core.generator.units import (
    NATIONAL_REGISTER_SHARE,
    SCALES,
    Cluster,
    Scale,
    clusters_for,
    ensure_units,
    ensure_villages,
)
from clms.employers.models import (
    Commitment,
    CraftVillage,
    Employer,
    EmployerKind,
    EnterpriseSize,
    FoundChild,
    Inspection,
    InspectionKind,
    OffenderType,
    Sector,
    Violation,
    ViolationStatus,
)
from clms.outreach.models import (
    ActivityKind,
    ActivityStatus,
    Attendee,
    BroadcastChannel,
    OutreachActivity,
    PrintedQuantity,
    Reach,
)
from clms.people.classification import (
    CHILD_AGE_LIMIT,
    age_on,
    build_classifications,
    register_status_for,
)
from clms.people.models import (
    Child,
    Classification,
    Consent,
    Guardian,
    Household,
    PovertyStatus,
    RiskAssessment,
    SchoolStatus,
    Visit,
    WorkObservation,
)
from clms.people.reference import special_circumstances
from clms.people.risk import child_factors, factor_rows, screen
from clms.places.models import (
    REFORM_DATE,
    AdminUnit,
    Denominator,
    DenominatorGroup,
    DenominatorSource,
)
from clms.rules import fold

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


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


@contextmanager
def _dated_rows() -> Iterator[None]:
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
class _ChildPlan:
    child: Child
    labour: bool
    observations: list[WorkObservation] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    scenario_of: dict[int, scenarios.Scenario] = field(default_factory=dict)
    # id(observation) -> its vn-law classification, once classified
    law_of: dict[int, Classification] = field(default_factory=dict)
    case: CaseRows | None = None
    duplicate_of: Child | None = None


class _Batch:
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
                objs = [through(inspection=i, employer=e) for i, e in objs]
            insert(model, objs)
            counts[model._meta.label_lower] += len(objs)
        self.rows.clear()
        self.children = 0


class Generator:
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

    def _officers(self) -> dict[int, User]:
        """The one commune officer of each commune (and of the old communes it absorbed), if any."""
        found: dict[int, list[User]] = defaultdict(list)
        for user in User.objects.filter(role=Role.COMMUNE_OFFICER, is_active=True, area__isnull=False).select_related("area"):
            found[user.area_id].append(user)  # type: ignore[index]
        return {unit: users[0] for unit, users in found.items() if len(users) == 1}

    # -- run ---------------------------------------------------------------------------

    def run(self) -> Result:
        started = time.perf_counter()
        if connection.vendor == "sqlite":
            # SQLite's default 2 MB page cache makes index pages of large inserts spill to
            # disk again and again; this connection gets 256 MB for the run.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-262144")
        ensure_units(self.scale, self.provinces)
        clusters = clusters_for(self.scale, seed=self.seed, provinces=self.provinces)
        ensure_villages(clusters, created_by=self.gen)
        total_population = sum(c.total_population for c in clusters)
        if self.scale.children is None:
            self.share = NATIONAL_REGISTER_SHARE
        else:
            self.share = self.scale.children / max(total_population, 1)
        self.result.clusters = len(clusters)
        batch = _Batch()
        with _dated_rows():
            for cluster in clusters:
                self._cluster(cluster, batch)
                if batch.children >= BATCH:
                    with transaction.atomic():
                        batch.write(self.result.counts)
            if batch.rows:
                with transaction.atomic():
                    batch.write(self.result.counts)
        self.result.seconds = time.perf_counter() - started
        self.result.duplicates_file = self._write_truth()
        return self.result

    def _write_truth(self) -> str:
        path = Path(settings.VAR_DIR) / "generated-duplicates.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        pairs = [
            {"original": d["original"].pk, "duplicate": d["duplicate"].pk, "mistakes": d["mistakes"]}
            for d in self.result.duplicates
        ]
        self.result.duplicates = pairs
        payload = {"scale": self.scale.name, "seed": self.seed, "database": connection.vendor, "pairs": pairs}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        return str(path)

    # -- one cluster -------------------------------------------------------------------

    def _cluster(self, cluster: Cluster, batch: _Batch) -> None:
        rng = cluster.rng(self.seed, "register")
        employers = self._employers(cluster, batch)
        plans = self._register(cluster, rng, employers, batch)
        self._inspections(cluster, employers, plans, batch)
        self._outreach(cluster, employers, batch)
        self._denominators(cluster, employers, batch)

    # -- employers ---------------------------------------------------------------------

    def _employers(self, cluster: Cluster, batch: _Batch) -> dict[str, list[Employer]]:
        rng = cluster.rng(self.seed, "employers")
        commune = cluster.new
        place = commune.short_name or commune.name
        villages = cluster.villages
        craft = None
        if rng.random() < 0.2 and villages:
            trade, pattern = rng.choice([
                ("Làm nón lá", "Làng nghề nón lá {v}"), ("Đan lát mây tre", "Làng nghề mây tre đan {v}"),
                ("Sơn mài", "Làng nghề sơn mài {v}"), ("Làm bún, bánh đa", "Làng nghề bún bánh {v}"),
            ])
            craft = CraftVillage(
                commune=commune, village=villages[0], name=pattern.format(v=place), name_folded=fold(pattern.format(v=place)),
                trade=trade, recognised_on=dt.date(rng.randint(2005, 2020), 6, 1),
                household_count=rng.randint(30, 160), note=CRAFT_VILLAGE_NOTE,
            )
            batch.add(CraftVillage, craft)
        size = max(1, round(cluster.total_population / 700))
        kinds = [
            ("Lò gạch thủ công {o}", EmployerKind.HOUSEHOLD_BUSINESS, "", Sector.CONSTRUCTION_MATERIALS, 2),
            ("Công ty TNHH Xây dựng {p}", EmployerKind.ENTERPRISE, EnterpriseSize.SMALL, Sector.CONSTRUCTION, 1),
            ("Xưởng may gia công {o}", EmployerKind.HOUSEHOLD_BUSINESS, "", Sector.GARMENT, 2),
            ("Công ty TNHH May mặc {p}", EmployerKind.ENTERPRISE, EnterpriseSize.MEDIUM, Sector.GARMENT, 1),
            ("Quán ăn {o}", EmployerKind.INDIVIDUAL, "", Sector.SERVICES, 3),
            ("Tiệm sửa xe {o}", EmployerKind.INDIVIDUAL, "", Sector.SERVICES, 2),
            ("Karaoke {o}", EmployerKind.HOUSEHOLD_BUSINESS, "", Sector.ENTERTAINMENT, 1),
            ("Hợp tác xã Nông nghiệp {p}", EmployerKind.COOPERATIVE, "", Sector.AGRICULTURE, 1),
            ("Trang trại {o}", EmployerKind.HOUSEHOLD_BUSINESS, "", Sector.AGRICULTURE, 2),
            ("Xưởng cơ khí {o}", EmployerKind.HOUSEHOLD_BUSINESS, "", Sector.MANUFACTURING, 1),
            ("Mỏ đá {p}", EmployerKind.ENTERPRISE, EnterpriseSize.SMALL, Sector.MINING, 1),
            ("Cửa hàng thời trang {o}", EmployerKind.HOUSEHOLD_BUSINESS, "", Sector.TRADE, 1),
        ]
        by_sector: dict[str, list[Employer]] = defaultdict(list)
        for pattern, kind, esize, sector, weight in kinds:
            for _n in range(rng.randint(0, weight * size)):
                owner = person_name(rng, SURNAME(rng), rng.choice("MF"))
                name = pattern.format(o=" ".join(owner.split()[-1:] + owner.split()[:1]), p=place)
                employer = Employer(
                    kind=kind, size=esize, name=name, name_folded=fold(name), sector=sector, commune=commune,
                    village=rng.choice(villages) if villages else None, owner_name=owner,
                    tax_code=self._tax_code(rng) if kind in (EmployerKind.ENTERPRISE, EmployerKind.COOPERATIVE) else "",
                    workers=rng.randint(30, 300) if kind == EmployerKind.ENTERPRISE else rng.randint(2, 15),
                    registered_on=dt.date(rng.randint(2005, 2024), rng.randint(1, 12), 1),
                    craft_village=craft if sector == Sector.HANDICRAFT else None, created_by=self.gen,
                    created_at=self.now,
                )
                batch.add(Employer, employer)
                by_sector[sector].append(employer)
                if rng.random() < 0.5:
                    signed = dt.date(rng.randint(2021, min(2026, self.today.year)), rng.randint(1, 12), rng.randint(1, 28))
                    if signed <= self.today:
                        batch.add(Commitment, Commitment(
                            employer=employer, signed_on=signed, signer_name=owner,
                            signer_title="Giám đốc" if kind == EmployerKind.ENTERPRISE else "Chủ cơ sở",
                            expires_on=signed.replace(year=signed.year + 2), created_by=self.gen,
                        ))
        if craft is not None:
            for _n in range(rng.randint(2, 5)):
                owner = person_name(rng, SURNAME(rng), rng.choice("MF"))
                name = f"Cơ sở {craft.trade.lower()} {owner.split()[-1]} {owner.split()[0]}"
                employer = Employer(
                    kind=EmployerKind.HOUSEHOLD_BUSINESS, name=name, name_folded=fold(name), sector=Sector.HANDICRAFT,
                    commune=commune, village=craft.village, owner_name=owner, craft_village=craft,
                    workers=rng.randint(2, 10), registered_on=dt.date(rng.randint(2005, 2024), 1, 1), created_by=self.gen,
                    created_at=self.now,
                )
                batch.add(Employer, employer)
                by_sector[Sector.HANDICRAFT].append(employer)
        return by_sector

    def _tax_code(self, rng: random.Random) -> str:
        from clms.employers import taxcode

        while True:
            head = "28" + "".join(str(rng.randint(0, 9)) for _ in range(7))
            digit = taxcode.check_digit(head)
            code = f"{head}{digit}"
            if digit is not None and code not in self.used_ids and taxcode.problem(code) is None:
                self.used_ids.add(code)
                return code

    # -- the register ------------------------------------------------------------------

    def _register(self, cluster: Cluster, rng: random.Random, employers: dict[str, list[Employer]], batch: _Batch) -> list[_ChildPlan]:
        target = max(1, round(cluster.total_population * self.share))
        # Labour differs a lot between communes: this is what puts some communes off track.
        propensity = math.exp(rng.gauss(0, 0.5)) * (0.45 if cluster.urban else 1.0)
        minority_share = rng.choice([0.02, 0.02, 0.03, 0.05, 0.1, 0.6]) if self.scale.name != "commune" else 0.03
        olds = sorted(cluster.old, key=lambda u: u.code)
        old_weights = [cluster.population[u.pk] for u in olds]
        craft = next((e.craft_village for e in employers.get(Sector.HANDICRAFT, []) if e.craft_village), None)
        plans: list[_ChildPlan] = []
        span = (self.today - dt.timedelta(days=7) - FIRST_DAY).days
        households: list[tuple[Household, list[_ChildPlan]]] = []
        while len(plans) < target:
            registered = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
            after = registered >= REFORM_DATE or not olds
            commune = cluster.new if after else rng.choices(olds, weights=old_weights)[0]
            village = rng.choice(cluster.villages) if after and cluster.villages else None
            minority = rng.random() < minority_share
            surname = MINORITY_SURNAME(rng) if minority else SURNAME(rng)
            ethnicity = rng.choices([c for c, _w in MINORITY_CODES], weights=[w for _c, w in MINORITY_CODES])[0] if minority else "01"
            head = person_name(rng, surname, "M")
            poverty = rng.choices(
                [PovertyStatus.POOR, PovertyStatus.NEAR_POOR, PovertyStatus.NONE],
                weights=[30, 20, 50] if minority else [14, 14, 72],
            )[0]
            in_craft = craft is not None and village is not None and rng.random() < 0.2
            household = Household(
                commune=commune, village=village, head_name=head, head_name_folded=fold(head),
                address=f"{village.name if village else 'Xóm ' + str(rng.randint(1, 12))}, {commune.name}",
                members=rng.randint(3, 8), poverty_status=poverty, ethnicity=ethnicity,
                disadvantaged_area=minority and rng.random() < 0.7, craft_village=craft if in_craft else None,
                craft_household=in_craft, fishing_household=rng.random() < 0.03,
                migrant_parents=rng.random() < 0.22, phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                created_by=self.gen, created_at=self._at(registered, rng),
            )
            batch.add(Household, household)
            members: list[_ChildPlan] = []
            given: set[str] = set()
            for _n in range(rng.choices([1, 2, 3], weights=[52, 34, 14])[0]):
                plan = self._child(cluster, rng, household, registered, surname, given, propensity)
                members.append(plan)
                plans.append(plan)
            households.append((household, members))
        for _household, members in households:
            for plan in members:
                self._observations(cluster, rng, plan, employers)
        self._cases(cluster, rng, plans)
        dups = self._duplicates(rng, plans)
        plans.extend(dups)
        for household, members in households:
            members.extend(d for d in dups if d.child.household is household)
        self._finish(rng, households, [d for d in dups if d.child.household is None], batch)
        batch.children += len(plans)
        return plans

    def _at(self, day: dt.date, rng: random.Random) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59))))

    def _personal_id(self, rng: random.Random, province: str, dob: dt.date, sex: str) -> str:
        century = (0 if dob.year < 2000 else 2) + (1 if sex == "F" else 0)
        while True:
            pid = f"0{province[-2:]}{century}{dob.year % 100:02d}{rng.randint(0, 999_999):06d}"
            if pid not in self.used_ids:
                self.used_ids.add(pid)
                return pid

    def _child(
        self, cluster: Cluster, rng: random.Random, household: Household, registered: dt.date, surname: str,
        given: set[str], propensity: float,
    ) -> _ChildPlan:
        sex = "M" if rng.random() < 0.51 else "F"
        year_factor = max(0.35, 1 - 0.14 * (registered.year - 2021))
        labour = rng.random() < min(0.9, 0.5 * propensity * year_factor)
        if labour:
            low, high, _w = rng.choices(scenarios.LABOUR_AGE_BANDS, weights=[b[2] for b in scenarios.LABOUR_AGE_BANDS])[0]
            age = rng.randint(low, high)
        else:
            age = rng.randint(5, 16)
        dob = registered - dt.timedelta(days=365 * age + rng.randint(15, 350))
        name = person_name(rng, surname, sex, given)
        if labour:
            school = rng.choices(
                [SchoolStatus.ATTENDING, SchoolStatus.IRREGULAR, SchoolStatus.VOCATIONAL, SchoolStatus.DROPPED_OUT,
                 SchoolStatus.NEVER_ENROLLED], weights=[36, 14, 3, 42, 5],
            )[0]
        else:
            school = rng.choices(
                [SchoolStatus.ATTENDING, SchoolStatus.IRREGULAR, SchoolStatus.DROPPED_OUT, SchoolStatus.NEVER_ENROLLED],
                weights=[76, 12, 10, 2],
            )[0]
        if age < 6:
            school = SchoolStatus.ATTENDING
        place = cluster.new.short_name or cluster.new.name
        child = Child(
            household=household, commune=household.commune, village=household.village, full_name=name,
            name_folded=fold(name), sex=sex, dob=dob, dob_estimated=rng.random() < 0.03, ethnicity=household.ethnicity,
            personal_id=self._personal_id(rng, cluster.new.parent.code if cluster.new.parent else "38", dob, sex)
            if rng.random() < 0.7 else "",
            school_status=school,
            grade=min(12, max(1, age - 5)) if school in (SchoolStatus.ATTENDING, SchoolStatus.IRREGULAR) else None,
            school_name=(f"Trường Tiểu học {place}" if age < 11 else f"Trường THCS {place}" if age < 15 else f"Trường THPT {place}")
            if school in (SchoolStatus.ATTENDING, SchoolStatus.IRREGULAR) else "",
            dropped_out_on=registered - dt.timedelta(days=rng.randint(30, 400)) if school == SchoolStatus.DROPPED_OUT else None,
            disability="Khuyết tật vận động nhẹ" if rng.random() < 0.02 else "",
            special_circumstances=[rng.choice(self.circumstances)] if rng.random() < 0.05 else [],
            created_by=self.gen, created_at=self._at(registered, rng),
        )
        return _ChildPlan(child=child, labour=labour)

    def _observations(self, cluster: Cluster, rng: random.Random, plan: _ChildPlan, employers: dict[str, list[Employer]]) -> None:
        child = plan.child
        day = timezone.localtime(child.created_at).date()
        working = plan.labour
        scenario: scenarios.Scenario | None = None
        first = True
        while day <= self.today and len(plan.observations) < 5:
            age = age_on(child.dob, day)
            if age >= 18:
                break
            if not first or plan.labour or rng.random() < 0.85:
                if working and scenario is not None and scenario.min_age <= age <= scenario.max_age:
                    pass  # same work as last time
                elif working:
                    scenario = scenarios.pick(rng, scenarios.LABOUR, max(age, 5))
                else:
                    scenario = scenarios.pick(rng, scenarios.NOT_LABOUR, max(age, 5))
                fields = scenarios.observation_fields(rng, scenario, day)
                observation = WorkObservation(
                    child=child, commune=child.commune, observed_on=day, observed_by=self.gen, created_at=self._at(day, rng),
                    **fields,
                )
                if scenario.activity == "EMPLOYED":
                    found = employers.get(scenario.employer_sector) if scenario.employer_sector else None
                    if found and rng.random() < 0.7:
                        observation.employer = rng.choice(found)
                    else:
                        observation.employer_name = f"Hộ ông {person_name(rng, SURNAME(rng), 'M')}"
                plan.observations.append(observation)
                plan.scenario_of[id(observation)] = scenario
                if not first:
                    plan.visits.append(Visit(
                        child=child, visited_on=day, visited_by=self.gen, still_working=scenario.activity != "NONE",
                        school_status=child.school_status, observation=observation, created_at=observation.created_at,
                    ))
            first = False
            # Labour tends to persist; children at risk sometimes start working.
            working = rng.random() < 0.6 if working else rng.random() < 0.05
            day += dt.timedelta(days=rng.randint(90, 300))
        if rng.random() < 0.4 and plan.observations:
            last = plan.observations[-1].observed_on + dt.timedelta(days=rng.randint(20, 90))
            if last <= self.today:
                plan.visits.append(Visit(
                    child=child, visited_on=last, visited_by=self.gen, still_working=None, school_status="",
                    note="Thăm hộ gia đình, trẻ vắng nhà.", created_at=self._at(last, rng),
                ))

    def _cases(self, cluster: Cluster, rng: random.Random, plans: list[_ChildPlan]) -> None:
        provider_above = cluster.new.parent
        for plan in plans:
            first_labour = next(
                (o for o in plan.observations if plan.scenario_of[id(o)] in scenarios.LABOUR), None
            )
            child = plan.child
            officer = self.officers.get(child.commune_id) or self._officer_of_cluster(cluster)
            if first_labour is not None and age_on(child.dob, first_labour.observed_on) < CHILD_AGE_LIMIT:
                if rng.random() > 0.7:
                    continue
                received = self._at(first_labour.observed_on, rng) + dt.timedelta(hours=rng.randint(1, 30))
                confirmed = True
                what = plan.scenario_of[id(first_labour)].description
            elif first_labour is None and plan.observations and rng.random() < 0.02:
                received = self._at(plan.observations[0].observed_on, rng)
                confirmed = rng.random() < 0.25
                what = "Nghi trẻ nghỉ học để đi làm thuê."
            else:
                continue
            if received > self.now:
                continue
            rows = build_case(
                rng, child=child, received=received, what_seen=what, now=self.now, by=self.gen, officer=officer,
                calendar=self.calendar, policies=self.policies, confirmed=confirmed, provider_above=provider_above,
            )
            plan.case = rows
            if rows.observations:
                # From the first follow-up visit on, the case's visits are the child's record.
                cut = rows.observations[0].observed_on
                plan.observations = [o for o in plan.observations if o.observed_on < cut] + rows.observations
                plan.visits = [v for v in plan.visits if v.visited_on < cut] + rows.visits
                for o in rows.observations:
                    plan.scenario_of[id(o)] = scenarios.NOT_LABOUR[0]

    def _officer_of_cluster(self, cluster: Cluster) -> User | None:
        return self.officers.get(cluster.new.pk)

    def _duplicates(self, rng: random.Random, plans: list[_ChildPlan]) -> list[_ChildPlan]:
        """About 2 % of children reported a second time, with the mistakes real reports carry."""
        dups = []
        candidates = [p for p in plans if p.observations]
        for original in rng.sample(candidates, k=round(len(candidates) * 0.02)):
            child = original.child
            name = child.full_name
            dob = child.dob
            mistakes = rng.sample(["no_diacritics", "typo", "swap_day_month", "near_dob", "word_order"], k=rng.choice([1, 1, 2]))
            if "swap_day_month" in mistakes and not (dob.day <= 12 and dob.day != dob.month):
                mistakes.remove("swap_day_month")
                mistakes.append("no_diacritics") if "no_diacritics" not in mistakes else None
            if "no_diacritics" in mistakes:
                name = strip_diacritics(name)
            if "typo" in mistakes:
                name = typo(rng, name)
            if "word_order" in mistakes:
                tokens = name.split()
                name = " ".join(tokens[-1:] + tokens[:-1])
            if "swap_day_month" in mistakes:
                dob = dt.date(dob.year, dob.day, dob.month)
            if "near_dob" in mistakes:
                dob = dob + dt.timedelta(days=rng.choice([-3, -2, -1, 1, 2, 3]))
            first = original.observations[0]
            day = min(self.today, first.observed_on + dt.timedelta(days=rng.randint(3, 60)))
            copy = Child(
                household=child.household if rng.random() < 0.4 else None, commune=child.commune,
                village=child.village if rng.random() < 0.7 else None, full_name=name, name_folded=fold(name),
                sex=child.sex, dob=dob, ethnicity=child.ethnicity, school_status=child.school_status,
                created_by=self.gen, created_at=self._at(day, rng),
            )
            plan = _ChildPlan(child=copy, labour=original.labour)
            scenario = original.scenario_of[id(first)]
            fields = {f.name: getattr(first, f.name) for f in WorkObservation._meta.concrete_fields
                      if f.name not in ("id", "child", "observed_on", "created_at", "commune", "employer")}
            observation = WorkObservation(**fields)
            observation.child, observation.commune, observation.observed_on = copy, copy.commune, day
            observation.employer = first.employer
            observation.created_at = copy.created_at
            plan.observations.append(observation)
            plan.scenario_of[id(observation)] = scenario
            plan.duplicate_of = child
            self.result.duplicates.append({"original": child, "duplicate": copy, "mistakes": sorted(mistakes)})
            dups.append(plan)
        return dups

    def _finish(self, rng: random.Random, households: list[tuple[Household, list[_ChildPlan]]],
                loose: list[_ChildPlan], batch: _Batch) -> None:
        """Classify, screen and denormalise, as the services would after the last write."""
        groups = [members for _h, members in households] + [[p] for p in loose]
        for members in groups:
            labour_of: dict[int, bool] = {}
            for plan in members:
                plan.observations.sort(key=lambda o: o.observed_on)
                rows_by_obs = []
                ever = False
                for observation in plan.observations:
                    rows = build_classifications(observation, plan.child)
                    for row in rows:
                        row.classified_at = observation.created_at
                    rows_by_obs.append(rows)
                    law = next(r for r in rows if r.ruleset == "vn-law")
                    ever = ever or law.category in CL
                    plan.law_of[id(observation)] = law
                    batch.add(Classification, *rows)
                labour_of[id(plan)] = ever
            for plan in members:
                child = plan.child
                siblings = any(v for k, v in labour_of.items() if k != id(plan))
                household = child.household
                before = screen(child_factors(child=child, household=household, previous_child_labour=False,
                                              sibling_child_labour=False))
                after = screen(child_factors(child=child, household=household, previous_child_labour=labour_of[id(plan)],
                                             sibling_child_labour=siblings))
                registered = timezone.localtime(child.created_at).date()
                batch.add(RiskAssessment, RiskAssessment(
                    child=child, assessed_on=registered, level=before.level, score=before.score,
                    factors=factor_rows(before.factors), weights_version=before.version, created_at=child.created_at,
                ))
                if after.factors != before.factors:
                    moment = next(
                        (o for o in plan.observations if plan.law_of[id(o)].category in CL),
                        None,
                    )
                    on = moment.observed_on if moment is not None else registered
                    batch.add(RiskAssessment, RiskAssessment(
                        child=child, assessed_on=on, level=after.level, score=after.score,
                        factors=factor_rows(after.factors), weights_version=after.version,
                        created_at=self._at(on, rng),
                    ))
                child.risk_level = after.level
                latest = plan.law_of[id(plan.observations[-1])] if plan.observations else None
                child.latest_category = latest.category if latest is not None else ""
                child.latest_observed_on = plan.observations[-1].observed_on if plan.observations else None
                child.register_status = register_status_for(
                    child.latest_category, latest.age if latest is not None else None, child.risk_level
                )
                visited = [v.visited_on for v in plan.visits]
                child.last_visit_on = max(visited) if visited else None
                batch.add(Child, child)
                batch.add(WorkObservation, *plan.observations)
                batch.add(Visit, *plan.visits)
                if plan.duplicate_of is None:
                    head = household.head_name if household else ""
                    if head:
                        batch.add(Guardian, Guardian(child=child, full_name=head, relationship="Bố",
                                                     phone=household.phone if household else ""))
                        if rng.random() < 0.75:
                            batch.add(Consent, Consent(
                                child=child, given_by=head, relationship="Bố",
                                given_on=timezone.localtime(child.created_at).date(),
                                purpose="Quản lý thông tin trẻ em có nguy cơ, trẻ em lao động trái quy định",
                                recorded_by=self.gen, recorded_at=child.created_at,
                            ))
                if plan.case is not None:
                    self._add_case(plan, batch)

    def _add_case(self, plan: _ChildPlan, batch: _Batch) -> None:
        rows = plan.case
        assert rows is not None  # noqa: S101 - checked by the caller
        for follow_up in rows.follow_ups:
            follow_up.category = plan.law_of[id(follow_up.observation)].category
        batch.add(Report, rows.report)
        if rows.identity is not None:
            batch.add(ReporterIdentity, rows.identity)
        batch.add(Case, rows.case)
        batch.add(CaseEvent, *rows.events)
        batch.add(CaseStep, *rows.steps)
        if rows.assessment is not None:
            batch.add(Assessment, rows.assessment)
        if rows.plan is not None:
            batch.add(CasePlan, rows.plan)
            batch.add(PlanService, *rows.services)
        batch.add(Referral, *rows.referrals)
        batch.add(FollowUp, *rows.follow_ups)

    # -- inspections -------------------------------------------------------------------

    def _inspections(self, cluster: Cluster, employers: dict[str, list[Employer]], plans: list[_ChildPlan], batch: _Batch) -> None:
        rng = cluster.rng(self.seed, "inspections")
        found_by: dict[int, list[tuple[_ChildPlan, WorkObservation]]] = defaultdict(list)
        for plan in plans:
            if plan.duplicate_of is not None:
                continue
            for observation in plan.observations:
                if observation.employer is not None and observation.activity == "EMPLOYED":
                    found_by[id(observation.employer)].append((plan, observation))
        for employer in [e for group in employers.values() for e in group]:
            for plan, observation in found_by.get(id(employer), []):
                if rng.random() > 0.25:
                    continue
                inspection = Inspection(
                    kind=InspectionKind.UNANNOUNCED, inspected_on=observation.observed_on, lead_agency="labour",
                    team="Phòng Văn hóa - Xã hội, Công an xã", findings=f"Phát hiện trẻ em làm việc: {observation.job_description}.",
                    created_by=self.gen,
                )
                batch.add(Inspection, inspection)
                batch.add("inspection_employers", (inspection, employer))
                batch.add(FoundChild, FoundChild(inspection=inspection, employer=employer, child=plan.child,
                                                 observation=observation, created_by=self.gen))
                law = plan.law_of.get(id(observation))
                if law is not None:
                    batch.add(Violation, *self._violations(rng, inspection, employer, plan.child, observation, law))
            for year in range(2021, self.today.year + 1):
                if rng.random() > 0.3:
                    continue
                on = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                if on > self.today or on < FIRST_DAY:
                    continue
                inspection = Inspection(
                    kind=rng.choice([InspectionKind.PERIODIC, InspectionKind.INTERAGENCY]), inspected_on=on,
                    lead_agency="labour", team="Đoàn kiểm tra liên ngành", created_by=self.gen,
                    findings="Cơ sở chấp hành quy định về sử dụng lao động chưa thành niên.",
                )
                batch.add(Inspection, inspection)
                batch.add("inspection_employers", (inspection, employer))

    def _violations(self, rng: random.Random, inspection: Inspection, employer: Employer, child: Child,
                    observation: WorkObservation, law: Classification) -> list[Violation]:
        """What clms.employers.services.violations_propose makes of the classification, moved on by age."""
        offender = OffenderType.ORGANISATION if employer.kind in (EmployerKind.ENTERPRISE, EmployerKind.COOPERATIVE) else OffenderType.INDIVIDUAL
        groups: dict[Any, list[dict[str, Any]]] = {}
        for item in law.violations:
            sanction = item.get("sanction")
            key = (sanction["decree"], sanction["clause"], sanction["point"] or "") if sanction else item["code"]
            groups.setdefault(key, []).append(item)
        out = []
        age_days = (self.today - inspection.inspected_on).days
        for items in groups.values():
            first = items[0]
            sanction = first.get("sanction") or {}
            individual = sanction.get("fine_individual") or [None, None]
            organisation = sanction.get("fine_organisation") or [None, None]
            chosen = organisation if offender == OffenderType.ORGANISATION else individual
            violation = Violation(
                inspection=inspection, employer=employer, child=child, observation=observation,
                rule_id=first["rule_id"], code="+".join(i["code"] for i in items)[:32],
                description="; ".join(i["description"] for i in items),
                legal_basis="; ".join(dict.fromkeys(i["legal_basis"] for i in items)),
                decree=sanction.get("decree", "") or "", article=sanction.get("article", "") or "",
                clause=sanction.get("clause", "") or "", point=sanction.get("point") or "", offender_type=offender,
                fine_min=chosen[0], fine_max=chosen[1], fine_individual_min=individual[0],
                fine_individual_max=individual[1], fine_organisation_min=organisation[0],
                fine_organisation_max=organisation[1], updated_by=self.gen,
            )
            if age_days > 14:
                violation.status = ViolationStatus.CONFIRMED
                violation.remedy_deadline = inspection.inspected_on + dt.timedelta(days=30)
            if age_days > 60 and violation.fine_min is not None and violation.fine_max is not None:
                violation.status = ViolationStatus.PENALISED
                violation.decision_number = f"{rng.randint(10, 450)}/QĐ-XPHC"
                violation.decision_date = inspection.inspected_on + dt.timedelta(days=rng.randint(7, 20))
                step = 500_000
                violation.fine_amount = violation.fine_min + step * rng.randint(0, (violation.fine_max - violation.fine_min) // step)
                if age_days > 120 and rng.random() < 0.8:
                    violation.status = ViolationStatus.REMEDIED
                    violation.remedied_on = violation.remedy_deadline
            out.append(violation)
        return out

    # -- outreach and denominators -----------------------------------------------------

    def _units_by_year(self, cluster: Cluster, year: int) -> list[tuple[AdminUnit, int, dt.date, dt.date]]:
        """(unit, children 5-17, first day, last day) of the units that held activities in the year."""
        growth = 1 + 0.01 * (year - 2021)
        out = []
        if year < REFORM_DATE.year or (year == REFORM_DATE.year and cluster.old):
            last = min(dt.date(year, 12, 31), REFORM_DATE - dt.timedelta(days=1))
            for unit in cluster.old:
                out.append((unit, int(cluster.population[unit.pk] * growth), dt.date(year, 1, 1), last))
        if year >= REFORM_DATE.year or not cluster.old:
            first = max(dt.date(year, 1, 1), REFORM_DATE) if cluster.old else dt.date(year, 1, 1)
            out.append((cluster.new, int(cluster.population[cluster.new.pk] * growth), first, dt.date(year, 12, 31)))
        return out

    def _outreach(self, cluster: Cluster, employers: dict[str, list[Employer]], batch: _Batch) -> None:
        rng = cluster.rng(self.seed, "outreach")
        for year in range(2021, self.today.year + 1):
            effort = rng.uniform(0.45, 1.1)  # some communes reach far fewer people than planned
            for unit, kids, first, last in self._units_by_year(cluster, year):
                def day_in(month: int, day: int, first: dt.date = first, last: dt.date = last, year: int = year) -> dt.date | None:
                    d = dt.date(year, month, day)
                    return d if first <= d <= last else None

                teachers, parents = kids // 18, kids * 14 // 10
                plan: list[tuple[str, str, tuple[int, int], dict[str, float]]] = [
                    (ActivityKind.CAMPAIGN, "Tuyên truyền nhân Ngày Quốc tế Lao động", (5, 1),
                     {"parents": parents * 0.25, "enterprises": 3}),
                    (ActivityKind.CAMPAIGN, "Mít tinh hưởng ứng Ngày Thế giới phòng, chống lao động trẻ em", (6, 12),
                     {"children": kids * 0.35, "parents": parents * 0.2, "teachers": teachers * 0.5}),
                    (ActivityKind.BROADCAST, "Phát thanh chuyên mục Tháng hành động vì trẻ em", (6, 1),
                     {"parents": parents * 0.3, "children": kids * 0.3}),
                    (ActivityKind.TRAINING, "Tập huấn phòng ngừa lao động trẻ em cho giáo viên", (9, 15),
                     {"teachers": teachers * 0.45}),
                    (ActivityKind.TRAINING, "Tập huấn kỹ năng phát hiện sớm cho cán bộ, cộng tác viên", (10, 20),
                     {"officials": 6}),
                    (ActivityKind.TRAINING, "Tập huấn pháp luật lao động cho doanh nghiệp, hợp tác xã, hộ làng nghề", (11, 10),
                     {"enterprises": 4, "cooperatives": 1, "craft_households": 20}),
                ]
                for kind, title, (month, day), reach in plan:
                    on = day_in(month, day)
                    if on is None:
                        continue
                    held = on <= self.today
                    activity = OutreachActivity(
                        kind=kind, title=title, unit=unit, starts_on=on, lead_agency="labour",
                        status=ActivityStatus.HELD if held else ActivityStatus.PLANNED,
                        channel=BroadcastChannel.LOUDSPEAKER if kind == ActivityKind.BROADCAST else "",
                        broadcasts=rng.randint(8, 20) if kind == ActivityKind.BROADCAST else None,
                        created_by=self.gen, created_at=self._at(on, rng),
                    )
                    batch.add(OutreachActivity, activity)
                    if not held:
                        continue
                    for group, base in reach.items():
                        count = max(0, round(base * effort * rng.uniform(0.8, 1.2)))
                        if count:
                            batch.add(Reach, Reach(activity=activity, group=group, count=count))
                    if kind == ActivityKind.CAMPAIGN and month == 6:
                        batch.add(PrintedQuantity, PrintedQuantity(activity=activity, product="leaflet",
                                                                   quantity=rng.randint(200, 1500)))

    def _denominators(self, cluster: Cluster, employers: dict[str, list[Employer]], batch: _Batch) -> None:
        rng = cluster.rng(self.seed, "denominators")
        all_employers = [e for group in employers.values() for e in group]
        enterprises = sum(1 for e in all_employers if e.kind == EmployerKind.ENTERPRISE)
        coops = sum(1 for e in all_employers if e.kind == EmployerKind.COOPERATIVE)
        craft = next((e.craft_village for e in all_employers if e.craft_village), None)
        for year in range(2021, self.today.year + 1):
            units = [(u, kids) for u, kids, _f, _l in self._units_by_year(cluster, year)]
            if year == REFORM_DATE.year and cluster.old:
                units = [(u, k) for u, k in units if u == cluster.new]
            for unit, kids in units:
                share = 1.0 if unit == cluster.new else kids / max(cluster.population[cluster.new.pk], 1)
                boys = kids * 51 // 100
                values = {
                    DenominatorGroup.CHILDREN_5_17: kids,
                    DenominatorGroup.CHILDREN_5_17_MALE: boys,
                    DenominatorGroup.CHILDREN_5_17_FEMALE: kids - boys,
                    DenominatorGroup.CHILDREN_5_11: kids * 52 // 100,
                    DenominatorGroup.CHILDREN_12_14: kids * 24 // 100,
                    DenominatorGroup.CHILDREN_15_17: kids - kids * 52 // 100 - kids * 24 // 100,
                    DenominatorGroup.CHILDREN_UNDER_16: kids * 84 // 100,
                    DenominatorGroup.TEACHERS: kids // 18,
                    DenominatorGroup.PARENTS: kids * 14 // 10,
                    DenominatorGroup.ENTERPRISES: max(1, round((enterprises + rng.randint(2, 6)) * share)),
                    DenominatorGroup.COOPERATIVES: max(1, round((coops + rng.randint(0, 2)) * share)),
                    DenominatorGroup.CRAFT_HOUSEHOLDS: round((craft.household_count or 0) * share) if craft else 0,
                    DenominatorGroup.OFFICIALS: rng.randint(5, 9),
                }
                for group, value in values.items():
                    batch.add(Denominator, Denominator(unit=unit, year=year, group=group, value=value,
                                                       source=DenominatorSource.ENTERED, updated_by=self.gen))


def generate(
    *, scale: str, seed: int, flush_first: bool = False, force: bool = False, as_of: dt.date | None = None,
    provinces: list[str] | None = None,
) -> Result:
    """Generate a scale's data; refuses a database with other records unless ``force``."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose from {', '.join(SCALES)}")
    if scale == "nation" and connection.vendor != "postgresql":
        raise GeneratorRefused("The nation scale runs on PostgreSQL only.")
    gen = generator_user()
    if flush_first:
        flush(gen)
    foreign = foreign_records(gen)
    if foreign and not force:
        raise GeneratorRefused(
            f"The database holds records the generator did not make ({', '.join(foreign)}); use --force to add to them."
        )
    if Child.objects.filter(created_by=gen).exists():
        raise GeneratorRefused("Generated data is already present; use --flush to replace it.")
    return Generator(scale=SCALES[scale], seed=seed, as_of=as_of, provinces=provinces).run()
