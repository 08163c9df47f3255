"""The register of a cluster: households, children, their work, duplicates and the cases opened."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from clms.accounts.models import User
from clms.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    CasePlan,
    CaseStep,
    FollowUp,
    PlanService,
    Referral,
    Report,
    ReporterIdentity,
)
from clms.demo.generator import scenarios
from clms.demo.generator.base import CL, FIRST_DAY, MINORITY_CODES, Batch, ChildPlan, GeneratorBase
from clms.demo.generator.cases import build_case
from clms.demo.generator.fast import local_time, new
from clms.demo.generator.names import (
    MINORITY_SURNAME,
    SURNAME,
    person_name,
    strip_diacritics,
    typo,
)
from clms.demo.generator.units import (
    Cluster,
)
from clms.employers.models import (
    Employer,
    Sector,
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
from clms.people.risk import child_factors, factor_rows, screen
from clms.places.models import (
    REFORM_DATE,
)
from clms.rules import fold


def make_classification(**values: Any) -> Classification:
    return new(Classification, **values)


class RegisterRows(GeneratorBase):
    def _register(self, cluster: Cluster, rng: random.Random, employers: dict[str, list[Employer]], batch: Batch) -> list[ChildPlan]:
        target = max(1, round(cluster.total_population * self.share))
        # Labour differs a lot between communes: this is what puts some communes off track.
        propensity = math.exp(rng.gauss(0, 0.5)) * (0.45 if cluster.urban else 1.0)
        minority_share = rng.choice([0.02, 0.02, 0.03, 0.05, 0.1, 0.6]) if self.scale.name != "commune" else 0.03
        olds = sorted(cluster.old, key=lambda u: u.code)
        old_weights = [cluster.population[u.pk] for u in olds]
        craft = next((e.craft_village for e in employers.get(Sector.HANDICRAFT, []) if e.craft_village), None)
        plans: list[ChildPlan] = []
        span = (self.today - dt.timedelta(days=7) - FIRST_DAY).days
        households: list[tuple[Household, list[ChildPlan]]] = []
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
            household = new(Household,
                commune=commune, village=village, head_name=head, head_name_folded=fold(head),
                address=f"{village.name if village else 'Xóm ' + str(rng.randint(1, 12))}, {commune.name}",
                members=rng.randint(3, 8), poverty_status=poverty, ethnicity=ethnicity,
                disadvantaged_area=minority and rng.random() < 0.7, craft_village=craft if in_craft else None,
                craft_household=in_craft, fishing_household=rng.random() < 0.03,
                migrant_parents=rng.random() < 0.22, phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                created_by=self.gen, created_at=self._at(registered, rng),
            )
            batch.add(Household, household)
            members: list[ChildPlan] = []
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
    ) -> ChildPlan:
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
        child = new(Child,
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
        return ChildPlan(child=child, labour=labour)

    def _observations(self, cluster: Cluster, rng: random.Random, plan: ChildPlan, employers: dict[str, list[Employer]]) -> None:
        child = plan.child
        day = local_time(child.created_at).date()
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
                observation = new(WorkObservation,
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
                    plan.visits.append(new(Visit,
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
                plan.visits.append(new(Visit,
                    child=child, visited_on=last, visited_by=self.gen, still_working=None, school_status="",
                    note="Thăm hộ gia đình, trẻ vắng nhà.", created_at=self._at(last, rng),
                ))

    def _cases(self, cluster: Cluster, rng: random.Random, plans: list[ChildPlan]) -> None:
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

    def _duplicates(self, rng: random.Random, plans: list[ChildPlan]) -> list[ChildPlan]:
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
            copy = new(Child,
                household=child.household if rng.random() < 0.4 else None, commune=child.commune,
                village=child.village if rng.random() < 0.7 else None, full_name=name, name_folded=fold(name),
                sex=child.sex, dob=dob, ethnicity=child.ethnicity, school_status=child.school_status,
                created_by=self.gen, created_at=self._at(day, rng),
            )
            plan = ChildPlan(child=copy, labour=original.labour)
            scenario = original.scenario_of[id(first)]
            fields = {f.name: getattr(first, f.name) for f in WorkObservation._meta.concrete_fields
                      if f.name not in ("id", "child", "observed_on", "created_at", "commune", "employer")}
            observation = new(WorkObservation, **fields)
            observation.child, observation.commune, observation.observed_on = copy, copy.commune, day
            observation.employer = first.employer
            observation.created_at = copy.created_at
            plan.observations.append(observation)
            plan.scenario_of[id(observation)] = scenario
            plan.duplicate_of = child
            self.result.duplicates.append({"original": child, "duplicate": copy, "mistakes": sorted(mistakes)})
            dups.append(plan)
        return dups

    def _finish(self, rng: random.Random, households: list[tuple[Household, list[ChildPlan]]],
                loose: list[ChildPlan], batch: Batch) -> None:
        """Classify, screen and denormalise, as the services would after the last write."""
        groups = [members for _h, members in households] + [[p] for p in loose]
        for members in groups:
            labour_of: dict[int, bool] = {}
            for plan in members:
                plan.observations.sort(key=lambda o: o.observed_on)
                rows_by_obs = []
                ever = False
                for observation in plan.observations:
                    rows = build_classifications(observation, plan.child, make=make_classification)
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
                registered = local_time(child.created_at).date()
                batch.add(RiskAssessment, new(RiskAssessment,
                    child=child, assessed_on=registered, level=before.level, score=before.score,
                    factors=factor_rows(before.factors), weights_version=before.version, created_at=child.created_at,
                ))
                if after.factors != before.factors:
                    moment = next(
                        (o for o in plan.observations if plan.law_of[id(o)].category in CL),
                        None,
                    )
                    on = moment.observed_on if moment is not None else registered
                    batch.add(RiskAssessment, new(RiskAssessment,
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
                        batch.add(Guardian, new(Guardian, child=child, full_name=head, relationship="Bố",
                                                     phone=household.phone if household else ""))
                        if rng.random() < 0.75:
                            batch.add(Consent, new(Consent,
                                child=child, given_by=head, relationship="Bố",
                                given_on=local_time(child.created_at).date(),
                                purpose="Quản lý thông tin trẻ em có nguy cơ, trẻ em lao động trái quy định",
                                recorded_by=self.gen, recorded_at=child.created_at,
                            ))
                if plan.case is not None:
                    self._add_case(plan, batch)

    def _add_case(self, plan: ChildPlan, batch: Batch) -> None:
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
