import datetime as dt

from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.people.models import Child, Classification, Household, WorkObservation
from clms.people.services import child_create, household_create
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory


def household_data(village, **extra):
    data = {
        "hh-commune": str(village.parent_id), "hh-village": str(village.pk), "hh-head_name": "Lê Văn Nam",
        "hh-address": "", "hh-members": "4", "hh-poverty_status": "near_poor", "hh-ethnicity": "01", "hh-phone": "",
    }
    data.update(extra)
    return data


def child_data(**extra):
    data = {
        "child-full_name": "Lê Thị Hoa", "child-sex": "F", "child-dob": "15/03/2013", "child-ethnicity": "01",
        "child-personal_id": "", "child-school_status": "attending", "child-grade": "7", "child-school_name": "",
        "child-dropped_out_on": "", "child-disability": "", "child-note": "",
    }
    data.update(extra)
    return data


class ChildCreateTestCase(PersonaTestCase):
    url = "/register/new/"

    def test_it_requires_a_writer(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 302)
        for user in (self.viewer, self.agency):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_it_creates_household_and_child_in_one_step(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(self.url, {**household_data(self.village_a), **child_data()})
        child = Child.objects.get(full_name="Lê Thị Hoa")
        self.assertRedirects(response, reverse("people:detail", args=[child.pk]))
        self.assertEqual(child.dob, dt.date(2013, 3, 15))
        assert child.household is not None
        self.assertEqual(child.household.head_name, "Lê Văn Nam")
        self.assertEqual(child.village, self.village_a)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_id=str(child.pk)).exists())

    def test_it_explains_a_bad_date_in_vietnamese_and_writes_nothing(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(self.url, {**household_data(self.village_a), **child_data(**{"child-dob": "2013-03-15"})})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nhập một ngày hợp lệ")
        self.assertFalse(Household.objects.exists())

    def test_it_refuses_a_village_of_another_commune(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(self.url, {**household_data(self.village_b), **child_data()})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Child.objects.exists())

    def test_it_warns_of_a_likely_duplicate_until_confirmed(self) -> None:
        existing = ChildFactory.create(full_name="Lê Thị Hoa", village=self.village_a, dob=dt.date(2013, 3, 15))
        self.client.force_login(self.officer_a)
        data = {**household_data(self.village_a), **child_data(**{"child-full_name": "LE THI HOA", "child-dob": "03/03/2013"})}
        data["child-dob"] = "15/03/2013"
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, reverse("people:detail", args=[existing.pk]))
        self.assertEqual(Child.objects.count(), 1)
        response = self.client.post(self.url, {**data, "child-confirm_different": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Child.objects.count(), 2)

    def test_it_does_not_reveal_another_communes_child_as_duplicate(self) -> None:
        ChildFactory.create(full_name="Lê Thị Hoa", village=self.village_b, dob=dt.date(2013, 3, 15))
        self.client.force_login(self.officer_a)
        response = self.client.post(self.url, {**household_data(self.village_a), **child_data()})
        self.assertEqual(response.status_code, 302)

    def test_it_adds_a_sibling_to_an_existing_household(self) -> None:
        household = household_create(user=self.officer_a, commune=self.commune_a, village=self.village_a, head_name="Hà Văn Tư")
        self.client.force_login(self.officer_a)
        response = self.client.post(f"{self.url}?household={household.pk}", child_data())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Child.objects.get().household, household)
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(f"{self.url}?household={household.pk}").status_code, 404)

    def test_it_lets_a_collaborator_register_in_her_village_only(self) -> None:
        self.client.force_login(self.collaborator)
        response = self.client.post(self.url, {**household_data(self.village_a), **child_data()})
        self.assertEqual(response.status_code, 302)
        response = self.client.post(self.url, {**household_data(self.village_b), **child_data(**{"child-full_name": "Khác"})})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Child.objects.count(), 1)


class ChildEditTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.child = child_create(
            user=self.officer_a, commune=self.commune_a, village=self.village_a, full_name="Lê Thị Hà", sex="F",
            dob=dt.date(2012, 3, 1), school_status="attending", grade=8,
        )
        self.url = reverse("people:edit", args=[self.child.pk])

    def data(self, **extra):
        base = {k.replace("child-", "child-"): v for k, v in child_data(**{"child-full_name": "Lê Thị Hà", "child-dob": "01/03/2012"}).items()}
        base["child-version"] = str(self.child.version)
        base.update(extra)
        return base

    def test_it_is_not_reachable_by_outsiders(self) -> None:
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, self.data()).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_it_saves_and_logs_an_update(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(self.url, self.data(**{"child-school_status": "irregular"}))
        self.assertEqual(response.status_code, 302)
        self.child.refresh_from_db()
        self.assertEqual(self.child.school_status, "irregular")
        self.assertTrue(AuditEvent.objects.filter(action="update", object_id=str(self.child.pk)).exists())

    def test_it_refuses_a_stale_edit_with_the_locking_message(self) -> None:
        self.client.force_login(self.officer_a)
        stale = self.data(**{"child-school_status": "irregular"})
        self.client.post(self.url, self.data(**{"child-grade": "9"}))
        response = self.client.post(self.url, stale)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "tải lại trang")
        self.child.refresh_from_db()
        self.assertEqual(self.child.grade, 9)
        self.assertEqual(self.child.school_status, "attending")


class ObservationFormTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.child = child_create(
            user=self.officer_a, commune=self.commune_a, village=self.village_a, full_name="Lê Thị Hà", sex="F",
            dob=dt.date(2012, 3, 1),
        )
        self.url = reverse("people:observation_create", args=[self.child.pk])

    def post(self, **extra):
        data = {"observed_on": "02/11/2026", "activity": "EMPLOYED", "job_code": "TT09.II.04", "workplace_code": "",
                "hours_per_day": "5", "days_per_week": "6", "night_work": "", "overtime": "no", "paid": "yes"}
        data.update(extra)
        return self.client.post(self.url, data)

    def test_it_is_not_reachable_by_outsiders(self) -> None:
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.post().status_code, 404)
        self.assertFalse(WorkObservation.objects.exists())

    def test_it_keeps_unknown_as_none_and_classifies_with_the_ruleset(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.post()
        self.assertEqual(response.status_code, 302, response.content[:2000])
        obs = WorkObservation.objects.get()
        self.assertIsNone(obs.night_work)
        self.assertIs(obs.overtime, False)
        self.assertIs(obs.paid, True)
        law = Classification.objects.get(observation=obs, ruleset="vn-law", is_current=True)
        self.assertEqual(law.category, "CHILD_LABOUR")
        self.assertTrue(law.ruleset_id.startswith("VN-LC2019"))
        page = self.client.get(reverse("people:detail", args=[self.child.pk]))
        self.assertContains(page, "Điều 146 khoản 1")
        self.assertContains(page, law.ruleset_id)

    def test_it_accepts_a_decimal_comma(self) -> None:
        self.client.force_login(self.officer_a)
        self.post(hours_per_day="3,5")
        self.assertEqual(str(WorkObservation.objects.get().hours_per_day), "3.5")

    def test_it_refuses_a_code_not_in_the_catalogue(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.post(job_code="NOPE")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(WorkObservation.objects.exists())


class CatalogueSearchTestCase(PersonaTestCase):
    url = "/register/catalogue/"

    def test_it_matches_without_diacritics(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(self.url, {"kind": "job", "q": "non la"})
        self.assertContains(response, 'name="job_code"')
        self.assertContains(response, "nón lá")

    def test_it_keeps_the_chosen_entry(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(self.url, {"kind": "job", "q": "zzzz", "job_code": "TT09.II.04"})
        self.assertContains(response, 'value="TT09.II.04" checked')

    def test_it_requires_a_register_role(self) -> None:
        self.assertEqual(self.client.get(self.url, {"kind": "job", "q": "a"}).status_code, 302)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(self.url, {"kind": "job", "q": "a"}).status_code, 403)
        self.client.force_login(self.officer_a)
        self.assertEqual(self.client.get(self.url, {"kind": "x", "q": "a"}).status_code, 400)
