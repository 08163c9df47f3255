"""Every page: anonymous users go to the login page, wrong roles get 403, outsiders 404."""

from django.urls import reverse
from django.utils import timezone

from clms.accounts.models import AuditEvent
from clms.cases.models import Referral, State
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, advance, file_report


class ViewAccessTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
        self.case = file_report(user=self.collaborator, child=self.child)
        advance(self.case, State.INTERVENING, user=self.officer_a, provider_unit=self.province)
        self.referral = Referral.objects.get(case=self.case)
        self.service = self.case.plan.services.get()

    def urls(self) -> dict[str, str]:
        pk = self.case.pk
        return {
            "list": reverse("cases:list"),
            "due": reverse("cases:due"),
            "report_new": reverse("cases:report_new"),
            "child_search": reverse("cases:child_search") + "?q=le",
            "detail": reverse("cases:detail", args=[pk]),
            "assessment": reverse("cases:assessment", args=[pk]),
            "plan": reverse("cases:plan", args=[pk]),
            "referrals": reverse("cases:referrals"),
            "referral": reverse("cases:referral", args=[self.referral.pk]),
            "inbox": reverse("cases:inbox"),
            "policies": reverse("cases:policies"),
        }

    def test_it_sends_anonymous_users_to_the_login_page(self) -> None:
        for name, url in self.urls().items():
            with self.subTest(name):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("accounts:login"), response["Location"])

    def test_it_shows_every_page_to_the_commune_officer(self) -> None:
        self.client.force_login(self.officer_a)
        for name, url in self.urls().items():
            with self.subTest(name):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_it_forbids_wrong_roles(self) -> None:
        forbidden = {
            self.viewer: ["list", "due", "report_new", "detail", "assessment", "plan", "referrals", "referral", "policies"],
            self.agency: ["due", "assessment", "plan", "policies"],
            self.collaborator: ["due", "assessment", "plan", "referrals", "referral", "policies"],
        }
        for user, names in forbidden.items():
            self.client.force_login(user)
            urls = self.urls()
            for name in names:
                with self.subTest(user=user.username, page=name):
                    self.assertEqual(self.client.get(urls[name]).status_code, 403)
        self.client.force_login(self.collaborator)
        post = self.client.post(reverse("cases:action", args=[self.case.pk, "start_monitoring"]), {"version": 1})
        self.assertEqual(post.status_code, 403)

    def test_it_hides_another_communes_case_behind_404(self) -> None:
        self.client.force_login(self.officer_b)
        for name in ("detail", "assessment", "plan", "referral"):
            with self.subTest(name):
                self.assertEqual(self.client.get(self.urls()[name]).status_code, 404)
        response = self.client.post(reverse("cases:action", args=[self.case.pk, "start_monitoring"]),
                                    {"version": self.case.version})
        self.assertEqual(response.status_code, 404)
        response = self.client.post(reverse("cases:follow_up", args=[self.case.pk]), {})
        self.assertEqual(response.status_code, 404)
        response = self.client.post(reverse("cases:open_for_child", args=[self.child.pk]))
        self.assertEqual(response.status_code, 404)
        response = self.client.post(reverse("cases:plan_service_delete", args=[self.case.pk, self.service.pk]))
        self.assertEqual(response.status_code, 404)

    def test_it_redirects_agency_officers_from_the_case_list_to_their_referrals(self) -> None:
        self.client.force_login(self.agency)
        response = self.client.get(reverse("cases:list"))
        self.assertRedirects(response, reverse("cases:referrals"))

    def test_it_lets_the_collaborator_read_cases_of_her_village(self) -> None:
        self.client.force_login(self.collaborator)
        response = self.client.get(self.urls()["detail"])
        self.assertContains(response, self.child.full_name)
        self.assertContains(response, "Ghi nhận lần thăm theo dõi")  # she records follow-ups

    def test_it_audits_the_list_and_the_detail(self) -> None:
        self.client.force_login(self.officer_a)
        self.client.get(self.urls()["list"])
        self.client.get(self.urls()["detail"])
        listed = AuditEvent.objects.filter(object_type="cases.case", action="list").latest("at")
        self.assertEqual(listed.object_ids, [str(self.case.pk)])
        self.assertTrue(AuditEvent.objects.filter(object_type="cases.case", action="read", object_id=str(self.case.pk)).exists())


class HomePanelTestCase(PersonaTestCase):
    def test_it_shows_each_roles_home_panel_in_vietnamese(self) -> None:
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
        advance(file_report(user=self.collaborator, child=child), State.INTERVENING, user=self.officer_a,
                provider_unit=self.province)
        expected = {
            self.collaborator: "Báo tin về trẻ em",
            self.officer_a: "Hồ sơ tôi phụ trách",
            self.supervisor: "Trường hợp trên địa bàn",
            self.agency: "1 chuyển gửi đang chờ",
        }
        for user, text in expected.items():
            with self.subTest(user.username):
                self.client.force_login(user)
                response = self.client.get(reverse("core:home"))
                self.assertContains(response, text)
                self.assertContains(response, reverse("cases:inbox"))


class ListQueryCountTestCase(PersonaTestCase):
    def test_it_lists_cases_in_a_fixed_number_of_queries(self) -> None:
        for _n in range(3):
            child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
            advance(file_report(user=self.officer_a, child=child), State.VERIFYING, user=self.officer_a)
        self.client.force_login(self.officer_a)
        self.client.get(reverse("cases:list"))  # warm caches (sessions, area prefixes)
        with self.assertNumQueries(11):  # + the village and officer filters
            response = self.client.get(reverse("cases:list"))
        self.assertEqual(len(response.context["cases"]), 3)
        for _n in range(3):
            child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
            file_report(user=self.officer_a, child=child, emergency=True, received_at=timezone.now())
        with self.assertNumQueries(11):  # + the village and officer filters
            response = self.client.get(reverse("cases:list"))
        cases = response.context["cases"]
        self.assertEqual(len(cases), 6)
        self.assertTrue(all(c.emergency for c in cases[:3]))  # emergencies first

    def test_it_lists_due_steps_and_referrals_in_a_fixed_number_of_queries(self) -> None:
        for _n in range(2):
            child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
            advance(file_report(user=self.officer_a, child=child), State.INTERVENING, user=self.officer_a,
                    provider_unit=self.province)
        self.client.force_login(self.officer_a)
        self.client.get(reverse("cases:due"))
        with self.assertNumQueries(10):
            self.client.get(reverse("cases:due"))
        self.client.force_login(self.agency)
        self.client.get(reverse("cases:referrals"))
        with self.assertNumQueries(6):
            response = self.client.get(reverse("cases:referrals"))
        self.assertEqual(len(response.context["referrals"]), 2)
