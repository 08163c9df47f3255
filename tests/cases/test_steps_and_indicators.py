import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clms.cases import selectors, services
from clms.cases.models import CaseStep, DuePolicy, State
from clms.places.scoping import unit_q
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, advance, file_report, v

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class DueStepTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.child = ChildFactory.create(commune=self.commune_a, village=self.village_a)

    def test_it_loads_the_default_policies_from_the_data_file(self) -> None:
        rows = {p.step: p for p in DuePolicy.objects.filter(scope_unit__isnull=True)}
        self.assertEqual((rows["plan_draft"].amount, rows["plan_draft"].unit, rows["plan_draft"].statutory), (5, "working_days", True))
        self.assertEqual((rows["emergency"].amount, rows["emergency"].unit), (12, "hours"))
        self.assertFalse(rows["verification"].statutory)
        self.assertIn("Điều 28", rows["plan_approval"].legal_basis)

    def test_it_writes_the_steps_due_at_intake_with_the_policy_version(self) -> None:
        received = dt.datetime(2026, 3, 13, 15, 0, tzinfo=TZ)  # a Friday afternoon
        with mock.patch("django.utils.timezone.now", return_value=received + dt.timedelta(minutes=5)):
            case = file_report(user=self.officer_a, child=self.child, emergency=True, received_at=received)
        steps = {s.step: s for s in CaseStep.objects.filter(case=case)}
        self.assertEqual(set(steps), {"emergency", "initial_assessment", "verification"})
        self.assertEqual(steps["emergency"].due_at, received + dt.timedelta(hours=12))
        self.assertTrue(steps["emergency"].statutory)
        self.assertEqual(steps["verification"].due_at, dt.datetime(2026, 3, 18, 0, 0, tzinfo=TZ))
        self.assertEqual(steps["verification"].policy_version, 1)
        self.assertEqual(steps["verification"].rule, "2 working_days from received")

    def test_it_starts_the_plan_clock_at_the_needs_meeting(self) -> None:
        case = advance(file_report(user=self.officer_a, child=self.child), State.ASSESSED, user=self.officer_a)
        step = CaseStep.objects.get(case=case, step="plan_draft")
        self.assertEqual(step.started_at, case.received_at)
        meeting = timezone.localdate()
        case.assessment.refresh_from_db()
        services.assessment_save(user=self.officer_a, case=case, version=case.assessment.version,
                                 needs_meeting_on=meeting)
        step.refresh_from_db()
        self.assertEqual(timezone.localtime(step.started_at).date(), meeting)
        self.assertEqual(timezone.localtime(step.started_at).time(), dt.time(0, 0))

    def test_it_keeps_the_plan_clock_at_receipt_when_configured(self) -> None:
        DuePolicy.objects.filter(step="plan_draft").update(start_event="received")
        case = advance(file_report(user=self.officer_a, child=self.child), State.ASSESSED, user=self.officer_a)
        case.assessment.refresh_from_db()
        services.assessment_save(user=self.officer_a, case=case, version=case.assessment.version,
                                 needs_meeting_on=timezone.localdate())
        self.assertEqual(CaseStep.objects.get(case=case, step="plan_draft").started_at, case.received_at)

    def test_it_uses_a_commune_override_and_records_its_version(self) -> None:
        policy = services.duepolicy_set(user=self.officer_a, step="verification", scope_unit=self.commune_a,
                                        amount=1, unit="working_days", start_event="received")
        services.duepolicy_set(user=self.officer_a, step="verification", scope_unit=self.commune_a,
                               amount=1, unit="days", start_event="received", version=policy.version)
        case = file_report(user=self.officer_a, child=self.child)
        step = CaseStep.objects.get(case=case, step="verification")
        self.assertEqual((step.policy_id, step.policy_version, step.rule), (policy.pk, 2, "1 days from received"))
        other = ChildFactory.create(commune=self.commune_b, village=self.village_b)
        default = CaseStep.objects.get(case=file_report(user=self.officer_b, child=other), step="verification")
        assert default.policy is not None
        self.assertIsNone(default.policy.scope_unit_id)

    def test_it_refuses_to_lengthen_a_statutory_limit_or_to_set_another_communes(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            services.duepolicy_set(user=self.officer_a, step="plan_draft", scope_unit=self.commune_a, amount=6,
                                   unit="working_days", start_event="needs_meeting_or_received")
        self.assertIn("tối đa 5", ctx.exception.message_dict["amount"][0])
        services.duepolicy_set(user=self.officer_a, step="plan_draft", scope_unit=self.commune_a, amount=4,
                               unit="working_days", start_event="needs_meeting_or_received")
        with self.assertRaises(PermissionDenied):
            services.duepolicy_set(user=self.officer_a, step="verification", scope_unit=self.commune_b, amount=1,
                                   unit="days", start_event="received")

    def test_it_completes_follow_up_steps_and_schedules_the_next(self) -> None:
        case = advance(file_report(user=self.officer_a, child=self.child), State.MONITORING, user=self.officer_a)
        first = CaseStep.objects.get(case=case, step="follow_up")
        self.assertEqual(timezone.localtime(first.due_at).date(), timezone.localdate() + dt.timedelta(days=31))
        services.follow_up_record(user=self.collaborator, case=case, visited_on=timezone.localdate(),
                                  still_working=False, school_status="attending")
        first.refresh_from_db()
        self.assertIsNotNone(first.done_at)
        self.assertTrue(CaseStep.objects.filter(case=case, step="follow_up", seq=2, done_at__isnull=True).exists())


class IndicatorTestCase(PersonaTestCase):
    def test_it_counts_timely_cases_from_the_steps(self) -> None:
        received = timezone.now() - dt.timedelta(days=20)
        on_time = file_report(user=self.officer_a, received_at=received,
                              child=ChildFactory.create(commune=self.commune_a, village=self.village_a))
        CaseStep.objects.filter(case=on_time).update(done_at=received + dt.timedelta(hours=1))
        late = file_report(user=self.officer_a, received_at=received,
                           child=ChildFactory.create(commune=self.commune_a, village=self.village_a))
        CaseStep.objects.filter(case=late, step="verification").update(done_at=received + dt.timedelta(days=15))
        CaseStep.objects.filter(case=late).exclude(step="verification").update(done_at=received)
        pending_overdue = file_report(user=self.officer_a, received_at=received,
                                      child=ChildFactory.create(commune=self.commune_a, village=self.village_a))
        numerator, denominator = selectors.timely_cases(unit_q(self.officer_a, "commune"), received.year)
        self.assertEqual(set(denominator), {on_time, late, pending_overdue})
        self.assertEqual(list(numerator), [on_time])
        # Only statutory steps: none of these cases had one (no emergency, no plan yet).
        numerator, _d = selectors.timely_cases(unit_q(self.officer_a, "commune"), received.year, statutory_only=True)
        self.assertEqual(numerator.count(), 3)
        numerator, denominator = selectors.timely_cases(unit_q(self.officer_b, "commune"), received.year)
        self.assertEqual(denominator.count(), 0)

    def test_it_counts_monitored_cases_with_a_follow_up_in_schedule(self) -> None:
        kept = advance(file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a, village=self.village_a)),
                       State.MONITORING, user=self.officer_a)
        lapsed = advance(file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a, village=self.village_a)),
                         State.MONITORING, user=self.officer_a)
        CaseStep.objects.filter(case=lapsed, step="follow_up").update(due_at=timezone.now() - dt.timedelta(days=1))
        numerator, denominator = selectors.monitored_cases(unit_q(self.officer_a, "commune"))
        self.assertEqual(set(denominator), {kept, lapsed})
        self.assertEqual(list(numerator), [kept])
        services.case_close(user=self.officer_a, case=kept, version=v(kept), reason="moved_away")
        _n, denominator = selectors.monitored_cases(unit_q(self.officer_a, "commune"))
        self.assertEqual(list(denominator), [lapsed])
