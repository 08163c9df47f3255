from django.urls import path

from clms.legal import views

app_name = "legal"
urlpatterns = [
    path("", views.classify_page, name="classify"),
    path("catalogue/options/", views.catalogue_options, name="catalogue_options"),
    path("catalogue/", views.catalogue_list, name="catalogues"),
]
