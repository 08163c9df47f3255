"""Budget lines (totals per year and source, overspending flagged) and pilot models."""

from __future__ import annotations

from django.urls import reverse

from clms.accounts.models import User
from clms.plans.models import BudgetLine, FundingSource, PilotModel, PilotModelType, Plan
from clms.plans.selectors import budget_lines_for_user, budget_totals
from tests.base import PersonaTestCase
from tests.plans.factories import BudgetLineFactory, PilotModelFactory


class BudgetTestCase(PersonaTestCase):
    def test_it_totals_per_year_and_source_and_flags_overspending(self) -> None:
        BudgetLineFactory.create(unit=self.commune_a, year=2024, planned=10_000_000, spent=12_500_000)
        BudgetLineFactory.create(unit=self.a1, year=2024, planned=5_000_000, spent=1_000_000)
        BudgetLineFactory.create(unit=self.commune_a, year=2025, source=FundingSource.DONOR_INTERNATIONAL, planned=40_000_000)
        BudgetLineFactory.create(unit=self.commune_b, year=2024, planned=99_000_000)
        totals = budget_totals(budget_lines_for_user(self.officer_a))
        rows = {(r["year"], r["source"]): r for r in totals.rows}
        self.assertEqual(rows[(2024, "state_commune")]["planned"], 15_000_000)
        self.assertEqual(rows[(2024, "state_commune")]["spent"], 13_500_000)
        self.assertFalse(rows[(2024, "state_commune")]["overspent"])
        self.assertEqual(rows[(2025, "donor_international")]["planned"], 40_000_000)
        self.assertEqual((totals.planned, totals.spent), (55_000_000, 13_500_000))
        self.client.force_login(User.objects.get(username="officer_a"))
        page = self.client.get(reverse("plans:budget"))
        self.assertContains(page, "12.500.000")
        self.assertContains(page, "vượt kế hoạch")
        self.assertNotContains(page, "99.000.000")

    def test_it_creates_a_budget_line_from_the_form(self) -> None:
        self.client.force_login(User.objects.get(username="officer_a"))
        plan = Plan.objects.get(key="kh-trieu-son-2021")
        data = {
            "plan": plan.pk, "year": "2026", "unit": self.commune_a.pk, "source": "state_commune",
            "description": "In tờ rơi Tháng hành động", "planned": "3000000", "spent": "3500000",
        }
        self.assertRedirects(self.client.post(reverse("plans:budget_create"), data), reverse("plans:budget"))
        line = BudgetLine.objects.get()
        self.assertEqual((line.planned, line.spent, line.created_by), (3_000_000, 3_500_000, self.officer_a))
        data["unit"] = self.commune_b.pk
        self.assertContains(self.client.post(reverse("plans:budget_create"), data), "Hãy chọn một lựa chọn hợp lệ")
        data.update(unit=self.commune_a.pk, year="2031")
        self.assertContains(self.client.post(reverse("plans:budget_create"), data), "2021 đến 2030")
        self.assertEqual(BudgetLine.objects.count(), 1)

    def test_it_edits_with_optimistic_locking(self) -> None:
        line = BudgetLineFactory.create(unit=self.commune_a)
        self.client.force_login(User.objects.get(username="officer_a"))
        data = {
            "plan": line.plan_id, "year": "2024", "unit": self.commune_a.pk, "source": "state_commune",
            "description": "Sửa", "planned": "1000", "spent": "0", "version": "1",
        }
        self.assertEqual(self.client.post(reverse("plans:budget_edit", args=[line.pk]), data).status_code, 302)
        self.assertContains(self.client.post(reverse("plans:budget_edit", args=[line.pk]), data), "Người khác đã sửa")
        line.refresh_from_db()
        self.assertEqual((line.description, line.version), ("Sửa", 2))

    def test_it_guards_the_budget_pages(self) -> None:
        line = BudgetLineFactory.create(unit=self.commune_a)
        self.assertEqual(self.client.get(reverse("plans:budget")).status_code, 302)
        self.client.force_login(User.objects.get(username="officer_b"))
        self.assertEqual(self.client.get(reverse("plans:budget_edit", args=[line.pk])).status_code, 404)
        for username in ("viewer", "agency", "ctv"):
            self.client.force_login(User.objects.get(username=username))
            self.assertEqual(self.client.get(reverse("plans:budget_create")).status_code, 403, username)
        self.client.force_login(User.objects.get(username="viewer"))
        self.assertEqual(self.client.get(reverse("plans:budget")).status_code, 200)

    def test_it_lists_budget_lines_in_a_fixed_number_of_queries(self) -> None:
        for unit in (self.commune_a, self.a1, self.a2):
            BudgetLineFactory.create_batch(3, unit=unit)
        self.client.force_login(User.objects.get(username="supervisor"))
        self.client.get(reverse("plans:budget"))
        with self.assertNumQueries(7):
            page = self.client.get(reverse("plans:budget"), {"year": "2024"})
        self.assertEqual(len(page.context["lines"]), 9)


class PilotModelTestCase(PersonaTestCase):
    def test_it_creates_and_lists_pilot_models(self) -> None:
        self.client.force_login(User.objects.get(username="officer_a"))
        data = {
            "model_type": PilotModelType.objects.get(code=6).pk, "commune": self.commune_a.pk,
            "name": "Truyền nghề mây tre đan an toàn", "started_on": "01/09/2025", "status": "active",
            "beneficiaries": "32", "lead_agency": "economy", "notes": "",
        }
        self.assertRedirects(self.client.post(reverse("plans:pilot_create"), data), reverse("plans:pilots"))
        pilot = PilotModel.objects.get()
        self.assertEqual((pilot.beneficiaries, pilot.started_on.isoformat()), (32, "2025-09-01"))
        self.assertContains(self.client.get(reverse("plans:pilots")), "Truyền nghề mây tre đan an toàn")

    def test_it_guards_the_pilot_pages(self) -> None:
        pilot = PilotModelFactory.create(commune=self.commune_a)
        self.client.force_login(User.objects.get(username="officer_b"))
        self.assertEqual(self.client.get(reverse("plans:pilot_edit", args=[pilot.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("plans:pilots")), pilot.name)
        self.client.force_login(User.objects.get(username="viewer"))
        self.assertEqual(self.client.get(reverse("plans:pilot_create")).status_code, 403)
        self.assertContains(self.client.get(reverse("plans:pilots")), pilot.name)
        self.client.force_login(User.objects.get(username="ctv"))
        self.assertEqual(self.client.get(reverse("plans:pilots")).status_code, 403)

    def test_it_lists_pilot_models_in_a_fixed_number_of_queries(self) -> None:
        PilotModelFactory.create_batch(4, commune=self.commune_a)
        PilotModelFactory.create_batch(4, commune=self.commune_b)
        self.client.force_login(User.objects.get(username="supervisor"))
        self.client.get(reverse("plans:pilots"))
        with self.assertNumQueries(7):
            page = self.client.get(reverse("plans:pilots"))
        self.assertEqual(len(page.context["pilots"]), 8)
