"""Administrators add compensatory days off and adjust due-time policies here."""

from django.contrib import admin

from clms.cases.models import DuePolicy, Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_day_off")
    ordering = ("-date",)


@admin.register(DuePolicy)
class DuePolicyAdmin(admin.ModelAdmin):
    list_display = ("step", "amount", "unit", "start_event", "statutory", "scope_unit", "version")
    list_filter = ("step", "statutory")
    readonly_fields = ("version",)
