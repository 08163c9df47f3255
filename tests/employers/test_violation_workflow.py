import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.core.locking import StaleEdit
from clms.employers import selectors, services
from clms.employers.models import Violation
from tests.employers.helpers import EmployerTestCase

TODAY_ISH = dt.date(2026, 11, 20)


class ViolationWorkflowTestCase(EmployerTestCase):
    def setUp(self) -> None:
        found = self.find(age_dob=dt.date(2012, 1, 1), job_code="TT09.II.04", hours_per_day=5)
        self.violation = Violation.objects.get(observation=found.observation)

    def test_it_goes_from_proposed_to_remedied(self) -> None:
        v = services.violation_confirm(user=self.officer_a, violation=self.violation, version=1, remedy_deadline=dt.date(2026, 11, 15))
        self.assertEqual(v.status, "confirmed")
        v = services.violation_penalise(
            user=self.supervisor, violation=v, version=v.version, decision_number="12/QĐ-XPHC",
            decision_date=TODAY_ISH, fine_amount=22_000_000,
        )
        self.assertEqual((v.status, v.fine_amount), ("penalised", 22_000_000))
        v = services.violation_remedy(user=self.officer_a, violation=v, version=v.version, remedied_on=TODAY_ISH)
        v.refresh_from_db()
        self.assertEqual((v.status, v.remedied_on, v.version), ("remedied", TODAY_ISH, 4))

    def test_it_refuses_a_fine_outside_the_range(self) -> None:
        v = services.violation_confirm(user=self.officer_a, violation=self.violation, version=1)
        for amount in (19_999_999, 25_000_001):
            with self.assertRaises(ValidationError) as ctx:
                services.violation_penalise(
                    user=self.officer_a, violation=v, version=v.version, decision_number="1/QĐ",
                    decision_date=TODAY_ISH, fine_amount=amount,
                )
            self.assertIn("fine_amount", ctx.exception.message_dict)
        v.refresh_from_db()
        self.assertEqual(v.status, "confirmed")

    def test_it_refuses_steps_out_of_order(self) -> None:
        with self.assertRaises(ValidationError):
            services.violation_remedy(user=self.officer_a, violation=self.violation, version=1, remedied_on=TODAY_ISH)
        with self.assertRaises(ValidationError):
            services.violation_penalise(
                user=self.officer_a, violation=self.violation, version=1, decision_number="1",
                decision_date=TODAY_ISH, fine_amount=21_000_000,
            )

    def test_it_needs_a_reason_to_dismiss(self) -> None:
        with self.assertRaises(ValidationError):
            services.violation_dismiss(user=self.officer_a, violation=self.violation, version=1, reason="  ")
        v = services.violation_dismiss(user=self.officer_a, violation=self.violation, version=1, reason="Trẻ là con chủ cơ sở, không làm thuê")
        self.assertEqual(v.status, "dismissed")

    def test_it_refuses_a_stale_edit(self) -> None:
        stale = Violation.objects.get(pk=self.violation.pk)
        services.violation_confirm(user=self.officer_a, violation=self.violation, version=1)
        with self.assertRaises(StaleEdit):
            services.violation_dismiss(user=self.officer_a, violation=stale, version=1, reason="x")

    def test_it_refuses_other_communes_and_readers(self) -> None:
        for user in (self.officer_b, self.agency, self.viewer):
            with self.assertRaises(PermissionDenied):
                services.violation_confirm(user=user, violation=self.violation, version=1)

    def test_it_lists_overdue_violations_as_reinspection_due(self) -> None:
        services.violation_confirm(user=self.officer_a, violation=self.violation, version=1, remedy_deadline=dt.date(2026, 11, 10))
        due = list(selectors.reinspections_due(self.officer_a, dt.date(2026, 11, 11)))
        self.assertEqual(due, [self.violation])
        self.assertEqual(list(selectors.reinspections_due(self.officer_a, dt.date(2026, 11, 10))), [])
        self.assertEqual(list(selectors.reinspections_due(self.officer_b, dt.date(2026, 11, 11))), [])
        self.violation.refresh_from_db()
        services.violation_remedy(user=self.officer_a, violation=self.violation, version=self.violation.version, remedied_on=TODAY_ISH)
        self.assertEqual(list(selectors.reinspections_due(self.officer_a, dt.date(2026, 11, 11))), [])

    def test_it_confirms_through_the_page_with_htmx(self) -> None:
        self.client.force_login(self.officer_a)
        url = reverse("employers:violation_action", args=[self.violation.pk, "confirm"])
        response = self.client.get(url, headers={"HX-Request": "true"})
        self.assertContains(response, 'name="version"')
        response = self.client.post(url, {"version": 1, "remedy_deadline": "30/12/2026"}, headers={"HX-Request": "true"})
        self.assertEqual(response["HX-Retarget"], f"#violation-{self.violation.pk}")
        self.violation.refresh_from_db()
        self.assertEqual((self.violation.status, self.violation.remedy_deadline), ("confirmed", dt.date(2026, 12, 30)))
        self.assertTrue(AuditEvent.objects.filter(object_type="employers.violation", action="update").exists())

    def test_it_shows_the_stale_message_on_the_form(self) -> None:
        self.client.force_login(self.officer_a)
        services.violation_confirm(user=self.officer_a, violation=self.violation, version=1)
        response = self.client.post(
            reverse("employers:violation_action", args=[self.violation.pk, "dismiss"]), {"version": 1, "reason": "x"}
        )
        self.assertContains(response, str(StaleEdit.message))
        self.violation.refresh_from_db()
        self.assertEqual(self.violation.status, "confirmed")
