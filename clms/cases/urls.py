from django.urls import path

from clms.cases import views_cases, views_inbox, views_referrals, views_reports

app_name = "cases"
urlpatterns = [
    path("", views_cases.case_list, name="list"),
    path("due/", views_cases.due_list, name="due"),
    path("report/", views_reports.report_new, name="report_new"),
    path("report/children/", views_reports.child_search, name="child_search"),
    path("<int:pk>/", views_cases.case_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views_cases.case_action, name="action"),
    path("<int:pk>/follow-up/", views_cases.follow_up_new, name="follow_up"),
    path("<int:pk>/assessment/", views_cases.assessment_edit, name="assessment"),
    path("<int:pk>/plan/", views_cases.plan_edit, name="plan"),
    path("<int:pk>/plan/services/<int:service_pk>/delete/", views_cases.plan_service_delete, name="plan_service_delete"),
    path("open-for-child/<int:child_pk>/", views_cases.open_for_child, name="open_for_child"),
    path("referrals/", views_referrals.referral_list, name="referrals"),
    path("referrals/<int:pk>/", views_referrals.referral_detail, name="referral"),
    path("inbox/", views_inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views_inbox.notification_read, name="notification_read"),
    path("inbox/read-all/", views_inbox.notifications_read_all, name="notifications_read_all"),
    path("due-times/", views_inbox.policies, name="policies"),
    path("due-times/<int:pk>/reset/", views_inbox.policy_reset, name="policy_reset"),
]
