from django.urls import path

from clms.accounts import views_units as views

# The pages of units and denominators keep the "places" namespace (places:units, …).
app_name = "places"
urlpatterns = [
    path("", views.unit_list, name="units"),
    path("<int:pk>/", views.unit_detail, name="unit"),
    path("denominators/", views.denominator_list, name="denominators"),
    path("denominators/import/", views.denominator_import, name="denominator_import"),
    path("denominators/template.xlsx", views.denominator_template, name="denominator_template"),
]
