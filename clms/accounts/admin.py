from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from clms.accounts.models import AuditEvent, User
from clms.accounts.policy import role_fits_unit
from clms.core.admin import ReadOnlyAdmin


class UserAdminForm(UserChangeForm[User]):
    """The admin may not give a role at a level it does not fit (``ROLE_LEVELS``)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, area = data.get("role"), data.get("area")
        if role and not data.get("is_superuser") and not role_fits_unit(role, area):
            self.add_error("area", _("This role cannot be attached to this unit's level."))
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    form = UserAdminForm
    list_display = ("username", "full_name", "role", "area", "agency", "is_active")
    list_filter = ("role", "agency", "is_active")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("area",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("CLMS"), {"fields": ("full_name", "phone", "role", "area", "agency")}),
    )
    actions = ["deactivate"]

    # Users are deactivated, never deleted: their audit events and case history point at them.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Deactivate the selected users"))
    def deactivate(self, request: HttpRequest, queryset: Any) -> None:
        queryset.update(is_active=False)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin[AuditEvent]):
    # The audit trail is evidence: nobody edits or deletes it, not even administrators.
    list_display = ("at", "username", "action", "object_type", "object_id", "ip", "path")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "username")
    date_hierarchy = "at"



# django-otp's TOTP admin adds "config" and "QR code" pages that show a device's secret (and
# answer 500 for an unknown id).  Administrators need only to see devices and delete one when a
# user lost the phone: the next log-in then asks the user to set up a new one.
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin[TOTPDevice]):
    list_display = ("user", "name", "confirmed", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__full_name")
    fields = ("user", "name", "confirmed", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
