"""Importing ODK Central and KoBoToolbox exports: once and only once, checked whole, all or
nothing, errors in Vietnamese by submission and field, audited with the ids written."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.cases.models import Report
from clms.people.models import Child, WorkObservation
from clms.surveys import services
from clms.surveys.exports import read_export
from clms.surveys.imports import ImportRejected, submissions_import
from clms.surveys.models import ImportBatch, ImportedSubmission, SurveyHousehold, SurveyMember
from clms.surveys.xlsforms import village_code
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory
from tests.surveys import builders as b


class ImportTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.code = self.commune_a.code
        self.village = village_code(self.village_a)

    def report(self, name: str = "Lò Văn Páo", **extra: Any) -> dict[str, Any]:
        return {"uuid": b.new_uuid(), "commune": self.code, "village": self.village, "what_seen": "Em phụ hồ ở công trường.",
                "emergency": "no", "child_name": name, "child_sex": "M", "child_dob": "2013-04-05",
                "reporter_name": "Bà Hạnh", "reporter_phone": "0987654321", **extra}

    def run_import(self, raw: bytes, filename: str, kind: str, **kwargs: Any) -> Any:
        source, submissions = read_export(io.BytesIO(raw), filename)
        return submissions_import(user=self.officer_a, commune=self.commune_a, kind=kind, submissions=submissions,
                                  source=source, filename=filename, **kwargs)

    def test_it_imports_an_odk_central_csv_once_and_only_once(self) -> None:
        raw = b.odk_csv(b.REPORT_FIELDS, [self.report("Lò Văn Páo"), self.report("Lò Thị Mỷ", child_sex="F")])
        first = self.run_import(raw, "clms_report.csv", "report")
        self.assertEqual((first.written, first.skipped), (2, 0))
        self.assertEqual(Report.objects.count(), 2)
        self.assertEqual(Child.objects.get(full_name="Lò Văn Páo").village, self.village_a)
        again = self.run_import(raw, "clms_report.csv", "report")
        self.assertEqual((again.written, again.skipped), (0, 2))
        self.assertEqual(Report.objects.count(), 2)
        event = AuditEvent.objects.get(object_type="surveys.importbatch", action="import")
        self.assertEqual(sorted(event.object_ids), sorted(str(pk) for pk in Report.objects.values_list("pk", flat=True)))
        self.assertEqual(len(event.detail["instances"]), 2)

    def test_it_writes_nothing_when_one_submission_is_wrong(self) -> None:
        good = self.report("Lò Văn Páo")
        other = self.report("Vi Thị Hoa", commune=self.commune_b.code)
        unknown = self.report("Hà Văn Dũng", village="V999999")
        raw = b.odk_csv(b.REPORT_FIELDS, [good, other, unknown, good])
        with self.assertRaises(ImportRejected) as caught:
            self.run_import(raw, "export.csv", "report")
        text = [str(e) for e in caught.exception.errors]
        self.assertTrue(any(other["uuid"] in t and "“commune”" in t and "không phải" in t for t in text), text)
        self.assertTrue(any(unknown["uuid"] in t and "“village”" in t and "V999999" in t for t in text), text)
        self.assertTrue(any(good["uuid"] in t and "hai lần" in t for t in text), text)
        self.assertFalse(Report.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())

    def test_it_stops_at_a_possible_duplicate_unless_confirmed(self) -> None:
        ChildFactory.create(village=self.village_a, full_name="Lò Văn Páo", sex="M", dob=dt.date(2013, 4, 5))
        raw = b.odk_csv(b.REPORT_FIELDS, [self.report("Lò Văn Páo")])
        with self.assertRaises(ImportRejected) as caught:
            self.run_import(raw, "export.csv", "report")
        self.assertIn("Lò Văn Páo", str(caught.exception.errors[0]))
        self.assertEqual(self.run_import(raw, "export.csv", "report", confirm_new=True).written, 1)

    def test_it_imports_a_kobo_csv_of_work_observations(self) -> None:
        child = ChildFactory.create(village=self.village_a)
        foreign = ChildFactory.create(village=self.village_b)
        row: dict[str, Any] = {"uuid": b.new_uuid(), "commune": self.code, "child_id": child.pk, "observed_on": "2026-11-19",
               "activity": "EMPLOYED", "job_code": "LC147.1.a", "hours_per_day": "8", "days_per_week": "6",
               "night_work": "no", "hazards": "HEAVY_LOADS DUST_FUMES_GAS"}
        outcome = self.run_import(b.kobo_csv(b.OBSERVATION_FIELDS, [row]), "kobo.csv", "observation")
        self.assertEqual(outcome.written, 1)
        observation = WorkObservation.objects.get(child=child)
        self.assertEqual(sorted(observation.hazards), ["DUST_FUMES_GAS", "HEAVY_LOADS"])
        self.assertEqual(ImportBatch.objects.get().source, "kobo_csv")
        bad = {**row, "uuid": b.new_uuid(), "child_id": foreign.pk}
        worse = {**row, "uuid": b.new_uuid(), "hours_per_day": "30"}
        with self.assertRaises(ImportRejected) as caught:
            self.run_import(b.kobo_csv(b.OBSERVATION_FIELDS, [bad, worse]), "kobo.csv", "observation")
        text = [str(e) for e in caught.exception.errors]
        self.assertTrue(any(bad["uuid"] in t and "child_id" in t for t in text), text)
        self.assertTrue(any(worse["uuid"] in t and "hours_per_day" in t for t in text), text)

    def test_it_refuses_a_malformed_export_with_a_vietnamese_message(self) -> None:
        from clms.surveys.exports import ExportUnreadable

        for raw, name in ((b"PK\x03\x04garbage", "x.zip"), (b"not a workbook", "x.xlsx"), (b"a,b\n1,2\n", "x.csv"),
                          (b"\xff\xfe\x00", "x.csv"), (b"", "x.pdf")):
            with self.subTest(name=name), self.assertRaises(ExportUnreadable) as caught:
                read_export(io.BytesIO(raw), name)
            self.assertTrue(str(caught.exception.errors[0]))


class SurveyImportTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.survey = services.round_create(user=self.officer_a, unit=self.commune_a, year=2026, title="Khảo sát 2026",
                                            questionnaire_version="2026.1")
        self.psu = services.psu_add(user=self.officer_a, survey=self.survey, stratum="1", village=self.village_a,
                                    households_listed=120, households_selected=3)

    def household(self, number: int, members: list[dict[str, Any]], result: str = "completed") -> dict[str, Any]:
        return {"uuid": b.new_uuid(), "commune": self.commune_a.code, "village": village_code(self.village_a),
                "household_number": number, "head_name": f"Chủ hộ {number}", "result": result,
                "interviewed_on": "2026-11-18", "member": members}

    def member(self, name: str, dob: str, **work: str) -> dict[str, str]:
        return {"member_name": name, "member_sex": "F", "member_dob": dob, "activity": "NONE", **work}

    def test_it_imports_a_kobo_xlsx_with_the_children_on_their_own_sheet(self) -> None:
        rows = [
            self.household(1, [self.member("Vi Thị Hoa", "2014-02-01", activity="EMPLOYED", job_code="LC147.1.a",
                                           hours_per_day="8", days_per_week="6"),
                               self.member("Vi Văn Tú", "2018-06-01")]),
            self.household(2, [], result="refused"),
        ]
        raw = b.kobo_xlsx(b.SURVEY_FIELDS, rows, "member", b.MEMBER_FIELDS)
        source, submissions = read_export(io.BytesIO(raw), "kobo.xlsx")
        outcome = submissions_import(user=self.officer_a, commune=self.commune_a, kind="survey", submissions=submissions,
                                     source=source, survey=self.survey)
        self.assertEqual(outcome.written, 2)
        self.assertEqual(SurveyHousehold.objects.count(), 2)
        hoa = SurveyMember.objects.get(full_name="Vi Thị Hoa")
        self.assertEqual(hoa.category_vn_law, "CHILD_LABOUR")
        self.assertEqual(hoa.category_mics6, "HAZARDOUS_CHILD_LABOUR")
        self.assertEqual(hoa.household.weight, 40.0)
        self.assertEqual(SurveyMember.objects.get(full_name="Vi Văn Tú").category_vn_law, "NOT_CHILD_LABOUR")

    def test_it_imports_an_odk_central_zip_with_the_repeat_group_csv(self) -> None:
        rows = [self.household(1, [self.member("Lò Thị Mai", "2012-01-01"), self.member("Lò Văn Sáng", "2010-01-01")])]
        raw = b.odk_zip("clms_survey", b.SURVEY_FIELDS, rows, "member", b.MEMBER_FIELDS)
        source, submissions = read_export(io.BytesIO(raw), "odk.zip")
        self.assertEqual(source, "odk_zip")
        submissions_import(user=self.officer_a, commune=self.commune_a, kind="survey", submissions=submissions,
                           source=source, survey=self.survey)
        self.assertEqual(sorted(SurveyMember.objects.values_list("full_name", flat=True)), ["Lò Thị Mai", "Lò Văn Sáng"])
        self.assertEqual(ImportedSubmission.objects.get().instance_id, rows[0]["uuid"])

    def test_it_names_the_child_and_field_of_a_bad_household(self) -> None:
        rows = [self.household(1, [self.member("Em Bé", "2024-01-01")]),
                self.household(2, [self.member("Lò Văn Sáng", "2010-01-01", hours_per_day="nhiều")])]
        raw = b.odk_zip("clms_survey", b.SURVEY_FIELDS, rows, "member", b.MEMBER_FIELDS)
        source, submissions = read_export(io.BytesIO(raw), "odk.zip")
        with self.assertRaises(ImportRejected) as caught:
            submissions_import(user=self.officer_a, commune=self.commune_a, kind="survey", submissions=submissions,
                               source=source, survey=self.survey)
        text = [str(e) for e in caught.exception.errors]
        self.assertTrue(any(rows[0]["uuid"] in t and "member/member_dob" in t for t in text), text)
        self.assertTrue(any(rows[1]["uuid"] in t and "hours_per_day" in t for t in text), text)
        self.assertFalse(SurveyHousehold.objects.exists())


class ImportPageTestCase(PersonaTestCase):
    def test_it_uploads_an_export_and_shows_the_errors(self) -> None:
        self.client.force_login(self.officer_a)
        url = reverse("surveys:import")
        good = {"uuid": b.new_uuid(), "commune": self.commune_a.code, "village": village_code(self.village_a),
                "what_seen": "Em bán vé số đêm.", "emergency": "yes", "child_name": "Lò Văn Páo", "child_sex": "M",
                "child_dob": "2013-04-05"}
        bad = {**good, "uuid": b.new_uuid(), "village": "V0"}
        upload = SimpleUploadedFile("odk.csv", b.odk_csv(b.REPORT_FIELDS, [good, bad]), content_type="text/csv")
        page = self.client.post(url, {"kind": "report", "commune": self.commune_a.pk, "file": upload}).content.decode()
        self.assertIn(bad["uuid"], page)
        self.assertFalse(Report.objects.exists())
        upload = SimpleUploadedFile("odk.csv", b.odk_csv(b.REPORT_FIELDS, [good]), content_type="text/csv")
        response = self.client.post(url, {"kind": "report", "commune": self.commune_a.pk, "file": upload})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Report.objects.get().emergency, True)
        self.client.force_login(self.collaborator)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.officer_b)
        upload = SimpleUploadedFile("odk.csv", b.odk_csv(b.REPORT_FIELDS, [good]), content_type="text/csv")
        self.client.post(url, {"kind": "report", "commune": self.commune_a.pk, "file": upload})
        self.assertEqual(Report.objects.count(), 1)  # officer B cannot pick commune A


class FakeSubmissions:
    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records
        self.calls: list[dict[str, Any]] = []

    def get_table(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return {"value": self.records}


class FakeClient:
    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.submissions = FakeSubmissions(records)


@override_settings(CLMS_ODK_CENTRAL_URL="https://odk.example.gov.vn", CLMS_ODK_CENTRAL_USERNAME="clms@example.gov.vn",
                   CLMS_ODK_CENTRAL_PASSWORD="s3cret-for-tests")
class OdkPullTestCase(PersonaTestCase):
    def test_it_pulls_new_submissions_through_pyodk_once(self) -> None:
        instance = b.new_uuid()
        record = {
            "__id": f"uuid:{instance}", "__system": {"submissionDate": "2026-11-20T03:15:00.000Z"},
            "commune": self.commune_a.code, "village": village_code(self.village_a), "what_seen": "Em chăn trâu thuê.",
            "emergency": "no", "child": {"child_name": "Lò Văn Páo", "child_sex": "M", "child_dob": "2013-04-05"},
            "reporter": {"reporter_name": None}, "meta": {"instanceID": f"uuid:{instance}"},
        }
        client = FakeClient([record])
        out = io.StringIO()
        with mock.patch("clms.surveys.management.commands.odk_pull.make_client", return_value=client):
            call_command("odk_pull", commune=self.commune_a.code, kind="report", username="officer_a", stdout=out)
            call_command("odk_pull", commune=self.commune_a.code, kind="report", username="officer_a", stdout=out)
        self.assertEqual(client.submissions.calls[0]["form_id"], f"clms_report_{self.commune_a.code}")
        self.assertEqual(client.submissions.calls[0]["expand"], "*")
        self.assertIn("1 imported", out.getvalue())
        self.assertIn("0 imported, 1 already imported", out.getvalue())
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(ImportBatch.objects.get().source, "odk_pull")

    @override_settings(CLMS_ODK_CENTRAL_URL="")
    def test_it_says_what_to_configure(self) -> None:
        with self.assertRaises(CommandError):
            call_command("odk_pull", commune=self.commune_a.code, kind="report", username="officer_a")
