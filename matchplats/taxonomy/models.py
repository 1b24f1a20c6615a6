"""Reference data every app leans on: occupations (SSYK 2012 and JobTech names), skills,
education fields and levels (SUN 2020, SeQF) and geography (län, kommun).

Rows are keyed by their official codes or JobTech concept ids and are written only by the
``load_taxonomy`` command; labels are Swedish, as published.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OccupationField(models.Model):
    concept_id = models.CharField(max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        ordering = ["label"]
        verbose_name = _("occupation field")
        verbose_name_plural = _("occupation fields")

    def __str__(self) -> str:
        return self.label


class SsykGroup(models.Model):
    """One node of SSYK 2012: level 1 (1 digit) to level 4 (4 digits, the occupation group)."""

    code = models.CharField(max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(db_index=True)
    concept_id = models.CharField(max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    definition = models.TextField(blank=True)
    occupation_field = models.ForeignKey(
        OccupationField, null=True, blank=True, on_delete=models.PROTECT, related_name="ssyk_groups"
    )
    skills = models.ManyToManyField("Skill", blank=True, related_name="ssyk_groups")

    class Meta:
        ordering = ["code"]
        verbose_name = _("SSYK group")
        verbose_name_plural = _("SSYK groups")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class OccupationName(models.Model):
    """A JobTech occupation name (yrkesbenämning), always under one SSYK4 group."""

    concept_id = models.CharField(max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=300)
    ssyk4 = models.ForeignKey(SsykGroup, on_delete=models.PROTECT, related_name="occupation_names")
    legacy_ams_id = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("occupation name")
        verbose_name_plural = _("occupation names")

    def __str__(self) -> str:
        return self.label


class Skill(models.Model):
    concept_id = models.CharField(max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=300)

    class Meta:
        ordering = ["label"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.label


class SunField(models.Model):
    """SUN 2020 education field (inriktning): levels 1–4 from SCB, level 5 = MYH's SUN5 codes."""

    code = models.CharField(max_length=5, unique=True)
    level = models.PositiveSmallIntegerField(db_index=True)
    concept_id = models.CharField(max_length=20, blank=True)
    label = models.CharField(_("label"), max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    definition = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("SUN education field")
        verbose_name_plural = _("SUN education fields")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class SunLevel(models.Model):
    """SUN 2020 education level (nivå), levels 1–3."""

    code = models.CharField(max_length=3, unique=True)
    level = models.PositiveSmallIntegerField()
    concept_id = models.CharField(max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("SUN education level")
        verbose_name_plural = _("SUN education levels")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class SeqfLevel(models.Model):
    """Sveriges referensram för kvalifikationer, levels 1–8."""

    level = models.PositiveSmallIntegerField(unique=True)
    label = models.CharField(_("label"), max_length=300)
    examples = models.CharField(_("examples"), max_length=300, blank=True)

    class Meta:
        ordering = ["level"]
        verbose_name = _("SeQF level")
        verbose_name_plural = _("SeQF levels")

    def __str__(self) -> str:
        return f"SeQF {self.level}"


class Lan(models.Model):
    code = models.CharField(max_length=2, unique=True)
    concept_id = models.CharField(max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county (län)")
        verbose_name_plural = _("counties (län)")

    def __str__(self) -> str:
        return self.label


class Kommun(models.Model):
    code = models.CharField(max_length=4, unique=True)
    concept_id = models.CharField(max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=100)
    lan = models.ForeignKey(Lan, on_delete=models.PROTECT, related_name="kommuner")

    class Meta:
        ordering = ["label"]
        verbose_name = _("municipality (kommun)")
        verbose_name_plural = _("municipalities (kommuner)")

    def __str__(self) -> str:
        return self.label


# --- labour-market context (Arbetsförmedlingen; attributed to them, see data/README.md) ----------


class BarometerOccupation(models.Model):
    """An occupation as Arbetsförmedlingen's Yrkesbarometer judges it; it has its own ids and
    names and maps to one or more SSYK4 groups."""

    concept_id = models.CharField(max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=300, blank=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("Yrkesbarometer occupation")
        verbose_name_plural = _("Yrkesbarometer occupations")

    def __str__(self) -> str:
        return self.label or self.concept_id


class BarometerSsyk(models.Model):
    """Barometer occupation → SSYK4, with the source's flags kept as given."""

    occupation = models.ForeignKey(BarometerOccupation, on_delete=models.CASCADE, related_name="ssyk_links")
    ssyk4 = models.ForeignKey(SsykGroup, on_delete=models.PROTECT, related_name="barometer_links")
    barometer_above_ssyk = models.BooleanField(default=False)
    barometer_part_of_ssyk = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occupation", "ssyk4"], name="one_barometer_ssyk_link")]


class BarometerOutlook(models.Model):
    """The Yrkesbarometer's judgement of one occupation in one län (``lan`` empty = Sverige):
    job opportunities now (stora = shortage of workers) and demand in five years. The values
    are the source's Swedish words."""

    class JobOpportunities(models.TextChoices):
        SMALL = "små", pgettext_lazy("job opportunities", "small")
        MEDIUM = "medelstora", pgettext_lazy("job opportunities", "medium")
        LARGE = "stora", pgettext_lazy("job opportunities", "large")

    class Forecast(models.TextChoices):
        INCREASE = "öka", pgettext_lazy("demand forecast", "increase")
        UNCHANGED = "vara oförändrad", pgettext_lazy("demand forecast", "stay the same")
        DECREASE = "minska", pgettext_lazy("demand forecast", "decrease")

    occupation = models.ForeignKey(BarometerOccupation, on_delete=models.CASCADE, related_name="outlooks")
    lan = models.ForeignKey(Lan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    job_opportunities = models.CharField(_("job opportunities now"), max_length=12, choices=JobOpportunities.choices)
    forecast_5y = models.CharField(_("demand in five years"), max_length=16, choices=Forecast.choices)
    published = models.DateField(_("published"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occupation", "lan"], name="one_outlook_per_lan"),
            models.UniqueConstraint(fields=["occupation"], condition=models.Q(lan__isnull=True),
                                    name="one_national_outlook"),
        ]


class AdVolume(models.Model):
    """Platsbanken job ads in one year for one SSYK4 group in one län (``lan`` empty = Sverige)."""

    ssyk4 = models.ForeignKey(SsykGroup, on_delete=models.PROTECT, related_name="ad_volumes")
    lan = models.ForeignKey(Lan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    ads = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ssyk4", "lan", "year"], name="one_ad_volume_per_lan_and_year"),
            models.UniqueConstraint(fields=["ssyk4", "year"], condition=models.Q(lan__isnull=True),
                                    name="one_national_ad_volume_per_year"),
        ]
