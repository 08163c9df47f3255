from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from clms.core.catalogues import text_choices
from clms.places.models import AdminUnit, Level


class Role(models.TextChoices):
    COLLABORATOR = "collaborator", _("Village collaborator")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    SUPERVISOR = "supervisor", _("Supervising officer")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")
    PROVINCE_VIEWER = "province_viewer", _("Province viewer")
    ADMIN = "admin", _("System administrator")


# Which levels of unit each role may be attached to.  The supervising role moved from the
# district labour office to the province department with the 2025 reform, so both levels fit.
ROLE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.COLLABORATOR: (Level.VILLAGE, Level.COMMUNE),
    Role.COMMUNE_OFFICER: (Level.COMMUNE,),
    Role.SUPERVISOR: (Level.DISTRICT, Level.PROVINCE),
    Role.AGENCY_OFFICER: (Level.DISTRICT, Level.PROVINCE, Level.COMMUNE),
    Role.PROVINCE_VIEWER: (Level.PROVINCE,),
    Role.ADMIN: (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE),
}

# Roles that may read a child's personal data at all (always within their area).
PERSONAL_DATA_ROLES = frozenset(
    {Role.COLLABORATOR, Role.COMMUNE_OFFICER, Role.SUPERVISOR, Role.ADMIN}
)


# Agencies and unions: the list is data (clms/accounts/data/agencies.json).  The type checker
# is told of the constants the code refers to; tests/core/test_catalogues.py checks that each
# matches the data file.
if TYPE_CHECKING:
    class Agency(models.TextChoices):
        LABOUR = "labour"
        EDUCATION = "education"
        POLICE = "police"
        JUSTICE = "justice"
        HEALTH = "health"
else:
    Agency = text_choices("Agency", "clms.accounts", "agencies.json", "agencies")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COMMUNE_OFFICER)
    area = models.ForeignKey(
        AdminUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("area"),
    )
    agency = models.CharField(_("agency"), max_length=24, choices=Agency.choices, blank=True)
    # Set when an administrator or supervisor gives a password (new account, reset): the
    # person must replace it at the next login (clms.accounts.middleware).
    must_change_password = models.BooleanField(_("must change the password"), default=False)
    # Whether the user has a confirmed TOTP device (clms.accounts.two_factor keeps it in step):
    # the middleware reads it from the loaded user instead of querying devices on every request.
    two_factor_enabled = models.BooleanField(_("two-step verification on"), default=False, editable=False)
    # Optimistic locking of the user management form (clms.core.locking): two managers
    # editing one account cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def may_read_personal_data(self) -> bool:
        return self.is_superuser or self.role in PERSONAL_DATA_ROLES


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    DENIED = "denied", _("Access denied")


class AuditEvent(models.Model):
    """Who read, changed or exported which record, when and from where.

    Append-only: nothing in the code updates or deletes these rows.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # Users are deactivated, never deleted (PROTECT); the username is kept as written, so the
    # event still says who it was even if the account is later renamed.
    user = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="audit_events")
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    # For list pages and exports: every id shown, so a later question "who saw child X"
    # is answerable without logging each row separately.
    object_ids = models.JSONField(default=list, blank=True)
    path = models.CharField(max_length=255, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}:{self.object_id}"
