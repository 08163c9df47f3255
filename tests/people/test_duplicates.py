import datetime as dt

from django.test import SimpleTestCase
from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.people.duplicates import Person, dob_score, find_duplicates, pairs_among, score_pair
from clms.people.models import Child
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory, HouseholdFactory


def person(name: str, dob: dt.date, key: int = 1, **kw) -> Person:
    from clms.rules import fold

    return Person(key=key, name_folded=fold(name), dob=dob, commune_id=kw.pop("commune_id", 1), **kw)


class ScoringTestCase(SimpleTestCase):  # pure: no database
    def test_it_matches_without_diacritics_and_in_another_word_order(self) -> None:
        a = person("Nguyễn Văn An", dt.date(2012, 4, 9))
        self.assertIsNotNone(score_pair(a, person("nguyen van an", dt.date(2012, 4, 9), 2)))
        self.assertIsNotNone(score_pair(a, person("An Nguyễn Văn", dt.date(2012, 4, 9), 2)))

    def test_it_matches_a_typo_and_swapped_day_and_month(self) -> None:
        a = person("Trần Thị Hương", dt.date(2011, 3, 7))
        b = person("Tran Thi Huong", dt.date(2011, 7, 3), 2)
        candidate = score_pair(a, b)
        assert candidate is not None
        self.assertIn("swapped_dob", candidate.reasons)
        self.assertIsNotNone(score_pair(a, person("Trần Thị Hưong", dt.date(2011, 3, 7), 3)))

    def test_it_keeps_different_children_apart(self) -> None:
        a = person("Nguyễn Văn An", dt.date(2012, 4, 9))
        self.assertIsNone(score_pair(a, person("Nguyễn Văn Bình", dt.date(2012, 4, 9), 2)))
        self.assertIsNone(score_pair(a, person("Nguyễn Văn An", dt.date(2013, 9, 20), 3)))
        self.assertIsNone(score_pair(a, person("Lê Thị Mai", dt.date(2012, 4, 9), 4)))

    def test_it_scores_dates(self) -> None:
        self.assertEqual(dob_score(dt.date(2012, 1, 5), dt.date(2012, 5, 1))[1], "swapped_dob")
        self.assertEqual(dob_score(dt.date(2012, 1, 12), dt.date(2012, 1, 21))[1], "near_dob")
        self.assertEqual(dob_score(dt.date(2012, 1, 5), dt.date(2013, 1, 5))[1], "year_dob")
        self.assertEqual(dob_score(dt.date(2012, 1, 5), dt.date(2012, 6, 5))[1], "")

    def test_it_finds_pairs_only_within_a_commune(self) -> None:
        people = [
            person("Lê Văn Tám", dt.date(2010, 2, 2), 1, commune_id=1),
            person("Le Van Tam", dt.date(2010, 2, 2), 2, commune_id=1),
            person("Le Van Tam", dt.date(2010, 2, 2), 3, commune_id=2),
        ]
        pairs = pairs_among(people)
        self.assertEqual([(a.key, b.key) for a, b, _c in pairs], [(1, 2)])


class FindDuplicatesTestCase(PersonaTestCase):
    def test_it_finds_the_same_child_reported_twice(self) -> None:
        household = HouseholdFactory.create(village=self.village_a)
        existing = ChildFactory.create(full_name="Hoàng Thị Lan", dob=dt.date(2013, 6, 4), village=self.village_a,
                                       household=household)
        ChildFactory.create(full_name="Hoàng Thị Lan", dob=dt.date(2013, 6, 4), village=self.village_b)
        found = find_duplicates(user=self.officer_a, full_name="HOANG THI LAN", dob=dt.date(2013, 4, 6), commune=self.commune_a,
                                household=household)
        self.assertEqual([c.child for c in found], [existing])
        self.assertIn("same_household", found[0].reasons)
        self.assertEqual(find_duplicates(user=self.officer_a, full_name="Hoàng Thị Lan", dob=dt.date(2013, 6, 4), commune=self.commune_a,
                                         exclude=existing.pk), [])

    def test_it_finds_a_child_registered_under_the_old_commune(self) -> None:
        old = ChildFactory.create(full_name="Vũ Đức Minh", dob=dt.date(2012, 1, 30), commune=self.a2)
        found = find_duplicates(user=self.officer_a, full_name="Vu Duc Minh", dob=dt.date(2012, 1, 30), commune=self.commune_a)
        self.assertEqual([c.child for c in found], [old])


class DuplicateReportTestCase(PersonaTestCase):
    a: Child
    b: Child
    c: Child
    d: Child
    url = "/register/duplicates/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.a = ChildFactory.create(full_name="Đặng Văn Hùng", dob=dt.date(2011, 8, 2), village=cls.village_a)
        cls.b = ChildFactory.create(full_name="Dang Van Hung", dob=dt.date(2011, 2, 8), village=cls.village_a)
        cls.c = ChildFactory.create(full_name="Đặng Văn Hùng", dob=dt.date(2011, 8, 2), village=cls.village_b)
        cls.d = ChildFactory.create(full_name="Dang Van Hung", dob=dt.date(2011, 8, 2), village=cls.village_b)

    def test_it_lists_pairs_of_the_officers_area_only(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(self.url)
        pairs = {frozenset((a.pk, b.pk)) for a, b, _c in response.context["pairs"]}
        self.assertEqual(pairs, {frozenset((self.a.pk, self.b.pk))})
        event = AuditEvent.objects.filter(action="list").latest("at")
        self.assertEqual(set(event.object_ids), {str(self.a.pk), str(self.b.pk)})

    def test_it_is_for_officers_only(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 302)
        for user in (self.collaborator, self.viewer, self.agency):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_it_refuses_to_open_a_pair_across_communes(self) -> None:
        self.client.force_login(self.officer_b)
        response = self.client.get(reverse("people:merge"), {"a": self.a.pk, "b": self.c.pk})
        self.assertEqual(response.status_code, 404)
