"""The submission workflow as services: chain, due date, transitions, timeline, locking, aggregate."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError

from clms.accounts.models import AuditEvent
from clms.core.locking import StaleEdit
from clms.reports import selectors, services
from clms.reports.models import EventAction, ReportingPeriod, Submission, SubmissionStatus
from tests.base import PersonaTestCase
from tests.factories import AdminUnitFactory, UserFactory
from tests.reports.factories import seed_commune_year


def _at(day: dt.date) -> mock._patch:
    moment = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC)
    return mock.patch("clms.reports.clock.now", return_value=moment)


class ChainTestCase(PersonaTestCase):
    def test_it_sends_an_old_commune_to_its_district_before_the_reform(self) -> None:
        self.assertEqual(selectors.receiver_of(self.a1, 2024), self.district)
        self.assertEqual(selectors.receiver_of(self.district, 2024), self.province)

    def test_it_sends_a_new_commune_straight_to_the_province_from_2025(self) -> None:
        # The reform took effect on 1 July 2025, before the 15 November deadline.
        self.assertEqual(selectors.receiver_of(self.commune_a, 2025), self.province)
        self.assertEqual(selectors.receiver_of(self.commune_a, 2026), self.province)
        self.assertIsNone(selectors.receiver_of(self.a1, 2025))
        self.assertIsNone(selectors.receiver_of(self.district, 2025))
        self.assertIsNone(selectors.receiver_of(self.commune_a, 2024))

    def test_it_refuses_a_report_from_a_unit_not_in_force(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.submission_start(user=self.officer_a, unit=self.commune_a, year=2024)
        self.assertIn("year", caught.exception.message_dict)
        self.assertFalse(ReportingPeriod.objects.exists())

    def test_it_takes_the_due_date_from_the_plan(self) -> None:
        submission = services.submission_start(user=self.officer_a, unit=self.commune_a, year=2026)
        period = submission.period
        self.assertEqual(period.receiver, self.province)
        self.assertEqual(period.level, "commune")
        # The Triệu Sơn plan (inherited through the succession) asks for 15 November.
        self.assertIsNotNone(period.plan)
        self.assertEqual(period.plan.key, "kh-trieu-son-2021")  # type: ignore[union-attr]
        self.assertEqual(period.due_on, dt.date(2026, 11, 15))
        plan = period.plan
        assert plan is not None
        plan.report_deadline_day, plan.report_deadline_month = 5, 12
        plan.save()
        other = services.submission_start(user=self.district_officer, unit=self.district, year=2024)
        self.assertEqual(other.period.due_on, dt.date(2024, 12, 5))

    def test_it_fills_the_wording_from_the_data_file(self) -> None:
        submission = services.submission_start(user=self.officer_a, unit=self.commune_a, year=2026)
        self.assertEqual(submission.place, "Tân Ninh")
        self.assertEqual(submission.signer_deputy, "KT. CHỦ TỊCH")
        self.assertIn("Sở Y tế tỉnh Thanh Hóa", submission.recipients_to)
        self.assertIn("Lưu: VT, VHXH", submission.recipients)
        old = services.submission_start(user=self.district_officer, unit=self.district, year=2024)
        self.assertIn("Sở Lao động - Thương binh và Xã hội tỉnh Thanh Hóa", old.recipients_to)


class WorkflowTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_commune_year(user=cls.officer_a, commune=cls.commune_a, year=2026, children=2)
        seed_commune_year(user=cls.officer_b, commune=cls.commune_b, year=2026, children=1, denominator=1000)

    def _ready(self, officer: Any, unit: Any) -> Submission:
        submission = services.submission_start(user=officer, unit=unit, year=2026)
        return services.submission_update(
            user=officer, submission=submission, version=submission.version, signer_name="Lê Văn Ký", number=12
        )

    def test_it_runs_draft_submit_return_resubmit_accept_with_a_timeline(self) -> None:
        clock = _at(dt.date(2026, 11, 5))
        clock.start()
        self.addCleanup(clock.stop)
        submission = self._ready(self.officer_a, self.commune_a)
        submission = services.submission_submit(user=self.officer_a, submission=submission, version=submission.version)
        self.assertEqual(submission.status, SubmissionStatus.SUBMITTED)
        first = submission.snapshot
        assert first is not None
        self.assertEqual(first.data["totals"]["CL_RATE"]["numerator"], 2)
        self.assertEqual(first.data["totals"]["CL_RATE"]["denominator"], 2857)
        self.assertEqual(set(first.data["groups"]), {"sex", "age_band", "law_age_band", "ethnicity"})
        self.assertTrue(first.ruleset_ids and first.ruleset_ids[0].startswith("VN-"))
        self.assertEqual(first.plan, submission.period.plan)
        self.assertEqual(submission.issued_on, dt.date(2026, 11, 5))

        with self.assertRaises(ValidationError) as no_reason:
            services.submission_return(user=self.supervisor, submission=submission, version=submission.version, reason="  ")
        self.assertIn("reason", no_reason.exception.message_dict)
        submission = services.submission_return(
            user=self.supervisor, submission=submission, version=submission.version, reason="Thiếu số liệu truyền thông."
        )
        self.assertEqual(submission.status, SubmissionStatus.RETURNED)
        submission = services.submission_update(
            user=self.officer_a, submission=submission, version=submission.version, proposals="Bổ sung kinh phí."
        )
        submission = services.submission_submit(user=self.officer_a, submission=submission, version=submission.version)
        self.assertNotEqual(submission.snapshot, first)
        submission = services.submission_accept(user=self.supervisor, submission=submission, version=submission.version)
        self.assertEqual(submission.status, SubmissionStatus.ACCEPTED)

        timeline = list(submission.events.values_list("action", "by__username", "note"))
        self.assertEqual(
            [a for a, _b, _n in timeline],
            [EventAction.CREATED, EventAction.EDITED, EventAction.SUBMITTED, EventAction.RETURNED,
             EventAction.EDITED, EventAction.RESUBMITTED, EventAction.ACCEPTED],
        )
        self.assertEqual(timeline[3], (EventAction.RETURNED, "supervisor", "Thiếu số liệu truyền thông."))
        audited = AuditEvent.objects.filter(object_type="reports.submission", object_id=str(submission.pk))
        self.assertEqual(audited.count(), 7)

    def test_it_refuses_edits_after_submission_and_stale_decisions(self) -> None:
        submission = self._ready(self.officer_a, self.commune_a)
        stale = submission.version
        submission = services.submission_submit(user=self.officer_a, submission=submission, version=submission.version)
        with self.assertRaises(ValidationError):
            services.submission_update(user=self.officer_a, submission=submission, version=submission.version, proposals="x")
        with self.assertRaises(StaleEdit):
            services.submission_accept(user=self.supervisor, submission=submission, version=stale)
        submission.refresh_from_db()
        self.assertEqual(submission.status, SubmissionStatus.SUBMITTED)

    def test_it_refuses_a_stale_edit_of_the_texts(self) -> None:
        submission = self._ready(self.officer_a, self.commune_a)
        loaded = submission.version
        services.submission_update(user=self.officer_a, submission=submission, version=loaded, difficulties="Một")
        with self.assertRaises(StaleEdit):
            services.submission_update(user=self.officer_a, submission=submission, version=loaded, difficulties="Hai")
        submission.refresh_from_db()
        self.assertEqual(submission.difficulties, "Một")

    def test_it_asks_for_a_signer_before_submitting(self) -> None:
        submission = services.submission_start(user=self.officer_a, unit=self.commune_a, year=2026)
        with self.assertRaises(ValidationError) as caught:
            services.submission_submit(user=self.officer_a, submission=submission, version=submission.version)
        self.assertIn("signer_name", caught.exception.message_dict)
        self.assertFalse(submission.snapshots.exists())

    def test_it_lets_only_the_receiving_level_decide(self) -> None:
        submission = self._ready(self.officer_a, self.commune_a)
        submission = services.submission_submit(user=self.officer_a, submission=submission, version=submission.version)
        for user in (self.officer_a, self.officer_b, self.district_officer, self.viewer, self.agency):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.submission_accept(user=user, submission=submission, version=submission.version)
        with self.assertRaises(PermissionDenied):
            services.submission_update(user=self.supervisor, submission=submission, version=submission.version, proposals="x")
        with self.assertRaises(PermissionDenied):
            services.submission_start(user=self.officer_b, unit=self.commune_a, year=2026)
        with self.assertRaises(PermissionDenied):
            services.submission_start(user=self.collaborator, unit=self.commune_a, year=2026)

    def test_it_shows_who_is_late_and_aggregates_accepted_reports_only(self) -> None:
        commune_c = AdminUnitFactory.create(name="Xã Hợp Lý", level="commune", scheme="post2025", parent=self.province, valid_from=dt.date(2025, 7, 1))
        a = self._ready(self.officer_a, self.commune_a)
        a = services.submission_submit(user=self.officer_a, submission=a, version=a.version)
        services.submission_accept(user=self.supervisor, submission=a, version=a.version)
        b = self._ready(self.officer_b, self.commune_b)
        b = services.submission_submit(user=self.officer_b, submission=b, version=b.version)
        services.submission_return(user=self.supervisor, submission=b, version=b.version, reason="Sai số liệu")
        period = a.period
        rows = {r.unit.name: r for r in selectors.period_overview(period, today=dt.date(2026, 11, 25))}
        self.assertEqual(set(rows), {"Xã Tân Ninh", "Xã Triệu Sơn", "Xã Hợp Lý"})
        self.assertEqual(rows["Xã Tân Ninh"].late_days, 0)
        self.assertEqual(rows["Xã Triệu Sơn"].late_days, 10)  # returned: late again
        self.assertEqual(rows["Xã Hợp Lý"].late_days, 10)
        self.assertEqual(rows["Xã Hợp Lý"].status, "missing")
        self.assertFalse(selectors.period_overview(period, today=dt.date(2026, 11, 15))[0].is_late)

        data = selectors.period_aggregate(period)
        self.assertEqual(data["totals"]["CL_RATE"]["numerator"], 2)
        self.assertEqual(data["totals"]["CL_RATE"]["denominator"], 2857)
        b.refresh_from_db()
        b = services.submission_submit(user=self.officer_b, submission=b, version=b.version)
        services.submission_accept(user=self.supervisor, submission=b, version=b.version)
        # A live change after acceptance does not reach the aggregate.
        seed_commune_year(user=self.officer_b, commune=self.commune_b, year=2026, children=3, denominator=1000)
        data = selectors.period_aggregate(period)
        self.assertEqual(data["totals"]["CL_RATE"]["numerator"], 3)
        self.assertEqual(data["totals"]["CL_RATE"]["denominator"], 3857)
        self.assertAlmostEqual(data["totals"]["CL_RATE"]["value"], round(300 / 3857, 2))
        self.assertEqual([r["name"] for r in data["rows"]], ["Xã Tân Ninh", "Xã Triệu Sơn"])
        self.assertEqual(data["totals"]["CL_RATE"]["target"]["comparator"], "<=")
        self.assertEqual(data["totals"]["CL_RATE"]["status"], "met")
        self.assertIsNotNone(commune_c)

    def test_it_reports_a_district_from_its_accepted_communes(self) -> None:
        officer_a1 = UserFactory.create(username="officer_a1", role="commune_officer", area=self.a1)
        seed_commune_year(user=self.supervisor, commune=self.a1, year=2024, children=1, denominator=500)
        a1 = services.submission_start(user=officer_a1, unit=self.a1, year=2024)
        self.assertEqual(a1.period.receiver, self.district)
        a1 = services.submission_update(user=officer_a1, submission=a1, version=a1.version, signer_name="Phạm Văn Ký")
        a1 = services.submission_submit(user=officer_a1, submission=a1, version=a1.version)
        with self.assertRaises(PermissionDenied):  # the province does not receive commune reports in 2024
            services.submission_accept(user=self.supervisor, submission=a1, version=a1.version)
        services.submission_accept(user=self.district_officer, submission=a1, version=a1.version)
        district = services.submission_start(user=self.district_officer, unit=self.district, year=2024)
        self.assertEqual(district.period.receiver, self.province)
        district = services.submission_update(user=self.district_officer, submission=district, version=district.version, signer_name="Lê Quang Trung")
        district = services.submission_submit(user=self.district_officer, submission=district, version=district.version)
        assert district.snapshot is not None
        self.assertEqual(district.snapshot.data["kind"], "aggregate")
        self.assertEqual(district.snapshot.data["totals"]["CL_RATE"]["numerator"], 1)
        self.assertEqual(district.snapshot.data["totals"]["CL_RATE"]["denominator"], 500)


class DecisionNoticeTestCase(PersonaTestCase):
    """A return or an acceptance reaches the commune's officers in the inbox and by e-mail."""

    def _submitted(self) -> Submission:
        submission = services.submission_start(user=self.officer_a, unit=self.commune_a, year=2026)
        submission = services.submission_update(user=self.officer_a, submission=submission, version=submission.version, signer_name="Lê Văn Ký")
        return services.submission_submit(user=self.officer_a, submission=submission, version=submission.version)

    def test_it_tells_the_officers_of_a_return_with_its_reason_and_of_the_acceptance(self) -> None:
        from django.core import mail
        from django.urls import reverse

        from clms.cases.models import Notification

        colleague = UserFactory.create(username="officer_a2", role="commune_officer", area=self.commune_a, email="a2@example.vn")
        self.officer_a.email = "a@example.vn"
        self.officer_a.save(update_fields=["email"])
        submission = self._submitted()
        with self.captureOnCommitCallbacks(execute=True):
            submission = services.submission_return(
                user=self.supervisor, submission=submission, version=submission.version, reason="Bổ sung kinh phí."
            )
        notes = Notification.objects.filter(kind="report").order_by("user_id")
        self.assertEqual([n.user for n in notes], [self.officer_a, colleague])  # not officer_b, not the supervisor
        self.assertIn("Bổ sung kinh phí.", notes[0].text)
        self.assertIn("Báo cáo năm 2026 của Xã Tân Ninh đã bị Tỉnh Thanh Hóa trả lại", notes[0].text)
        self.assertEqual(notes[0].link, reverse("reports:submission", args=[submission.pk]))
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["a2@example.vn", "a@example.vn"])
        self.assertTrue(all(n.emailed_at for n in notes))
        # The inbox shows it with a link to the report.
        self.client.force_login(colleague)
        page = self.client.get(reverse("cases:inbox"))
        self.assertContains(page, "Bổ sung kinh phí.")
        self.assertContains(page, reverse("reports:submission", args=[submission.pk]))

        submission = services.submission_submit(user=self.officer_a, submission=submission, version=submission.version)
        with self.captureOnCommitCallbacks(execute=True):
            services.submission_accept(user=self.supervisor, submission=submission, version=submission.version)
        accepted = Notification.objects.filter(kind="report", text__contains="đã được Tỉnh Thanh Hóa chấp nhận")
        self.assertEqual(accepted.count(), 2)

    def test_it_asks_the_officer_to_confirm_before_submitting(self) -> None:
        from django.urls import reverse

        submission = services.submission_start(user=self.officer_a, unit=self.commune_a, year=2026)
        submission = services.submission_update(user=self.officer_a, submission=submission, version=submission.version, signer_name="Lê Văn Ký")
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("reports:submission", args=[submission.pk]))
        self.assertContains(page, "Sau khi gửi, số liệu sẽ được chốt")
        url = reverse("reports:submission_submit", args=[submission.pk])
        response = self.client.post(url, {"version": submission.version}, follow=True)
        self.assertContains(response, "Hãy đánh dấu xác nhận")
        submission.refresh_from_db()
        self.assertEqual(submission.status, SubmissionStatus.DRAFT)
        self.client.post(url, {"version": submission.version, "confirm": "on"})
        submission.refresh_from_db()
        self.assertEqual(submission.status, SubmissionStatus.SUBMITTED)
