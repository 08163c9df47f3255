from django.urls import path

from clms.people import views, views_data, views_work

app_name = "people"
urlpatterns = [
    path("", views.register_list, name="list"),
    path("new/", views.child_create, name="create"),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/edit/", views.child_edit, name="edit"),
    path("<int:pk>/guardians/new/", views.guardian_add, name="guardian_add"),
    path("<int:pk>/consents/new/", views.consent_add, name="consent_add"),
    path("<int:pk>/observations/new/", views_work.observation_create, name="observation_create"),
    path("<int:pk>/visits/new/", views_work.visit_create, name="visit_create"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("catalogue/", views_work.catalogue_search, name="catalogue_search"),
    path("worklist/", views_work.worklist, name="worklist"),
    path("duplicates/", views_data.duplicate_report, name="duplicates"),
    path("merge/", views_data.merge, name="merge"),
    path("import/", views_data.import_children, name="import"),
    path("import/template.xlsx", views_data.import_template, name="import_template"),
    path("import/<int:pk>/", views_data.import_job, name="import_job"),
    path("export.xlsx", views_data.export_children, name="export"),
    path("export/<int:pk>/", views_data.export_job, name="export_job"),
    path("export/<int:pk>/file.xlsx", views_data.export_download, name="export_download"),
]
