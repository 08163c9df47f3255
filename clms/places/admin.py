
from django.contrib import admin

from clms.core.admin import ReadOnlyAdmin
from clms.places.models import AdminUnit, Denominator


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdmin[AdminUnit]):
    """Read-only: a unit's path decides who sees what, and only ``clms.places.paths`` writes it
    (units come from the official lists, ``manage.py load_units``, and villages from the unit page)."""

    list_display = ("name", "code", "level", "scheme", "valid_from", "valid_to", "path")
    list_filter = ("level", "scheme")
    search_fields = ("name", "code")


@admin.register(Denominator)
class DenominatorAdmin(admin.ModelAdmin[Denominator]):
    list_display = ("unit", "year", "group", "value", "source")
    list_filter = ("year", "group", "source")
    autocomplete_fields = ("unit",)
