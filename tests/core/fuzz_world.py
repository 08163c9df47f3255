"""Objects and start pages for the routes no click of the demo leads to (issue 16, part 1).

The crawl starts at the home page; some forms sit behind records the hand-made demo does not
have (a report period, a case under monitoring, two children to merge) or behind a link that
only a POST's redirect or an htmx fragment shows.  ``build_reachable`` makes those records and
returns the pages that hold the forms, so the crawler meets every form of the site.  A step
that cannot be built is skipped, and its patterns then show in the unreached list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.urls import reverse

from clms.accounts.models import User
from clms.api.tokens import token_create
from clms.cases import services as case_services
from clms.cases.models import PlanService, State
from clms.demo.setup import _post_commune
from clms.employers.models import FoundChild, Violation
from clms.outreach.models import Attendee
from clms.people import services as people_services
from clms.people.models import Child, Consent, Household
from clms.places.models import AdminUnit, Level
from clms.reports.models import ReportingPeriod, Submission, SubmissionStatus


def build_reachable() -> list[str]:
    from tests.cases.factories import ChildFactory, advance, file_report
    from tests.reports.factories import PeriodFactory, SubmissionFactory

    officer = User.objects.get(username="canbo.tanninh")
    collaborator = User.objects.get(username="ctv.tanninh")
    commune = officer.area
    assert commune is not None
    village = AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("name").first()
    province = AdminUnit.objects.get(level=Level.PROVINCE, code="38")
    urls: list[str] = ["/cases/due-times/", "/plans/commune/new/"]

    def step(make: Callable[[], list[str]]) -> None:
        try:
            urls.extend(make())
        except Exception as exc:  # noqa: BLE001 - a missing piece leaves its routes in the unreached list
            print(f"fuzz world: {make.__name__} not built: {type(exc).__name__}: {exc}"[:300])

    def reports() -> list[str]:
        period = ReportingPeriod.objects.first() or PeriodFactory.create(receiver=province)
        submission = Submission.objects.filter(unit=commune).first() or SubmissionFactory.create(period=period, unit=commune)
        sent = SubmissionFactory.create(period=period, unit=AdminUnit.objects.get(pk=_post_commune("15664").pk),
                                        status=SubmissionStatus.SUBMITTED)
        return [reverse("reports:period", args=[period.pk]), reverse("reports:period_edit", args=[period.pk]),
                reverse("reports:period_files", args=[period.pk]), reverse("reports:submission", args=[sent.pk]),
                reverse("reports:submission", args=[submission.pk]), reverse("reports:submission_edit", args=[submission.pk]),
                reverse("reports:submission_changes", args=[submission.pk])]

    def monitored_case() -> list[str]:
        child = ChildFactory.create(commune=commune, village=village, full_name="Phạm Thị Theo Dõi", dob=dt.date(2012, 2, 2))
        case = file_report(user=collaborator, child=child)
        advance(case, State.MONITORING, user=officer, provider_unit=province)
        # A plan being drafted, with a service: the page offers "Remove" on it.
        planned = file_report(user=collaborator, child=ChildFactory.create(commune=commune, village=village))
        advance(planned, State.ASSESSED, user=officer, provider_unit=province)
        planned.refresh_from_db()
        assessment = planned.assessment
        case_services.assessment_save(user=officer, case=planned, version=assessment.version, complete=True, risk_level="high",
                                      child_state="Gầy", needs="Đi học lại", child_views="Muốn đi học")
        case_services.plan_save(user=officer, case=planned, version=None, goals="Em trở lại trường", drafted_on=None)
        case_services.plan_service_add(user=officer, case=planned, service_type="return_to_school", agency="education",
                                       provider_unit=province)
        policy = case_services.duepolicy_set(user=officer, step="verification", scope_unit=commune, amount=6,
                                             unit="hours", start_event="received")
        working = ChildFactory.create(commune=commune, village=village, full_name="Trần Văn Chưa Mở", dob=dt.date(2011, 1, 1))
        return [reverse("cases:follow_up", args=[case.pk]), reverse("cases:detail", args=[case.pk]),
                reverse("cases:open_for_child", args=[working.pk]), reverse("cases:policies") + f"?policy={policy.pk}",
                reverse("cases:plan", args=[planned.pk])]

    def register() -> list[str]:
        a, b = Child.objects.filter(village__parent=commune).order_by("pk")[:2]
        # The hand-made demo registers children without a household; the household form is
        # linked from the page of a child that has one.
        household = Household.objects.filter(commune=commune).first() or people_services.household_create(
            user=officer, commune=commune, village=village, head_name="Lê Văn Chủ Hộ", members=4)
        Child.objects.filter(pk=a.pk).update(household=household)
        out = [f"{reverse('people:merge')}?a={a.pk}&b={b.pk}", reverse("people:detail", args=[a.pk]),
               reverse("people:household_edit", args=[household.pk])]
        consent = Consent.objects.filter(withdrawn_on__isnull=True, child__village__parent=commune).first() or Consent.objects.create(
            child=a, given_by="Lê Văn Bố", relationship="Cha", given_on=dt.date(2025, 3, 1), purpose="Theo dõi, hỗ trợ", recorded_by=officer)
        out.append(reverse("privacy:consent_withdraw", args=[consent.pk]))
        return out

    def employers() -> list[str]:
        out = []
        violation = Violation.objects.filter(status="proposed").first() or Violation.objects.first()
        if violation is not None:
            out += [reverse("employers:violation_action", args=[violation.pk, action]) for action in ("confirm", "penalise", "remedy", "dismiss")]
        found = FoundChild.objects.first()
        if found is not None:
            out.append(reverse("employers:found_child_open_case", args=[found.pk]))
        return out

    def fragments() -> list[str]:
        out = []
        service = PlanService.objects.first()
        if service is not None:
            out.append(reverse("cases:plan", args=[service.plan.case_id]))
        attendee = Attendee.objects.first()
        if attendee is not None:
            out.append(reverse("outreach:detail", args=[attendee.activity_id]))
        out.append(reverse("indicators:drill", args=["CL_RATE", province.pk]))
        for user in User.objects.filter(username__in=["quantri", "canbo.tanninh", "soyte.thanhhoa"]):
            token_create(user=user, name="Máy chủ tổng hợp", days=30)
        return out

    for make in (reports, monitored_case, register, employers, fragments):
        step(make)
    return urls
