"""Reads of employers, craft villages, commitments, inspections and violations, scoped by area.

Employers and craft villages hang under their commune; an inspection belongs to the area of
every employer it visited, so an officer sees an interagency inspection that crossed into
the commune.  Children's details stay behind clms.people's own selector.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from clms.accounts.policy import RULES, Perm
from clms.employers.models import (
    OPEN_STATUSES,
    Commitment,
    CraftVillage,
    Employer,
    EmployerKind,
    FoundChild,
    Inspection,
    Violation,
)
from clms.people.models import Household
from clms.places.models import AdminUnit, DenominatorGroup, Level, Succession
from clms.places.scoping import unit_q
from clms.places.selectors import communes_for_user
from clms.rules import fold

if TYPE_CHECKING:
    from clms.accounts.models import User

# Roles that see employers and inspections at all; agency officers read them but not the
# children's details, which clms.people's selector keeps from them.
READER_ROLES = RULES[Perm.EMPLOYER_READ]


def _reads(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or user.role in READER_ROLES)


def employers_for_user(user: User) -> QuerySet[Employer]:
    if not _reads(user):
        return Employer.objects.none()
    return Employer.objects.filter(unit_q(user, "commune"))


def craft_villages_for_user(user: User) -> QuerySet[CraftVillage]:
    if not _reads(user):
        return CraftVillage.objects.none()
    return CraftVillage.objects.filter(unit_q(user, "commune"))


def commitments_for_user(user: User) -> QuerySet[Commitment]:
    if not _reads(user):
        return Commitment.objects.none()
    return Commitment.objects.filter(unit_q(user, "employer__commune"))


def inspections_for_user(user: User) -> QuerySet[Inspection]:
    if not _reads(user):
        return Inspection.objects.none()
    visited = Inspection.employers.through.objects.filter(
        unit_q(user, "employer__commune"), inspection_id=OuterRef("pk")
    )
    return Inspection.objects.filter(Exists(visited))


def violations_for_user(user: User) -> QuerySet[Violation]:
    if not _reads(user):
        return Violation.objects.none()
    return Violation.objects.filter(unit_q(user, "employer__commune"))


def found_children_for_user(user: User) -> QuerySet[FoundChild]:
    """Links between inspections and children; who the child is stays behind children_for_user."""
    if not _reads(user):
        return FoundChild.objects.none()
    return FoundChild.objects.filter(unit_q(user, "employer__commune"))


def employer_search(qs: QuerySet[Employer], query: str) -> QuerySet[Employer]:
    """Every word must appear in the name, diacritics ignored ("lang nghe son mai"), or the tax code."""
    words = fold(query).split()
    for word in words:
        qs = qs.filter(Q(name_folded__contains=word) | Q(tax_code__startswith=word))
    return qs


def craft_village_search(qs: QuerySet[CraftVillage], query: str) -> QuerySet[CraftVillage]:
    for word in fold(query).split():
        qs = qs.filter(name_folded__contains=word)
    return qs


def active_commitment_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}signed_on__lte": day}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": day})
    )


def commitment_in_force(commitment: Commitment, day: dt.date) -> bool:
    return commitment.signed_on <= day and (commitment.expires_on is None or commitment.expires_on >= day)


def reinspections_due(user: User, today: dt.date) -> QuerySet[Violation]:
    """Violations whose remedy deadline has passed and that are neither remedied nor dismissed."""
    return (
        violations_for_user(user)
        .filter(status__in=OPEN_STATUSES, remedy_deadline__lt=today)
        .exclude(status="proposed")
        .select_related("employer", "inspection")
        .order_by("remedy_deadline", "pk")
    )


def employers_not_inspected(user: User, since: dt.date) -> QuerySet[Employer]:
    """Active employers in craft villages or with a past violation, not inspected since ``since``."""
    recent = Inspection.employers.through.objects.filter(
        employer_id=OuterRef("pk"), inspection__inspected_on__gte=since
    )
    return (
        employers_for_user(user)
        .filter(active=True)
        .filter(Q(craft_village__isnull=False) | Q(violations__isnull=False))
        .exclude(Exists(recent))
        .distinct()
        .select_related("commune", "craft_village")
        .order_by("commune__name", "name")
    )


@dataclass
class CommuneRow:
    commune: AdminUnit
    employers: int = 0
    craft_villages: int = 0
    active_commitments: int = 0
    inspections: int = 0
    open_violations: int = 0
    children_found: int = 0
    unit_ids: set[int] = field(default_factory=set)


@dataclass
class Overview:
    year: int
    rows: list[CommuneRow]
    total: CommuneRow | None


def _valid_on(day: dt.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def overview_communes(user: User, year: int) -> list[AdminUnit]:
    """The communes of the user's area as they stood at the end of ``year``.

    One generation only, so that 2025 shows the merged communes and nothing is counted twice;
    a district officer, whose communes ended with the reform, gets them as they began the year.
    """
    communes = communes_for_user(user)
    found = list(communes.filter(_valid_on(dt.date(year, 12, 31))))
    return found or list(communes.filter(_valid_on(dt.date(year, 1, 1))))


def overview_by_commune(user: User, year: int, today: dt.date) -> Overview:
    """Commune × employers, craft villages, active commitments, inspections in the year,
    open violations and children found in the year.

    A commune formed in 2025 also counts what was recorded under the communes it absorbed.
    Six grouped queries, whatever the number of communes.
    """
    communes = overview_communes(user, year)
    rows = [CommuneRow(commune=c, unit_ids={c.pk}) for c in communes]
    by_unit: dict[int, list[CommuneRow]] = defaultdict(list)
    for row in rows:
        by_unit[row.commune.pk].append(row)
    successions = Succession.objects.filter(successor__in=communes, is_main=True).values_list(
        "predecessor_id", "successor_id"
    )
    for predecessor_id, successor_id in successions:
        for row in by_unit.get(successor_id, []):
            row.unit_ids.add(predecessor_id)
            by_unit[predecessor_id].append(row)
    day = min(today, dt.date(year, 12, 31))
    counts: list[tuple[str, QuerySet[Any], str]] = [
        ("employers", employers_for_user(user).filter(active=True), "commune"),
        ("craft_villages", craft_villages_for_user(user), "commune"),
        ("active_commitments", commitments_for_user(user).filter(active_commitment_q(day)), "employer__commune"),
        (
            "inspections",
            Inspection.employers.through.objects.filter(
                unit_q(user, "employer__commune"), inspection__inspected_on__year=year
            ),
            "employer__commune",
        ),
        ("open_violations", violations_for_user(user).filter(status__in=OPEN_STATUSES), "employer__commune"),
        ("children_found", found_children_for_user(user).filter(inspection__inspected_on__year=year), "employer__commune"),
    ]
    if not _reads(user):
        counts = []
    for attr, qs, unit_field in counts:
        distinct_field = "inspection_id" if attr == "inspections" else "pk"
        grouped = qs.values(unit_field).annotate(n=Count(distinct_field, distinct=True)).values_list(unit_field, "n")
        for unit_id, n in grouped:
            for row in by_unit.get(unit_id, []):
                setattr(row, attr, getattr(row, attr) + n)
    total = None
    if rows:
        total = CommuneRow(commune=rows[0].commune)
        for attr in ("employers", "craft_villages", "active_commitments", "open_violations", "children_found"):
            setattr(total, attr, sum(getattr(r, attr) for r in rows))
        # An interagency inspection may cross communes: count it once in the total.
        all_ids = set().union(*(r.unit_ids for r in rows))
        total.inspections = (
            Inspection.employers.through.objects.filter(
                unit_q(user, "employer__commune"), employer__commune_id__in=all_ids, inspection__inspected_on__year=year
            )
            .values("inspection_id")
            .distinct()
            .count()
        )
    return Overview(year=year, rows=rows, total=total)


def derived_denominators(*, unit: AdminUnit, year: int) -> dict[AdminUnit, dict[str, int]]:
    """The enterprise, cooperative and craft-household figures of ``year`` for the commune
    ``unit`` (or every commune under it, as they stood at the end of the year), from this register.

    Counts employers active and registered by the end of the year (cooperative groups count
    as cooperatives), and the households of the craft villages recognised by then: the
    village's recorded household count, or else the register's households linked to it.
    A merged commune also counts what is registered under the communes it absorbed.
    """
    end = dt.date(year, 12, 31)
    if unit.level == Level.COMMUNE:
        communes = [unit]
    else:
        under = AdminUnit.objects.filter(level=Level.COMMUNE, path__startswith=unit.path).order_by("path")
        communes = list(under.filter(_valid_on(end))) or list(under.filter(_valid_on(dt.date(year, 1, 1))))
    figures: dict[AdminUnit, dict[str, int]] = {}
    for commune in communes:
        unit_ids = {commune.pk, *Succession.objects.filter(successor=commune, is_main=True).values_list("predecessor_id", flat=True)}
        employers = Employer.objects.filter(commune_id__in=unit_ids, active=True).filter(
            Q(registered_on__isnull=True) | Q(registered_on__lte=end)
        )
        villages = CraftVillage.objects.filter(commune_id__in=unit_ids).filter(
            Q(recognised_on__isnull=True) | Q(recognised_on__lte=end)
        )
        counted = villages.filter(household_count__isnull=False).aggregate(n=Sum("household_count"))["n"] or 0
        uncounted = Household.objects.filter(craft_village__in=villages.filter(household_count__isnull=True)).count()
        figures[commune] = {
            DenominatorGroup.ENTERPRISES: employers.filter(kind=EmployerKind.ENTERPRISE).count(),
            DenominatorGroup.COOPERATIVES: employers.filter(
                kind__in=[EmployerKind.COOPERATIVE, EmployerKind.COOPERATIVE_GROUP]
            ).count(),
            DenominatorGroup.CRAFT_HOUSEHOLDS: counted + uncounted,
        }
    return figures
