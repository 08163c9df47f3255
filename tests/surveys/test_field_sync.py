"""The phone's queue on the server: each key accepted once, each item answered on its own,
the same forms and services as the online pages, and the collaborator kept to her village."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.urls import reverse
from django.utils import timezone

from clms.accounts.models import AuditEvent
from clms.cases.models import Case, Report
from clms.people.models import Child, Visit, WorkObservation
from clms.surveys.field import field_submit
from clms.surveys.models import FieldSubmission
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory


def today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def earlier() -> str:
    # A report's time may not lie in the future: a fixed "07:30" failed every run made
    # between midnight and half past seven, Vietnamese time.
    return timezone.localtime().strftime("%H:%M")


def report_item(name: str = "Lò Văn Páo", key: str | None = None, **data: Any) -> dict[str, Any]:
    return {
        "key": key or str(uuid.uuid4()), "kind": "report",
        "data": {"source": "collaborator", "received_on": today(), "received_time": earlier(),
                 "what_seen": "Em vác gạch ở lò gạch cả ngày.", "new_name": name, "new_sex": "M",
                 "new_dob": "02/03/2014", **data},
    }


class FieldSyncTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.child = ChildFactory.create(village=self.village_a, full_name="Hà Thị Lan")
        self.foreign = ChildFactory.create(village=self.village_b, full_name="Vi Văn Nam")

    def post(self, items: list[dict[str, Any]], user: Any = None) -> Any:
        self.client.force_login(user or self.collaborator)
        return self.client.post(reverse("surveys:field_sync"), data=json.dumps({"items": items}),
                                content_type="application/json")

    def test_it_writes_two_reports_and_a_visit_each_with_its_own_answer(self) -> None:
        items = [
            report_item("Lò Văn Páo"),
            report_item("Lò Thị Mỷ", new_sex="F", new_dob="05/06/2012"),
            {"key": str(uuid.uuid4()), "kind": "visit",
             "data": {"child": str(self.child.pk), "visited_on": today(), "still_working": "yes", "note": "Vẫn đi làm."}},
        ]
        response = self.post(items)
        self.assertEqual(response.status_code, 200)
        results = response.json()["results"]
        self.assertEqual([r["status"] for r in results], ["accepted"] * 3)
        self.assertEqual([r["key"] for r in results], [i["key"] for i in items])
        self.assertEqual(Report.objects.count(), 2)
        self.assertEqual(Case.objects.filter(child__full_name__in=["Lò Văn Páo", "Lò Thị Mỷ"]).count(), 2)
        self.assertEqual(Visit.objects.filter(child=self.child).count(), 1)
        self.assertEqual(Child.objects.get(full_name="Lò Văn Páo").village, self.village_a)
        # The services audited what they wrote, like the online forms.
        self.assertTrue(AuditEvent.objects.filter(object_type="cases.report", action="create").exists())
        self.assertTrue(AuditEvent.objects.filter(object_type="people.visit", detail__via="offline").exists())

    def test_it_accepts_a_key_once_and_answers_a_second_send_with_the_first_result(self) -> None:
        item = report_item()
        first = self.post([item]).json()["results"][0]
        second = self.post([item]).json()["results"][0]
        self.assertEqual(first["status"], "accepted")
        self.assertEqual(second["record"], first["record"])
        self.assertTrue(second["repeat"])
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(FieldSubmission.objects.count(), 1)

    def test_it_refuses_an_invalid_item_with_a_vietnamese_error_and_keeps_the_others(self) -> None:
        bad: dict[str, Any] = {"key": str(uuid.uuid4()), "kind": "visit",
               "data": {"child": str(self.child.pk), "visited_on": "01/01/2099"}}
        results = self.post([bad, report_item()]).json()["results"]
        self.assertEqual(results[0]["status"], "rejected")
        self.assertIn("Ngày thăm", results[0]["message"])
        self.assertIn("visited_on", results[0]["errors"])
        self.assertEqual(results[1]["status"], "accepted")
        self.assertFalse(Visit.objects.exists())
        # Refused: nothing was kept for the key, so the corrected item may use it again.
        self.assertFalse(FieldSubmission.objects.filter(key=bad["key"]).exists())
        bad["data"]["visited_on"] = today()
        self.assertEqual(self.post([bad]).json()["results"][0]["status"], "accepted")

    def test_it_keeps_the_collaborator_to_her_village(self) -> None:
        visit = {"key": str(uuid.uuid4()), "kind": "visit", "data": {"child": str(self.foreign.pk), "visited_on": today()}}
        report = report_item(village=str(self.village_b.pk))
        results = self.post([visit, report]).json()["results"]
        self.assertEqual([r["status"] for r in results], ["rejected", "rejected"])
        self.assertIn("Trẻ", results[0]["message"])
        self.assertFalse(Visit.objects.exists())
        self.assertFalse(Report.objects.exists())

    def test_it_records_a_work_situation_classified_by_the_rules(self) -> None:
        item = {"key": str(uuid.uuid4()), "kind": "observation",
                "data": {"child": str(self.child.pk), "observed_on": today(), "activity": "EMPLOYED",
                         "job_code": "LC147.1.a", "hours_per_day": "8", "days_per_week": "6", "hazards": ["HEAVY_LOADS"]}}
        result = self.post([item]).json()["results"][0]
        self.assertEqual(result["status"], "accepted", result)
        self.assertEqual(result["record"]["category"], "CHILD_LABOUR")
        observation = WorkObservation.objects.get(child=self.child)
        self.assertEqual(observation.hazards, ["HEAVY_LOADS"])
        self.assertEqual(observation.classifications.filter(is_current=True).count(), 3)

    def test_it_shows_possible_duplicates_and_files_once_confirmed(self) -> None:
        ChildFactory.create(village=self.village_a, full_name="Lò Văn Páo", sex="M", dob="2014-03-02")
        item = report_item("Lò Văn Páo")
        result = self.post([item]).json()["results"][0]
        self.assertEqual(result["status"], "rejected")
        self.assertEqual([d["name"] for d in result["duplicates"]], ["Lò Văn Páo"])
        item["data"]["confirm_new"] = "on"
        self.assertEqual(self.post([item]).json()["results"][0]["status"], "accepted")

    def test_it_does_not_hand_one_users_key_to_another(self) -> None:
        item = report_item()
        self.post([item])
        result = field_submit(user=self.officer_a, key=item["key"], kind="report", data=item["data"])
        self.assertEqual(result["status"], "rejected")
        self.assertEqual(Report.objects.count(), 1)

    def test_it_answers_bad_requests_without_writing(self) -> None:
        self.client.force_login(self.collaborator)
        url = reverse("surveys:field_sync")
        self.assertEqual(self.client.post(url, data="{", content_type="application/json").status_code, 400)
        self.assertEqual(self.client.post(url, {"items": "x"}).status_code, 400)  # a form post, not JSON
        self.assertEqual(self.client.post(url, data=json.dumps({"items": "x"}), content_type="application/json").status_code, 400)
        result = self.post([{"key": "not-a-uuid", "kind": "report", "data": {}}, {"kind": "poem"}]).json()["results"]
        self.assertEqual([r["status"] for r in result], ["rejected", "rejected"])

    def test_it_gives_the_phone_a_token_and_refuses_roles_without_the_register(self) -> None:
        self.client.force_login(self.collaborator)
        response = self.client.get(reverse("surveys:field_sync"))
        self.assertEqual(response.json()["user"], self.collaborator.pk)
        self.assertTrue(response.json()["csrf"])
        self.client.force_login(self.agency)
        self.assertEqual(self.client.get(reverse("surveys:field")).status_code, 403)
        self.assertEqual(self.post([report_item()], user=self.viewer).status_code, 403)


class FieldPageTestCase(PersonaTestCase):
    def test_it_serves_the_forms_the_worker_and_the_manifest(self) -> None:
        ChildFactory.create(village=self.village_a, full_name="Hà Thị Lan")
        ChildFactory.create(village=self.village_b, full_name="Vi Văn Nam")
        self.client.force_login(self.collaborator)
        page = self.client.get(reverse("surveys:field")).content.decode()
        self.assertIn("Báo tin", page)
        self.assertIn("Ghi lần thăm", page)
        self.assertIn("Ghi nhận tình trạng làm việc", page)
        self.assertIn("chờ gửi (0)", page)
        kept = json.loads(page.split('<script id="field-children" type="application/json">', 1)[1].split("</script>", 1)[0])
        # Only her village's children are kept on the phone, with name, birth year and village.
        self.assertEqual([(c["name"], set(c)) for c in kept], [("Hà Thị Lan", {"id", "name", "born", "village"})])
        self.assertNotIn("<script>", page)  # no inline script: the CSP forbids it
        worker = self.client.get("/sw.js")
        self.assertEqual(worker["Content-Type"], "application/javascript; charset=utf-8")
        self.assertEqual(worker["Service-Worker-Allowed"], "/")
        self.assertIn("workbox-sw.js", worker.content.decode())
        self.assertNotIn("http", worker.content.decode().split("*/", 1)[1])  # nothing from a CDN
        manifest = self.client.get("/manifest.webmanifest").json()
        self.assertEqual(manifest["lang"], "vi")
        self.assertEqual(manifest["start_url"], "/field/")
        self.assertIn("Theo dõi", manifest["name"])
        self.assertEqual({i["sizes"] for i in manifest["icons"]}, {"192x192", "512x512"})
