from django.urls import path

from clms.core import views as core_views
from clms.home import views

# The namespace stays "core" (core:home, core:help, core:health): the names every template uses.
app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("help/", views.help_index, name="help"),
    path("health/", core_views.health, name="health"),
]
