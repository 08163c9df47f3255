from __future__ import annotations

from django.urls import reverse

from clms.accounts.models import User
from clms.plans.models import Plan
from tests.base import PersonaTestCase


class PlanPagesTestCase(PersonaTestCase):
    def test_it_shows_the_trieu_son_plan_and_its_targets_to_every_role(self) -> None:
        plan = Plan.objects.get(key="kh-trieu-son-2021")
        for username in ("ctv", "officer_a", "supervisor", "agency", "viewer", "admin"):
            self.client.force_login(User.objects.get(username=username))
            page = self.client.get(reverse("plans:detail", args=[plan.pk]))
            self.assertContains(page, "Ủy ban nhân dân huyện Triệu Sơn")
            self.assertContains(page, "≤ 0,5%")
            self.assertContains(page, "Phòng Giáo dục và Đào tạo")

    def test_it_shows_the_targets_that_apply_to_the_commune(self) -> None:
        self.client.force_login(User.objects.get(username="officer_a"))
        page = self.client.get(reverse("plans:list"))
        self.assertContains(page, "Xã Tân Ninh")
        self.assertContains(page, "782/QĐ-TTg")
        self.assertContains(page, "200/KH-UBND")
        self.assertContains(page, reverse("plans:adopt"))

    def test_it_requires_login(self) -> None:
        self.assertEqual(self.client.get(reverse("plans:list")).status_code, 302)
        plan = Plan.objects.get(key="kh-trieu-son-2021")
        self.assertEqual(self.client.get(reverse("plans:detail", args=[plan.pk])).status_code, 302)

    def test_it_lists_plans_in_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(User.objects.get(username="supervisor"))
        self.client.get(reverse("plans:list"))
        with self.assertNumQueries(12):
            page = self.client.get(reverse("plans:list"))
        self.assertEqual(len(page.context["plans"]), 3)

    def test_it_lists_the_plan_agencies_in_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(User.objects.get(username="officer_a"))
        self.client.get(reverse("plans:agencies"))
        with self.assertNumQueries(8):
            page = self.client.get(reverse("plans:agencies"))
        self.assertEqual(len(page.context["agencies"]), 20)
