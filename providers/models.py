from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchplats.core.choices import SEQF_CHOICES


class Programme(models.Model):
    """An education programme (utbildning) offered or planned by a provider."""

    class Form(models.TextChoices):
        YH = "yh", _("Higher vocational education (YH)")
        YRKESVUX = "yrkesvux", _("Regional yrkesvux / komvux")
        HOGSKOLA = "hogskola", _("University (högskola)")
        FOLKHOGSKOLA = "folkhogskola", _("Folk high school (folkhögskola)")
        UPPDRAG = "uppdrag", _("Contract education (uppdragsutbildning)")
        OTHER = "other", _("Other")

    class Purpose(models.TextChoices):
        INTO = "into", _("Trains people into the occupation")
        FURTHER = "further", _("Further education for people in the occupation")
        BOTH = "both", _("Both")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        APPLIED = "applied", _("Applied for")
        GRANTED = "granted", _("Granted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        RUNNING = "running", _("Running")
        ENDED = "ended", _("Ended")

    provider = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="programmes"
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    education_area = models.CharField(_("education area"), max_length=200, blank=True)
    sun_field = models.ForeignKey(
        "taxonomy.SunField", verbose_name=_("SUN 2020 field"), null=True, blank=True, on_delete=models.PROTECT
    )
    target_occupations = models.ManyToManyField(
        "taxonomy.SsykGroup", verbose_name=_("target occupations (SSYK)"), blank=True, related_name="programmes"
    )
    purpose = models.CharField(
        _("purpose"), max_length=8, choices=Purpose.choices, default=Purpose.INTO,
        help_text=_("Whether the programme trains new people into its occupations, is further education "
                    "(vidareutbildning) for people already in them, or both."),
    )
    seqf_level = models.PositiveSmallIntegerField(_("level (SeQF)"), null=True, blank=True, choices=SEQF_CHOICES)
    length_weeks = models.PositiveIntegerField(_("length in weeks"), null=True, blank=True)
    yh_points = models.PositiveIntegerField(_("YH points"), null=True, blank=True)
    pace_percent = models.PositiveSmallIntegerField(
        _("pace (% of full time)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    language = models.CharField(_("language of instruction"), max_length=40, default="svenska")
    language_integrated = models.BooleanField(_("language-integrated (språk + yrke)"), default=False)
    kommuner = models.ManyToManyField("taxonomy.Kommun", verbose_name=_("municipalities"), blank=True)
    distance = models.BooleanField(_("distance / remote"), default=False)
    share_in_work_after_1y = models.PositiveSmallIntegerField(
        _("share in work after 1 year (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    last_intake_women = models.PositiveIntegerField(_("women in last intake"), null=True, blank=True)
    last_intake_men = models.PositiveIntegerField(_("men in last intake"), null=True, blank=True)
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    myh_diarienummer = models.CharField(_("MYH case number"), max_length=40, unique=True, null=True, blank=True)
    application_round = models.PositiveSmallIntegerField(_("application round"), null=True, blank=True)
    search_text = models.TextField(default="", blank=True, editable=False)
    """Stemmed search terms (``matchplats.core.search``), kept by ``services.programmes_search_refresh``."""
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Intake(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="intakes")
    start_date = models.DateField(_("start date"))
    places = models.PositiveIntegerField(_("places"))
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    derived = models.BooleanField(
        _("derived date"), default=False, help_text=_("The start date was derived from the MYH application round.")
    )

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self) -> str:
        return f"{self.programme} {self.start_date:%Y-%m-%d} ({self.places})"


class ProgrammeEvent(models.Model):
    class Type(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        IMPORTED = "imported", _("Imported")
        IMPORT_UPDATED = "import_updated", _("Updated by import")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20, choices=Type.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.created_at:%Y-%m-%d %H:%M}"


class MyhCaseConflict(models.Model):
    """An import tried to give an MYH case number (diarienummer) to a provider other than the one
    MYH's own list names (data/yh/applications_2018_2025.csv). Kept for platform staff, who see
    and resolve these in the Django admin; repeated attempts are counted on one open record."""

    class Outcome(models.TextChoices):
        REFUSED = "refused", _("Refused: the row was not imported")
        MOVED = "moved", _("Moved to the provider MYH names")

    diarienummer = models.CharField(_("MYH case number"), max_length=40, db_index=True)
    owner_name = models.CharField(_("provider in MYH's list"), max_length=300)
    claimed_by = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("claimed by"))
    claimed_by_name = models.CharField(_("claimed by (name in the file)"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("imported by"))
    file_name = models.CharField(_("file"), max_length=255)
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    created_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        ordering = ["resolved", "-last_seen_at"]
        verbose_name = _("MYH case conflict")
        verbose_name_plural = _("MYH case conflicts")

    def __str__(self) -> str:
        return f"{self.diarienummer}: {self.claimed_by_name} ≠ {self.owner_name}"


class ValidationPath(models.Model):
    """A way to have existing competence assessed and certified (valideringsväg)."""

    class Method(models.TextChoices):
        BRANCH_MODEL = "branch_model", _("Branch validation model")
        KOMVUX = "komvux", _("Komvux validation")
        OTHER = "other", _("Other")

    organiser = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="validation_paths"
    )
    name = models.CharField(_("name"), max_length=300)
    occupations = models.ManyToManyField(
        "taxonomy.SsykGroup", verbose_name=_("occupations (SSYK)"), blank=True, related_name="validation_paths"
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    duration = models.CharField(_("duration"), max_length=100, blank=True)
    cost = models.CharField(_("cost"), max_length=100, blank=True)
    places = models.PositiveIntegerField(_("places per year"), null=True, blank=True)
    kommuner = models.ManyToManyField("taxonomy.Kommun", verbose_name=_("municipalities"), blank=True)
    distance = models.BooleanField(_("distance / remote"), default=False)
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(default="", blank=True, editable=False)
    """Stemmed search terms (``matchplats.core.search``), kept by ``services.validation_paths_search_refresh``."""
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("validation path")
        verbose_name_plural = _("validation paths")

    def __str__(self) -> str:
        return self.name


LIA_PLACES_MAX = 1000


class ProgrammeBacking(models.Model):
    """An employer's stated backing of a planned or applied-for programme: LIA places (lärande i
    arbete) offered, a signed letter of intent (avsiktsförklaring) and/or a request to be
    contacted. One row per employer and programme; withdrawing keeps the row (``withdrawn_at``)
    so its history stays. Backing a programme lets its provider name the employer in the
    programme's evidence pack (docs/evidence.md)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="backings")
    employer = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("employer"), on_delete=models.CASCADE, related_name="backings"
    )
    lia_places = models.PositiveIntegerField(
        _("LIA places offered"), default=0, validators=[MaxValueValidator(LIA_PLACES_MAX)],
    )
    letter_of_intent = models.BooleanField(_("letter of intent signed"), default=False)
    letter_signatory = models.CharField(_("signed by"), max_length=200, blank=True)
    letter_role = models.CharField(_("signatory's role"), max_length=200, blank=True)
    letter_signed_on = models.DateField(_("signed on"), null=True, blank=True)
    letter_text = models.TextField(_("statement"), blank=True)
    contact_requested = models.BooleanField(_("asks to be contacted"), default=False)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["employer__name"]
        verbose_name = _("programme backing")
        verbose_name_plural = _("programme backings")
        constraints = [
            models.UniqueConstraint(fields=["programme", "employer"], name="one_backing_per_employer"),
            models.CheckConstraint(condition=models.Q(lia_places__lte=LIA_PLACES_MAX), name="backing_lia_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} → {self.programme}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class ProgrammeBackingEvent(models.Model):
    class Type(models.TextChoices):
        BACKED = "backed", _("Backing stated")
        CHANGED = "changed", _("Backing changed")
        WITHDRAWN = "withdrawn", _("Backing withdrawn")

    backing = models.ForeignKey(ProgrammeBacking, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20, choices=Type.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.created_at:%Y-%m-%d %H:%M}"
