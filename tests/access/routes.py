"""What every route of CLMS is probed with, and the status each persona must get.

THIS IS THE PLACE TO ADD A NEW ROUTE: ``test_matrix`` enumerates every URL pattern from the
resolver and fails on a route that has no entry here (the /api/ prefix excepted: the API's
own endpoint matrix covers it).  An entry says

    obj     what fills the route's <pk> (or other id) argument:
              a personal-data kind of the matrix world, probed in every place of
              ``tests.access.world.PLACES``: "child", "household", "case", "observation",
              "referral", "report";
              or "model:<app_label>.<Model>": the first such record of the world (one place);
              or None (the route takes no id).
    kwargs  other URL arguments, fixed (e.g. {"action": "verify"}).
    post    the route is a form or an action: it is also POSTed (an empty form).
    status  the status of a GET (and of an htmx GET) for each persona of
            ``tests.access.world.PERSONAS``, on an object the persona may see; one int for
            every persona, or a dict (the key "*" is the default).  For a personal-data ``obj``
            an object the persona may not see must give 404 (403 when the role itself is
            refused).  A POST must never give 200 with a foreign child in it, nor 500.

Statuses: 200 page, 302 redirect (302 for "anonymous-style" refusals, e.g. the admin sending
non-staff to its login), 403 role refused, 404 not found / not yours, 405 GET on a POST-only
route, 400 a bad request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CHILD, HOUSEHOLD, CASE, OBSERVATION, REFERRAL = "child", "household", "case", "observation", "referral"
PERSONAL_KINDS = frozenset({CHILD, HOUSEHOLD, CASE, OBSERVATION, REFERRAL})


@dataclass(frozen=True)
class Route:
    status: int | dict[str, int]
    obj: str | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    post: bool = False

    def expected(self, persona: str) -> int:
        if isinstance(self.status, int):
            return self.status
        return self.status.get(persona, self.status.get("*", -1))


def s(default: int, **per_persona: int) -> dict[str, int]:
    return {"*": default, **per_persona}


# Roles that read the register.
PD = dict(collaborator=200, commune_officer=200, other_officer=200, split_officer=200, supervisor=200,
          district_supervisor=200, admin=200)
ROUTES: dict[str, Route] = {}

# route name -> (obj, kwargs, post).  The statuses are in STATUS below.
SPECS: dict[str, tuple[str | None, dict[str, Any], bool]] = {
    "core:home": (None, {}, False),
    "accounts:login": (None, {}, True),
    "accounts:logout": (None, {}, True),
    "accounts:password_change": (None, {}, True),
    "accounts:password_done": (None, {}, False),
    "accounts:users": (None, {}, False),
    "accounts:user_create": (None, {}, True),
    "accounts:user_edit": ("model:accounts.User", {}, True),
    "accounts:user_active": ("model:accounts.User", {}, True),
    "accounts:user_reset_password": ("model:accounts.User", {}, True),
    "core:favicon": (None, {}, False),
    "core:help": (None, {}, False),
    "employers:employer_options": (None, {}, False),
    "accounts:two_factor": (None, {}, False),
    "accounts:two_factor_setup": (None, {}, True),
    "accounts:two_factor_verify": (None, {}, True),
    "accounts:two_factor_disable": (None, {}, True),
    "core:health": (None, {}, False),
    "privacy:child_request": (CHILD, {}, False),
    "privacy:child_export": (CHILD, {}, False),
    "privacy:consent_withdraw": ("model:people.Consent", {}, True),
    "places:units": (None, {}, False),
    # Issue 20: the offline forms, the survey rounds, the XLSForms and the ODK/KoBo import.
    "surveys:service_worker": (None, {}, False),
    "surveys:manifest": (None, {}, False),
    "surveys:field": (None, {}, False),
    "surveys:field_sync": (None, {}, True),
    "surveys:list": (None, {}, False),
    "surveys:round_create": (None, {}, True),
    "surveys:round": ("model:surveys.SurveyRound", {}, False),
    "surveys:psu_add": ("model:surveys.SurveyRound", {}, True),
    "surveys:member_register": (None, {"pk": 999999}, True),
    "surveys:forms": (None, {}, False),
    "surveys:form_download": (None, {"kind": "report"}, False),
    "surveys:import": (None, {}, True),
    "places:unit": ("model:places.AdminUnit", {}, True),
    "places:denominators": (None, {}, True),
    "places:denominator_import": (None, {}, True),
    "places:denominator_template": (None, {}, False),
    "legal:classify": (None, {}, True),
    "legal:catalogue_options": (None, {}, False),
    "legal:catalogues": (None, {}, False),
    "people:list": (None, {}, False),
    "people:create": (None, {}, True),
    "people:detail": (CHILD, {}, False),
    "people:edit": (CHILD, {}, True),
    "people:guardian_add": (CHILD, {}, True),
    "people:consent_add": (CHILD, {}, True),
    "people:observation_create": (CHILD, {}, True),
    "people:visit_create": (CHILD, {}, True),
    "people:household_edit": (HOUSEHOLD, {}, True),
    "people:catalogue_search": (None, {}, False),
    "people:worklist": (None, {}, False),
    "people:duplicates": (None, {}, False),
    "people:merge": (None, {}, True),
    "people:import": (None, {}, True),
    "people:import_template": (None, {}, False),
    "people:import_job": ("model:people.ImportJob", {}, False),
    "people:export": (None, {}, False),
    "people:export_job": ("model:people.ExportJob", {}, False),
    "people:export_download": ("model:people.ExportJob", {}, False),
    "cases:list": (None, {}, False),
    "cases:due": (None, {}, False),
    "cases:report_new": (None, {}, True),
    "cases:child_search": (None, {}, False),
    "cases:detail": (CASE, {}, False),
    "cases:action": (CASE, {"action": "verify"}, True),
    "cases:follow_up": (CASE, {}, True),
    "cases:assessment": (CASE, {}, True),
    "cases:plan": (CASE, {}, True),
    "cases:plan_service_delete": (CASE, {"service_pk": 999999}, True),
    "cases:open_for_child": ("child_pk:" + CHILD, {}, True),
    "cases:referrals": (None, {}, False),
    "cases:referral": (REFERRAL, {}, True),
    "cases:inbox": (None, {}, False),
    "cases:notification_read": ("model:cases.Notification", {}, True),
    "cases:notifications_read_all": (None, {}, True),
    "cases:policies": (None, {}, True),
    "cases:policy_reset": ("model:cases.DuePolicy", {}, True),
    "employers:list": (None, {}, False),
    "employers:create": (None, {}, True),
    "employers:detail": ("model:employers.Employer", {}, False),
    "employers:edit": ("model:employers.Employer", {}, True),
    "employers:commitment_create": ("model:employers.Employer", {}, True),
    "employers:commitment_file": ("model:employers.Commitment", {}, False),
    "employers:craft_villages": (None, {}, False),
    "employers:craft_village_create": (None, {}, True),
    "employers:craft_village": ("model:employers.CraftVillage", {}, False),
    "employers:craft_village_edit": ("model:employers.CraftVillage", {}, True),
    "employers:catalogue_options": (None, {}, False),
    "employers:inspections": (None, {}, False),
    "employers:inspection_create": (None, {}, True),
    "employers:inspection": ("model:employers.Inspection", {}, False),
    "employers:inspection_findings": ("model:employers.Inspection", {}, True),
    "employers:inspection_add_child": ("model:employers.Inspection", {}, True),
    "employers:child_options": (None, {}, False),
    "employers:found_child_open_case": ("model:employers.FoundChild", {}, True),
    "employers:violations": (None, {}, False),
    "employers:violation_action": ("model:employers.Violation", {"action": "confirm"}, True),
    "employers:overview": (None, {}, False),
    "employers:denominators_derive": (None, {}, True),
    "outreach:list": (None, {}, False),
    "outreach:create": (None, {}, True),
    "outreach:calendar": (None, {}, False),
    "outreach:detail": ("model:outreach.OutreachActivity", {}, False),
    "outreach:edit": ("model:outreach.OutreachActivity", {}, True),
    "outreach:attendee_add": ("model:outreach.OutreachActivity", {}, True),
    "outreach:attendee_remove": ("model:outreach.OutreachActivity", {"attendee_pk": 999999}, True),
    "plans:list": (None, {}, False),
    "plans:detail": ("model:plans.Plan", {}, False),
    "plans:adopt": (None, {}, True),
    "plans:edit": ("model:plans.Plan", {}, True),
    "plans:agencies": (None, {}, False),
    "plans:agency": ("model:plans.PlanAgency", {}, False),
    "plans:task": ("model:plans.Task", {}, False),
    "plans:task_update": ("model:plans.Task", {}, True),
    "plans:budget": (None, {}, False),
    "plans:budget_create": (None, {}, True),
    "plans:budget_edit": ("model:plans.BudgetLine", {}, True),
    "plans:pilots": (None, {}, False),
    "plans:pilot_create": (None, {}, True),
    "plans:pilot_edit": ("model:plans.PilotModel", {}, True),
    "indicators:dashboard": (None, {}, False),
    "indicators:trend": (None, {"code": "CL_RATE"}, False),
    "indicators:drill": ("unit_pk:model:places.AdminUnit", {"code": "CL_RATE"}, False),
    "reports:list": (None, {}, False),
    "reports:start": (None, {}, True),
    "reports:submission": ("model:reports.Submission", {}, False),
    "reports:submission_edit": ("model:reports.Submission", {}, True),
    "reports:submission_submit": ("model:reports.Submission", {}, True),
    "reports:submission_return": ("model:reports.Submission", {}, True),
    "reports:submission_accept": ("model:reports.Submission", {}, True),
    "reports:submission_changes": ("model:reports.Submission", {}, False),
    "reports:submission_document": ("model:reports.Submission", {"fmt": "docx"}, False),
    "reports:period": ("model:reports.ReportingPeriod", {}, False),
    "reports:period_edit": ("model:reports.ReportingPeriod", {}, True),
    "reports:period_document": ("model:reports.ReportingPeriod", {"fmt": "xlsx"}, False),
    "reports:period_files": ("model:reports.ReportingPeriod", {}, False),
    "reports:period_generate": ("model:reports.ReportingPeriod", {"fmt": "pdf"}, True),
    "set_language": (None, {}, True),
    # Issue 21's token page (the /api/ endpoints themselves are covered by the API's matrix).
    "api_tokens:list": (None, {}, True),
    "api_tokens:revoke": ("model:api.ApiToken", {}, True),
}

# Expected GET status per persona (s(default, persona=status, ...)), on an object the persona
# may see (a persona who may see none of the route's records: on the own commune's).  Written
# from a run with CLMS_MATRIX_PRINT=<file> and reviewed line by line.  Routes on an area record
# (tests.access.world.AREA_MODELS) are probed on its copy in every place; a place the persona
# may not see must answer 404.  404 for everyone on a "model:" route says only that the route
# refuses an unknown id (the world has no consent file, no attendee to remove).
STATUS: dict[str, dict[str, int]] = {
    "core:home": s(200),
    "accounts:login": s(200),
    "accounts:logout": s(405),
    "accounts:password_change": s(200),
    "accounts:password_done": s(200),
    "accounts:users": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    # Issue 19's user management: supervisors and the administrator; another area's user is 404.
    "accounts:user_create": s(403, supervisor=200, district_supervisor=200, admin=200),
    "accounts:user_edit": s(403, supervisor=200, district_supervisor=404, admin=200),
    "accounts:user_active": s(405),
    "accounts:user_reset_password": s(405),
    "core:favicon": s(302),
    "core:help": s(200),
    "employers:employer_options": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "accounts:two_factor": s(200),
    "accounts:two_factor_setup": s(200),
    # No device: the verify page sends the user on; disabling is POST only (GET redirects).
    "accounts:two_factor_verify": s(302),
    "accounts:two_factor_disable": s(302),
    "core:health": s(200),
    "privacy:child_request": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "privacy:child_export": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    # The world has no consent yet: only that the route refuses an unknown id (and the roles).
    "privacy:consent_withdraw": s(404, agency_officer=403, province_viewer=403),
    "places:units": s(200, collaborator=403, agency_officer=403),
    "places:unit": s(200, collaborator=403, other_officer=404, split_officer=404, district_supervisor=404, agency_officer=403),
    "places:denominators": s(200, collaborator=403, agency_officer=403),
    "places:denominator_import": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "places:denominator_template": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "legal:classify": s(200),
    "legal:catalogue_options": s(200),
    "legal:catalogues": s(200),
    "people:list": s(200, agency_officer=403, province_viewer=403),
    "people:create": s(200, agency_officer=403, province_viewer=403),
    "people:detail": s(200, split_officer=404, agency_officer=403, province_viewer=403),
    "people:edit": s(200, split_officer=404, agency_officer=403, province_viewer=403),
    "people:guardian_add": s(200, split_officer=404, agency_officer=403, province_viewer=403),
    "people:consent_add": s(200, split_officer=404, agency_officer=403, province_viewer=403),
    "people:observation_create": s(200, split_officer=404, agency_officer=403, province_viewer=403),
    "people:visit_create": s(200, split_officer=404, agency_officer=403, province_viewer=403),
    "people:household_edit": s(200, split_officer=404, agency_officer=403, province_viewer=403),
    "people:catalogue_search": s(400, agency_officer=403, province_viewer=403),
    "people:worklist": s(200, agency_officer=403, province_viewer=403),
    "people:duplicates": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "people:merge": s(404, collaborator=403, agency_officer=403, province_viewer=403),
    "people:import": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "people:import_template": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "people:export": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    # The world holds no export job: nobody's own, so every officer gets 404 (only the user who
    # asked sees a job; tests/people/test_export_background.py covers the owner's 200).
    "people:export_job": s(404, collaborator=403, agency_officer=403, province_viewer=403),
    "people:export_download": s(404, collaborator=403, agency_officer=403, province_viewer=403),
    # Likewise an import job: only its uploader sees it (tests/people/test_import_background.py).
    "people:import_job": s(404, collaborator=403, agency_officer=403, province_viewer=403),
    "cases:list": s(200, agency_officer=302, province_viewer=403),
    "cases:due": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "cases:report_new": s(200, province_viewer=403),
    "cases:child_search": s(200, province_viewer=403),
    # Issue 19: an agency opens the case behind a referral to it (what it may see); others 403.
    "cases:detail": s(200, split_officer=404, province_viewer=403),
    "cases:action": s(405),
    "cases:follow_up": s(405),
    "cases:assessment": s(404, collaborator=403, agency_officer=403, province_viewer=403),
    "cases:plan": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "cases:plan_service_delete": s(405),
    "cases:open_for_child": s(405),
    "cases:referrals": s(200, collaborator=403, province_viewer=403),
    "cases:referral": s(200, collaborator=403, other_officer=404, split_officer=404, district_supervisor=404, province_viewer=403),
    "cases:inbox": s(200),
    "cases:notification_read": s(405),
    "cases:notifications_read_all": s(405),
    "cases:policies": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "cases:policy_reset": s(405),
    "employers:list": s(200, collaborator=403, province_viewer=403),
    "employers:create": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "employers:detail": s(200, collaborator=403, split_officer=404, province_viewer=403),
    "employers:edit": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "employers:commitment_create": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "employers:commitment_file": s(404, collaborator=403, province_viewer=403),
    "employers:craft_villages": s(200, collaborator=403, province_viewer=403),
    "employers:craft_village_create": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "employers:craft_village": s(200, collaborator=403, split_officer=404, province_viewer=403),
    "employers:craft_village_edit": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "employers:catalogue_options": s(200, collaborator=403, province_viewer=403),
    "employers:inspections": s(200, collaborator=403, province_viewer=403),
    "employers:inspection_create": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "employers:inspection": s(200, collaborator=403, split_officer=404, province_viewer=403),
    "employers:inspection_findings": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "employers:inspection_add_child": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "employers:child_options": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "employers:found_child_open_case": s(405),
    "employers:violations": s(200, collaborator=403, province_viewer=403),
    "employers:violation_action": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "employers:overview": s(200, collaborator=403, province_viewer=403),
    "employers:denominators_derive": s(405),
    "outreach:list": s(200, collaborator=403),
    "outreach:create": s(200, collaborator=403, province_viewer=403),
    "outreach:calendar": s(200, collaborator=403),
    "outreach:detail": s(200, collaborator=403, split_officer=404),
    "outreach:edit": s(200, collaborator=403, split_officer=404, province_viewer=403),
    "outreach:attendee_add": s(302, collaborator=403, split_officer=404, province_viewer=403),
    "outreach:attendee_remove": s(404, collaborator=403, province_viewer=403),
    "plans:list": s(200),
    "plans:detail": s(200),
    "plans:adopt": s(403, commune_officer=302, other_officer=302, split_officer=200, admin=302),
    "plans:edit": s(403, commune_officer=200, other_officer=200, split_officer=404, admin=404),
    "plans:agencies": s(200),
    "plans:agency": s(200),
    "plans:task": s(200),
    "plans:task_update": s(403, supervisor=302, district_supervisor=302, admin=302),
    "plans:budget": s(200, collaborator=403, agency_officer=403),
    "plans:budget_create": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "plans:budget_edit": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "plans:pilots": s(200, collaborator=403),
    "plans:pilot_create": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "plans:pilot_edit": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "indicators:dashboard": s(200, collaborator=403),
    "indicators:trend": s(200, collaborator=403),
    "indicators:drill": s(403, commune_officer=200, other_officer=404, split_officer=404, supervisor=200, district_supervisor=404, admin=200),
    "reports:list": s(200, collaborator=403, agency_officer=403),
    "reports:start": s(405),
    "reports:submission": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "reports:submission_edit": s(403, commune_officer=200, other_officer=200, split_officer=404, admin=200),
    "reports:submission_submit": s(405),
    "reports:submission_return": s(405),
    "reports:submission_accept": s(405),
    "reports:submission_changes": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "reports:submission_document": s(200, collaborator=403, split_officer=404, agency_officer=403, province_viewer=403),
    "reports:period": s(403, supervisor=200, district_supervisor=200, province_viewer=200, admin=200),
    "reports:period_edit": s(403, supervisor=200, district_supervisor=200, admin=200),
    # Not made yet: back to the period's page (302) for those who may see the period.
    "reports:period_document": s(403, supervisor=302, district_supervisor=302, province_viewer=302, admin=302),
    "reports:period_files": s(403, supervisor=200, district_supervisor=200, province_viewer=200, admin=200),
    "reports:period_generate": s(405),
    "set_language": s(302),
    "surveys:service_worker": s(200),
    "surveys:manifest": s(200),
    "surveys:field": s(200, agency_officer=403, province_viewer=403),
    "surveys:field_sync": s(200, agency_officer=403, province_viewer=403),
    "surveys:list": s(200, collaborator=403),
    "surveys:round_create": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "surveys:round": s(200, collaborator=403, split_officer=404),
    "surveys:psu_add": s(405),
    "surveys:member_register": s(405),
    "surveys:forms": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "surveys:form_download": s(403, commune_officer=200, other_officer=200, split_officer=302, supervisor=404, district_supervisor=404, admin=404),
    "surveys:import": s(200, collaborator=403, agency_officer=403, province_viewer=403),
    "api_tokens:list": s(200),
    "api_tokens:revoke": s(405),
}

# The documents of a unit that no longer exists are closed history: the successor's officer
# and the province supervisor read them but may not edit them (the pre-2025 district's own
# supervisor still edits its district's period).  An employer or an outreach activity recorded
# in an old commune stays editable: it is still there, in the new commune.
# route -> persona -> status on the absorbed (or split) commune's record.
CLOSED_HISTORY: dict[str, dict[str, int]] = {
    "plans:edit": {"commune_officer": 404},  # the edit page looks for the officer's own commune's plan only
    "reports:submission_edit": {"commune_officer": 403},
    "reports:period_edit": {"supervisor": 403},
}

ROUTES.update({name: Route(status=STATUS[name], obj=spec[0], kwargs=spec[1], post=spec[2])
               for name, spec in SPECS.items() if name in STATUS})
