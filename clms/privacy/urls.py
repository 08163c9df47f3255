from django.urls import path

from clms.privacy import views

app_name = "privacy"
urlpatterns = [
    path("children/<int:pk>/", views.child_request, name="child_request"),
    path("children/<int:pk>/export.json", views.child_export_view, name="child_export"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
