from __future__ import annotations

from django.db.models import QuerySet

from clms.accounts.models import User
from clms.places.scoping import area_prefixes, unit_q


def users_for_user(user: User) -> QuerySet[User]:
    """Accounts a user may see: those attached inside the user's area."""
    qs = User.objects.select_related("area")
    if "/" in area_prefixes(user):
        return qs
    return qs.filter(unit_q(user, "area"))
