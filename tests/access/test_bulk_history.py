"""Writes that bypass save() (update(), bulk_create()) still reach the change history, and the
child page shows the observations' history next to the child's and the household's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from clms.cases.models import Case
from clms.core.actor import Actor, acting
from clms.people.models import Child, Household, WorkObservation
from clms.people.services import child_create, child_merge, household_create, observation_record
from clms.privacy.services import ANONYMISED, child_anonymise
from tests.base import PersonaTestCase
from tests.cases.factories import file_report
from tests.people.imports import import_file
from tests.people.test_import_export import csv_file


class BulkHistoryTestCase(PersonaTestCase):
    def child(self, name: str, **fields: Any) -> Child:
        return child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                            full_name=name, sex="M", dob=dt.date(2011, 4, 3), **fields)

    def test_it_shows_an_observations_changes_on_the_child_page_to_its_readers_only(self) -> None:
        child = self.child("Vàng A Dế")
        observation = observation_record(user=self.officer_a, child=child, observed_on=dt.date(2026, 2, 2),
                                         activity="EMPLOYED", job_code="TT09.II.04", hours_per_day=10)
        # Observations have no editing page; a correction comes through the admin (save()).
        observation.hours_per_day = 6
        observation._history_user = self.collaborator  # type: ignore[attr-defined]
        observation.save()
        self.assertEqual(observation.history.count(), 2)
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("people:detail", args=[child.pk])).content.decode()
        self.assertIn("Quan sát lao động ngày 02/02/2026", page)
        self.assertIn("10.0</span> → 6.0", page)
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(reverse("people:detail", args=[child.pk])).status_code, 404)

    def test_it_records_a_merge_in_the_history_of_both_children_and_of_what_moved(self) -> None:
        keep, remove = self.child("Ngô Văn Lực"), self.child("Ngo Van Luc", personal_id="038211000111")
        observation = observation_record(user=self.officer_a, child=remove, observed_on=dt.date(2026, 2, 2),
                                         activity="EMPLOYED", job_code="TT09.II.04", hours_per_day=10)
        case = file_report(user=self.collaborator, child=remove)
        with acting(Actor(user=self.officer_a)):
            child_merge(user=self.officer_a, keep=keep, remove=remove)
        self.assertEqual(remove.history.first().merged_into_id, keep.pk)
        self.assertEqual(remove.history.first().history_user, self.officer_a)
        self.assertEqual(keep.history.first().personal_id, "038211000111")
        self.assertEqual(observation.history.first().child_id, keep.pk)
        self.assertEqual(Case.objects.get(pk=case.pk).history.first().child_id, keep.pk)

    def test_it_records_imported_children_and_households_as_created(self) -> None:
        self.client.force_login(self.officer_a)
        upload = csv_file(["Nguyễn Văn An;Nam;15/03/2013;Kinh;;Thôn 1;Nguyễn Văn Bình;Cận nghèo;Bỏ học;;01/09/2025"])
        self.assertContains(import_file(self.client, upload), "Đã nhập 1 trẻ em.")
        child = Child.objects.get(full_name="Nguyễn Văn An")
        self.assertEqual([(r.history_type, r.history_user) for r in child.history.all()], [("+", self.officer_a)])
        self.assertEqual(Household.objects.get().history.get().history_type, "+")

    def test_it_records_the_anonymisation_and_blanks_the_names_in_earlier_versions(self) -> None:
        household = household_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                                     head_name="Hờ A Chủ", phone="0912345678")
        child = self.child("Hờ Thị Say", household=household, note="ở cùng bà")
        observation = observation_record(user=self.officer_a, child=child, observed_on=dt.date(2026, 2, 2),
                                         activity="EMPLOYED", job_code="TT09.II.04", hours_per_day=10)
        before = child.history.count()
        child_anonymise(child=child, reason="retention")
        self.assertEqual(child.history.count(), before + 1)
        self.assertEqual(child.history.first().history_change_reason, "retention")
        self.assertFalse(child.history.filter(full_name="Hờ Thị Say").exists())
        self.assertFalse(child.history.exclude(note="").exists())
        self.assertTrue(all(h.full_name.startswith(ANONYMISED) for h in child.history.all()))
        self.assertFalse(household.history.filter(head_name="Hờ A Chủ").exists())
        self.assertFalse(household.history.exclude(phone="").exists())
        self.assertGreaterEqual(WorkObservation.objects.get(pk=observation.pk).history.count(), 1)
