"""The supervisor's home lists the communes that need attention (issue 18), not every commune:
overdue case steps, late yearly reports, indicators off track; most urgent first; paged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from clms.cases.models import OPEN_STATES, State
from clms.home.attention import Attention, attention_list
from clms.places.models import REFORM_DATE, AdminUnit, Level, Scheme
from clms.reports.models import SubmissionStatus
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory
from tests.factories import AdminUnitFactory
from tests.indicators.factories import CaseFactory, StepFactory, denominators
from tests.reports.factories import PeriodFactory, SubmissionFactory, child_labourer


def overdue_case(commune: AdminUnit, user: Any) -> None:
    """An open case of a 12-year-old in ``commune`` with one step due two days ago."""
    now = timezone.now()
    child = ChildFactory.create(commune=commune, dob=timezone.localdate() - dt.timedelta(days=12 * 366))
    case = CaseFactory.create(
        child=child, received_at=now - dt.timedelta(days=5), state=State.VERIFYING, filed_by=user
    )
    StepFactory.create(case=case, due_at=now - dt.timedelta(days=2))


class AttentionTestCase(PersonaTestCase):
    quiet: AdminUnit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        assert State.VERIFYING in OPEN_STATES
        cls.quiet = AdminUnitFactory.create(
            scheme=Scheme.POST_2025, level=Level.COMMUNE, parent=cls.province, valid_from=REFORM_DATE,
            name="Xã Yên Lặng",
        )
        today = timezone.localdate()
        # A: a step overdue and this year's report 10 days late.
        overdue_case(cls.commune_a, cls.officer_a)
        # B: a step overdue in a case opened in its old commune B1 (counts for B), its report in,
        # and 2 children in child labour of 300 (0.67 % against the plan's 0.5 %: off track).
        overdue_case(cls.b1, cls.officer_b)
        denominators(today.year, {cls.commune_b: {"children_5_17": 300}})
        for name in ("Phạm Văn Nam", "Phạm Văn Bình"):
            child_labourer(user=cls.supervisor, commune=cls.commune_b, name=name,
                           dob=today - dt.timedelta(days=14 * 365 + 30), on=today)
        period = PeriodFactory.create(
            year=today.year, receiver=cls.province, level=Level.COMMUNE, due_on=today - dt.timedelta(days=10)
        )
        SubmissionFactory.create(period=period, unit=cls.commune_b, status=SubmissionStatus.SUBMITTED)
        SubmissionFactory.create(period=period, unit=cls.quiet, status=SubmissionStatus.ACCEPTED)

    def test_it_lists_the_communes_with_something_to_act_on_most_urgent_first(self) -> None:
        found = attention_list(self.supervisor)
        self.assertEqual([a.unit for a in found.communes], [self.commune_a, self.commune_b])
        a, b = found.communes
        self.assertEqual((a.overdue_steps, a.late_reports), (1, [(timezone.localdate().year, 10)]))
        self.assertEqual((b.overdue_steps, b.late_reports), (1, []))
        self.assertEqual(b.off_track, ["CL_RATE"])
        self.assertEqual((found.rows, found.without_data), (3, 1))

    def test_it_shows_the_list_on_the_supervisors_home_instead_of_every_commune(self) -> None:
        self.client.force_login(self.supervisor)
        body = self.client.get("/").content.decode()
        card = body[body.index('id="attention"'):]
        self.assertIn("Các xã cần chú ý", card)
        self.assertIn("2 xã cần chú ý, trong số 3 xã", card)
        self.assertLess(card.index("Xã Tân Ninh"), card.index("Xã Triệu Sơn"))
        self.assertIn(f"báo cáo năm {timezone.localdate().year} chậm 10 ngày", card)
        self.assertIn("1 bước xử lý vụ việc quá hạn", card)
        self.assertIn("1 chỉ tiêu chưa đạt", card)
        self.assertIn("Tỷ lệ lao động trẻ em", card)
        self.assertNotIn("Xã Yên Lặng", card)
        self.assertIn("1 xã chưa có số liệu năm nay", card)
        # The old card listed every commune of both structures.
        self.assertNotIn("Các xã trong địa bàn của tôi", body)
        self.assertNotIn("Xã Vân Sơn", body)

    def test_it_pins_the_queries_of_the_supervisors_home(self) -> None:
        self.client.force_login(self.supervisor)
        self.client.get("/")
        # Session and user 2; the attention list: the default unit and the year's table 31, the
        # unit map 4, the overdue steps 1, the periods and their overview 3; the commune count 1;
        # the panels: cases 3, indicators 30 (the same table: the figure cache is off in tests,
        # a hit otherwise), reports 3.  Nothing grows with the number of communes.
        with self.assertNumQueries(78):
            self.client.get("/")

    def test_it_is_for_supervisors_only(self) -> None:
        for user in (self.viewer, self.officer_a):
            self.client.force_login(user)
            self.assertNotIn('id="attention"', self.client.get("/").content.decode())


class AttentionPagingTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for i in range(23):
            AdminUnitFactory.create(
                scheme=Scheme.POST_2025, level=Level.COMMUNE, parent=cls.province, valid_from=REFORM_DATE,
                name=f"Xã Muộn {i:02d}",
            )
        today = timezone.localdate()
        PeriodFactory.create(year=today.year, receiver=cls.province, level=Level.COMMUNE,
                             due_on=today - dt.timedelta(days=3))

    def test_it_pages_the_list(self) -> None:
        self.client.force_login(self.supervisor)
        body = self.client.get("/").content.decode()
        self.assertIn("25 xã cần chú ý, trong số 25 xã", body)
        self.assertIn("Xã 1–20 trong số 25", body)
        self.assertEqual(body.count("chậm 3 ngày"), 20)
        second = self.client.get("/?page=2", headers={"HX-Request": "true", "HX-Target": "attention"}).content.decode()
        self.assertNotIn("<html", second)
        self.assertEqual(second.count("chậm 3 ngày"), 5)
        self.assertIn("Xã 21–25 trong số 25", second)


def test_it_puts_overdue_steps_before_late_reports_before_indicators() -> None:
    unit = AdminUnitFactory.build(name="Xã A")
    other = AdminUnitFactory.build(name="Xã B")
    steps = Attention(unit=other, overdue_steps=1)
    late = Attention(unit=unit, late_reports=[(2026, 30)], off_track=["CL_RATE", "TIMELY"])
    indicators = Attention(unit=unit, off_track=["CL_RATE", "TIMELY", "EDU_ACCESS"])
    assert sorted([indicators, late, steps], key=Attention.urgency) == [steps, late, indicators]
    assert not Attention(unit=unit).needs_attention


class CommunesCardTestCase(PersonaTestCase):
    """The viewer's and administrator's home: a page of the communes, not all of a province."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for i in range(25):
            AdminUnitFactory.create(
                scheme=Scheme.POST_2025, level=Level.COMMUNE, parent=cls.province, valid_from=REFORM_DATE,
                name=f"Xã Phụ {i:02d}",
            )

    def test_it_counts_every_commune_and_shows_twenty(self) -> None:
        from clms.places.selectors import communes_for_user

        total = communes_for_user(self.viewer).count()
        self.assertGreater(total, 25)
        self.client.force_login(self.viewer)
        body = self.client.get("/").content.decode()
        self.assertIn(f"{total} xã", body)
        card = body.split('id="communes-card"', 1)[1]
        self.assertEqual(card.count('href="/places/'), 20)
        self.assertIn(f"Xã 1–20 trong số {total}", card)
        rest = self.client.get("/?communes=2", headers={"HX-Request": "true", "HX-Target": "communes-card"}).content.decode()
        self.assertNotIn("<html", rest)
        self.assertEqual(rest.count('href="/places/'), min(20, total - 20))
