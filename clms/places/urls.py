from django.urls import path

from clms.places import views

app_name = "places"
urlpatterns = [
    path("", views.unit_list, name="units"),
    path("<int:pk>/", views.unit_detail, name="unit"),
    path("denominators/", views.denominator_list, name="denominators"),
    path("denominators/import/", views.denominator_import, name="denominator_import"),
    path("denominators/template.xlsx", views.denominator_template, name="denominator_template"),
]
