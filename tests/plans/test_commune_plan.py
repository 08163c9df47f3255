"""A commune adopts its own plan (V.14): never weaker than the plan it is made from."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import SimpleTestCase
from django.urls import reverse

from clms.accounts.models import User
from clms.plans.models import Plan, Target
from clms.plans.services import TargetInput, commune_plan_create, is_not_weaker
from tests.base import PersonaTestCase


def _parent(comparator: str, value: str | None) -> Target:
    return Target(indicator="CL_RATE", year=2025, comparator=comparator, value=None if value is None else Decimal(value))


def _child(comparator: str, value: str | None) -> TargetInput:
    return TargetInput("CL_RATE", 2025, comparator, None if value is None else Decimal(value))


class StrictnessTestCase(SimpleTestCase):  # pure: no database
    def test_it_compares_upper_bounds(self) -> None:
        self.assertTrue(is_not_weaker(child=_child("<=", "0.3"), parent=_parent("<=", "0.5")))
        self.assertTrue(is_not_weaker(child=_child("<", "0.5"), parent=_parent("<=", "0.5")))
        self.assertFalse(is_not_weaker(child=_child("<=", "0.5"), parent=_parent("<", "0.5")))
        self.assertFalse(is_not_weaker(child=_child("<=", "0.6"), parent=_parent("<=", "0.5")))
        self.assertFalse(is_not_weaker(child=_child(">=", "0.1"), parent=_parent("<=", "0.5")))

    def test_it_compares_lower_bounds(self) -> None:
        self.assertTrue(is_not_weaker(child=_child(">=", "95"), parent=_parent(">=", "90")))
        self.assertTrue(is_not_weaker(child=_child(">", "90"), parent=_parent(">", "90")))
        self.assertFalse(is_not_weaker(child=_child(">=", "90"), parent=_parent(">", "90")))
        self.assertFalse(is_not_weaker(child=_child(">=", "60"), parent=_parent(">=", "70")))

    def test_it_accepts_a_figure_or_decrease_where_the_parent_asks_for_a_decrease(self) -> None:
        self.assertTrue(is_not_weaker(child=_child("decrease", None), parent=_parent("decrease", None)))
        self.assertTrue(is_not_weaker(child=_child("<=", "10"), parent=_parent("decrease", None)))
        self.assertFalse(is_not_weaker(child=_child(">=", "10"), parent=_parent("decrease", None)))


class CommunePlanServiceTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.parent = Plan.objects.get(key="kh-trieu-son-2021")

    def test_it_refuses_a_weaker_target_naming_the_indicator(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            commune_plan_create(
                user=self.officer_a, commune=self.commune_a, parent=self.parent, number="", issued_on=None,
                targets=[TargetInput("COMM_PARENTS", 2025, ">=", Decimal("60"))],
            )
        message = " ".join(caught.exception.message_dict["targets"])
        self.assertIn("Cha mẹ, người chăm sóc trẻ em được cung cấp thông tin", message)
        self.assertIn("lỏng hơn", message)
        self.assertFalse(Plan.objects.filter(scope_unit=self.commune_a).exists())

    def test_it_refuses_another_communes_officer_and_the_supervisor(self) -> None:
        for user in (self.officer_b, self.supervisor):
            with self.assertRaises(PermissionDenied):
                commune_plan_create(
                    user=user, commune=self.commune_a, parent=self.parent, number="", issued_on=None, targets=[]
                )


class CommunePlanPageTestCase(PersonaTestCase):
    def test_it_creates_the_commune_plan_from_the_district_plan(self) -> None:
        self.client.force_login(User.objects.get(username="officer_a"))
        page = self.client.get(reverse("plans:adopt"))
        self.assertContains(page, "Tỷ lệ lao động trẻ em")
        data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
        for field_name, field in page.context["form"].fields.items():
            if field.initial is not None:
                data[field_name] = str(field.initial).replace(".", ",")
        data["number"] = "45/KH-UBND"
        data["issued_on"] = "15/03/2022"
        data["value_CL_RATE_2025"] = "0,3"
        response = self.client.post(reverse("plans:adopt"), data)
        plan = Plan.objects.get(scope_unit=self.commune_a)
        self.assertRedirects(response, reverse("plans:detail", args=[plan.pk]))
        self.assertEqual(plan.targets.get(indicator="CL_RATE", year=2025).value, Decimal("0.3"))
        self.assertEqual(plan.targets.count(), 13)
        self.assertEqual(plan.issued_on.isoformat(), "2022-03-15")  # type: ignore[union-attr]

        data["value_CL_RATE_2025"] = "0,8"
        data["version"] = str(plan.version)
        response = self.client.post(reverse("plans:edit", args=[plan.pk]), data)
        self.assertContains(response, "lỏng hơn")
        self.assertEqual(plan.targets.get(indicator="CL_RATE", year=2025).value, Decimal("0.3"))

        data["value_CL_RATE_2025"] = "0,2"
        data["version"] = "0"
        response = self.client.post(reverse("plans:edit", args=[plan.pk]), data)
        self.assertContains(response, "Người khác đã sửa")

    def test_it_guards_the_commune_plan_pages(self) -> None:
        self.assertEqual(self.client.get(reverse("plans:adopt")).status_code, 302)
        self.client.force_login(User.objects.get(username="supervisor"))
        self.assertEqual(self.client.get(reverse("plans:adopt")).status_code, 403)
        parent = Plan.objects.get(key="kh-trieu-son-2021")
        plan = commune_plan_create(
            user=self.officer_a, commune=self.commune_a, parent=parent, number="", issued_on=None, targets=[]
        )
        self.client.force_login(User.objects.get(username="officer_b"))
        self.assertEqual(self.client.get(reverse("plans:edit", args=[plan.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("plans:detail", args=[plan.pk])).status_code, 404)
        self.client.force_login(User.objects.get(username="officer_a"))
        self.assertEqual(self.client.get(reverse("plans:edit", args=[plan.pk])).status_code, 200)
        self.assertRedirects(self.client.get(reverse("plans:adopt")), reverse("plans:edit", args=[plan.pk]))
