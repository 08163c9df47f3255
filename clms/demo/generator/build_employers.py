"""The employers of a cluster, their inspections and the violations found."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from clms.demo.generator.base import CRAFT_VILLAGE_NOTE, FIRST_DAY, Batch, ChildPlan, GeneratorBase
from clms.demo.generator.fast import new
from clms.demo.generator.names import (
    SURNAME,
    person_name,
)
from clms.demo.generator.units import (
    Cluster,
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
from clms.people.models import (
    Child,
    Classification,
    WorkObservation,
)
from clms.rules import fold


class EmployerRows(GeneratorBase):
    def _employers(self, cluster: Cluster, batch: Batch) -> dict[str, list[Employer]]:
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
            craft = new(CraftVillage,
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
                employer = new(Employer,
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
                        batch.add(Commitment, new(Commitment,
                            employer=employer, signed_on=signed, signer_name=owner,
                            signer_title="Giám đốc" if kind == EmployerKind.ENTERPRISE else "Chủ cơ sở",
                            expires_on=signed.replace(year=signed.year + 2), created_by=self.gen,
                        ))
        if craft is not None:
            for _n in range(rng.randint(2, 5)):
                owner = person_name(rng, SURNAME(rng), rng.choice("MF"))
                name = f"Cơ sở {craft.trade.lower()} {owner.split()[-1]} {owner.split()[0]}"
                employer = new(Employer,
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

    def _inspections(self, cluster: Cluster, employers: dict[str, list[Employer]], plans: list[ChildPlan], batch: Batch) -> None:
        rng = cluster.rng(self.seed, "inspections")
        found_by: dict[int, list[tuple[ChildPlan, WorkObservation]]] = defaultdict(list)
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
                inspection = new(Inspection,
                    kind=InspectionKind.UNANNOUNCED, inspected_on=observation.observed_on, lead_agency="labour",
                    team="Phòng Văn hóa - Xã hội, Công an xã", findings=f"Phát hiện trẻ em làm việc: {observation.job_description}.",
                    created_by=self.gen,
                )
                batch.add(Inspection, inspection)
                batch.add("inspection_employers", (inspection, employer))
                batch.add(FoundChild, new(FoundChild, inspection=inspection, employer=employer, child=plan.child,
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
                inspection = new(Inspection,
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
            violation = new(Violation,
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
