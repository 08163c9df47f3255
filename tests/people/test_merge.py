import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.people.models import Child, Consent, Guardian, RiskAssessment, Visit, WorkObservation
from clms.people.services import (
    child_create,
    child_merge,
    consent_record,
    guardian_add,
    observation_record,
    visit_record,
)
from tests.base import PersonaTestCase


class MergeTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.keep = child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                                 full_name="Ngô Văn Lực", sex="M", dob=dt.date(2011, 4, 3))
        self.remove = child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                                   full_name="Ngo Van Luc", sex="M", dob=dt.date(2011, 3, 4), personal_id="038211000111")
        observation_record(user=self.officer_a, child=self.remove, observed_on=dt.date(2026, 2, 2),
                           activity="EMPLOYED", job_code="TT09.II.04", hours_per_day=10)
        visit_record(user=self.officer_a, child=self.remove, visited_on=dt.date(2026, 3, 1))
        guardian_add(user=self.officer_a, child=self.remove, full_name="Ngô Văn Hai", relationship="bố")
        consent_record(user=self.officer_a, child=self.remove, given_by="Ngô Văn Hai", relationship="bố",
                       given_on=dt.date(2026, 2, 2), purpose="Theo dõi")

    def test_it_moves_everything_and_marks_the_removed_child(self) -> None:
        moved = child_merge(user=self.officer_a, keep=self.keep, remove=self.remove)
        for model in (WorkObservation, Visit, Guardian, Consent):
            self.assertEqual(model.objects.filter(child=self.keep).count(), 1, model.__name__)
        self.assertFalse(WorkObservation.objects.filter(child=self.remove).exists())
        self.assertIn("people.workobservation", moved)
        self.remove.refresh_from_db()
        self.keep.refresh_from_db()
        self.assertEqual(self.remove.merged_into, self.keep)
        self.assertEqual(self.keep.personal_id, "038211000111")
        self.assertEqual(self.keep.last_visit_on, dt.date(2026, 3, 1))
        self.assertEqual(self.keep.latest_category, "CHILD_LABOUR")
        self.assertIn("previous_child_labour",
                      [f["code"] for f in RiskAssessment.objects.filter(child=self.keep).order_by("-pk")[0].factors])

    def test_it_classifies_the_moved_observations_again_with_the_kept_childs_data(self) -> None:
        # The removed record says born 5 January 2008: 18 on 2 February 2026, out of scope.
        # The kept record (the right one) says 4 April 2008: 17 on that day, so the
        # 10-hour day in an unlisted job is child labour (Art. 146(2)) and counts in CL_RATE.
        keep = child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                            full_name="Đinh Văn Sáu", sex="M", dob=dt.date(2008, 4, 4))
        remove = child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                              full_name="Dinh Van Sau", sex="M", dob=dt.date(2008, 1, 5))
        observation = observation_record(user=self.officer_a, child=remove, observed_on=dt.date(2026, 2, 2),
                                         activity="EMPLOYED", job_code="OTHER", hours_per_day=10)
        current = observation.classifications.filter(is_current=True, ruleset="vn-law")
        self.assertEqual(current.get().category, "OUT_OF_SCOPE")
        self.assertEqual(current.get().age, 18)
        child_merge(user=self.officer_a, keep=keep, remove=remove)
        row = current.get()
        self.assertEqual((row.category, row.age), ("CHILD_LABOUR", 17))
        self.assertEqual(observation.classifications.filter(is_current=True).count(), 3)
        keep.refresh_from_db()
        self.assertEqual(keep.latest_category, "CHILD_LABOUR")

    def test_it_moves_rows_of_other_apps_through_the_relation_registry(self) -> None:
        related = {r.related_model._meta.label_lower for r in Child._meta.related_objects}  # type: ignore[union-attr]
        self.assertIn("people.visit", related)
        if "cases.case" in related:  # the cases app holds its cases by a ForeignKey to Child
            self.assertIn("cases.case", related)

    def test_it_refuses_outsiders_and_self_merges(self) -> None:
        with self.assertRaises(PermissionDenied):
            child_merge(user=self.officer_b, keep=self.keep, remove=self.remove)
        with self.assertRaises(ValidationError):
            child_merge(user=self.officer_a, keep=self.keep, remove=self.keep)

    def test_the_merge_page_merges_and_audits(self) -> None:
        self.client.force_login(self.officer_a)
        url = reverse("people:merge")
        self.assertContains(self.client.get(url, {"a": self.keep.pk, "b": self.remove.pk}), "Ngày và tháng sinh bị đảo")
        response = self.client.post(url, {"a": self.keep.pk, "b": self.remove.pk, "keep": self.keep.pk})
        self.assertRedirects(response, reverse("people:detail", args=[self.keep.pk]))
        event = AuditEvent.objects.filter(action="update", object_id=str(self.keep.pk)).latest("at")
        self.assertEqual(event.detail["merged"], self.remove.pk)
        # The removed record leaves the lists and its page.
        self.assertEqual(self.client.get(reverse("people:detail", args=[self.remove.pk])).status_code, 404)
        names = [c.full_name for c in self.client.get(reverse("people:list")).context["page"].object_list]
        self.assertEqual(names, ["Ngô Văn Lực"])

    def test_the_merge_page_is_for_officers_of_the_area(self) -> None:
        url = reverse("people:merge")
        self.client.force_login(self.collaborator)
        self.assertEqual(self.client.get(url, {"a": self.keep.pk, "b": self.remove.pk}).status_code, 403)
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.post(url, {"a": self.keep.pk, "b": self.remove.pk, "keep": self.keep.pk}).status_code, 404)
        self.remove.refresh_from_db()
        self.assertIsNone(self.remove.merged_into)
