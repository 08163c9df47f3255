from django.urls import path

from clms.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("trend/<str:code>/", views.trend, name="trend"),
    path("drill/<str:code>/<int:unit_pk>/", views.drill, name="drill"),
]
