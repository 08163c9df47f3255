"""A person whose password was set by someone else replaces it before anything else.

Two-factor enforcement: a logged-in user who has (or must have) a TOTP device reaches no
page before entering a code from it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from clms.accounts.models import User
from clms.accounts.two_factor import has_two_factor, is_verified, two_factor_required


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"), "/static/", "/i18n/")
            if not request.path.startswith(allowed):
                return redirect("accounts:password_change")
        return self.get_response(request)


# Pages a half-logged-in user may still reach.
_OPEN_NAMES = ("accounts:two_factor_verify", "accounts:two_factor_setup", "accounts:logout", "core:health")
_OPEN_PREFIXES = ("/static/", "/i18n/")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and not is_verified(user):
            path = request.path_info
            open_paths = {reverse(name) for name in _OPEN_NAMES}
            if path not in open_paths and not path.startswith(_OPEN_PREFIXES):
                if has_two_factor(user):
                    target = "accounts:two_factor_verify"
                elif two_factor_required(user):
                    target = "accounts:two_factor_setup"
                else:
                    return self.get_response(request)
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
        return self.get_response(request)
