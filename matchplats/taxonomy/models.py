"""Reference data every app leans on: occupations (SSYK 2012 and JobTech names), skills,
education fields and levels (SUN 2020, SeQF) and geography (län, kommun).

Rows are keyed by their official codes or JobTech concept ids and are written only by the
``load_taxonomy`` command; labels are Swedish, as published.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
