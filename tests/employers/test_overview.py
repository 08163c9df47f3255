import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clms.employers import selectors, services
from clms.employers.models import Violation
from clms.people.services import household_create
from clms.places.models import AdminUnit, Denominator, DenominatorSource
from tests.employers.factories import (
    CommitmentFactory,
    CraftVillageFactory,
    EmployerFactory,
    EnterpriseFactory,
)
from tests.employers.helpers import EmployerTestCase

TODAY = dt.date(2026, 11, 20)


class OverviewTestCase(EmployerTestCase):
    def setUp(self) -> None:
        self.found = self.find(age_dob=dt.date(2012, 3, 5), job_code="TT09.II.04", hours_per_day=5)
        CommitmentFactory.create(employer=self.employer, signed_on=dt.date(2025, 1, 1), expires_on=dt.date(2026, 12, 31))
        CommitmentFactory.create(employer=self.employer, signed_on=dt.date(2023, 1, 1), expires_on=dt.date(2024, 12, 31))
        EnterpriseFactory.create(commune=self.a1, name="Công ty may cũ Vân Sơn")  # an old commune merged into A

    def test_it_counts_per_commune_with_the_absorbed_communes(self) -> None:
        data = selectors.overview_by_commune(self.supervisor, 2026, TODAY)
        rows = {r.commune: r for r in data.rows}
        self.assertEqual(set(rows), {self.commune_a, self.commune_b})
        a = rows[self.commune_a]
        self.assertEqual(
            (a.employers, a.craft_villages, a.active_commitments, a.inspections, a.open_violations, a.children_found),
            (2, 1, 1, 1, 1, 1),
        )
        b = rows[self.commune_b]
        self.assertEqual((b.employers, b.inspections, b.open_violations), (1, 0, 0))
        assert data.total is not None
        self.assertEqual((data.total.employers, data.total.inspections), (3, 1))

    def test_it_shows_old_communes_for_a_year_before_the_reform(self) -> None:
        data = selectors.overview_by_commune(self.supervisor, 2024, TODAY)
        self.assertEqual({r.commune for r in data.rows}, {self.a1, self.a2, self.b1})
        rows = {r.commune: r for r in data.rows}
        self.assertEqual((rows[self.a1].employers, rows[self.a1].active_commitments, rows[self.a1].inspections), (1, 0, 0))

    def test_it_stops_counting_remedied_violations(self) -> None:
        v = Violation.objects.get()
        services.violation_dismiss(user=self.supervisor, violation=v, version=v.version, reason="Không phải lao động")
        data = selectors.overview_by_commune(self.officer_a, 2026, TODAY)
        self.assertEqual([r.open_violations for r in data.rows], [0])

    def test_it_counts_an_interagency_inspection_once_in_the_total(self) -> None:
        self.found.inspection.employers.add(self.employer_b)
        data = selectors.overview_by_commune(self.supervisor, 2026, TODAY)
        self.assertEqual(sorted(r.inspections for r in data.rows), [1, 1])
        assert data.total is not None
        self.assertEqual(data.total.inspections, 1)

    def test_it_renders_the_page_in_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.supervisor)
        url = reverse("employers:overview")
        self.client.get(url)
        with CaptureQueriesContext(connection) as first:
            self.client.get(url, {"year": 2026})
        for i in range(5):
            CraftVillageFactory.create(commune=self.commune_b, name=f"Làng nghề {i}")
            EmployerFactory.create(commune=self.commune_b, name=f"Cơ sở {i}")
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(url, {"year": 2026})
        self.assertContains(response, "Tổng hợp theo xã, năm 2026")
        self.assertContains(response, self.commune_a.name)


class DenominatorsDeriveTestCase(EmployerTestCase):
    def setUp(self) -> None:
        EnterpriseFactory.create(commune=self.commune_a, registered_on=dt.date(2020, 5, 1))
        EnterpriseFactory.create(commune=self.a2)  # registered under the old commune, still there
        EnterpriseFactory.create(commune=self.commune_a, registered_on=dt.date(2027, 1, 1) - dt.timedelta(days=1))
        EnterpriseFactory.create(commune=self.commune_a, active=False)
        EmployerFactory.create(commune=self.commune_a, kind="cooperative")
        EmployerFactory.create(commune=self.commune_a, kind="coop_group")
        uncounted = CraftVillageFactory.create(commune=self.commune_a, household_count=None, name="Làng nón lá")
        household_create(user=self.officer_a, commune=self.commune_a, head_name="Lê Văn Nón", craft_village=uncounted)
        self.craft_village.household_count = 40
        self.craft_village.save()

    def values(self, unit: AdminUnit, year: int) -> dict[str, tuple[int, str]]:
        return {d.group: (d.value, d.source) for d in Denominator.objects.filter(unit=unit, year=year)}

    def test_it_derives_the_three_groups(self) -> None:
        result = services.denominators_derive(user=self.officer_a, unit=self.commune_a, year=2026)
        self.assertEqual(len(result.written), 3)
        self.assertEqual(
            self.values(self.commune_a, 2026),
            {"enterprises": (3, "derived"), "cooperatives": (2, "derived"), "craft_households": (41, "derived")},
        )

    def test_it_counts_only_employers_registered_by_the_year(self) -> None:
        services.denominators_derive(user=self.officer_a, unit=self.commune_a, year=2025)
        self.assertEqual(self.values(self.commune_a, 2025)["enterprises"], (2, "derived"))

    def test_it_never_overwrites_entered_or_imported_figures(self) -> None:
        Denominator.objects.create(unit=self.commune_a, year=2026, group="enterprises", value=99, source=DenominatorSource.ENTERED)
        Denominator.objects.create(unit=self.commune_a, year=2026, group="cooperatives", value=7, source=DenominatorSource.IMPORTED)
        Denominator.objects.create(unit=self.commune_a, year=2026, group="craft_households", value=1, source=DenominatorSource.DERIVED)
        result = services.denominators_derive(user=self.officer_a, unit=self.commune_a, year=2026)
        self.assertEqual(len(result.kept), 2)
        self.assertEqual(
            self.values(self.commune_a, 2026),
            {"enterprises": (99, "entered"), "cooperatives": (7, "imported"), "craft_households": (41, "derived")},
        )

    def test_it_derives_every_commune_under_a_province(self) -> None:
        services.denominators_derive(user=self.supervisor, unit=self.province, year=2026)
        self.assertEqual(self.values(self.commune_b, 2026)["enterprises"], (0, "derived"))
        self.assertEqual(self.values(self.commune_a, 2026)["enterprises"], (3, "derived"))
        self.assertFalse(Denominator.objects.filter(unit=self.a1).exists())

    def test_it_refuses_outside_the_area_and_readers(self) -> None:
        for user in (self.officer_b, self.agency, self.viewer):
            with self.assertRaises(PermissionDenied):
                services.denominators_derive(user=user, unit=self.commune_a, year=2026)
        self.assertFalse(Denominator.objects.exists())

    def test_it_derives_from_the_overview_button(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("employers:overview"))
        self.assertContains(page, "Tính từ danh sách")
        response = self.client.post(reverse("employers:denominators_derive"), {"unit": self.commune_a.pk, "year": 2026}, follow=True)
        self.assertContains(response, "Đã tính 3 số liệu từ danh sách cho năm 2026")
        self.assertEqual(self.values(self.commune_a, 2026)["enterprises"], (3, "derived"))
        response = self.client.post(reverse("employers:denominators_derive"), {"unit": self.commune_b.pk, "year": 2026})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Denominator.objects.filter(unit=self.commune_b).exists())


class DeriveCommandTestCase(EmployerTestCase):
    def test_it_derives_from_the_command_line(self) -> None:
        from io import StringIO

        from django.core.management import call_command

        EnterpriseFactory.create(commune=self.commune_a)
        out = StringIO()
        call_command("derive_denominators", year=2026, unit=self.commune_a.code, user="supervisor", stdout=out)
        self.assertIn("3 derived, 0 kept", out.getvalue())
        self.assertEqual(Denominator.objects.get(unit=self.commune_a, year=2026, group="enterprises").value, 1)
