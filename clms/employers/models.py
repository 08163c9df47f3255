from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clms.accounts.models import Agency
from clms.employers.files import commitment_upload_to, private_storage


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
    MEDIUM = "medium", pgettext_lazy("size", "Medium")
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
    # When the business was registered or first seen: denominators of past years count only
    # employers that existed then.
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
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


# Decree 12/2022 and 283/2026 fine organisations double (Art. 6(1)); household businesses and
# individuals pay the individual amounts.  A cooperative group (tổ hợp tác) has no legal
# personality, so it is treated as individuals acting together.
ORGANISATION_KINDS = frozenset({EmployerKind.ENTERPRISE, EmployerKind.COOPERATIVE})


class Commitment(models.Model):
    """A signed undertaking not to use child labour, with its scanned copy."""

    employer = models.ForeignKey(Employer, models.CASCADE, related_name="commitments", verbose_name=_("employer"))
    signed_on = models.DateField(_("signed on"))
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's position"), max_length=100, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    document = models.FileField(
        _("scanned copy"), upload_to=commitment_upload_to, storage=private_storage, blank=True, max_length=255
    )
    document_name = models.CharField(max_length=255, blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    document_size = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.signed_on}"


class InspectionKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic")
    UNANNOUNCED = "unannounced", _("Unannounced")
    INTERAGENCY = "interagency", _("Interagency")


class Inspection(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    inspected_on = models.DateField(_("inspected on"), db_index=True)
    lead_agency = models.CharField(_("lead agency"), max_length=24, choices=Agency.choices)
    team = models.TextField(_("team"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("team members with an account")
    )
    employers = models.ManyToManyField(Employer, related_name="inspections", verbose_name=_("employers"))
    findings = models.TextField(_("findings"), blank=True)
    follow_up_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="follow_ups", verbose_name=_("follow-up of")
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.inspected_on:%d/%m/%Y}"


class FoundChild(models.Model):
    """A child the inspection found working, linked to the register with the observation made."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="found_children")
    employer = models.ForeignKey(Employer, models.PROTECT, related_name="found_children")
    child = models.ForeignKey("people.Child", models.PROTECT, related_name="+")
    observation = models.OneToOneField("people.WorkObservation", models.PROTECT, related_name="+")
    case_opened_at = models.DateTimeField(null=True, blank=True)
    case_ref = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("child found working")
        verbose_name_plural = _("children found working")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "child"], name="found_child_once_per_inspection"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.child_id}"


class ViolationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    PENALISED = "penalised", _("Penalised")
    REMEDIED = "remedied", _("Remedied")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_STATUSES = (ViolationStatus.PROPOSED, ViolationStatus.CONFIRMED, ViolationStatus.PENALISED)


class OffenderType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", _("Organisation")


class Violation(models.Model):
    """A breach found by an inspection, with the sanction the decree in force sets for it."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="violations", verbose_name=_("inspection"))
    employer = models.ForeignKey(Employer, models.PROTECT, related_name="violations", verbose_name=_("employer"))
    child = models.ForeignKey("people.Child", models.PROTECT, null=True, blank=True, related_name="+")
    observation = models.ForeignKey("people.WorkObservation", models.PROTECT, null=True, blank=True, related_name="+")
    rule_id = models.CharField(_("rule"), max_length=8)
    code = models.CharField(_("code"), max_length=32)
    description = models.TextField(_("description"))
    legal_basis = models.TextField(_("legal basis"))
    decree = models.CharField(_("decree"), max_length=80, blank=True)
    article = models.CharField(_("article"), max_length=8, blank=True)
    clause = models.CharField(_("clause"), max_length=8, blank=True)
    point = models.CharField(_("point"), max_length=4, blank=True)
    offender_type = models.CharField(_("offender"), max_length=12, choices=OffenderType.choices)
    fine_min = models.PositiveIntegerField(_("minimum fine"), null=True, blank=True)
    fine_max = models.PositiveIntegerField(_("maximum fine"), null=True, blank=True)
    fine_individual_min = models.PositiveIntegerField(null=True, blank=True)
    fine_individual_max = models.PositiveIntegerField(null=True, blank=True)
    fine_organisation_min = models.PositiveIntegerField(null=True, blank=True)
    fine_organisation_max = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ViolationStatus.choices, default=ViolationStatus.PROPOSED, db_index=True
    )
    remedy_deadline = models.DateField(_("remedy by"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    fine_amount = models.PositiveIntegerField(_("fine imposed"), null=True, blank=True)
    remedied_on = models.DateField(_("remedied on"), null=True, blank=True)
    dismissed_reason = models.TextField(_("reason for dismissal"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-inspection__inspected_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "code"], condition=models.Q(observation__isnull=False), name="violation_once_per_observation"
            ),
        ]
        indexes = [models.Index(fields=["status", "remedy_deadline"])]

    def __str__(self) -> str:
        return self.code

    @property
    def citation(self) -> str:
        """The Vietnamese citation ("điểm c khoản 2 Điều 29 Nghị định 12/2022/NĐ-CP"), as decrees cite each other."""
        if not self.decree:
            return ""
        point = f"điểm {self.point} " if self.point else ""
        return f"{point}khoản {self.clause} Điều {self.article} {self.decree}"
