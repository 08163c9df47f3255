import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clms.accounts.models import AuditEvent
from clms.cases import services
from clms.cases.models import Case, CaseEvent, CaseStep, State
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, advance, file_report, v

ALL_STATES = [s.value for s in State]


def _prepare_plan(user: Any, case: Case) -> None:
    advance_to_submittable(user, case)


def advance_to_submittable(user: Any, case: Case) -> None:
    a = case.assessment
    a.refresh_from_db()
    services.assessment_save(user=user, case=case, version=a.version, complete=True, risk_level="low",
                             child_state="ổn", needs="học", child_views="muốn đi học")
    services.plan_save(user=user, case=case, version=None, goals="Đi học", drafted_on=None)
    services.plan_service_add(user=user, case=case, service_type="health", agency="health", provider_unit=case.commune)


def _approve(user: Any, case: Case) -> None:
    if case.state == State.PLANNED:
        case.plan.refresh_from_db()
        if case.plan.approved_on is None:
            services.case_approve_plan(user=user, case=case, version=v(case), approved_on=timezone.localdate(),
                                       decision_number="1/QĐ")


ACTIONS: dict[str, tuple[Callable[[Any, Case], Any], Callable[[Any, Case], Any] | None]] = {
    "verify": (lambda u, c: services.case_verify(user=u, case=c, version=v(c), initial_risk="low"), None),
    "assess": (lambda u, c: services.case_assess(user=u, case=c, version=v(c)), None),
    "plan": (lambda u, c: services.case_plan(user=u, case=c, version=v(c)),
             lambda u, c: _prepare_plan(u, c) if c.state == State.ASSESSED else None),
    "approve_plan": (lambda u, c: services.case_approve_plan(
        user=u, case=c, version=v(c), approved_on=timezone.localdate(), decision_number="2/QĐ"), None),
    "start_intervention": (lambda u, c: services.case_start_intervention(user=u, case=c, version=v(c)), _approve),
    "start_monitoring": (lambda u, c: services.case_start_monitoring(user=u, case=c, version=v(c)), None),
    "close": (lambda u, c: services.case_close(user=u, case=c, version=v(c), reason="moved_away"), None),
    "not_confirm": (lambda u, c: services.case_not_confirm(user=u, case=c, version=v(c), note="sai"), None),
    "reopen": (lambda u, c: services.case_reopen(user=u, case=c, version=v(c), note="có tin mới"), None),
}


class TransitionTestCase(PersonaTestCase):
    def _case_in(self, state: str) -> Case:
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
        case = file_report(user=self.officer_a, child=child)
        if state == State.NOT_CONFIRMED:
            return advance(case, state, user=self.officer_a)
        if state == State.CLOSED:
            advance(case, State.VERIFYING, user=self.officer_a)
            return advance(case, state, user=self.officer_a)
        return advance(case, state, user=self.officer_a)

    def test_it_allows_exactly_the_transitions_of_the_state_machine(self) -> None:
        for action, (call, prepare) in ACTIONS.items():
            sources, target = services.TRANSITIONS[action]
            for state in ALL_STATES:
                with self.subTest(action=action, state=state):
                    case = self._case_in(state)
                    self.assertEqual(case.state, state)
                    if prepare is not None:
                        prepare(self.officer_a, case)
                    events = CaseEvent.objects.filter(case=case).count()
                    if state in sources:
                        call(self.officer_a, case)
                        case.refresh_from_db()
                        self.assertEqual(case.state, target)
                        last = CaseEvent.objects.filter(case=case).order_by("-pk").first()
                        assert last is not None
                        self.assertEqual((last.from_state, last.to_state, last.by), (state, target, self.officer_a))
                        self.assertGreater(CaseEvent.objects.filter(case=case).count(), events)
                    else:
                        with self.assertRaises(services.InvalidTransition):
                            call(self.officer_a, case)
                        case.refresh_from_db()
                        self.assertEqual(case.state, state)

    def test_it_refuses_approving_twice_and_intervening_before_approval(self) -> None:
        case = self._case_in(State.PLANNED)
        with self.assertRaises(ValidationError):
            services.case_start_intervention(user=self.officer_a, case=case, version=v(case))
        _approve(self.officer_a, case)
        with self.assertRaises(services.InvalidTransition):
            services.case_approve_plan(user=self.officer_a, case=case, version=v(case),
                                       approved_on=timezone.localdate(), decision_number="3/QĐ")

    def test_it_refuses_submitting_a_plan_without_assessment_goals_or_services(self) -> None:
        case = self._case_in(State.ASSESSED)
        with self.assertRaises(ValidationError) as ctx:
            services.case_plan(user=self.officer_a, case=case, version=v(case))
        self.assertEqual(len(ctx.exception.messages), 3)
        self.assertEqual(Case.objects.get(pk=case.pk).state, State.ASSESSED)

    def test_it_refuses_another_communes_officer_and_the_viewer(self) -> None:
        case = self._case_in(State.REPORTED)
        for user in (self.officer_b, self.viewer, self.agency, self.collaborator):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.case_verify(user=user, case=case, version=v(case), initial_risk="low")

    def test_it_records_who_and_when_in_the_timeline_and_the_audit_log(self) -> None:
        case = self._case_in(State.REPORTED)
        before = timezone.now()
        services.case_verify(user=self.officer_a, case=case, version=v(case), initial_risk="medium", initial_note="x")
        event = CaseEvent.objects.filter(case=case, kind="verify").get()
        self.assertEqual(event.by, self.officer_a)
        self.assertGreaterEqual(event.at, before)
        self.assertTrue(AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action="update").exists())

    def test_it_cancels_pending_steps_on_closing_and_opens_verification_on_reopening(self) -> None:
        case = self._case_in(State.VERIFYING)
        services.case_close(user=self.officer_a, case=case, version=v(case), reason="died")
        self.assertFalse(CaseStep.objects.filter(case=case, done_at__isnull=True, cancelled_at__isnull=True).exists())
        services.case_reopen(user=self.officer_a, case=case, version=v(case), note="tin mới")
        reopened = CaseStep.objects.get(case=case, step="verification", seq=2)
        self.assertIsNone(reopened.done_at)
        case.refresh_from_db()
        self.assertEqual((case.closure_reason, case.closed_at), ("", None))

    def test_it_requires_a_text_for_other_closure_reasons(self) -> None:
        case = self._case_in(State.VERIFYING)
        with self.assertRaises(ValidationError) as ctx:
            services.case_close(user=self.officer_a, case=case, version=v(case), reason="other")
        self.assertIn("note", ctx.exception.message_dict)
        services.case_close(user=self.officer_a, case=case, version=v(case), reason="other", note="Gia đình từ chối")
        self.assertEqual(Case.objects.get(pk=case.pk).closure_reason, "other")

    def test_it_joins_a_second_report_to_the_open_case(self) -> None:
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
        first = file_report(user=self.officer_a, child=child)
        second = file_report(user=self.collaborator, child=child, emergency=True,
                             received_at=timezone.now() - dt.timedelta(hours=1))
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Case.objects.filter(child=child).count(), 1)
        first.refresh_from_db()
        self.assertTrue(first.emergency)
        self.assertTrue(CaseStep.objects.filter(case=first, step="emergency").exists())
