from __future__ import annotations

import datetime as dt

from clms.accounts.models import AuditEvent
from clms.people.models import Child
from tests.api.helpers import ApiClient, fields_of
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory, HouseholdFactory


class ChildrenTests(PersonaTestCase):
    def setUp(self) -> None:
        self.own = ChildFactory.create(commune=self.commune_a, village=self.village_a, full_name="Nguyễn Văn An", grade=6)
        self.other = ChildFactory.create(commune=self.commune_b, village=self.village_b, full_name="Lê Thị Bình")

    def test_it_lists_only_the_own_commune_and_audits_ids(self) -> None:
        api = ApiClient(self.officer_a)
        response = api.get("/children")
        self.assertEqual(response.status_code, 200, response.content)
        ids = [c["id"] for c in response.json()["items"]]
        self.assertEqual(ids, [self.own.pk])
        event = AuditEvent.objects.filter(object_type="people.child", action="list").latest("at")
        self.assertEqual(event.object_ids, [str(self.own.pk)])
        self.assertEqual(event.detail["via"], "api")

    def test_it_hides_another_communes_child_as_404(self) -> None:
        api = ApiClient(self.officer_a)
        self.assertEqual(api.get(f"/children/{self.other.pk}").status_code, 404)
        self.assertEqual(api.get(f"/children/{self.own.pk}").status_code, 200)

    def test_it_searches_without_diacritics(self) -> None:
        api = ApiClient(self.supervisor)
        response = api.get("/children", q="binh")
        self.assertEqual([c["id"] for c in response.json()["items"]], [self.other.pk])

    def test_it_pages_by_cursor(self) -> None:
        for i in range(5):
            ChildFactory.create(commune=self.commune_a, full_name=f"Phạm Văn {i}")
        api = ApiClient(self.officer_a)
        seen: list[int] = []
        cursor = None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            body = api.get("/children", **params).json()
            seen += [c["id"] for c in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        self.assertEqual(len(seen), 6)
        self.assertEqual(len(set(seen)), 6)

    def test_it_updates_with_version_and_refuses_a_stale_one(self) -> None:
        api = ApiClient(self.officer_a)
        version = api.get(f"/children/{self.own.pk}").json()["version"]
        ok = api.patch(f"/children/{self.own.pk}", {"version": version, "school_name": "THCS Dân Lực"})
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertEqual(ok.json()["school_name"], "THCS Dân Lực")
        stale = api.patch(f"/children/{self.own.pk}", {"version": version, "school_name": "Khác"})
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(stale.json()["current_version"], version + 1)
        self.assertEqual(fields_of(stale), ["version"])
        self.own.refresh_from_db()
        self.assertEqual(self.own.school_name, "THCS Dân Lực")

    def test_it_creates_a_child_with_a_new_household(self) -> None:
        api = ApiClient(self.officer_a)
        response = api.post("/children", {
            "full_name": "Hoàng Văn Cường", "sex": "M", "dob": "2014-03-02", "school_status": "attending",
            "grade": 6, "commune": self.commune_a.pk, "village": self.village_a.pk, "head_name": "Hoàng Văn Dũng",
        })
        self.assertEqual(response.status_code, 201, response.content)
        child = Child.objects.get(pk=response.json()["id"])
        assert child.household is not None
        self.assertEqual(child.household.head_name, "Hoàng Văn Dũng")

    def test_it_refuses_a_child_in_another_commune(self) -> None:
        api = ApiClient(self.officer_a)
        response = api.post("/children", {
            "full_name": "Hoàng Văn Cường", "sex": "M", "dob": "2014-03-02", "school_status": "attending",
            "grade": 6, "commune": self.commune_b.pk,
        })
        self.assertEqual(response.status_code, 422)
        self.assertEqual(fields_of(response), ["commune"])
        self.assertFalse(Child.objects.filter(full_name="Hoàng Văn Cường").exists())

    def test_it_records_an_observation_and_returns_the_articles(self) -> None:
        household = HouseholdFactory.create(commune=self.commune_a, village=self.village_a)
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a, household=household,
                                    dob=dt.date(2013, 5, 4))
        api = ApiClient(self.officer_a)
        response = api.post(f"/children/{child.pk}/observations", {
            "observed_on": "2026-01-10", "activity": "EMPLOYED", "hours_per_day": 8, "days_per_week": 6,
        })
        self.assertEqual(response.status_code, 201, response.content)
        law = [c for c in response.json()["classifications"] if c["ruleset"] == "vn-law"]
        self.assertEqual(len(law), 1)
        self.assertTrue(law[0]["references"])


class AuthTests(PersonaTestCase):
    def test_it_needs_a_token_or_session(self) -> None:
        from django.test import Client

        response = Client().get("/api/v1/me")
        self.assertEqual(response.status_code, 401)
        self.assertIn("mã", response.json()["errors"][0]["message"].lower())

    def test_a_revoked_token_stops_working(self) -> None:
        from clms.api.models import ApiToken
        from clms.api.tokens import token_revoke

        api = ApiClient(self.officer_a)
        self.assertEqual(api.get("/me").status_code, 200)
        token_revoke(user=self.officer_a, token=ApiToken.objects.get(user=self.officer_a))
        self.assertEqual(api.get("/me").status_code, 401)
