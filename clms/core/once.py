"""One submit, one record: every POST form carries a one-time token, checked in the view's transaction.

``{% csrf_token %}`` (replaced for the whole site in ``clms.core.templatetags.once``) also
writes a fresh ``form_token``.  The middleware inserts the token in the same transaction as
the view's writes; the token column is unique, so of two simultaneous sends of one page the
second waits on the first (a row lock on PostgreSQL, the write lock on SQLite) and then
fails to insert.  It is then sent to where the first one went (the new child's page), with a
message.  A send that did not succeed (the form was refused) removes its token, so the person
can correct and send again.  Nothing to do in the views of full-page forms: a redirect is
the sign of success.  A form posted by htmx that succeeds answers with a fragment (200), which
looks like a refused form; such views call ``accepted(request)`` so the token is kept, and a
second send of the same fragment form reloads the page it sits on, which shows the record the
first send made.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from clms.core.models import SubmittedForm

FIELD = "form_token"
_ACCEPTED = "_clms_once_accepted"


def accepted(request: HttpRequest) -> None:
    """The view saved what the form sent, though it answers 200 (an htmx fragment)."""
    setattr(request, _ACCEPTED, True)


def _page_of(request: HttpRequest) -> str:
    """Where an htmx form sits (the page to show again on a second send), same site only."""
    for candidate in (request.headers.get("HX-Current-URL", ""), request.headers.get("Referer", "")):
        if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
            return candidate
    return request.path


def _token(request: HttpRequest) -> uuid.UUID | None:
    raw = request.POST.get(FIELD, "")
    try:
        return uuid.UUID(raw) if raw and len(raw) <= 36 else None
    except ValueError:
        return None


class OnceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.user.is_authenticated:
            return self.get_response(request)
        token = _token(request)
        if token is None:
            return self.get_response(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    sent = SubmittedForm.objects.create(token=token, user=request.user, path=request.path[:255])
            except IntegrityError:
                return self._again(request, token)
            response = self.get_response(request)
            location = response.get("HX-Redirect") or (response.get("Location") if response.status_code in (301, 302, 303) else "")
            if not location and getattr(request, _ACCEPTED, False) and 200 <= response.status_code < 300:
                location = _page_of(request)
            if location:
                sent.location = location[:500]
                sent.save(update_fields=["location"])
            else:
                sent.delete()
        return response

    def _again(self, request: HttpRequest, token: uuid.UUID) -> HttpResponse:
        first = SubmittedForm.objects.filter(token=token).first()
        if first is None or first.user_id != request.user.pk:
            # Someone else's token: nothing to show; treat it as an old page.
            return HttpResponse(_("This form was already sent. Reload the page and try again."), status=409)
        messages.info(request, _("This form had already been sent; this is what it saved."))
        target = first.location or request.path
        if request.headers.get("HX-Request"):
            # Not a 302: the browser's XHR would follow it silently and htmx would swap a whole
            # page into the fragment.  htmx reads HX-Redirect from a 200 and loads the page.
            response = HttpResponse(status=200)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
