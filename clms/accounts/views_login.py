"""Logging in: throttled password check, then the second factor where it applies."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from clms.accounts import throttle
from clms.accounts.forms import LoginForm
from clms.core.actor import client_ip
from clms.core.templatetags.vn_format import vn_number

logger = logging.getLogger("clms.accounts.login")


def _refusal_message(refusal: throttle.Refusal) -> str:
    seconds = refusal.retry_after
    if refusal.reason == "global":
        return ngettext(
            "The system is receiving too many log-in attempts. Try again in %(seconds)s second.",
            "The system is receiving too many log-in attempts. Try again in %(seconds)s seconds.",
            seconds,
        ) % {"seconds": vn_number(seconds)}
    if refusal.reason == "address":
        return ngettext(
            "Too many failed log-ins from this device or network. Wait %(seconds)s second and try again.",
            "Too many failed log-ins from this device or network. Wait %(seconds)s seconds and try again.",
            seconds,
        ) % {"seconds": vn_number(seconds)}
    return ngettext(
        "Too many failed log-ins for this username. Wait %(seconds)s second and try again; each further mistake doubles the wait (never more than a few minutes).",
        "Too many failed log-ins for this username. Wait %(seconds)s seconds and try again; each further mistake doubles the wait (never more than a few minutes).",
        seconds,
    ) % {"seconds": vn_number(seconds)}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        refusal = throttle.check(request, username)
        if refusal is not None:
            logger.warning("login throttled (%s) for %r from %s", refusal.reason, username, client_ip(request))
            # An unbound form: a bound one would check the password while rendering its errors.
            form = self.get_form_class()(request, initial={"username": username})
            context = self.get_context_data(form=form, throttled=_refusal_message(refusal))
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(refusal.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        username = str(self.request.POST.get("username", ""))[:150]
        throttle.record_failure(self.request, username)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.record_success(form.get_user().get_username())
        return super().form_valid(form)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own login page would skip the throttle and the second factor: send it here."""
    from django.shortcuts import redirect
    from django.urls import reverse

    query = request.GET.urlencode()
    return redirect(reverse("accounts:login") + (f"?{query}" if query else ""))
