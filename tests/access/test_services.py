"""Every service checks the policy itself: called by the officer of another commune with
objects of commune A, each one refuses (PermissionDenied) before it writes or returns anything.

The services are found by introspection of every ``clms.*.services`` module: a new public
function with a ``user`` parameter must appear in CALLS (and refuse), one without a user must
be listed in NO_USER with the reason it needs none.  A service nobody thought of fails here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

import clms
from clms.cases.models import DuePolicy, Notification, PlanService, Referral
from clms.employers.models import FoundChild, Violation
from clms.outreach.models import Attendee
from clms.people.models import Consent, WorkObservation
from clms.plans.models import Plan, Task
from clms.surveys.models import SurveyMember
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, file_report
from tests.employers.factories import CraftVillageFactory, EmployerFactory, InspectionFactory
from tests.outreach.factories import ActivityFactory
from tests.people.factories import HouseholdFactory
from tests.plans.factories import BudgetLineFactory, PilotModelFactory
from tests.reports.factories import PeriodFactory, SubmissionFactory
from tests.surveys.factories import survey_round

# Public service functions that take no user, and why none is needed: pure rules and
# formatting, building blocks called only by a checked service after its check, and the
# system's own jobs (commands run by the operator, not on behalf of a user).
NO_USER: dict[str, str] = {
    "cases.common.allowed_actions": "pure: the state machine",
    "cases.common.check_transition": "pure: the state machine",
    "cases.common.moment_of": "pure: date arithmetic",
    "cases.common.step_open": "building block, after check_case_writer",
    "cases.common.step_done": "building block, after check_case_writer",
    "cases.common.steps_cancel": "building block, after check_case_writer",
    "cases.common.plan_clock_start": "building block, after check_case_writer",
    "cases.followups.follow_up_passes": "pure: the closing rule",
    "cases.followups.follow_up_interval_met": "pure: the closing rule",
    "cases.followups.follow_up_interval_text": "pure: text of the rule",
    "cases.followups.may_close_as_resolved": "pure: the closing rule",
    "cases.notifications.commune_officers": "who to notify; returns users, not children",
    "cases.notifications.notification_send": "system: texts carry no child's name (issue 15)",
    "cases.referrals.initials": "pure: text",
    "cases.referrals.referral_notice": "building block of a checked referral write",
    "cases.referrals.agency_officers_for": "who to notify; returns users",
    "employers.commitments.commitment_document_check": "pure: file type check",
    "employers.common.today": "pure",
    "employers.common.check_place": "pure: validation",
    "employers.common.apply_fields": "pure",
    "employers.inspections.offender_type_for": "pure",
    "employers.inspections.violations_propose": "building block, after inspection_add_child's check",
    "employers.registry.tax_code_clean": "pure: validation",
    "places.available_provinces": "public reference data, no personal data",
    "places.units_load_province": "operator command: loads public unit lists",
    "plans.describe_target": "pure: text",
    "plans.is_not_weaker": "pure: comparison",
    "privacy.record_graph": "building block: callers scope the child first (child_export, the request page)",
    "privacy.audit_of_child": "building block of child_export",
    "privacy.export_json": "pure: serialisation",
    "privacy.retention_candidates": "operator command (retention), no user acts",
    "privacy.child_anonymise": "operator command (retention), removes personal data",
    "reports.document_defaults": "public letterhead defaults, no personal data",
    "surveys.situation_for": "pure: classification",
    "surveys.member_categories": "pure: classification",
    "surveys.check_member": "pure: validation",
    "surveys.in_child_labour": "pure: classification",
}

# Services with a user that are not an entry point: they run inside a checked service.
INNER: dict[str, str] = {
    "cases.common.event_add": "writes the case's event after the calling service's check",
    "cases.common.transition_apply": "applies a transition after the calling service's check",
    "cases.notifications.notify": "the actor of a checked case service notifies the officers",
    "cases.notifications.notifications_mark_all_read": "acts on the user's own notifications only",
    "reports.period_for": "inside submission_start, after its check",
}


def service_functions() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.walk_packages(clms.__path__, "clms."):
        if ".services" not in info.name or "migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != info.name:
                continue
            short = info.name.removeprefix("clms.").replace(".services", "")
            found[f"{short}.{name}"] = fn
    return found


class ServicesRefuseAnotherCommuneTestCase(PersonaTestCase):
    activity: Any
    attendee: Any
    case: Any
    child: Any
    consent: Any
    craft_village: Any
    employer: Any
    found: Any
    household: Any
    inspection: Any
    line: Any
    member: Any
    notification: Any
    observation: Any
    other: Any
    period: Any
    pilot: Any
    plan: Any
    policy: Any
    psu: Any
    referral: Any
    service: Any
    submission: Any
    survey: Any
    task: Any
    violation: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        a, village, user = cls.commune_a, cls.village_a, cls.officer_a
        cls.child = ChildFactory.create(commune=a, village=village, full_name="Lò Thị Riêng")
        cls.other = ChildFactory.create(commune=a, village=village, full_name="Lo Thi Rieng")
        cls.case = file_report(user=cls.collaborator, child=cls.child)
        cls.household = HouseholdFactory.create(commune=a, village=village)
        cls.consent = Consent.objects.create(child=cls.child, given_by="Lò Văn Bố", relationship="bố",
                                             given_on=dt.date(2026, 1, 1), purpose="Theo dõi")
        cls.observation = WorkObservation.objects.create(child=cls.child, commune=a, observed_on=dt.date(2026, 1, 2))
        cls.notification = Notification.objects.create(user=user, case=cls.case, kind="assigned", text="x")
        cls.employer = EmployerFactory.create(commune=a, village=village)
        cls.craft_village = CraftVillageFactory.create(commune=a)
        cls.inspection = InspectionFactory.create(employers=[cls.employer], created_by=user)
        cls.found = FoundChild.objects.create(inspection=cls.inspection, employer=cls.employer, child=cls.child,
                                              observation=cls.observation)
        cls.violation = Violation.objects.create(inspection=cls.inspection, employer=cls.employer, rule_id="R1",
                                                 code="X", offender_type="individual")
        cls.activity = ActivityFactory.create(unit=a)
        cls.attendee = Attendee.objects.create(activity=cls.activity, group="officials", full_name="Lê Văn Học")
        cls.policy = DuePolicy.objects.create(step="verification", amount=3, unit="days", start_event="report",
                                              scope_unit=a)
        cls.service = PlanService.objects.filter(plan__case=cls.case).first()
        cls.referral = Referral.objects.filter(case=cls.case).first()
        cls.task = Task.objects.first()
        cls.line = BudgetLineFactory.create(unit=a)
        cls.plan = Plan.objects.create(key="kh-tan-ninh", issuer="UBND xã Tân Ninh", title="Kế hoạch xã",
                                       scope_level="commune", scope_unit=a, parent=cls.line.plan)
        cls.pilot = PilotModelFactory.create(commune=a)
        cls.period = PeriodFactory.create(receiver=cls.province, plan=cls.line.plan)
        cls.submission = SubmissionFactory.create(period=cls.period, unit=a)
        cls.survey = survey_round(user=user, unit=a, villages=[village], households=[
            [("Lò Văn Khảo", "M", dt.date(2013, 1, 1), {})]])
        cls.psu = cls.survey.psus.get()
        cls.member = SurveyMember.objects.get(household__psu=cls.psu)

    def calls(self) -> dict[str, dict[str, Any]]:
        """Arguments for each service: objects of commune A; whatever else it needs."""
        a, day, now = self.commune_a, dt.date(2026, 3, 1), timezone.now()
        case, v = {"case": self.case, "version": self.case.version}, {"version": 1}
        return {
            "cases.assessment.case_verify": {**case, "initial_risk": "high"},
            "cases.assessment.case_record_emergency": {**case, "measures": "x"},
            "cases.assessment.case_assess": case,
            "cases.assessment.assessment_save": {**case, "texts": {}},
            "cases.closing.case_close": {**case, "reason": "moved_away"},
            "cases.closing.case_not_confirm": {**case, "note": "x"},
            "cases.closing.case_reopen": {**case, "note": "x"},
            "cases.common.check_case_writer": {"case": self.case},
            "cases.followups.follow_up_record": {"case": self.case, "visited_on": day, "still_working": False,
                                                 "school_status": "in_school"},
            "cases.notifications.notification_mark_read": {"notification": self.notification},
            "cases.plan.plan_save": {**case, "goals": "x", "drafted_on": day},
            "cases.plan.plan_service_add": {"case": self.case, "service_type": "x", "agency": "education",
                                            "provider_unit": a},
            "cases.plan.plan_service_remove": {"case": self.case, "service": self.service},
            "cases.plan.case_plan": case,
            "cases.plan.case_approve_plan": {**case, "approved_on": day, "decision_number": "1"},
            "cases.plan.case_start_intervention": case,
            "cases.plan.case_start_monitoring": case,
            "cases.policies.duepolicy_set": {"step": "verification", "scope_unit": a, "amount": 3, "unit": "days",
                                             "start_event": "report"},
            "cases.policies.duepolicy_reset": {"policy": self.policy},
            "cases.referrals.referral_answer": {"referral": self.referral, **v, "status": "accepted"},
            "cases.reports.report_file": {"source": "commune", "received_at": now, "what_seen": "x",
                                          "commune": a, "children": [self.child]},
            "cases.reports.case_open_for_child": {"child": self.child},
            "cases.reports.case_assign": {**case, "officer": self.officer_a},
            "employers.commitments.commitment_record": {"employer": self.employer, "signed_on": day,
                                                        "signer_name": "x"},
            "employers.common.check_write": {"unit": a},
            "employers.denominators.denominators_derive": {"unit": a, "year": 2026},
            "employers.inspections.inspection_record": {"kind": "unannounced", "inspected_on": day,
                                                        "lead_agency": "labour", "employers": [self.employer]},
            "employers.inspections.inspection_update_findings": {"inspection": self.inspection, **v, "findings": "x"},
            "employers.inspections.child_duplicates": {"full_name": self.child.full_name, "dob": self.child.dob,
                                                       "commune": a},
            "employers.inspections.inspection_add_child": {"inspection": self.inspection, "employer": self.employer,
                                                           "observation": {}, "child": self.child},
            "employers.inspections.found_child_open_case": {"found_child": self.found},
            "employers.registry.craft_village_create": {"commune": a, "name": "x", "trade": "x"},
            "employers.registry.craft_village_update": {"craft_village": self.craft_village, **v},
            "employers.registry.employer_create": {"kind": "household_business", "name": "x", "sector": "handicraft",
                                                   "commune": a},
            "employers.registry.employer_update": {"employer": self.employer, **v},
            "employers.violations.violation_confirm": {"violation": self.violation, **v},
            "employers.violations.violation_penalise": {"violation": self.violation, **v, "decision_number": "1",
                                                        "decision_date": day, "fine_amount": 1},
            "employers.violations.violation_remedy": {"violation": self.violation, **v, "remedied_on": day},
            "employers.violations.violation_dismiss": {"violation": self.violation, **v, "reason": "x"},
            "outreach.activity_create": {"kind": "training", "title": "x", "unit": a, "starts_on": day},
            "outreach.activity_update": {"activity": self.activity, **v},
            "outreach.attendee_add": {"activity": self.activity, "group": "officials", "full_name": "x"},
            "outreach.attendee_remove": {"attendee": self.attendee},
            "people.household_create": {"commune": a, "head_name": "x"},
            "people.household_update": {"household": self.household, **v},
            "people.child_create": {"commune": a, "full_name": "x", "sex": "F", "dob": dt.date(2013, 1, 1)},
            "people.child_update": {"child": self.child, **v},
            "people.observation_record": {"child": self.child, "observed_on": day, "activity": "EMPLOYED"},
            "people.guardian_add": {"child": self.child, "full_name": "x", "relationship": "bố"},
            "people.consent_record": {"child": self.child, "given_by": "x", "relationship": "bố", "given_on": day,
                                      "purpose": "x"},
            "people.consent_withdraw": {"consent": self.consent, "withdrawn_on": day},
            "people.visit_record": {"child": self.child, "visited_on": day},
            "people.child_merge": {"keep": self.child, "remove": self.other},
            "people.child_register": {"household": self.household,
                                      "child_fields": {"full_name": "x", "sex": "F", "dob": dt.date(2013, 1, 1)}},
            "places.denominators_write_derived": {"year": 2026, "values": {a: {}}, "note": "x"},
            "plans.commune_plan_create": {"commune": a, "parent": self.line.plan, "number": "1", "issued_on": day,
                                          "targets": []},
            "plans.commune_plan_update": {"plan": self.plan, **v, "number": "1", "issued_on": day, "targets": []},
            "plans.task_update": {"task": self.task, **v, "status": "done", "note": "x", "on": day},
            "plans.budget_line_create": {"plan": self.line.plan, "year": 2024, "unit": a, "source": self.line.source,
                                         "description": "x", "planned": 1},
            "plans.budget_line_update": {"line": self.line, **v},
            "plans.pilot_model_create": {"model_type": self.pilot.model_type, "commune": a, "name": "x",
                                         "started_on": day, "status": self.pilot.status},
            "plans.pilot_model_update": {"pilot": self.pilot, **v},
            "privacy.child_export": {"child": self.child},
            "reports.period_update": {"period": self.period, **v, "due_on": day, "values": {}},
            "reports.submission_start": {"unit": a, "year": 2026},
            "reports.submission_update": {"submission": self.submission, **v, "values": {}},
            "reports.submission_submit": {"submission": self.submission, **v},
            "reports.submission_return": {"submission": self.submission, **v, "reason": "x"},
            "reports.submission_accept": {"submission": self.submission, **v},
            "surveys.round_create": {"unit": a, "year": 2026, "title": "x", "questionnaire_version": "1"},
            "surveys.psu_add": {"survey": self.survey, "stratum": "1", "village": self.village_a, "households_listed": 1,
                                "households_selected": 1},
            "surveys.household_record": {"psu": self.psu, "number": 1, "result": "completed", "interviewed_on": day},
            "surveys.member_register": {"member": self.member},
        }

    def test_every_service_is_listed(self) -> None:
        calls = self.calls()
        unlisted = []
        for name, fn in service_functions().items():
            takes_user = "user" in inspect.signature(fn).parameters
            if takes_user and name not in calls and name not in INNER:
                unlisted.append(f"{name}: takes a user; add it to CALLS (it must refuse) or INNER")
            if not takes_user and name not in NO_USER:
                unlisted.append(f"{name}: takes no user; check the policy or say in NO_USER why not")
        self.assertEqual(unlisted, [])
        gone = (set(calls) | set(NO_USER) | set(INNER)) - set(service_functions())
        self.assertEqual(gone, set(), "listed but no longer a service")

    def test_every_service_refuses_the_officer_of_another_commune(self) -> None:
        functions = service_functions()
        wrong: list[str] = []
        for name, kwargs in self.calls().items():
            refused = False
            try:
                with transaction.atomic():  # a service that fails otherwise leaves nothing behind
                    functions[name](user=self.officer_b, **kwargs)
            except PermissionDenied:
                refused = True
            except Exception as exc:  # noqa: BLE001 - a validation error first means it checked too late
                wrong.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
                continue
            if not refused:
                wrong.append(f"{name}: did not refuse")
        self.assertEqual(wrong, [], "\n".join(wrong))
