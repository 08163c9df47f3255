"""View guards: role checks and the fetch-and-authorise helper."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    # Only a type: login_required has run, so the user is ours (core imports no app at run time).
    from clms.accounts.http import AuthedHttpRequest

M = TypeVar("M", bound=Model)
# HttpResponseBase so that views returning files (FileResponse) fit too.
View = Callable[..., HttpResponseBase]


def role_required(*roles: str) -> Callable[[View], View]:
    """Login required, and the user's role must be one of ``roles`` (admins always pass)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not (user.is_admin or user.role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_scoped_or_404(scoped: QuerySet[M], **lookup: Any) -> M:
    """Fetch from an already area-scoped queryset: an outsider gets 404, never a hint."""
    try:
        return scoped.get(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None
    except (ValueError, TypeError, OverflowError, ValidationError):
        # A hand-edited id ("abc", 25 digits) names no record: the same 404.
        raise Http404 from None
