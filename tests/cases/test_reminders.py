import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clms.cases.models import CaseStep, Notification
from clms.cases.reminders import reminders_send
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, file_report


class ReminderTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.officer_a.email = "lan@example.vn"
        self.officer_a.save()
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a, full_name="Hà Văn Tùng")
        self.case = file_report(user=self.collaborator, child=child)  # auto-assigned to the only officer of A

    def test_it_notifies_and_emails_the_assignment_once(self) -> None:
        self.assertEqual(self.case.assigned_to, self.officer_a)
        self.assertEqual(Notification.objects.filter(user=self.officer_a, kind="assignment").count(), 1)
        reminders_send()
        sent = len(mail.outbox)
        reminders_send()
        self.assertEqual(len(mail.outbox), sent)  # nothing e-mailed twice
        self.assertEqual(sent, Notification.objects.filter(user=self.officer_a).count())
        self.assertEqual(mail.outbox[0].to, ["lan@example.vn"])
        # The e-mail names no child (it leaves our control); it links to the inbox, which checks.
        self.assertNotIn("Hà Văn Tùng", f"{mail.outbox[0].body} {mail.outbox[0].subject}")
        self.assertIn("http://127.0.0.1:8000/cases/inbox/", mail.outbox[0].body)

    def test_it_reminds_of_due_soon_and_overdue_steps_once_per_step_and_kind(self) -> None:
        now = timezone.now()
        CaseStep.objects.filter(case=self.case, step="verification").update(due_at=now - dt.timedelta(hours=1))
        CaseStep.objects.filter(case=self.case, step="initial_assessment").update(due_at=now + dt.timedelta(hours=3))
        first = reminders_send(now=now)
        self.assertEqual((first.overdue, first.due_soon), (1, 1))
        again = reminders_send(now=now + dt.timedelta(minutes=5))
        self.assertEqual((again.overdue, again.due_soon, again.emailed), (0, 0, 0))
        self.assertEqual(Notification.objects.filter(user=self.officer_a, kind="overdue").count(), 1)
        overdue = Notification.objects.get(kind="overdue")
        self.assertIn("Quá hạn: Xác minh", overdue.text)
        # The due-soon step passes its deadline: a new kind, so one more reminder.
        later = reminders_send(now=now + dt.timedelta(hours=4))
        self.assertEqual(later.overdue, 1)
        # One e-mail per notification: assignment, overdue, due soon, and the second overdue.
        self.assertEqual(len(mail.outbox), Notification.objects.filter(user=self.officer_a).count())
        self.assertFalse(any("Hà Văn Tùng" in m.body for m in mail.outbox))

    def test_it_reminds_nobody_of_done_steps_or_closed_cases(self) -> None:
        CaseStep.objects.filter(case=self.case).update(done_at=timezone.now())
        result = reminders_send(now=timezone.now() + dt.timedelta(days=10))
        self.assertEqual((result.overdue, result.due_soon), (0, 0))

    def test_it_runs_as_a_management_command(self) -> None:
        CaseStep.objects.filter(case=self.case, step="verification").update(due_at=timezone.now() - dt.timedelta(hours=1))
        out = StringIO()
        call_command("send_reminders", stdout=out)
        self.assertIn("overdue: 1", out.getvalue())

    def test_it_shows_the_inbox_and_marks_read_with_htmx(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("core:home"))
        self.assertContains(response, "1 thông báo chưa đọc")
        note = Notification.objects.get(user=self.officer_a)
        response = self.client.post(reverse("cases:notification_read", args=[note.pk]), HTTP_HX_REQUEST="true")
        self.assertContains(response, f'id="n-{note.pk}"')
        self.assertNotContains(response, "<html")
        note.refresh_from_db()
        self.assertIsNotNone(note.read_at)
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.post(reverse("cases:notification_read", args=[note.pk])).status_code, 404)
