import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clms.cases import services
from clms.cases.models import Case, DuePolicy, FollowUp, State
from clms.people.models import Classification
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, advance, file_report, v


class ClosureRuleTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.child = ChildFactory.create(commune=self.commune_a, village=self.village_a, dob=dt.date(2012, 3, 1))
        received = timezone.now() - dt.timedelta(days=120)
        self.case = advance(file_report(user=self.officer_a, child=self.child, received_at=received),
                            State.MONITORING, user=self.officer_a)
        self.today = timezone.localdate()

    def visit(self, days_ago: int, *, working: bool, school: str = "attending") -> FollowUp:
        if working:
            return services.follow_up_record(
                user=self.officer_a, case=self.case, visited_on=self.today - dt.timedelta(days=days_ago),
                still_working=True, school_status=school, activity="EMPLOYED", work="Bốc vác ở chợ",
                observation_fields={"hours_per_day": 6, "days_per_week": 6},
            )
        return services.follow_up_record(
            user=self.officer_a, case=self.case, visited_on=self.today - dt.timedelta(days=days_ago),
            still_working=False, school_status=school,
        )

    def close(self) -> Case:
        return services.case_close(user=self.officer_a, case=self.case, version=v(self.case),
                                   reason="no_longer_child_labour")

    def test_it_reclassifies_the_work_at_each_visit(self) -> None:
        working = self.visit(2, working=True)
        self.assertEqual(working.category, "CHILD_LABOUR")
        self.assertIsNotNone(working.observation)
        law = Classification.objects.get(observation=working.observation, ruleset="vn-law", is_current=True)
        self.assertEqual(law.category, "CHILD_LABOUR")
        stopped = self.visit(1, working=False)
        self.assertEqual(stopped.category, "NOT_CHILD_LABOUR")
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("cases:detail", args=[self.case.pk]))
        self.assertContains(page, "Lao động trẻ em</td>")
        self.assertContains(page, "Không phải lao động trẻ em</td>")

    def test_it_closes_after_two_consecutive_visits_without_child_labour_in_school(self) -> None:
        self.visit(70, working=True)
        self.visit(60, working=False)
        with self.assertRaises(ValidationError) as ctx:
            self.close()
        self.assertIn("reason", ctx.exception.message_dict)
        self.visit(30, working=False, school="vocational")
        self.close()
        self.case.refresh_from_db()
        self.assertEqual((self.case.state, self.case.closure_reason), (State.CLOSED, "no_longer_child_labour"))

    def test_it_refuses_two_clean_visits_closer_than_the_local_follow_up_interval(self) -> None:
        # Two clean visits entered minutes apart on the same day prove nothing.
        self.visit(0, working=False)
        self.visit(0, working=False)
        with self.assertRaises(ValidationError) as ctx:
            self.close()
        self.assertIn("30 ngày", ctx.exception.message_dict["reason"][0])
        self.visit(29, working=False)
        FollowUp.objects.filter(case=self.case, visited_on=self.today).delete()
        self.visit(0, working=False)
        with self.assertRaises(ValidationError):  # 29 days: one day short
            self.close()
        # A commune that visits every 60 days needs the visits 60 days apart.
        DuePolicy.objects.create(
            step="follow_up", amount=60, unit="days", start_event="previous_follow_up", scope_unit=self.commune_a,
        )
        FollowUp.objects.filter(case=self.case).delete()
        self.visit(40, working=False)
        self.visit(0, working=False)
        self.assertFalse(services.may_close_as_resolved(self.case))
        self.visit(60, working=False)
        FollowUp.objects.filter(case=self.case, visited_on=self.today - dt.timedelta(days=40)).delete()
        self.assertTrue(services.may_close_as_resolved(self.case))
        self.close()
        self.assertEqual(Case.objects.get(pk=self.case.pk).state, State.CLOSED)

    def test_it_refuses_when_the_last_visit_finds_child_labour_again(self) -> None:
        self.visit(3, working=False)
        self.visit(2, working=False)
        self.visit(1, working=True)
        with self.assertRaises(ValidationError):
            self.close()

    def test_it_refuses_when_the_child_is_out_of_school(self) -> None:
        self.visit(2, working=False)
        self.visit(1, working=False, school="dropped_out")
        with self.assertRaises(ValidationError):
            self.close()
        self.assertEqual(Case.objects.get(pk=self.case.pk).state, State.MONITORING)

    def test_it_closes_only_from_monitoring_as_resolved_but_for_other_reasons_from_any_open_state(self) -> None:
        other = advance(file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a, village=self.village_a)),
                        State.INTERVENING, user=self.officer_a)
        with self.assertRaises(ValidationError):
            services.case_close(user=self.officer_a, case=other, version=v(other), reason="no_longer_child_labour")
        for reason in ("turned_18", "transferred"):
            with self.subTest(reason):
                case = file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a, village=self.village_a))
                services.case_close(user=self.officer_a, case=case, version=v(case), reason=reason)
                self.assertEqual(Case.objects.get(pk=case.pk).closure_reason, reason)

    def test_it_refuses_visits_before_intervention_and_without_the_work_named(self) -> None:
        fresh = file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a, village=self.village_a))
        with self.assertRaises(services.InvalidTransition):
            services.follow_up_record(user=self.officer_a, case=fresh, visited_on=self.today, still_working=False,
                                      school_status="attending")
        with self.assertRaises(ValidationError) as ctx:
            services.follow_up_record(user=self.officer_a, case=self.case, visited_on=self.today, still_working=True,
                                      school_status="attending")
        self.assertIn("activity", ctx.exception.message_dict)
        self.assertEqual(FollowUp.objects.filter(case=self.case).count(), 0)
