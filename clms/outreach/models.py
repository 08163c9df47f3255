"""Communication and training activities (content III.2 of the plan) and whom they reached."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clms.accounts.models import Agency
from clms.core.catalogues import text_choices


class ActivityKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    EVENT = "event", _("Event or meeting")
    TRAINING = "training", _("Training")
    BROADCAST = "broadcast", _("Broadcast")
    PRINTED = "printed", _("Printed products")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class BroadcastChannel(models.TextChoices):
    RADIO = "radio", _("Radio")
    TV = "tv", _("Television")
    LOUDSPEAKER = "loudspeaker", _("Village loudspeakers")
    SOCIAL = "social", _("Social media")


# Target groups of objectives 2 and 3 of the plan: the list is data
# (clms/outreach/data/target_groups.json).  The type checker is told of the constants the code
# refers to; tests/core/test_catalogues.py checks that each matches the data file.
if TYPE_CHECKING:
    class ReachGroup(models.TextChoices):
        OFFICIALS = "officials"
        TEACHERS = "teachers"
        PARENTS = "parents"
        CHILDREN = "children"
        ENTERPRISES = "enterprises"
        COOPERATIVES = "cooperatives"
        CRAFT_HOUSEHOLDS = "craft_households"
        OTHER = "other"
else:
    ReachGroup = text_choices("ReachGroup", "clms.outreach", "target_groups.json", "target_groups")


class PrintedProduct(models.TextChoices):
    """The products of footnote 2 of the plan."""

    BANNER = "banner", _("Banners")
    PANEL = "panel", _("Panels")
    POSTER = "poster", _("Posters")
    INFOGRAPHIC = "infographic", _("Infographics")
    LEAFLET = "leaflet", _("Leaflets")
    FOLDER = "folder", _("Folded leaflets")
    BOOKLET = "booklet", _("Booklets and handbooks")


class PeakPeriod(models.Model):
    """A yearly peak period for campaigns (footnote 1 of the plan); data, not code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    start_month = models.PositiveSmallIntegerField(_("start month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    start_day = models.PositiveSmallIntegerField(_("start day"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    end_month = models.PositiveSmallIntegerField(_("end month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    end_day = models.PositiveSmallIntegerField(_("end day"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("peak period")
        verbose_name_plural = _("peak periods")
        ordering = ["start_month", "start_day", "code"]

    def __str__(self) -> str:
        return self.name


class OutreachActivity(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=255)
    topic = models.TextField(_("topic"), blank=True)
    unit = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    lead_agency = models.CharField(_("lead agency"), max_length=24, choices=Agency.choices, blank=True)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.HELD)
    peak_period = models.ForeignKey(
        PeakPeriod, models.SET_NULL, null=True, blank=True, related_name="activities", verbose_name=_("peak period")
    )
    content_area = models.ForeignKey(
        "plans.ContentArea", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("plan content area")
    )
    channel = models.CharField(_("channel"), max_length=12, choices=BroadcastChannel.choices, blank=True)
    broadcasts = models.PositiveIntegerField(_("number of broadcasts"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["starts_on", "kind"])]

    def __str__(self) -> str:
        return self.title


class Reach(models.Model):
    """How many people of one target group an activity reached (attendances, not unique people)."""

    activity = models.ForeignKey(OutreachActivity, models.CASCADE, related_name="reach", verbose_name=_("activity"))
    group = models.CharField(_("target group"), max_length=20, choices=ReachGroup.choices)
    count = models.PositiveIntegerField(_("number reached"))

    class Meta:
        verbose_name = _("reach")
        verbose_name_plural = _("reach")
        constraints = [models.UniqueConstraint(fields=["activity", "group"], name="reach_unique_group")]

    def __str__(self) -> str:
        return f"{self.group}={self.count}"


class PrintedQuantity(models.Model):
    activity = models.ForeignKey(OutreachActivity, models.CASCADE, related_name="printed", verbose_name=_("activity"))
    product = models.CharField(_("product"), max_length=12, choices=PrintedProduct.choices)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("printed quantity")
        verbose_name_plural = _("printed quantities")
        constraints = [models.UniqueConstraint(fields=["activity", "product"], name="printed_unique_product")]

    def __str__(self) -> str:
        return f"{self.product}={self.quantity}"


class Attendee(models.Model):
    """One line of a training's attendance list: a person, or an employer (personal data).

    A person is identified across trainings by folded name, unit and folded position; an
    employer by its record, so that reach can count unique people rather than attendances.
    """

    activity = models.ForeignKey(OutreachActivity, models.CASCADE, related_name="attendees", verbose_name=_("activity"))
    group = models.CharField(_("target group"), max_length=20, choices=ReachGroup.choices)
    employer = models.ForeignKey(
        "employers.Employer", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("employer")
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    name_folded = models.CharField(max_length=150, blank=True, editable=False, db_index=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    position_folded = models.CharField(max_length=150, blank=True, editable=False)
    person_unit = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["activity", "name_folded", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employer__isnull=False) | ~models.Q(full_name=""),
                name="attendee_person_or_employer",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or str(self.employer_id)
