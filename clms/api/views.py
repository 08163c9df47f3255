"""The account page's API tokens: make one (shown once), see when each was last used, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clms.accounts.http import AuthedHttpRequest
from clms.api import tokens
from clms.api.forms import TokenForm
from clms.core.access import get_scoped_or_404
from clms.core.forms import add_service_errors


@login_required
def token_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.token_create(user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": list(tokens.tokens_for_user(user)[:100]), "now": timezone.now()},
    )


@login_required
@require_POST
def token_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    token = get_scoped_or_404(tokens.tokens_for_user(user), pk=pk)
    tokens.token_revoke(user=user, token=token)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
