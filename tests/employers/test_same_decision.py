"""Issue 13: the legal-check page, the register and the inspection flow give the same decision
for the same inputs.  The case of the issue: a 16-year-old employed in a job on no list
(recorded as OTHER), 10 hours a day, 6 days a week (60 h), overtime "yes".  Appendix V is a
closed list, so this is child labour under Labour Code Art. 146(2) (rules V9), everywhere."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from clms.employers.models import FoundChild, Violation
from clms.people.models import Classification, WorkObservation
from tests.employers.helpers import EmployerTestCase

PERMITTED = "Được làm việc nếu bảo đảm các điều kiện"


class SameDecisionTestCase(EmployerTestCase):
    def test_the_three_entry_points_agree(self) -> None:
        # 1. The legal-check page (no login).
        html = self.client.post(reverse("legal:classify"), {
            "as_of": "02/11/2026", "dob": "05/03/2010", "activity": "EMPLOYED", "job_code": "OTHER",
            "hours_day_max": "10", "hours_week": "60", "overtime": "yes",
            "strict_under15": "on", "family_outside": "on",
        }).content.decode()
        self.assertIn("Điều 146 khoản 2", html)
        self.assertNotIn(PERMITTED, html)

        self.client.force_login(self.officer_a)
        # 2. The register: an observation typed on the child's page.
        child = self.make_child(dob=dt.date(2010, 3, 5), name="Vi Văn Mười Sáu", sex="M")
        response = self.client.post(reverse("people:observation_create", args=[child.pk]), {
            "observed_on": "02/11/2026", "activity": "EMPLOYED", "job_code": "OTHER",
            "hours_per_day": "10", "days_per_week": "6", "overtime": "yes",
        })
        self.assertLess(response.status_code, 400)
        register = Classification.objects.get(observation__child=child, ruleset="vn-law", is_current=True)

        # 3. The inspection flow: the same work found at an employer.
        inspection = self.inspect()
        self.client.post(reverse("employers:inspection_add_child", args=[inspection.pk]), {
            "employer": self.employer.pk, "full_name": "Lò Văn Mười Sáu", "sex": "M", "dob": "05/03/2010",
            "commune": self.commune_a.pk, "job_code": "OTHER", "hours_per_day": "10", "days_per_week": "6",
            "overtime": "true",  # this form's yes/no/unknown select sends true/false/unknown
        })
        found = FoundChild.objects.get()
        inspected = Classification.objects.get(observation=found.observation, ruleset="vn-law", is_current=True)

        self.assertEqual(WorkObservation.objects.count(), 2)
        for decision in (register, inspected):
            self.assertEqual((decision.category, decision.age), ("CHILD_LABOUR", 16))
            self.assertEqual({v["code"] for v in decision.violations},
                             {"V9.HOURS_DAY", "V9.HOURS_WEEK", "V9.OVERTIME"})
        # And the inspection proposes the violation of the hours rule to the employer.
        self.assertTrue(Violation.objects.filter(observation=found.observation, code__contains="V9").exists())
