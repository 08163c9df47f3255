from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CraftVillage(models.Model):
    """A recognised craft village (làng nghề), where children often learn and work the trade."""

    commune = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, related_name="craft_villages", verbose_name=_("commune")
    )
    village = models.ForeignKey(
        "places.AdminUnit", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False, default="")
    trade = models.CharField(_("trade"), max_length=200)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    household_count = models.PositiveIntegerField(_("households in the trade"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("craft village")
        verbose_name_plural = _("craft villages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmployerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "coop_group", _("Cooperative group")
    HOUSEHOLD_BUSINESS = "household", _("Household business")
    INDIVIDUAL = "individual", _("Individual")


class EnterpriseSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture and forestry")
    FISHING = "fishing", _("Fishing and aquaculture")
    HANDICRAFT = "handicraft", _("Handicraft")
    CONSTRUCTION_MATERIALS = "construction_materials", _("Construction materials")
    CONSTRUCTION = "construction", _("Construction")
    GARMENT = "garment", _("Garment, textiles and footwear")
    MANUFACTURING = "manufacturing", _("Other manufacturing")
    MINING = "mining", _("Mining and quarrying")
    SERVICES = "services", _("Services")
    TRADE = "trade", _("Trade")
    ENTERTAINMENT = "entertainment", _("Entertainment, hotels and restaurants")
    OTHER = "other", _("Other")


class Employer(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=EmployerKind.choices)
    size = models.CharField(_("size"), max_length=8, choices=EnterpriseSize.choices, blank=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    commune = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, related_name="employers", verbose_name=_("commune")
    )
    village = models.ForeignKey(
        "places.AdminUnit", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    owner_name = models.CharField(_("owner or legal representative"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    craft_village = models.ForeignKey(
        CraftVillage, models.SET_NULL, null=True, blank=True, related_name="employers", verbose_name=_("craft village")
    )
    workers = models.PositiveIntegerField(_("number of workers"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~models.Q(tax_code=""), name="employer_tax_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
