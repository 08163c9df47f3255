"""Field data: offline submissions from phones, imports of ODK/KoBo exports, household surveys.

Scoping: every record carries the unit it belongs to (``commune`` for personal data, ``unit``
for a survey round), so the selectors filter with ``clms.places.scoping`` like every app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldKind(models.TextChoices):
    REPORT = "report", _("Report a child")
    VISIT = "visit", _("Record a visit")
    OBSERVATION = "observation", _("Record the work situation")
    SURVEY = "survey", _("Household survey")


class FieldSubmission(models.Model):
    """One item of a phone's offline queue, accepted once: its idempotency key is unique, and a
    second send of the same key gets ``result`` back instead of writing again."""

    key = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=FieldKind.choices)
    commune = models.ForeignKey("places.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+")
    result = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("field submission")

    def __str__(self) -> str:
        return str(self.key)


class ImportSource(models.TextChoices):
    ODK_CSV = "odk_csv", _("ODK Central CSV export")
    ODK_ZIP = "odk_zip", _("ODK Central ZIP export")
    KOBO_XLSX = "kobo_xlsx", _("KoBoToolbox XLSX export")
    KOBO_CSV = "kobo_csv", _("KoBoToolbox CSV export")
    ODK_PULL = "odk_pull", _("ODK Central (fetched)")


class ImportBatch(models.Model):
    """One upload (or one ``odk_pull`` run): written whole or not at all."""

    source = models.CharField(max_length=12, choices=ImportSource.choices)
    form_kind = models.CharField(max_length=16, choices=FieldKind.choices)
    commune = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    submissions = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import batch")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.filename}"


class ImportedSubmission(models.Model):
    """An ODK ``instanceID`` / KoBo ``_uuid`` seen once, and what it wrote."""

    instance_id = models.CharField(max_length=80, unique=True)
    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="items")
    object_type = models.CharField(max_length=40)
    object_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = _("imported submission")

    def __str__(self) -> str:
        return self.instance_id


class SurveyRound(models.Model):
    """A household child-labour survey of a unit in a year, with its sampling design."""

    unit = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    questionnaire_version = models.CharField(_("questionnaire version"), max_length=40)
    # A generated round (bench, demo) knows the rate of the population it was drawn from.
    true_rate = models.FloatField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey round")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return self.title


class SurveyPSU(models.Model):
    """A primary sampling unit (a village) of a stratum, with the households listed there and
    the number selected; each selected household's design weight is listed/selected times the
    inverse of the PSU's own selection probability."""

    round = models.ForeignKey(SurveyRound, models.CASCADE, related_name="psus")
    stratum = models.CharField(_("stratum"), max_length=40)
    village = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("village"))
    psu_weight = models.FloatField(_("inverse probability of selecting the village"), default=1.0)
    households_listed = models.PositiveIntegerField(_("households listed"))
    households_selected = models.PositiveIntegerField(_("households selected"))

    class Meta:
        verbose_name = _("primary sampling unit")
        constraints = [models.UniqueConstraint(fields=["round", "village"], name="surveys_psu_once_per_round")]

    def __str__(self) -> str:
        return f"{self.stratum}/{self.village_id}"

    @property
    def household_weight(self) -> float:
        return self.psu_weight * self.households_listed / self.households_selected


class InterviewResult(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")
    ABSENT = "absent", _("Nobody at home")


class SurveyHousehold(models.Model):
    round = models.ForeignKey(SurveyRound, models.CASCADE, related_name="households")
    psu = models.ForeignKey(SurveyPSU, models.CASCADE, related_name="households")
    commune = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+")
    village = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("household number"))
    head_name = models.CharField(_("head of household"), max_length=150, blank=True)
    result = models.CharField(_("interview result"), max_length=12, choices=InterviewResult.choices)
    interviewed_on = models.DateField(_("interviewed on"), null=True, blank=True)
    weight = models.FloatField(_("design weight"))
    instance_id = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("surveyed household")
        constraints = [models.UniqueConstraint(fields=["psu", "number"], name="surveys_household_number_once")]

    def __str__(self) -> str:
        return f"{self.psu_id}/{self.number}"


class SurveyMember(models.Model):
    """A household member aged 5-17, the same inputs as a work observation, and the categories
    ``clms.rules`` gave them under the law and both statistical standards."""

    household = models.ForeignKey(SurveyHousehold, models.CASCADE, related_name="members")
    line = models.PositiveSmallIntegerField(_("line"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=1)
    dob = models.DateField(_("date of birth"))
    age = models.PositiveSmallIntegerField(_("age"))
    situation = models.JSONField(default=dict)
    category_vn_law = models.CharField(max_length=32)
    category_mics6 = models.CharField(max_length=32)
    category_sdg2021 = models.CharField(max_length=32)
    ruleset_ids = models.JSONField(default=dict)
    child = models.ForeignKey("people.Child", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("surveyed child")
        constraints = [models.UniqueConstraint(fields=["household", "line"], name="surveys_member_line_once")]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.line}"
