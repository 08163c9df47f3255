"""Daily reminders (cron): ``manage.py send_reminders``; running it twice sends nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from clms.cases.reminders import reminders_send


class Command(BaseCommand):
    help = "Create due-soon and overdue reminders of case steps and e-mail unsent notifications."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reminders_send()
        self.stdout.write(
            f"due soon: {result.due_soon}, overdue: {result.overdue}, e-mails sent: {result.emailed}"
        )
