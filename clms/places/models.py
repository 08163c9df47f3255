from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The 2025 reform: districts abolished and communes merged with effect from this day.
REFORM_DATE = dt.date(2025, 7, 1)
PRE_REFORM_END = REFORM_DATE - dt.timedelta(days=1)


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


class Scheme(models.TextChoices):
    """Which official list a unit's code belongs to; a new commune may reuse an old code."""

    PRE_2025 = "pre2025", _("Before 1 July 2025")
    POST_2025 = "post2025", _("From 1 July 2025")
    # A province kept with the same code in both lists is one unit, not two.
    BOTH = "both", _("Both lists")
    LOCAL = "local", _("Created locally")


class AdminUnit(models.Model):
    code = models.CharField(_("code"), max_length=16, blank=True)
    scheme = models.CharField(_("list"), max_length=10, choices=Scheme.choices)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    unit_type = models.CharField(_("type"), max_length=40, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    # Materialised path of primary keys ("/1/7/42/") so that "everything under this unit"
    # is one indexed prefix match instead of a recursive walk.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors: models.ManyToManyField[AdminUnit, Succession] = models.ManyToManyField(
        "self",
        through="Succession",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        verbose_name=_("successors"),
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "level", "code"],
                condition=~models.Q(code=""),
                name="unit_code_unique_per_list",
            ),
        ]
        indexes = [models.Index(fields=["level", "scheme"])]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Succession(models.Model):
    """An old unit absorbed (wholly or partly) into a new one."""

    predecessor = models.ForeignKey(AdminUnit, models.CASCADE, related_name="succession_out")
    successor = models.ForeignKey(AdminUnit, models.CASCADE, related_name="succession_in")
    effective = models.DateField(default=REFORM_DATE)
    # When an old commune was split, its figures go to the main successor by default.
    is_main = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class DenominatorGroup(models.TextChoices):
    CHILDREN_5_17 = "children_5_17", _("Children aged 5-17")
    CHILDREN_5_17_MALE = "children_5_17_m", _("Boys aged 5-17")
    CHILDREN_5_17_FEMALE = "children_5_17_f", _("Girls aged 5-17")
    CHILDREN_5_11 = "children_5_11", _("Children aged 5-11")
    CHILDREN_12_14 = "children_12_14", _("Children aged 12-14")
    CHILDREN_15_17 = "children_15_17", _("Children aged 15-17")
    CHILDREN_UNDER_16 = "children_under_16", _("Children under 16")
    # The Labour Code's bands (under 13, 13-14, 15-17): the rate of child labour by legal age.
    CHILDREN_5_12 = "children_5_12", _("Children aged 5-12")
    CHILDREN_13_14 = "children_13_14", _("Children aged 13-14")
    TEACHERS = "teachers", _("Teachers and staff of schools and care facilities")
    PARENTS = "parents", _("Parents and caregivers")
    ENTERPRISES = "enterprises", _("Enterprises")
    COOPERATIVES = "cooperatives", _("Cooperatives")
    CRAFT_HOUSEHOLDS = "craft_households", _("Households in craft villages")
    OFFICIALS = "officials", _("Officials working on child labour")


class DenominatorSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")
    DERIVED = "derived", _("Derived from the register")


class Denominator(models.Model):
    unit = models.ForeignKey(AdminUnit, models.CASCADE, related_name="denominators", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    group = models.CharField(_("group"), max_length=32, choices=DenominatorGroup.choices)
    value = models.PositiveIntegerField(_("value"))
    source = models.CharField(
        _("source"), max_length=10, choices=DenominatorSource.choices, default=DenominatorSource.ENTERED
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("denominator")
        verbose_name_plural = _("denominators")
        ordering = ["unit__path", "year", "group"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "group"], name="denominator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.group}={self.value}"
