"""The plans that ship as data: every number of part II of the Triệu Sơn plan, and Decision 782."""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase

from clms.plans.models import PilotModelType, Plan, PlanAgency, SourceStatus, Task

TRIEU_SON = "kh-trieu-son-2021"


class ShippedPlansTestCase(TestCase):  # the shipped data only: no personas
    def _targets(self, key: str) -> dict[tuple[str, int], tuple[str, Decimal | None, str]]:
        plan = Plan.objects.get(key=key)
        return {(t.indicator, t.year): (t.comparator, t.value, t.source_status) for t in plan.targets.all()}

    def test_it_ships_every_number_of_part_ii_of_the_trieu_son_plan(self) -> None:
        targets = self._targets(TRIEU_SON)
        expected = {
            ("CL_RATE", 2025): ("<=", Decimal("0.5")),
            ("TIMELY", 2025): (">=", Decimal("100")),
            ("MONITORED", 2025): (">=", Decimal("100")),
            ("EDU_ACCESS", 2025): (">", Decimal("90")),
            ("COMM_TEACHERS", 2025): (">=", Decimal("90")),
            ("COMM_PARENTS", 2025): (">=", Decimal("70")),
            ("COMM_CHILDREN", 2025): (">=", Decimal("70")),
            ("COMM_BUSINESSES", 2025): (">=", Decimal("90")),
            ("TRAIN_OFFICIALS", 2025): (">=", Decimal("100")),
            ("TRAIN_ENTERPRISES", 2025): (">=", Decimal("90")),
            ("TRAIN_COOPS_HOUSEHOLDS", 2025): (">=", Decimal("70")),
            ("CL_RATE", 2030): ("<=", Decimal("0.5")),
            ("HAZARDOUS_SHARE", 2030): ("decrease", None),
        }
        self.assertEqual({k: v[:2] for k, v in targets.items()}, expected)
        self.assertTrue(all(v[2] == SourceStatus.VERIFIED for v in targets.values()))

    def test_it_ships_the_plan_header_parents_and_deadline(self) -> None:
        plan = Plan.objects.select_related("parent__parent").get(key=TRIEU_SON)
        self.assertEqual((plan.scope_level, plan.scope_code), ("district", "397"))
        self.assertEqual((plan.period_start, plan.period_end, plan.orientation_year), (2021, 2025, 2030))
        self.assertEqual((plan.report_deadline_day, plan.report_deadline_month), (15, 11))
        assert plan.parent is not None and plan.parent.parent is not None
        self.assertEqual(plan.parent.number, "200/KH-UBND")
        self.assertEqual(plan.parent.issued_on.isoformat(), "2021-09-07")  # type: ignore[union-attr]
        self.assertEqual(plan.parent.parent.number, "782/QĐ-TTg")
        self.assertEqual(plan.parent.parent.issued_on.isoformat(), "2021-05-27")  # type: ignore[union-attr]
        codes = list(plan.content_areas.values_list("code", flat=True))
        for code in ("I", "II.1.a", "II.1.b", "II.1.c", "II.2", "III.1", "III.2", "III.3", "III.4", "III.5", "IV", "V"):
            self.assertIn(code, codes)

    def test_it_ships_the_national_targets_with_their_source_status(self) -> None:
        targets = self._targets("qd-782-ttg-2021")
        self.assertEqual(targets[("CL_RATE", 2025)], ("<=", Decimal("4.9"), SourceStatus.VERIFIED))
        self.assertEqual(targets[("TIMELY", 2025)], (">=", Decimal("100"), SourceStatus.VERIFIED))
        self.assertEqual(targets[("EDU_ACCESS", 2025)], (">", Decimal("90"), SourceStatus.VERIFIED))
        self.assertEqual(targets[("COMM_CHILDREN", 2025)], (">=", Decimal("80"), SourceStatus.SECONDARY))
        self.assertEqual(targets[("COMM_BUSINESSES", 2025)], (">=", Decimal("90"), SourceStatus.SECONDARY))
        self.assertNotIn(("COMM_TEACHERS", 2025), targets)

    def test_it_ships_the_agencies_of_part_v_with_their_tasks(self) -> None:
        agencies = PlanAgency.objects.filter(plan__key=TRIEU_SON)
        culture = agencies.filter(name="Phòng Văn hóa - Thông tin").order_by("order")
        self.assertEqual([a.item for a in culture], ["4", "6"])
        self.assertIn("hương ước", culture[1].tasks.get(order=0).text)
        self.assertIn("hai lần", culture[1].note)
        self.assertEqual(agencies.get(item="2").kind, "education")
        self.assertEqual(agencies.get(item="2").tasks.count(), 3)
        self.assertEqual(agencies.get(item="1").tasks.count(), 7)
        self.assertEqual(agencies.get(item="14").tasks.count(), 6)
        labour = agencies.get(item="1")
        self.assertEqual(labour.valid_to.isoformat(), "2025-06-30")  # type: ignore[union-attr]
        self.assertEqual(
            sorted(labour.successors.values_list("name", flat=True)),
            ["Phòng Văn hóa - Xã hội (UBND xã)", "Sở Y tế tỉnh Thanh Hóa"],
        )
        self.assertGreater(Task.objects.filter(agency__plan__key=TRIEU_SON).count(), 35)

    def test_it_ships_the_six_pilot_model_types(self) -> None:
        self.assertEqual(list(PilotModelType.objects.values_list("code", flat=True)), [1, 2, 3, 4, 5, 6])
        self.assertTrue(PilotModelType.objects.get(code=4).name.startswith("Mô hình doanh nghiệp không sử dụng"))
