"""Reads of the register.  The one place that scopes children to the user's area."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from clms.accounts.scoping import personal_data_q
from clms.people.models import Child, Household, WorkObservation


def children_for_user(user: Any) -> QuerySet[Child]:
    """Children the user may read: inside the area, personal-data roles only, not merged away."""
    return Child.objects.filter(personal_data_q(user, "commune"), merged_into__isnull=True)


def households_for_user(user: Any) -> QuerySet[Household]:
    return Household.objects.filter(personal_data_q(user, "commune"))


def observations_for_user(user: Any) -> QuerySet[WorkObservation]:
    return WorkObservation.objects.filter(personal_data_q(user, "commune", "child__village"))
