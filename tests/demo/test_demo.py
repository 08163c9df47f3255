from django.test import TestCase

from clms.accounts.models import Role, User
from clms.demo.setup import DEMO_COMMUNE, DemoLogin, demo_setup, trieu_son_communes
from clms.places.models import Denominator, Level

# The real demo generates about 5,000 children; the same district with fewer children
# runs the same code (places, users, generator, the apps' demo records) in a fraction of
# the time.  The generator's own figures are tested in test_generate.py.
CHILDREN = 600


class DemoTestCase(TestCase):
    logins: list[DemoLogin]

    # Built once for the class.
    @classmethod
    def setUpTestData(cls) -> None:
        cls.logins = demo_setup(seed=7, children=CHILDREN)

    def test_it_creates_one_login_per_role_and_trieu_son_data(self) -> None:
        logins = self.logins
        self.assertEqual({x.role for x in logins}, set(Role.values))
        for login in logins:
            user = User.objects.get(username=login.username)
            self.assertTrue(user.check_password(login.password), login.username)
        communes = trieu_son_communes()
        self.assertEqual(len(communes), 8)
        self.assertTrue(all(c.children.filter(level=Level.VILLAGE).count() == 6 for c in communes))
        self.assertTrue(Denominator.objects.filter(unit__in=communes, year=2026, group="children_5_17").count() == 8)

    def test_it_can_run_twice(self) -> None:
        from clms.people.models import Child

        children = Child.objects.count()
        second = demo_setup(seed=7, children=CHILDREN)
        self.assertEqual([x.username for x in self.logins], [x.username for x in second])
        self.assertNotEqual(self.logins[0].password, second[0].password)
        self.assertEqual(Child.objects.count(), children)

    def test_it_gives_every_demo_role_data_to_see(self) -> None:
        from clms.cases.selectors import cases_for_user
        from clms.people.models import Child
        from clms.people.selectors import children_for_user

        users = {u.username: u for u in User.objects.all()}
        # About the number asked for (the generator spreads them by population).
        self.assertGreater(Child.objects.count(), CHILDREN * 4 // 5)
        self.assertTrue(Child.objects.filter(commune__code=DEMO_COMMUNE).exists())
        for username in ("ctv.tanninh", "canbo.tanninh", "canbo.trieuson", "ldtbxh.trieuson", "soyte.thanhhoa"):
            self.assertTrue(children_for_user(users[username]).exists(), username)
            self.assertTrue(cases_for_user(users[username]).exists(), username)
        district = children_for_user(users["ldtbxh.trieuson"]).count()
        province = children_for_user(users["soyte.thanhhoa"]).count()
        self.assertLess(district, province)
