"""One submit, one record (issue 16, part 2): the one-time form token of every POST form."""

from __future__ import annotations

import re
import threading
import unittest
import uuid

from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from clms.core.models import SubmittedForm
from clms.outreach.models import Attendee
from clms.people.models import Child, Visit
from tests.base import Personas, PersonaTestCase, build_personas
from tests.outreach.factories import ActivityFactory
from tests.people.factories import ChildFactory
from tests.people.test_forms_flow import child_data, household_data


def token_of(html: str) -> str:
    found = re.search(r'name="form_token" value="([0-9a-f-]{36})"', html)
    assert found, "the page has no form token"
    return found.group(1)


class FormTokenTestCase(PersonaTestCase):
    def test_every_post_form_of_a_page_gets_its_own_token(self) -> None:
        self.client.force_login(self.officer_a)
        html = self.client.get("/register/new/").content.decode()
        tokens = re.findall(r'name="form_token" value="([0-9a-f-]{36})"', html)
        # The child form and the logout form of the header.
        self.assertEqual(len(tokens), 2)
        self.assertEqual(len(set(tokens)), 2)

    def test_a_double_tap_creates_one_child_and_the_second_answer_shows_it(self) -> None:
        self.client.force_login(self.officer_a)
        token = token_of(self.client.get("/register/new/").content.decode())
        data = {**household_data(self.village_a), **child_data(), "form_token": token}
        first = self.client.post("/register/new/", data)
        second = self.client.post("/register/new/", data, follow=True)
        child = Child.objects.get()
        self.assertEqual(first.status_code, 302)
        self.assertEqual(first["Location"], f"/register/{child.pk}/")
        self.assertEqual(second.redirect_chain[-1][0], f"/register/{child.pk}/")
        self.assertContains(second, "Biểu mẫu này đã được gửi trước đó")
        self.assertContains(second, "Lê Thị Hoa")

    def test_a_refused_send_keeps_the_token_usable_for_the_corrected_form(self) -> None:
        self.client.force_login(self.officer_a)
        token = str(uuid.uuid4())
        bad = {**household_data(self.village_a), **child_data(**{"child-dob": "31/02/2015"}), "form_token": token}
        self.assertEqual(self.client.post("/register/new/", bad).status_code, 200)
        self.assertFalse(SubmittedForm.objects.exists())
        good = {**household_data(self.village_a), **child_data(), "form_token": token}
        self.assertEqual(self.client.post("/register/new/", good).status_code, 302)
        self.assertEqual(Child.objects.count(), 1)

    def test_another_users_token_shows_nothing_of_theirs(self) -> None:
        self.client.force_login(self.officer_a)
        token = str(uuid.uuid4())
        data = {**household_data(self.village_a), **child_data(), "form_token": token}
        self.client.post("/register/new/", data)
        self.client.force_login(self.officer_b)
        response = self.client.post("/register/new/", data)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Child.objects.count(), 1)

    def test_a_form_without_token_or_with_a_bad_one_works_as_before(self) -> None:
        self.client.force_login(self.officer_a)
        for token in ("", "not-a-uuid", "1" * 25):
            data = {**household_data(self.village_a), **child_data(**{"child-full_name": f"Trẻ {token[:3]}"}),
                    "child-confirm_different": "on", "form_token": token}
            self.assertEqual(self.client.post("/register/new/", data).status_code, 302)
        self.assertEqual(Child.objects.count(), 3)


@unittest.skipUnless(connection.vendor == "postgresql", "simultaneous writers need PostgreSQL")
class SimultaneousSendsTestCase(Personas, TransactionTestCase):
    """Real concurrency: each thread has its own database connection and its own client."""

    def setUp(self) -> None:
        build_personas(self)

    def _send_together(self, count: int, url: str, data: dict[str, str], user: object, **headers: str) -> list[int]:
        barrier = threading.Barrier(count)
        statuses: list[int] = []
        lock = threading.Lock()

        def send() -> None:
            client = Client()
            client.force_login(user)  # type: ignore[arg-type]
            try:
                barrier.wait()
                response = client.post(url, data, **headers)  # type: ignore[arg-type]
                with lock:
                    statuses.append(response.status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _i in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return statuses

    def test_ten_simultaneous_add_child_sends_create_one_child(self) -> None:
        data = {**household_data(self.village_a), **child_data(), "form_token": str(uuid.uuid4())}
        statuses = self._send_together(10, "/register/new/", data, self.officer_a)
        self.assertEqual(statuses, [302] * 10)
        self.assertEqual(Child.objects.count(), 1)

    def test_twenty_simultaneous_visit_sends_record_one_visit(self) -> None:
        child = ChildFactory.create(village=self.village_a)
        data = {"visited_on": "01/11/2026", "still_working": "", "school_status": "", "note": "Đã gặp gia đình",
                "form_token": str(uuid.uuid4())}
        statuses = self._send_together(20, f"/register/{child.pk}/visits/new/", data, self.officer_a)
        self.assertEqual(statuses, [302] * 20)
        self.assertEqual(Visit.objects.filter(child=child).count(), 1)

    def test_ten_simultaneous_htmx_attendee_sends_add_one_attendee(self) -> None:
        training = ActivityFactory.create(unit=self.commune_a)
        url = reverse("outreach:attendee_add", args=[training.pk])
        data = {"full_name": "Hoàng Văn Tú", "group": "officials", "form_token": str(uuid.uuid4())}
        statuses = self._send_together(10, url, data, self.officer_a, HTTP_HX_REQUEST="true")
        self.assertEqual(sorted(statuses), [200] * 10)
        self.assertEqual(Attendee.objects.filter(activity=training).count(), 1)


class FragmentFormTestCase(PersonaTestCase):
    """Forms posted by htmx answer with a fragment (200), not a redirect: the token must still hold."""

    def test_a_double_tap_on_an_htmx_attendance_form_adds_one_attendee_and_reloads_the_page(self) -> None:
        training = ActivityFactory.create(unit=self.commune_a)
        self.client.force_login(self.officer_a)
        page = f"http://testserver/outreach/{training.pk}/"
        url = reverse("outreach:attendee_add", args=[training.pk])
        data = {"full_name": "Hoàng Văn Tú", "position": "Trưởng thôn", "group": "officials", "form_token": str(uuid.uuid4())}
        first = self.client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=page)
        second = self.client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=page)
        self.assertContains(first, "Hoàng Văn Tú")
        self.assertEqual(Attendee.objects.filter(activity=training).count(), 1)
        # The second answer sends the browser to the page the form sits on, which lists the attendee.
        self.assertEqual(second["HX-Redirect"], page)
        self.assertContains(self.client.get(page), "Hoàng Văn Tú")

    def test_a_refused_htmx_send_keeps_the_token_usable(self) -> None:
        training = ActivityFactory.create(unit=self.commune_a)
        self.client.force_login(self.officer_a)
        url = reverse("outreach:attendee_add", args=[training.pk])
        token = str(uuid.uuid4())
        self.client.post(url, {"full_name": "", "group": "officials", "form_token": token}, HTTP_HX_REQUEST="true")
        self.assertFalse(SubmittedForm.objects.exists())
        self.client.post(url, {"full_name": "Hoàng Văn Tú", "group": "officials", "form_token": token}, HTTP_HX_REQUEST="true")
        self.assertEqual(Attendee.objects.filter(activity=training).count(), 1)

    def test_an_offsite_current_url_is_not_used_as_the_way_back(self) -> None:
        training = ActivityFactory.create(unit=self.commune_a)
        self.client.force_login(self.officer_a)
        url = reverse("outreach:attendee_add", args=[training.pk])
        data = {"full_name": "Hoàng Văn Tú", "group": "officials", "form_token": str(uuid.uuid4())}
        self.client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/")
        self.assertEqual(SubmittedForm.objects.get().location, url)
