"""Field-level change history of children, households, observations and cases."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from clms.core.actor import Actor, acting
from clms.people import services
from clms.people.models import WorkObservation
from tests.base import PersonaTestCase
from tests.cases.factories import file_report


class HistoryTestCase(PersonaTestCase):
    def test_it_shows_who_changed_which_field_on_the_child_page(self) -> None:
        household = services.household_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                                              head_name="Lò Văn Chủ")
        child = services.child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                                      household=household, full_name="Lò Thị Mẩy", sex="F",
                                      dob=dt.date(2013, 2, 3))
        # As inside a request: ActorMiddleware sets the actor, the service edits through save_versioned.
        with acting(Actor(user=self.collaborator)):
            services.child_update(user=self.collaborator, child=child, version=child.version, full_name="Lò Thị Mây")
        self.assertEqual(child.history.count(), 2)
        latest = child.history.first()
        self.assertEqual(latest.history_user, self.collaborator)

        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("people:detail", args=[child.pk]))
        self.assertContains(page, "Lò Thị Mẩy")  # the old value
        self.assertContains(page, "Lò Thị Mây")
        self.assertContains(page, self.collaborator.full_name)
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(reverse("people:detail", args=[child.pk])).status_code, 404)

    def test_it_keeps_the_history_of_observations_and_cases(self) -> None:
        from tests.people.factories import ChildFactory

        child = ChildFactory.create(village=self.village_a)
        case = file_report(user=self.collaborator, child=child)
        self.assertGreaterEqual(case.history.count(), 1)
        self.client.force_login(self.officer_a)
        self.assertContains(self.client.get(reverse("cases:detail", args=[case.pk])), "Lịch sử thay đổi")
        observation = WorkObservation.objects.create(child=child, commune=child.commune,
                                                     observed_on=dt.date(2026, 1, 1))
        self.assertEqual(observation.history.count(), 1)
