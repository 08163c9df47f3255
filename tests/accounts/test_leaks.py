"""The six leaks of issue 15, each reproduced as it was found; each test failed before the fix."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditEvent, User
from clms.accounts.units import village_create
from clms.cases import services as case_services
from clms.cases.models import Notification, Source
from clms.core.actor import Actor, acting, client_ip
from clms.people.duplicates import find_duplicates
from clms.people.models import Child
from clms.people.selectors import children_for_user
from clms.places.models import AdminUnit, Level, Scheme, Succession
from clms.places.paths import BadUnitPath, unit_save, units_create
from clms.places.scoping import area_prefixes, unit_q
from tests.base import PersonaTestCase
from tests.cases.factories import file_report
from tests.factories import AdminUnitFactory, UserFactory
from tests.people.factories import ChildFactory

DOB = dt.date(2013, 6, 4)


class DuplicateCheckLeakTestCase(PersonaTestCase):
    """Leak 1: the duplicate check showed children the user may not read."""

    village_a2: AdminUnit
    other_village: Child
    old_commune: Child

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.village_a2 = AdminUnitFactory.create(
            name="Thôn 9", parent=cls.commune_a, scheme=Scheme.LOCAL, level=Level.VILLAGE, code=""
        )
        cls.other_village = ChildFactory.create(full_name="Hoàng Thị Lan", dob=DOB, village=cls.village_a2)
        cls.old_commune = ChildFactory.create(full_name="Hoàng Thị Lan", dob=DOB, commune=cls.a1)

    def _report(self, user: User, commune: AdminUnit | None = None) -> list[Child]:
        try:
            case_services.report_file(
                user=user, source=Source.COLLABORATOR, received_at=timezone.now(), what_seen="Bốc vác ở chợ",
                new_children=[case_services.NewChild(full_name="Hoàng Thị Lan", sex="F", dob=DOB,
                                                    village=self.village_a)],
                commune=commune,
            )
        except case_services.PossibleDuplicates as exc:
            return [c.child for c in exc.candidates]
        except PermissionDenied:
            return []
        return []

    def test_it_offers_a_collaborator_only_children_of_her_village(self) -> None:
        self.assertEqual(find_duplicates(user=self.collaborator, full_name="Hoàng Thị Lan", dob=DOB,
                                         commune=self.commune_a), [])
        self.assertEqual(self._report(self.collaborator), [])

    def test_it_offers_the_commune_officer_both(self) -> None:
        found = {c.child for c in find_duplicates(user=self.officer_a, full_name="Hoang Thi Lan", dob=DOB,
                                                  commune=self.commune_a)}
        self.assertEqual(found, {self.other_village, self.old_commune})

    def test_it_gives_an_officer_of_another_commune_nothing(self) -> None:
        self.assertEqual(self._report(self.officer_b, commune=self.commune_a), [])
        self.assertEqual(find_duplicates(user=self.officer_b, full_name="Hoàng Thị Lan", dob=DOB,
                                         commune=self.commune_a), [])

    def test_it_shows_no_foreign_child_in_the_report_form(self) -> None:
        self.client.force_login(self.collaborator)
        now = timezone.localtime()
        response = self.client.post(reverse("cases:report_new"), {
            "source": Source.COLLABORATOR, "received_on": now.strftime("%d/%m/%Y"),
            "received_time": now.strftime("%H:%M"), "what_seen": "Bốc vác ở chợ", "new_name": "Hoàng Thị Lan",
            "new_sex": "F", "new_dob": "04/06/2013", "village": self.village_a.pk,
        })
        # Before: the form came back (200) listing both foreign children as "possibly registered".
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Child.objects.filter(full_name="Hoàng Thị Lan", village=self.village_a).exists())


class NotificationLeakTestCase(PersonaTestCase):
    """Leak 2: notifications outlived the right to see them."""

    def test_it_hides_the_old_communes_notifications_after_a_transfer(self) -> None:
        child = ChildFactory.create(full_name="Hà Văn Tùng", village=self.village_a)
        file_report(user=self.collaborator, child=child)
        notification = Notification.objects.get(user=self.officer_a)
        self.client.force_login(self.officer_a)
        self.assertContains(self.client.get(reverse("cases:inbox")), "Hà Văn Tùng")

        self.officer_a.area = self.commune_b
        self.officer_a.save()
        response = self.client.get(reverse("cases:inbox"))
        self.assertNotContains(response, "Hà Văn Tùng")
        read = self.client.post(reverse("cases:notification_read", args=[notification.pk]), HTTP_HX_REQUEST="true")
        self.assertEqual(read.status_code, 404)
        self.client.post(reverse("cases:notifications_read_all"))
        notification.refresh_from_db()
        self.assertIsNone(notification.read_at)

    def test_it_audits_the_inbox(self) -> None:
        child = ChildFactory.create(full_name="Hà Văn Tùng", village=self.village_a)
        case = file_report(user=self.collaborator, child=child)
        self.client.force_login(self.officer_a)
        self.client.get(reverse("cases:inbox"))
        event = AuditEvent.objects.get(user=self.officer_a, object_type="cases.notification")
        self.assertIn(str(case.pk), event.detail["cases"])


class UnitPathLeakTestCase(PersonaTestCase):
    """Leak 3: a unit without a path opened the whole country."""

    def test_it_refuses_an_officer_of_a_unit_without_a_path(self) -> None:
        broken = AdminUnit.objects.create(scheme=Scheme.LOCAL, level=Level.COMMUNE, name="Xã Hỏng", path="")
        officer = UserFactory.create(username="broken", area=broken)
        ChildFactory.create(village=self.village_a)
        with self.assertRaises(BadUnitPath), self.assertLogs("clms.places.paths", "ERROR"):
            area_prefixes(officer)
        with self.assertRaises(BadUnitPath), self.assertLogs("clms.places.paths", "ERROR"):
            list(children_for_user(officer))

    def test_it_never_turns_an_empty_prefix_into_match_all(self) -> None:
        officer = UserFactory.create(username="empty", area=self.commune_a)
        officer._clms_area = None  # type: ignore[attr-defined]
        from clms.places.scoping import Area

        officer._clms_area = Area(("",))  # type: ignore[attr-defined]
        with self.assertRaises(BadUnitPath), self.assertLogs("clms.places.paths", "ERROR"):
            unit_q(officer)

    def test_it_gives_every_unit_created_by_the_code_a_correct_path(self) -> None:
        made: list[AdminUnit] = [self.province, self.district, self.a1, self.commune_a, self.village_a]  # factory
        made.append(unit_save(AdminUnit(scheme=Scheme.LOCAL, level=Level.VILLAGE, name="Thôn Mới", parent=self.commune_b)))
        made.append(village_create(user=self.officer_a, commune=self.commune_a, name="Thôn Đồng Tâm"))
        made.extend(units_create([
            AdminUnit(scheme=Scheme.LOCAL, level=Level.VILLAGE, name=f"Thôn Lô {i}", parent=self.commune_b)
            for i in range(3)
        ]))
        from clms.demo.setup import _ensure_villages

        _ensure_villages([self.commune_a])
        made.extend(AdminUnit.objects.filter(parent=self.commune_a))
        for unit in made:
            unit.refresh_from_db()
            expected = f"{unit.parent.path}{unit.pk}/" if unit.parent else f"/{unit.pk}/"
            self.assertEqual(unit.path, expected, unit.name)

    def test_it_moves_descendants_with_their_unit(self) -> None:
        self.commune_a.parent = self.district
        unit_save(self.commune_a)
        self.village_a.refresh_from_db()
        self.assertEqual(self.village_a.path, f"{self.district.path}{self.commune_a.pk}/{self.village_a.pk}/")

    def test_it_shows_units_read_only_in_the_admin(self) -> None:
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(reverse("admin:places_adminunit_add")).status_code, 403)
        change = self.client.post(reverse("admin:places_adminunit_change", args=[self.commune_a.pk]), {"name": "X"})
        self.assertEqual(change.status_code, 403)


class SplitCommuneLeakTestCase(PersonaTestCase):
    """Leak 4: an old commune split between A (main successor) and B widened B's scope."""

    split: AdminUnit
    no_village: Child
    old_village: Child
    went_to_b: Child
    village_moved: Child

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.split = AdminUnitFactory.create(
            name="Phường Đông Thọ", scheme=Scheme.PRE_2025, level=Level.COMMUNE, parent=cls.district
        )
        Succession.objects.create(predecessor=cls.split, successor=cls.commune_a, is_main=True)
        Succession.objects.create(predecessor=cls.split, successor=cls.commune_b, is_main=False)
        village = dict(scheme=Scheme.LOCAL, level=Level.VILLAGE, code="")
        old_unknown = AdminUnitFactory.create(name="Khu phố 1", parent=cls.split, **village)
        old_moved = AdminUnitFactory.create(name="Khu phố 2", parent=cls.split, **village)
        Succession.objects.create(predecessor=old_moved, successor=cls.village_b)
        cls.no_village = ChildFactory.create(full_name="Lê Không Thôn", commune=cls.split)
        cls.old_village = ChildFactory.create(full_name="Lê Thôn Cũ", commune=cls.split, village=old_unknown)
        cls.went_to_b = ChildFactory.create(full_name="Lê Sang B", commune=cls.split, village=cls.village_b)
        cls.village_moved = ChildFactory.create(full_name="Lê Thôn Chuyển", commune=cls.split, village=old_moved)

    def test_it_gives_the_non_main_successor_only_the_villages_that_went_to_it(self) -> None:
        self.assertEqual(set(children_for_user(self.officer_b)), {self.went_to_b, self.village_moved})

    def test_it_gives_the_main_successor_the_rest(self) -> None:
        self.assertEqual(set(children_for_user(self.officer_a)), {self.no_village, self.old_village})

    def test_it_gives_the_province_everything(self) -> None:
        self.assertTrue({self.no_village, self.old_village, self.went_to_b, self.village_moved}
                        <= set(children_for_user(self.supervisor)))

    def test_it_hides_the_child_page_from_the_wrong_successor(self) -> None:
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(reverse("people:detail", args=[self.no_village.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("people:detail", args=[self.went_to_b.pk])).status_code, 200)


@override_settings(CLMS_TRUSTED_PROXIES=["10.0.0.1"], CLMS_TRUSTED_PROXY_HEADER="X-Forwarded-For")
class AuditActorTestCase(PersonaTestCase):
    """Leak 5 (the audit part): real client address, path inside services, users kept."""

    def test_it_reads_the_client_address_from_the_trusted_proxy_only(self) -> None:
        rf = RequestFactory()
        behind = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
        self.assertEqual(client_ip(behind), "203.0.113.9")
        forged = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
        self.assertEqual(client_ip(forged), "198.51.100.7")

    def test_it_records_the_request_in_events_written_by_services(self) -> None:
        child = ChildFactory.create(village=self.village_a)
        self.client.force_login(self.officer_a)
        now = timezone.localtime()
        self.client.post(reverse("cases:report_new"), {
            "source": Source.COMMUNE, "received_on": now.strftime("%d/%m/%Y"), "received_time": now.strftime("%H:%M"),
            "what_seen": "Bốc vác ở chợ", "children": [child.pk],
        }, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_USER_AGENT="Firefox")
        event = AuditEvent.objects.get(object_type="cases.case", action="create")  # written by the service
        self.assertEqual((event.ip, event.user_agent, event.username), ("203.0.113.9", "Firefox", "officer_a"))
        self.assertEqual(event.path, reverse("cases:report_new"))

    def test_it_records_commands_as_the_actor(self) -> None:
        with acting(Actor.command("send_reminders")):
            event = audit_log(user=None, action="read", object_type="cases.case", object_id=1)
        self.assertEqual(event.path, "manage.py send_reminders")

    def test_it_keeps_users_and_their_usernames(self) -> None:
        event = audit_log(user=self.officer_b, action="read", object_type="people.child", object_id=1)
        with self.assertRaises(ProtectedError):
            self.officer_b.delete()
        self.officer_b.username = "renamed"
        self.officer_b.save()
        event.refresh_from_db()
        self.assertEqual(event.username, "officer_b")
        self.client.force_login(self.admin)
        response = self.client.get(reverse("admin:accounts_user_delete", args=[self.officer_b.pk]))
        self.assertEqual(response.status_code, 403)
