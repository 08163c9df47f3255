from django.test import TestCase

from clms.accounts.models import Role, User
from clms.core.demo import demo_setup, trieu_son_communes
from clms.places.models import Denominator, Level


class DemoTestCase(TestCase):
    def test_it_creates_one_login_per_role_and_trieu_son_data(self) -> None:
        logins = demo_setup(seed=7)
        self.assertEqual({x.role for x in logins}, set(Role.values))
        for login in logins:
            user = User.objects.get(username=login.username)
            self.assertTrue(user.check_password(login.password), login.username)
        communes = trieu_son_communes()
        self.assertEqual(len(communes), 8)
        self.assertTrue(all(c.children.filter(level=Level.VILLAGE).count() == 6 for c in communes))
        self.assertTrue(Denominator.objects.filter(unit__in=communes, year=2026, group="children_5_17").count() == 8)

    def test_it_can_run_twice(self) -> None:
        first = demo_setup(seed=7)
        second = demo_setup(seed=7)
        self.assertEqual([x.username for x in first], [x.username for x in second])
        self.assertNotEqual(first[0].password, second[0].password)
