"""reach(unit, year, group): unique people when every activity has an attendance list, else attendances."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clms.outreach.models import ActivityKind, ActivityStatus, OutreachActivity
from clms.outreach.selectors import reach
from clms.outreach.services import attendee_add
from clms.places.models import AdminUnit
from tests.base import PersonaTestCase
from tests.outreach.factories import ActivityFactory, EmployerFactory, ReachFactory


class ReachTestCase(PersonaTestCase):
    def _training(self, unit: AdminUnit | None = None, **kwargs: Any) -> OutreachActivity:
        return ActivityFactory.create(unit=unit or self.commune_a, **kwargs)

    def test_it_counts_a_person_at_two_trainings_once(self) -> None:
        first, second = self._training(), self._training(starts_on=dt.date(2024, 9, 3))
        attendee_add(user=self.officer_a, activity=first, group="officials", full_name="Nguyễn Thị Hằng",
                     position="Công chức LĐTBXH", person_unit=self.commune_a)
        attendee_add(user=self.officer_a, activity=second, group="officials", full_name="  nguyen thi HANG ",
                     position="công chức lđtbxh", person_unit=self.commune_a)
        attendee_add(user=self.officer_a, activity=second, group="officials", full_name="Trần Văn Minh",
                     position="Chủ tịch UBND xã", person_unit=self.commune_a)
        self.assertEqual(reach(self.commune_a, 2024, "officials"), (2, "unique"))

    def test_it_tells_apart_namesakes_of_different_units_or_positions(self) -> None:
        training = self._training()
        for unit, position in ((self.commune_a, "Cán bộ tư pháp"), (self.commune_b, "Cán bộ tư pháp"), (self.commune_a, "Trưởng thôn")):
            attendee_add(user=self.supervisor, activity=training, group="officials", full_name="Lê Văn An",
                         position=position, person_unit=unit)
        self.assertEqual(reach(self.commune_a, 2024, "officials"), (3, "unique"))

    def test_it_counts_an_employer_at_two_trainings_once(self) -> None:
        employer = EmployerFactory.create(commune=self.commune_a)
        other = EmployerFactory.create(commune=self.commune_a)
        first, second = self._training(), self._training(starts_on=dt.date(2024, 11, 20))
        attendee_add(user=self.officer_a, activity=first, employer=employer)
        attendee_add(user=self.officer_a, activity=second, employer=employer)
        attendee_add(user=self.officer_a, activity=second, employer=other)
        self.assertEqual(reach(self.commune_a, 2024, "enterprises", kinds=[ActivityKind.TRAINING]), (2, "unique"))
        # Each list also sets its activity's count: 1 + 2 attendances.
        self.assertEqual(sum(r.count for r in first.reach.all()) + sum(r.count for r in second.reach.all()), 3)

    def test_it_sums_attendances_when_there_is_no_list(self) -> None:
        ReachFactory.create(activity=self._training(), group="teachers", count=40)
        ReachFactory.create(activity=self._training(), group="teachers", count=35)
        self.assertEqual(reach(self.commune_a, 2024, "teachers"), (75, "attendance"))

    def test_it_falls_back_to_attendances_when_one_activity_has_no_list(self) -> None:
        listed = self._training()
        attendee_add(user=self.officer_a, activity=listed, group="officials", full_name="Phạm Thu Trang")
        ReachFactory.create(activity=self._training(), group="officials", count=12)
        self.assertEqual(reach(self.commune_a, 2024, "officials"), (13, "attendance"))

    def test_it_counts_only_held_activities_of_the_year_in_the_unit_and_its_predecessors(self) -> None:
        ReachFactory.create(activity=self._training(unit=self.a1, starts_on=dt.date(2024, 5, 1)), group="parents", count=50)
        ReachFactory.create(activity=self._training(unit=self.village_a.parent), group="parents", count=5)
        ReachFactory.create(activity=self._training(status=ActivityStatus.PLANNED), group="parents", count=100)
        ReachFactory.create(activity=self._training(status=ActivityStatus.CANCELLED), group="parents", count=100)
        ReachFactory.create(activity=self._training(starts_on=dt.date(2023, 12, 31)), group="parents", count=100)
        ReachFactory.create(activity=self._training(unit=self.commune_b), group="parents", count=100)
        self.assertEqual(reach(self.commune_a, 2024, "parents"), (55, "attendance"))
        self.assertEqual(reach(self.a2, 2024, "parents"), (0, "attendance"))

    def test_it_filters_by_kind(self) -> None:
        ReachFactory.create(activity=self._training(), group="enterprises", count=8)
        ReachFactory.create(activity=self._training(kind=ActivityKind.CAMPAIGN), group="enterprises", count=30)
        self.assertEqual(reach(self.commune_a, 2024, "enterprises", kinds=["training"]).count, 8)
        self.assertEqual(reach(self.commune_a, 2024, "enterprises").count, 38)
