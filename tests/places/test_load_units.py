from django.test import TestCase

from clms.places.models import AdminUnit, Level, Scheme
from clms.places.services import LoadResult, units_load_province


class LoadThanhHoaTestCase(TestCase):
    result: LoadResult

    @classmethod
    def setUpTestData(cls) -> None:
        cls.result = units_load_province(province_code="38")

    def test_it_loads_both_structures_with_expected_counts(self) -> None:
        units = AdminUnit.objects
        self.assertEqual(units.filter(level=Level.PROVINCE).count(), 1)
        province = units.get(level=Level.PROVINCE)
        self.assertEqual((province.code, province.scheme), ("38", Scheme.BOTH))
        self.assertEqual(units.filter(level=Level.DISTRICT, scheme=Scheme.PRE_2025).count(), 26)
        self.assertEqual(units.filter(level=Level.COMMUNE, scheme=Scheme.PRE_2025).count(), 547)
        self.assertEqual(units.filter(level=Level.COMMUNE, scheme=Scheme.POST_2025).count(), 166)

    def test_it_gives_trieu_son_32_communes_merged_into_8(self) -> None:
        district = AdminUnit.objects.get(level=Level.DISTRICT, code="397")
        self.assertEqual(district.name, "Huyện Triệu Sơn")
        old = AdminUnit.objects.filter(parent=district, level=Level.COMMUNE)
        self.assertEqual(old.count(), 32)
        new = AdminUnit.objects.filter(predecessors__parent=district).distinct()
        self.assertEqual(new.count(), 8)
        self.assertIn("Xã Tân Ninh", set(new.values_list("name", flat=True)))
        for commune in old:
            self.assertTrue(commune.successors.exists(), commune.name)
            self.assertTrue(commune.path.startswith(district.path))

    def test_it_keeps_reused_codes_apart(self) -> None:
        # 15664 was Thị trấn Triệu Sơn and is now the code of the new Xã Triệu Sơn.
        units = AdminUnit.objects.filter(code="15664", level=Level.COMMUNE)
        self.assertEqual(
            {(u.scheme, u.name) for u in units},
            {(Scheme.PRE_2025, "Thị trấn Triệu Sơn"), (Scheme.POST_2025, "Xã Triệu Sơn")},
        )
        old = units.get(scheme=Scheme.PRE_2025)
        self.assertEqual(list(old.successors.values_list("name", flat=True)), ["Xã Triệu Sơn"])

    def test_it_is_idempotent(self) -> None:
        before = AdminUnit.objects.count()
        again = units_load_province(province_code="38")
        self.assertEqual(AdminUnit.objects.count(), before)
        self.assertEqual(again.successions, 0)
        self.assertEqual(sum(again.created.values()), 0)

    def test_it_rejects_an_unknown_province(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            units_load_province(province_code="99")
