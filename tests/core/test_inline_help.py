"""Issue 19: inline help beside the hard fields of the work observation and the case plan.

Shipped folded (a phone keeps the form short); clms.js opens it on a wide screen."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from clms.cases.models import State
from clms.people.services import child_create
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, advance, file_report


def helps(html: str) -> list[str]:
    return re.findall(r'<details class="(?:field-)?help[^"]*" data-open-wide>', html)


class InlineHelpTestCase(PersonaTestCase):
    def test_the_observation_form_explains_hours_hazards_and_loads(self) -> None:
        child = child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                             full_name="Lê Thị Hà", sex="F", dob=dt.date(2012, 3, 1))
        self.client.force_login(self.officer_a)
        html = self.client.get(reverse("people:observation_create", args=[child.pk])).content.decode()
        self.assertGreaterEqual(len(helps(html)), 8)
        for text in ("tối đa 4 giờ/ngày và 20 giờ/tuần", "Thông tư 09/2020/TT-BLĐTBXH", "Ban đêm là từ 22 giờ",
                     "tính bằng kilôgam", "Cách điền biểu mẫu này"):
            self.assertIn(text, html)
        # Folded in the markup: only the script opens it, on a wide screen.
        self.assertNotIn("data-open-wide open", html)

    def test_the_plan_form_explains_goals_actions_and_due_dates(self) -> None:
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a)
        case = file_report(user=self.collaborator, child=child)
        advance(case, State.ASSESSED, user=self.officer_a, provider_unit=self.province)
        self.client.force_login(self.officer_a)
        html = self.client.get(reverse("cases:plan", args=[case.pk])).content.decode()
        self.assertGreaterEqual(len(helps(html)), 5)
        for text in ("Hai đến bốn mục tiêu", "Việc làm cụ thể", "Hạn cung cấp dịch vụ", "Cách điền biểu mẫu này"):
            self.assertIn(text, html)
