from django.urls import path

from clms.reports import views, views_files, views_periods

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("start/", views.submission_start, name="start"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/submit/", views.submission_submit, name="submission_submit"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/accept/", views.submission_accept, name="submission_accept"),
    path("submissions/<int:pk>/changes/", views.submission_changes, name="submission_changes"),
    path("submissions/<int:pk>/report.<str:fmt>", views_periods.submission_document, name="submission_document"),
    path("periods/<int:pk>/", views_periods.period_detail, name="period"),
    path("periods/<int:pk>/edit/", views_periods.period_edit, name="period_edit"),
    path("periods/<int:pk>/report.<str:fmt>", views_files.period_document, name="period_document"),
    path("periods/<int:pk>/files/", views_files.period_files, name="period_files"),
    path("periods/<int:pk>/files/<str:fmt>/", views_files.period_generate, name="period_generate"),
]
