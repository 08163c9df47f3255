"""The offline forms: the page the phone keeps, the queue's endpoint, the service worker and
the web app manifest."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.core.access import role_required
from clms.rules import catalogue
from clms.surveys import field

MAX_BODY = 512 * 1024
# What the forms page loads, kept by the service worker when it installs.
SHELL = (
    "clms/clms.css", "clms/clms.js", "clms/htmx.min.js", "clms/favicon.svg", "surveys/offline.js", "surveys/field.js",
    "surveys/workbox/workbox-core.prod.js", "surveys/workbox/workbox-routing.prod.js",
    "surveys/workbox/workbox-strategies.prod.js", "surveys/workbox/workbox-expiration.prod.js",
)


@never_cache
@role_required(*field.FIELD_ROLES)
def field_page(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    children = field.field_children(user)
    audit_log(user=user, action=AuditAction.LIST, object_type="people.child", object_ids=[c["id"] for c in children],
              request=request, detail={"page": "field"})
    now = timezone.localtime()
    return render(request, "surveys/field.html", {
        "forms": field.field_forms(user),
        "children": children,
        "jobs": catalogue.jobs(),
        "workplaces": catalogue.workplaces(),
        "today": now.strftime("%d/%m/%Y"),
        "now_time": now.strftime("%H:%M"),
    })


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*field.FIELD_ROLES)
def field_sync(request: AuthedHttpRequest) -> HttpResponse:
    """GET: who is logged in and a fresh CSRF token (the cached page's may be old).
    POST ``{"items": [...]}``: one result per item, in order."""
    user = request.user
    if request.method == "GET":
        return JsonResponse({"user": user.pk, "csrf": get_token(request)})
    if request.content_type != "application/json":
        # A form post (read already by the middleware) is not the queue's JSON.
        return JsonResponse({"error": _("The request is not valid JSON.")}, status=400)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": _("The request is too large; send fewer items at once.")}, status=413)
    try:
        body = json.loads(request.body.decode("utf-8"))
        results = field.field_sync(user=user, items=body.get("items") if isinstance(body, dict) else None)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("The request is not valid JSON.")}, status=400)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"results": results})


def service_worker(request: HttpRequest) -> HttpResponse:
    """At the site root so that it may control /field/ (a worker's scope is below its own path)."""
    response = render(request, "surveys/sw.js", {
        "workbox": static("surveys/workbox/"), "static_prefix": static(""), "shell": [static(f) for f in SHELL],
    },
                      content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": _("CLMS – Child labour monitoring"),
        "short_name": "CLMS",
        "description": _("Report children, record visits and work situations, also without a connection."),
        "lang": "vi",
        "start_url": "/field/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e79",
        "icons": [
            {"src": static("surveys/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("surveys/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("surveys/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
