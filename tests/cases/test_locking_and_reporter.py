from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.cases import selectors, services
from clms.cases.models import Case, State
from clms.core.locking import StaleEdit
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, advance, file_report
from tests.factories import UserFactory


class LostUpdateTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
        self.case = file_report(user=self.officer_a, child=self.child)

    def test_it_refuses_the_second_of_two_edits_from_the_same_version(self) -> None:
        loaded = self.case.version
        mine = Case.objects.get(pk=self.case.pk)
        theirs = Case.objects.get(pk=self.case.pk)
        services.case_verify(user=self.officer_a, case=mine, version=loaded, initial_risk="high", initial_note="Của tôi")
        with self.assertRaises(StaleEdit):
            services.case_close(user=self.supervisor, case=theirs, version=loaded, reason="moved_away")
        self.case.refresh_from_db()
        self.assertEqual((self.case.state, self.case.initial_note), (State.VERIFYING, "Của tôi"))

    def test_it_shows_the_stale_message_on_the_form(self) -> None:
        self.client.force_login(self.officer_a)
        url = reverse("cases:action", args=[self.case.pk, "verify"])
        first = self.client.post(url, {"verify-version": self.case.version, "verify-initial_risk": "low"})
        self.assertEqual(first.status_code, 302)
        second = self.client.post(url.replace("verify", "not_confirm"), {"not_confirm-version": self.case.version, "not_confirm-note": "sai"})
        self.assertContains(second, "Người khác đã sửa hồ sơ này", status_code=400)
        self.assertEqual(Case.objects.get(pk=self.case.pk).state, State.VERIFYING)

    def test_it_refuses_a_stale_assessment(self) -> None:
        advance(self.case, State.ASSESSED, user=self.officer_a)
        version = self.case.assessment.version
        services.assessment_save(user=self.officer_a, case=self.case, version=version, needs="Học lại")
        with self.assertRaises(StaleEdit):
            services.assessment_save(user=self.supervisor, case=self.case, version=version, needs="Học nghề")
        self.case.assessment.refresh_from_db()
        self.assertEqual(self.case.assessment.needs, "Học lại")


class ReporterIdentityTestCase(PersonaTestCase):
    def setUp(self) -> None:
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
        self.case = file_report(user=self.collaborator, child=child, reporter_name="Trần Văn Tố",
                                reporter_phone="0912345678", reporter_relationship="Hàng xóm")
        self.url = reverse("cases:detail", args=[self.case.pk])

    def test_it_shows_the_reporter_to_the_handler_supervisor_and_filer_and_audits_it(self) -> None:
        for user in (self.officer_a, self.supervisor, self.collaborator):
            with self.subTest(user.username):
                self.client.force_login(user)
                before = AuditEvent.objects.filter(object_type="cases.reporter", user=user).count()
                self.assertContains(self.client.get(self.url), "0912345678")
                self.assertEqual(AuditEvent.objects.filter(object_type="cases.reporter", user=user).count(), before + 1)

    def test_it_hides_the_reporter_from_everyone_else(self) -> None:
        other_collaborator = UserFactory.create(username="ctv2", role="collaborator", area=self.village_a)
        other_officer = UserFactory.create(username="officer_a2", role="commune_officer", area=self.commune_a)
        self.case.assigned_to = self.officer_a
        self.case.save()
        self.client.force_login(other_collaborator)
        response = self.client.get(self.url)
        self.assertContains(response, self.case.child.full_name)
        self.assertNotContains(response, "0912345678")
        self.assertNotContains(response, "Trần Văn Tố")
        self.client.force_login(other_officer)
        self.assertNotContains(self.client.get(self.url), "0912345678")
        for user in (self.agency, self.viewer, other_collaborator, other_officer, self.officer_b):
            with self.subTest(user.username):
                self.assertIsNone(selectors.reporter_for_user(user, self.case.report))
        self.assertFalse(AuditEvent.objects.filter(object_type="cases.reporter", user=other_collaborator).exists())
