from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from clms.places.models import AdminUnit, Denominator


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    """Read-only: a unit's path decides who sees what, and only ``clms.places.paths`` writes it
    (units come from the official lists, ``manage.py load_units``, and villages from the unit page)."""

    list_display = ("name", "code", "level", "scheme", "valid_from", "valid_to", "path")
    list_filter = ("level", "scheme")
    search_fields = ("name", "code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Denominator)
class DenominatorAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "group", "value", "source")
    list_filter = ("year", "group", "source")
    autocomplete_fields = ("unit",)
