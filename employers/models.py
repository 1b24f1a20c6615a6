from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers import rules
from matchplats.core.choices import SEQF_CHOICES, Visibility

HEADCOUNT_MAX = 10_000


class Need(models.Model):
    """A competence need (kompetensbehov) registered by an employer."""

    class Horizon(models.TextChoices):
        NOW = "now", _("Now")
        WITHIN_1Y = "1y", _("Within 1 year")
        Y1_3 = "1-3y", _("1–3 years")
        Y3_5 = "3-5y", _("3–5 years")

    class EmploymentForm(models.TextChoices):
        PERMANENT = "permanent", _("Permanent (tillsvidare)")
        FIXED_TERM = "fixed_term", _("Fixed-term")
        SEASONAL = "seasonal", _("Seasonal")
        HOURLY = "hourly", _("Hourly / on call")
        APPRENTICE = "apprentice", _("Apprenticeship or trainee")
        OTHER = "other", _("Other")

    class Purpose(models.TextChoices):
        RECRUITMENT = "recruitment", _("New recruits")
        UPSKILLING = "upskilling", _("Upskilling current staff")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        FILLED = "filled", _("Filled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="needs"
    )
    ssyk4 = models.ForeignKey(
        "taxonomy.SsykGroup",
        verbose_name=_("occupation group (SSYK)"),
        on_delete=models.PROTECT,
        related_name="needs",
        limit_choices_to={"level": 4},
    )
    occupation_name = models.ForeignKey(
        "taxonomy.OccupationName", verbose_name=_("occupation"), null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    skills = models.ManyToManyField("taxonomy.Skill", verbose_name=_("required skills"), blank=True)
    headcount = models.PositiveIntegerField(
        _("how many people"), validators=[MinValueValidator(1), MaxValueValidator(HEADCOUNT_MAX)]
    )
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.RECRUITMENT,
        help_text=_("New recruits are trained into the occupation; upskilling (kompetensutveckling) is further "
                    "education for people you already employ."),
    )
    horizon = models.CharField(_("when"), max_length=5, choices=Horizon.choices)
    needed_by = models.DateField(_("needed by"))
    kommun = models.ForeignKey(
        "taxonomy.Kommun", verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT
    )
    lan = models.ForeignKey("taxonomy.Lan", verbose_name=_("county (län)"), on_delete=models.PROTECT)
    seqf_level = models.PositiveSmallIntegerField(_("required level (SeQF)"), null=True, blank=True, choices=SEQF_CHOICES)
    employment_form = models.CharField(
        _("employment form"), max_length=20, choices=EmploymentForm.choices, default=EmploymentForm.PERMANENT
    )
    validation_accepted = models.BooleanField(_("validation of prior learning accepted"), default=False)
    language_integrated_welcome = models.BooleanField(_("language-integrated training welcome"), default=False)
    broadened_recruitment = models.BooleanField(_("broadened recruitment sought"), default=False)
    may_name_in_evidence = models.BooleanField(_("may be named in evidence for education applications"), default=False)
    evidence_statement = models.TextField(_("statement for education applications"), blank=True)
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    external_id = models.CharField(
        _("your reference"), max_length=100, blank=True,
        help_text=_("The employer's own id for the need; imports update the need with the same reference."),
    )
    valid_until = models.DateField(
        _("valid until"), default=rules.need_valid_until_default, db_index=True,
        help_text=_("Moves ahead whenever the employer registers, edits or confirms the need."),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    search_text = models.TextField(default="", blank=True, editable=False)
    """Stemmed search terms (``matchplats.core.search``), kept by ``services.needs_search_refresh``."""
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["needed_by", "-created_at"]
        verbose_name = _("competence need")
        verbose_name_plural = _("competence needs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(headcount__gte=1, headcount__lte=HEADCOUNT_MAX), name="need_headcount_in_range"
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"], condition=~models.Q(external_id=""), name="one_need_per_reference"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def staleness(self) -> str:
        """``current``, ``stale`` or ``lapsed`` today (``rules.need_staleness``)."""
        return rules.need_staleness(self, timezone.localdate())

    @property
    def lapses_on(self):
        return rules.lapses_on(self.valid_until)


class NeedEvent(models.Model):
    class Type(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        STATUS_CHANGED = "status_changed", _("Status changed")
        IMPORTED = "imported", _("Imported")
        IMPORT_UPDATED = "import_updated", _("Updated by import")
        CONFIRMED = "confirmed", _("Confirmed as still valid")
        REMINDED = "reminded", _("Reminded to confirm")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20, choices=Type.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.created_at:%Y-%m-%d %H:%M}"
