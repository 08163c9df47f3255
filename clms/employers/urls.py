from django.urls import path

from clms.employers import views_employers as e
from clms.employers import views_inspections as i
from clms.employers import views_overview as o

app_name = "employers"
urlpatterns = [
    path("", e.employer_list, name="list"),
    path("new/", e.employer_create, name="create"),
    path("<int:pk>/", e.employer_detail, name="detail"),
    path("<int:pk>/edit/", e.employer_edit, name="edit"),
    path("<int:pk>/commitments/new/", e.commitment_create, name="commitment_create"),
    path("commitments/<int:pk>/file/", e.commitment_file, name="commitment_file"),
    path("craft-villages/", e.craft_village_list, name="craft_villages"),
    path("craft-villages/new/", e.craft_village_create, name="craft_village_create"),
    path("craft-villages/<int:pk>/", e.craft_village_detail, name="craft_village"),
    path("craft-villages/<int:pk>/edit/", e.craft_village_edit, name="craft_village_edit"),
    path("catalogue/options/", e.catalogue_options, name="catalogue_options"),
    path("inspections/", i.inspection_list, name="inspections"),
    path("inspections/new/", i.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", i.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/findings/", i.inspection_findings, name="inspection_findings"),
    path("inspections/<int:pk>/children/new/", i.inspection_add_child, name="inspection_add_child"),
    path("inspections/employers/options/", i.employer_options, name="employer_options"),
    path("children/options/", i.child_options, name="child_options"),
    path("found/<int:pk>/open-case/", i.found_child_open_case, name="found_child_open_case"),
    path("violations/", i.violation_list, name="violations"),
    path("violations/<int:pk>/<slug:action>/", i.violation_action, name="violation_action"),
    path("overview/", o.overview, name="overview"),
    path("overview/derive/", o.denominators_derive, name="denominators_derive"),
]
