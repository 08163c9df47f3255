from django.contrib import admin

from clms.places.models import AdminUnit, Denominator


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "scheme", "valid_from", "valid_to")
    list_filter = ("level", "scheme")
    search_fields = ("name", "code")
    readonly_fields = ("path",)


@admin.register(Denominator)
class DenominatorAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "group", "value", "source")
    list_filter = ("year", "group", "source")
    autocomplete_fields = ("unit",)
