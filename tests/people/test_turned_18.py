"""Issue 13 point 2: a person who turns 18 leaves the active register on that day."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from clms.cases.models import Case, CaseStep
from clms.cases.selectors import due_steps, step_counts
from clms.indicators.selectors import next_steps
from clms.people.selectors import RegisterFilters, adult_cutoff, register_rows, worklist
from tests.base import PersonaTestCase
from tests.cases.factories import file_report
from tests.people.factories import ChildFactory


def _years_ago(years: int) -> dt.date:
    return adult_cutoff(timezone.localdate()) if years == 18 else timezone.localdate().replace(year=timezone.localdate().year - years)


class TurnedEighteenTestCase(PersonaTestCase):
    def setUp(self) -> None:
        common = dict(village=self.village_a, risk_level="high", register_status="at_risk")
        # 18 today (the birthday is today): out.  17 until tomorrow: in.
        self.adult = ChildFactory.create(full_name="Lò Văn Mười Tám", dob=_years_ago(18), **common)
        self.minor = ChildFactory.create(full_name="Lò Văn Mười Bảy", dob=_years_ago(18) + dt.timedelta(days=1), **common)

    def test_it_leaves_the_register_on_the_18th_birthday_and_stays_findable(self) -> None:
        rows = list(register_rows(self.officer_a, RegisterFilters()))
        self.assertEqual(rows, [self.minor])
        found = list(register_rows(self.officer_a, RegisterFilters(status="aged_out", q="lo van muoi")))
        self.assertEqual(found, [self.adult])
        # The stored status (why the person was registered) is history, not overwritten.
        self.adult.refresh_from_db()
        self.assertEqual(self.adult.register_status, "at_risk")
        self.assertEqual(self.adult.status_label, "Đã đủ 18 tuổi")

    def test_it_leaves_the_work_list_and_the_dashboard_list(self) -> None:
        self.assertEqual(list(worklist(self.officer_a)), [self.minor])
        steps = next_steps(self.officer_a, [])
        self.assertEqual(steps.unvisited, [self.minor])
        self.assertEqual(steps.unvisited_count, 1)

    def test_the_pages_show_the_filter_and_the_status(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("people:list")).content.decode()
        self.assertIn("Lò Văn Mười Bảy", page)
        self.assertNotIn("Lò Văn Mười Tám", page)
        page = self.client.get(reverse("people:list"), {"status": "aged_out"}).content.decode()
        self.assertIn("Lò Văn Mười Tám", page)
        self.assertIn("Đã đủ 18 tuổi", page)
        page = self.client.get(reverse("people:worklist")).content.decode()
        self.assertNotIn("Lò Văn Mười Tám", page)

    def test_an_open_case_is_flagged_for_closure_and_its_steps_leave_the_to_do_list(self) -> None:
        cases = [file_report(user=self.officer_a, child=child) for child in (self.adult, self.minor)]
        # Both have an overdue step; only the minor's stays on the "to do" lists.
        CaseStep.objects.update(due_at=timezone.now() - dt.timedelta(days=1))
        cases = [Case.objects.get(pk=c.pk) for c in cases]
        self.assertEqual({s.case_id for s in due_steps(self.officer_a)}, {cases[1].pk})
        self.assertEqual(step_counts(self.officer_a)["overdue"], CaseStep.objects.filter(case=cases[1]).count())
        self.assertEqual(next_steps(self.officer_a, []).to_close_turned_18, 1)
        self.assertTrue(Case.objects.select_related("child").get(pk=cases[0].pk).turned_18)
        self.assertFalse(Case.objects.select_related("child").get(pk=cases[1].pk).turned_18)
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("cases:detail", args=[cases[0].pk])).content.decode()
        self.assertIn("Đã đủ 18 tuổi: đóng hồ sơ", page)
        self.assertIn('value="turned_18" selected', page.replace("selected=\"selected\"", "selected"))

    def test_the_cutoff_handles_29_february(self) -> None:
        self.assertEqual(adult_cutoff(dt.date(2026, 3, 1)), dt.date(2008, 3, 1))
        self.assertEqual(adult_cutoff(dt.date(2024, 2, 29)), dt.date(2006, 2, 28))
