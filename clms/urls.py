from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path

from clms.accounts.views_login import admin_login
from clms.api.api import api


# Only system administrators reach the Django admin, whatever their staff flag says.
def _admin_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "is_admin", False))


admin.site.has_permission = _admin_only  # type: ignore[method-assign]
admin.site.site_header = "CLMS"

urlpatterns = [
    path("", include("clms.home.urls")),
    path("accounts/", include("clms.accounts.urls")),
    path("accounts/api-tokens/", include("clms.api.urls")),
    path(settings.CLMS_API_MOUNT, api.urls),
    path("places/", include("clms.accounts.urls_units")),
    path("legal/", include("clms.legal.urls")),
    path("register/", include("clms.people.urls")),
    path("cases/", include("clms.cases.urls")),
    path("employers/", include("clms.employers.urls")),
    path("outreach/", include("clms.outreach.urls")),
    path("plans/", include("clms.plans.urls")),
    path("indicators/", include("clms.indicators.urls")),
    path("reports/", include("clms.reports.urls")),
    path("privacy/", include("clms.privacy.urls")),
    # The offline forms, the service worker and manifest at the root, the survey pages below /surveys/.
    path("", include("clms.surveys.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]
