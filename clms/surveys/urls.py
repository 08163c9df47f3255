from django.urls import path

from clms.surveys import views, views_field, views_imports

app_name = "surveys"
urlpatterns = [
    path("sw.js", views_field.service_worker, name="service_worker"),
    path("manifest.webmanifest", views_field.manifest, name="manifest"),
    path("field/", views_field.field_page, name="field"),
    path("field/sync/", views_field.field_sync, name="field_sync"),
    path("surveys/", views.round_list, name="list"),
    path("surveys/new/", views.round_create, name="round_create"),
    path("surveys/<int:pk>/", views.round_detail, name="round"),
    path("surveys/<int:pk>/psus/", views.psu_add, name="psu_add"),
    path("surveys/members/<int:pk>/register/", views.member_register, name="member_register"),
    path("surveys/forms/", views_imports.form_list, name="forms"),
    path("surveys/forms/<slug:kind>.xlsx", views_imports.form_download, name="form_download"),
    path("surveys/import/", views_imports.import_upload, name="import"),
]
