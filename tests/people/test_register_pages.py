import datetime as dt

from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.people.models import Child
from clms.people.services import child_create, household_create
from tests.base import PASSWORD, PersonaTestCase
from tests.people.factories import ChildFactory


class RegisterListTestCase(PersonaTestCase):
    an: Child
    dung: Child
    other: Child
    old: Child

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.an = ChildFactory.create(full_name="Nguyễn Văn An", village=cls.village_a, sex="M", dob=dt.date(2012, 2, 3))
        cls.dung = ChildFactory.create(full_name="Đỗ Thị Dung", village=cls.village_a, dob=dt.date(2016, 7, 1))
        cls.other = ChildFactory.create(full_name="Nguyễn Văn Anh", village=cls.village_b, sex="M")
        # A child under the old commune A1 belongs to commune A since the 2025 merger.
        cls.old = ChildFactory.create(full_name="Phạm Văn Cũ", commune=cls.a1)

    def get(self, user, **params):
        self.client.force_login(user)
        return self.client.get(reverse("people:list"), params)

    def names(self, response) -> set[str]:
        return {c.full_name for c in response.context["page"].object_list}

    def test_it_redirects_anonymous_users_to_login(self) -> None:
        response = self.client.get(reverse("people:list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_it_forbids_roles_without_personal_data(self) -> None:
        for user in (self.viewer, self.agency):
            self.assertEqual(self.get(user).status_code, 403)

    def test_it_lists_only_the_officers_commune(self) -> None:
        self.assertEqual(self.names(self.get(self.officer_a)), {"Nguyễn Văn An", "Đỗ Thị Dung", "Phạm Văn Cũ"})
        self.assertEqual(self.names(self.get(self.officer_b)), {"Nguyễn Văn Anh"})

    def test_it_lists_only_the_collaborators_village(self) -> None:
        self.assertEqual(self.names(self.get(self.collaborator)), {"Nguyễn Văn An", "Đỗ Thị Dung"})

    def test_it_finds_names_without_diacritics_in_any_case(self) -> None:
        for query in ("nguyen van an", "NGUYỄN VĂN AN", "Nguyen  VAN an"):
            self.assertIn("Nguyễn Văn An", self.names(self.get(self.officer_a, q=query)), query)
        self.assertEqual(self.names(self.get(self.officer_a, q="do thi dung")), {"Đỗ Thị Dung"})
        self.assertEqual(self.names(self.get(self.officer_a, q="dung")), {"Đỗ Thị Dung"})

    def test_it_does_not_find_another_communes_child_by_search(self) -> None:
        self.assertEqual(self.names(self.get(self.officer_b, q="nguyen van an")), {"Nguyễn Văn Anh"})
        self.assertEqual(self.names(self.get(self.officer_b, q="do thi dung")), set())

    def test_it_filters_by_sex_and_age_band(self) -> None:
        self.assertEqual(self.names(self.get(self.officer_a, sex="M")), {"Nguyễn Văn An"})
        today = dt.date.today()  # noqa: DTZ011
        ChildFactory.create(full_name="Lê Bé Năm", village=self.village_a, dob=today.replace(year=today.year - 7))
        self.assertEqual(self.names(self.get(self.officer_a, age_band="5-11", q="le be")), {"Lê Bé Năm"})
        self.assertEqual(self.names(self.get(self.officer_a, age_band="15-17", q="le be")), set())

    def test_it_hides_merged_children(self) -> None:
        Child.objects.filter(pk=self.dung.pk).update(merged_into=self.an)
        self.assertNotIn("Đỗ Thị Dung", self.names(self.get(self.officer_a)))

    def test_it_logs_one_list_event_with_the_ids_shown(self) -> None:
        self.get(self.officer_a)
        event = AuditEvent.objects.filter(action="list", object_type="people.child").latest("at")
        self.assertEqual(set(event.object_ids), {str(self.an.pk), str(self.dung.pk), str(self.old.pk)})

    def test_it_keeps_the_query_count_fixed(self) -> None:
        ChildFactory.create_batch(30, village=self.village_a)
        self.client.force_login(self.officer_a)
        # session, user, user's area prefixes, villages, count, page, audit insert
        with self.assertNumQueries(8):
            self.client.get(reverse("people:list"))
        with self.assertNumQueries(8):
            self.client.get(reverse("people:list"), {"q": "tran", "sex": "F"})

    def test_it_returns_only_the_rows_to_htmx(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("people:list"), {"q": "an"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Nguyễn Văn An")


class ChildPageTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.household = household_create(
            user=self.officer_a, commune=self.commune_a, village=self.village_a, head_name="Lê Văn Nam",
            poverty_status="poor",
        )
        self.child = child_create(
            user=self.officer_a, household=self.household, commune=self.commune_a,
            full_name="Lê Thị Hà", sex="F", dob=dt.date(2012, 3, 1), school_status="dropped_out",
            dropped_out_on=dt.date(2025, 9, 1),
        )
        self.url = reverse("people:detail", args=[self.child.pk])

    def test_it_gives_outsiders_404_and_wrong_roles_403(self) -> None:
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        for user in (self.viewer, self.agency):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_it_shows_the_child_to_the_officer_supervisor_and_collaborator(self) -> None:
        for user in (self.officer_a, self.supervisor, self.collaborator):
            self.client.force_login(user)
            response = self.client.get(self.url)
            self.assertContains(response, "Lê Thị Hà", msg_prefix=user.username)

    def test_it_logs_the_read(self) -> None:
        self.client.force_login(self.officer_a)
        self.client.get(self.url)
        self.assertTrue(
            AuditEvent.objects.filter(action="read", object_type="people.child", object_id=str(self.child.pk)).exists()
        )

    def test_it_shows_the_risk_factors_in_vietnamese(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(self.url)
        self.assertContains(response, "Bỏ học")
        self.assertContains(response, "Hộ nghèo")


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)
