from django.urls import path

from clms.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("help/", views.help_index, name="help"),
    path("health/", views.health, name="health"),
]
