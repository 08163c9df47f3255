"""Every service the demo and the data generator refer children to is in the catalogue
(clms/cases/data/service_types.json), so pages and reports show its Vietnamese label, never a code."""

from __future__ import annotations

import ast
import inspect
import random

from django.test import SimpleTestCase

from clms.cases.catalogue import service_label, service_types
from clms.cases.models import PlanService, Referral
from clms.demo.fill import cases as demo
from clms.demo.generator import cases as generated
from tests.base import PersonaTestCase


def demo_codes() -> set[str]:
    """The ``service_type="…"`` literals of the demo's plans."""
    tree = ast.parse(inspect.getsource(demo))
    return {
        kw.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "service_type" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)
    }


class CatalogueTestCase(SimpleTestCase):  # pure: no database
    def test_it_knows_every_service_of_the_generator_and_the_demo(self) -> None:
        used = {code for code, _agency, _local in generated.SERVICES} | demo_codes()
        self.assertIn("counselling", used)
        self.assertIn("health_check", used)
        self.assertEqual(used - set(service_types()), set())

    def test_it_labels_them_in_vietnamese(self) -> None:
        self.assertEqual(service_types()["counselling"].vi, "Tư vấn cho trẻ em và gia đình")
        self.assertEqual(service_types()["health_check"].vi, "Khám sức khỏe")
        for code, service in service_types().items():
            self.assertNotEqual(service.vi, code)
            self.assertNotEqual(service.vi, service.en, code)


class DemoServicesTestCase(PersonaTestCase):
    def test_it_stores_only_catalogue_codes_in_the_demo(self) -> None:
        users = {u.username: u for u in (self.collaborator, self.officer_a, self.officer_b, self.agency, self.admin)}
        demo.demo_fill(rng=random.Random(7), communes=[self.commune_a, self.commune_b], users=users)
        stored = set(PlanService.objects.values_list("service_type", flat=True)) | set(Referral.objects.values_list("service_type", flat=True))
        self.assertTrue(stored)
        self.assertEqual(stored - set(service_types()), set())
        for code in stored:
            self.assertNotEqual(service_label(code), code)
