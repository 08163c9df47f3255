"""Decree 13/2023 duties: the data-subject export, consent withdrawal, retention."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.urls import reverse

from clms.accounts.models import AuditAction, AuditEvent
from clms.cases.models import OPEN_STATES, Case
from clms.indicators.compute import indicator_table
from clms.people.models import Child, Consent, Guardian, WorkObservation
from clms.people.services import observation_record
from clms.privacy.services import ANONYMISED, retention_candidates
from tests.base import PersonaTestCase
from tests.cases.factories import file_report
from tests.indicators import fixture
from tests.indicators.factories import local
from tests.people.factories import ChildFactory, HouseholdFactory

AS_OF = local(2026, 3, 1)


class ExportTestCase(PersonaTestCase):
    child: Child
    consent: Consent

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        household = HouseholdFactory.create(village=cls.village_a, address="Xóm Đông", phone="0912345678")
        cls.child = ChildFactory.create(village=cls.village_a, household=household, full_name="Lò Thị Mỷ",
                                        personal_id="038123456789", note="Em hay nghỉ học")
        Guardian.objects.create(child=cls.child, full_name="Lò Văn Pá", relationship="bố", phone="0987654321")
        cls.consent = Consent.objects.create(child=cls.child, given_by="Lò Văn Pá", relationship="bố",
                                             given_on=dt.date(2026, 1, 5), purpose="Quản lý trường hợp")
        observation_record(user=cls.officer_a, child=cls.child, observed_on=dt.date(2026, 2, 1),
                           activity="EMPLOYED", job_description="bốc vác ở chợ", hours_per_day="6")
        file_report(user=cls.officer_a, child=cls.child)

    def test_it_exports_every_record_and_who_read_it(self) -> None:
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(reverse("people:detail", args=[self.child.pk])).status_code, 404)
        self.client.force_login(self.officer_a)
        self.client.get(reverse("people:detail", args=[self.child.pk]))
        page = self.client.get(reverse("privacy:child_request", args=[self.child.pk]))
        self.assertContains(page, "Tải toàn bộ hồ sơ")
        response = self.client.get(reverse("privacy:child_export", args=[self.child.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn("no-store", response["Cache-Control"])
        data = json.loads(response.content)
        records = data["records"]
        self.assertEqual(records["people.Child"]["rows"][0]["personal_id"], "038123456789")
        self.assertEqual(records["people.Guardian"]["rows"][0]["phone"], "0987654321")
        self.assertEqual(records["people.Household"]["rows"][0]["address"], "Xóm Đông")
        self.assertEqual(records["people.WorkObservation"]["rows"][0]["job_description"], "bốc vác ở chợ")
        self.assertIn("people.Classification", records)
        self.assertIn("people.Consent", records)
        self.assertEqual(len(records["cases.Case"]["rows"]), 1)
        self.assertIn("cases.Report", records)
        self.assertIn("cases.CaseEvent", records)
        # The audit: officer_a's read of the child page (officer_b never saw the child).
        readers = {e["user"] for e in data["audit"] if e["action"] == "read"}
        self.assertEqual(readers, {"officer_a"})
        self.assertTrue(AuditEvent.objects.filter(user=self.officer_a, action=AuditAction.EXPORT,
                                                  object_type="people.child", object_id=str(self.child.pk)).exists())

    def test_it_keeps_the_export_from_other_communes_and_other_roles(self) -> None:
        url = reverse("privacy:child_export", args=[self.child.pk])
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(url).status_code, 404)
        for persona in (self.viewer, self.agency, self.collaborator):
            self.client.force_login(persona)
            self.assertEqual(self.client.get(url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_it_records_a_consent_withdrawal_from_its_page(self) -> None:
        url = reverse("privacy:consent_withdraw", args=[self.consent.pk])
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.officer_a)
        page = self.client.get(url)
        self.assertContains(page, "Việc rút lại chấm dứt những gì")
        refused = self.client.post(url, {"withdrawn_on": "01/01/2026", "confirm": "on"})
        self.assertContains(refused, "trước ngày đồng ý")
        missing = self.client.post(url, {"withdrawn_on": "01/03/2026"})
        self.assertEqual(missing.status_code, 200)
        self.consent.refresh_from_db()
        self.assertIsNone(self.consent.withdrawn_on)
        done = self.client.post(url, {"withdrawn_on": "01/03/2026", "confirm": "on"})
        self.assertRedirects(done, reverse("people:detail", args=[self.child.pk]))
        self.consent.refresh_from_db()
        self.assertEqual(self.consent.withdrawn_on, dt.date(2026, 3, 1))
        self.assertContains(self.client.get(reverse("people:detail", args=[self.child.pk])), "rút lại ngày 01/03/2026")


class RetentionTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)

    def _figures(self) -> dict[str, Any]:
        out = {}
        for year in (2021, 2022, 2023, 2024, 2025):
            out[f"after-{year}"] = indicator_table(self.province, year, as_of=AS_OF).as_dict()
            out[f"before-{year}"] = indicator_table(self.district, year, structure="before-2025", as_of=AS_OF).as_dict()
        return json.loads(json.dumps(out, default=str))

    def test_it_anonymises_adults_without_open_cases_and_keeps_closed_years_figures(self) -> None:
        today = dt.date(2026, 12, 1)
        candidates = list(retention_candidates(today=today, years=0))
        self.assertTrue(candidates, "the fixture has people who turned 18")
        self.assertTrue(all(c.dob <= dt.date(2008, 12, 1) for c in candidates))
        self.assertFalse(Case.objects.filter(child__in=candidates, state__in=OPEN_STATES).exists())
        with_open_case = Child.objects.filter(dob__lte=dt.date(2008, 12, 1), cases__state__in=OPEN_STATES)
        kept_names = {c.pk: c.full_name for c in with_open_case}
        before = self._figures()

        out = StringIO()
        call_command("retention", "--years", "0", stdout=out)
        self.assertIn("would be anonymised", out.getvalue())
        self.assertFalse(Child.objects.filter(full_name__startswith=ANONYMISED).exists())

        from unittest import mock

        with mock.patch("django.utils.timezone.localdate", return_value=today):
            call_command("retention", "--years", "0", "--apply", stdout=out)
        self.assertIn(f"anonymised {len(candidates)} people", out.getvalue())
        for child in Child.objects.filter(pk__in=[c.pk for c in candidates]):
            self.assertTrue(child.full_name.startswith(ANONYMISED))
            self.assertEqual((child.personal_id, child.note, child.school_name), ("", "", ""))
            self.assertFalse(WorkObservation.objects.filter(child=child).exclude(note="", job_description="", employer_name="").exists())
            self.assertFalse(Guardian.objects.filter(child=child).exclude(full_name=ANONYMISED).exists())
            self.assertFalse(Case.objects.filter(child=child).exclude(initial_note="", closure_note="").exists())
        # People with an open case, and minors, keep their names.
        for pk, name in kept_names.items():
            self.assertEqual(Child.objects.get(pk=pk).full_name, name)
        self.assertEqual(self._figures(), before)
        # Running again finds nobody.
        self.assertEqual(list(retention_candidates(today=today, years=0)), [])
