"""Writes to cases, by area.  Views change data only through these functions.

The case state machine is ``TRANSITIONS`` (``common``): each action names the states it may
start from and the state it leads to; a service refuses anything else.  Each service records
a CaseEvent (the timeline), writes an audit event, closes the CaseSteps it completes and opens
the ones that become due, with due times from the DuePolicy in force.

``from clms.cases.services import report_file`` (or ``services.report_file``) reaches every
service: this package names them all.
"""

from clms.cases.services.assessment import (
    ASSESSMENT_FIELDS,
    assessment_save,
    case_assess,
    case_record_emergency,
    case_verify,
)
from clms.cases.services.closing import (
    case_close,
    case_not_confirm,
    case_reopen,
)
from clms.cases.services.common import (
    BLIND_REPORTERS,
    CASE_ROLES,
    CLOCK_SKEW,
    FOLLOW_UP_ROLES,
    OLDEST_REPORT,
    REPORT_ROLES,
    TRANSITIONS,
    InvalidTransition,
    allowed_actions,
    check_case_writer,
    check_transition,
    event_add,
    moment_of,
    plan_clock_start,
    step_done,
    step_open,
    steps_cancel,
    transition_apply,
)
from clms.cases.services.followups import (
    follow_up_interval_met,
    follow_up_interval_text,
    follow_up_passes,
    follow_up_record,
    may_close_as_resolved,
)
from clms.cases.services.notifications import (
    commune_officers,
    notification_mark_read,
    notification_send,
    notifications_mark_all_read,
    notify,
)
from clms.cases.services.plan import (
    case_approve_plan,
    case_plan,
    case_start_intervention,
    case_start_monitoring,
    plan_save,
    plan_service_add,
    plan_service_remove,
)
from clms.cases.services.policies import (
    POLICY_ROLES,
    duepolicy_reset,
    duepolicy_set,
)
from clms.cases.services.referrals import (
    REFERRAL_MOVES,
    agency_officers_for,
    initials,
    referral_answer,
    referral_notice,
)
from clms.cases.services.reports import (
    NewChild,
    PossibleDuplicates,
    case_assign,
    case_open_for_child,
    report_file,
)

__all__ = [
    "ASSESSMENT_FIELDS",
    "BLIND_REPORTERS",
    "CASE_ROLES",
    "CLOCK_SKEW",
    "FOLLOW_UP_ROLES",
    "InvalidTransition",
    "NewChild",
    "OLDEST_REPORT",
    "POLICY_ROLES",
    "PossibleDuplicates",
    "REFERRAL_MOVES",
    "REPORT_ROLES",
    "TRANSITIONS",
    "agency_officers_for",
    "allowed_actions",
    "assessment_save",
    "case_approve_plan",
    "case_assess",
    "case_assign",
    "case_close",
    "case_not_confirm",
    "case_open_for_child",
    "case_plan",
    "case_record_emergency",
    "case_reopen",
    "case_start_intervention",
    "case_start_monitoring",
    "case_verify",
    "check_case_writer",
    "check_transition",
    "commune_officers",
    "duepolicy_reset",
    "duepolicy_set",
    "event_add",
    "follow_up_interval_met",
    "follow_up_interval_text",
    "follow_up_passes",
    "follow_up_record",
    "initials",
    "may_close_as_resolved",
    "moment_of",
    "notification_mark_read",
    "notification_send",
    "notifications_mark_all_read",
    "notify",
    "plan_clock_start",
    "plan_save",
    "plan_service_add",
    "plan_service_remove",
    "referral_answer",
    "referral_notice",
    "report_file",
    "step_done",
    "step_open",
    "steps_cancel",
    "transition_apply",
]
