from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from clms.accounts.models import Agency, Role
from clms.cases import services
from clms.cases.models import CaseEvent, Notification, Referral, State
from clms.core.locking import StaleEdit
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, advance, file_report
from tests.factories import UserFactory


class ReferralScopingTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.child = ChildFactory.create(commune=self.commune_a, village=self.village_a, full_name="Phạm Thị Mai")
        # The education office of the commune A: the referral sits at the commune.
        self.case = advance(file_report(user=self.officer_a, child=self.child), State.INTERVENING, user=self.officer_a)
        self.referral = Referral.objects.get(case=self.case)
        self.url = reverse("cases:referral", args=[self.referral.pk])

    def test_it_lets_the_agency_at_or_above_the_provider_unit_see_and_answer(self) -> None:
        self.client.force_login(self.agency)  # education, at the province above commune A
        response = self.client.get(reverse("cases:referrals"))
        self.assertContains(response, "Phạm Thị Mai")
        response = self.client.post(self.url, {"version": 1, "status": "delivered",
                                               "delivered_on": timezone.localdate().strftime("%d/%m/%Y")})
        self.assertRedirects(response, self.url)
        self.referral.refresh_from_db()
        self.assertEqual((self.referral.status, self.referral.answered_by), ("delivered", self.agency))
        self.assertTrue(CaseEvent.objects.filter(case=self.case, kind="referral").exists())

    def test_it_hides_the_referral_from_another_agency_and_another_units_agency(self) -> None:
        health = UserFactory.create(username="health", role=Role.AGENCY_OFFICER, area=self.province, agency=Agency.HEALTH)
        education_b = UserFactory.create(username="edu_b", role=Role.AGENCY_OFFICER, area=self.commune_b,
                                         agency=Agency.EDUCATION)
        no_agency = UserFactory.create(username="noagency", role=Role.AGENCY_OFFICER, area=self.province)
        for user in (health, education_b, no_agency):
            with self.subTest(user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)
                self.assertNotContains(self.client.get(reverse("cases:referrals")), "Phạm Thị Mai")
                with self.assertRaises(PermissionDenied):
                    services.referral_answer(user=user, referral=self.referral, version=1, status="accepted")

    def test_it_hides_a_province_referral_from_a_commune_agency_officer(self) -> None:
        self.referral.provider_unit = self.province
        self.referral.save()
        education_a = UserFactory.create(username="edu_a", role=Role.AGENCY_OFFICER, area=self.commune_a,
                                         agency=Agency.EDUCATION)
        self.client.force_login(education_a)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_shows_the_agency_only_the_name_age_and_referral(self) -> None:
        self.client.force_login(self.agency)
        response = self.client.get(self.url)
        self.assertContains(response, "Phạm Thị Mai")
        self.assertContains(response, "tuổi")
        self.assertNotContains(response, self.case.report.what_seen)
        # Who referred and how to reach them.
        self.assertContains(response, "Người chuyển gửi")
        self.assertContains(response, str(self.referral.sent_by))
        # The case behind the referral: what the agency may see, in words, not a bare 403.
        behind = self.client.get(reverse("cases:detail", args=[self.case.pk]))
        self.assertEqual(behind.status_code, 200)
        self.assertTemplateUsed(behind, "cases/case_for_agency.html")
        self.assertContains(behind, "Phạm Thị Mai")
        self.assertContains(behind, reverse("cases:referral", args=[self.referral.pk]))
        self.assertNotContains(behind, self.case.report.what_seen)
        self.assertEqual(self.client.get(reverse("people:list")).status_code, 403)

    def test_it_shows_the_referrer_contact_and_forbids_a_case_not_referred(self) -> None:
        sender = self.referral.sent_by
        assert sender is not None
        sender.phone = "0912 345 678"
        sender.save()
        self.client.force_login(self.agency)
        self.assertContains(self.client.get(self.url), 'href="tel:0912 345 678"')
        other = advance(file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a, village=self.village_a)),
                        State.VERIFYING, user=self.officer_a)
        denied = self.client.get(reverse("cases:detail", args=[other.pk]))
        self.assertEqual(denied.status_code, 404)
        self.assertNotContains(denied, other.child.full_name, status_code=404)

    def test_it_notifies_the_agency_officer_of_a_new_referral(self) -> None:
        note = Notification.objects.get(user=self.agency, referral=self.referral)
        self.assertEqual(note.kind, "referral")
        # The line names the case, the commune, the child's initials and age; it links to the referral.
        self.assertIn(f"Hồ sơ số {self.case.pk}, Xã Tân Ninh: P.T.M.,", note.text)
        self.assertIn("tuổi", note.text)
        self.assertNotIn("Phạm Thị Mai", note.text)
        self.client.force_login(self.agency)
        inbox = self.client.get(reverse("cases:inbox"))
        self.assertContains(inbox, note.text)
        self.assertContains(inbox, reverse("cases:referral", args=[self.referral.pk]))

    def test_it_validates_answers(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            services.referral_answer(user=self.agency, referral=self.referral, version=1, status="refused")
        self.assertIn("refusal_reason", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            services.referral_answer(user=self.agency, referral=self.referral, version=1, status="delivered")
        self.assertIn("delivered_on", ctx.exception.message_dict)
        services.referral_answer(user=self.agency, referral=self.referral, version=1, status="refused",
                                 refusal_reason="Ngoài thẩm quyền")
        with self.assertRaises(services.InvalidTransition):
            services.referral_answer(user=self.agency, referral=self.referral, version=2, status="accepted")

    def test_it_refuses_a_stale_answer(self) -> None:
        services.referral_answer(user=self.agency, referral=self.referral, version=1, status="accepted")
        stale = Referral.objects.get(pk=self.referral.pk)
        stale.status = "sent"
        with self.assertRaises(StaleEdit):
            services.referral_answer(user=self.agency, referral=stale, version=1, status="refused", refusal_reason="x")
