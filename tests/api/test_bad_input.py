"""Bad input gets a 4xx whose Vietnamese message names the field, and nothing is written."""

from __future__ import annotations

from django.test import override_settings

from clms.accounts.models import AuditEvent
from clms.people.models import Child, Household, WorkObservation
from tests.api.helpers import ApiClient, fields_of
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory, HouseholdFactory

VIETNAMESE = set("ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def vietnamese(text: str) -> bool:
    return bool(VIETNAMESE & set(text.lower()))


class BadInputTests(PersonaTestCase):
    def setUp(self) -> None:
        self.api = ApiClient(self.officer_a)
        household = HouseholdFactory.create(commune=self.commune_a, village=self.village_a)
        self.child = ChildFactory.create(commune=self.commune_a, village=self.village_a, household=household, grade=6)
        self.good = {"full_name": "Đỗ Thị Hoa", "sex": "F", "dob": "2014-03-02", "school_status": "attending",
                     "grade": 6, "commune": self.commune_a.pk, "village": self.village_a.pk, "head_name": "Đỗ Văn Nam"}

    def counts(self) -> tuple[int, int, int]:
        return Child.objects.count(), Household.objects.count(), WorkObservation.objects.count()

    def assert_refused(self, response: object, status: int, field: str) -> None:
        self.assertEqual(response.status_code, status, response.content)  # type: ignore[attr-defined]
        errors = response.json()["errors"]  # type: ignore[attr-defined]
        self.assertIn(field, [e["field"] for e in errors], errors)
        message = next(e["message"] for e in errors if e["field"] == field)
        self.assertTrue(vietnamese(message), message)

    def test_each_bad_field_is_named_in_vietnamese_and_nothing_is_written(self) -> None:
        cases = {
            "dob": "31/02/2025",
            "grade": "sáu",
            "sex": "X",
            "full_name": "A" * 10_000,
            "commune": "not-a-number",
            "school_status": "đang học",
        }
        before = self.counts()
        for field, value in cases.items():
            with self.subTest(field=field):
                self.assert_refused(self.api.post("/children", {**self.good, field: value}), 422, field)
        self.assertEqual(self.counts(), before)

    def test_an_impossible_iso_date_is_refused(self) -> None:
        before = self.counts()
        self.assert_refused(self.api.post("/children", {**self.good, "dob": "2025-02-31"}), 422, "dob")
        self.assertEqual(self.counts(), before)

    def test_a_future_birth_date_is_refused_by_the_same_rule_as_the_page(self) -> None:
        before = self.counts()
        self.assert_refused(self.api.post("/children", {**self.good, "dob": "2099-01-01"}), 422, "dob")
        self.assertEqual(self.counts(), before)

    def test_an_unknown_job_code_is_refused(self) -> None:
        before = self.counts()
        response = self.api.post(f"/children/{self.child.pk}/observations",
                                 {"observed_on": "2026-01-10", "activity": "EMPLOYED", "job_code": "KHONG_CO"})
        self.assert_refused(response, 422, "job_code")
        self.assertEqual(self.counts(), before)

    def test_an_unknown_commune_id_is_refused(self) -> None:
        before = self.counts()
        self.assert_refused(self.api.post("/children", {**self.good, "commune": 999_999, "village": None}), 422, "commune")
        self.assertEqual(self.counts(), before)

    def test_a_long_string_on_update_is_refused_and_the_record_unchanged(self) -> None:
        self.child.refresh_from_db()
        response = self.api.patch(f"/children/{self.child.pk}", {"version": self.child.version, "school_name": "x" * 10_000})
        self.assert_refused(response, 422, "school_name")
        before = self.child.version
        self.child.refresh_from_db()
        self.assertEqual((self.child.version, self.child.school_name), (before, ""))

    def test_a_stale_version_is_a_409_with_the_current_version(self) -> None:
        self.child.refresh_from_db()
        current = self.child.version
        response = self.api.patch(f"/children/{self.child.pk}", {"version": current - 1 if current > 1 else 99, "grade": 7})
        self.assert_refused(response, 409, "version")
        self.assertEqual(response.json()["current_version"], current)
        self.child.refresh_from_db()
        self.assertEqual(self.child.grade, 6)

    def test_a_missing_version_is_refused(self) -> None:
        self.assert_refused(self.api.patch(f"/children/{self.child.pk}", {"grade": 7}), 422, "version")

    def test_a_body_that_is_not_json_is_a_400(self) -> None:
        before = self.counts()
        response = self.api.post("/children", "{not json")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertTrue(vietnamese(response.json()["errors"][0]["message"]))
        self.assertEqual(self.counts(), before)

    def test_a_bad_cursor_is_a_400_naming_the_cursor(self) -> None:
        self.assert_refused(self.api.get("/children", cursor="%%%"), 400, "cursor")
        self.assert_refused(self.api.get("/children", cursor="WzFd"), 400, "cursor")  # base64 of [1]

    def test_a_huge_id_is_refused_not_a_crash(self) -> None:
        response = self.api.get(f"/children/{2**70}")
        self.assertEqual(response.status_code, 422)

    def test_an_impossible_step_is_a_409(self) -> None:
        from tests.cases.factories import file_report

        case = file_report(user=self.officer_a, child=self.child)
        case.refresh_from_db()
        response = self.api.post(f"/cases/{case.pk}/actions/start_monitoring", {"version": case.version})
        self.assertEqual(response.status_code, 409, response.content)
        self.assertTrue(vietnamese(response.json()["errors"][0]["message"]))


class RateLimitTests(PersonaTestCase):
    @override_settings(CLMS_API_RATE="3/m")
    def test_it_answers_429_with_retry_after_per_token(self) -> None:
        from django.core.cache import cache

        cache.clear()
        first, second = ApiClient(self.officer_a), ApiClient(self.officer_a)
        statuses = [first.get("/me").status_code for _ in range(4)]
        self.assertEqual(statuses, [200, 200, 200, 429])
        limited = first.get("/me")
        self.assertGreaterEqual(int(limited["Retry-After"]), 1)
        self.assertTrue(vietnamese(limited.json()["errors"][0]["message"]))
        # Another token of the same user has its own budget.
        self.assertEqual(second.get("/me").status_code, 200)


class AuditTests(PersonaTestCase):
    def test_a_write_is_audited_with_the_id_and_the_token(self) -> None:
        api = ApiClient(self.officer_a)
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a, grade=6)
        api.patch(f"/children/{child.pk}", {"version": 1, "grade": 7})
        event = AuditEvent.objects.filter(action="update", object_type="people.child", object_id=str(child.pk)).latest("at")
        self.assertEqual(event.user, self.officer_a)
        self.assertEqual(event.detail["via"], "api")
        self.assertTrue(event.detail["token"].startswith("clms_"))


class NestedFieldTests(PersonaTestCase):
    def test_a_bad_date_inside_the_new_child_names_the_nested_field(self) -> None:
        api = ApiClient(self.agency)
        before = Child.objects.count()
        response = api.post("/reports", {
            "source": "school", "received_at": "2026-03-02T08:30:00+07:00", "what_seen": "Em nghỉ học.",
            "village": self.village_a.pk, "new_child": {"full_name": "Lê Văn Tùng", "sex": "M", "dob": "31/02/2013"},
        })
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"], [
            {"field": "new_child.dob", "message": "Ngày không hợp lệ; viết theo dạng YYYY-MM-DD, ví dụ 2025-02-28."}
        ])
        self.assertEqual(Child.objects.count(), before)


class NulCharacterTests(PersonaTestCase):
    def test_a_nul_character_is_refused_before_it_reaches_the_database(self) -> None:
        api = ApiClient(self.officer_a)
        response = api.get("/children", q="An\x00")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(fields_of(response), ["q"])
        self.assertTrue(vietnamese(response.json()["errors"][0]["message"]))
