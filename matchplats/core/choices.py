"""Choices shared by several apps."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    AGGREGATED = "aggregated", _("Aggregated only")
    COORDINATORS = "coordinators", _("Regional coordinators only")


SEQF_DESCRIPTIONS = {
    1: _("basic general knowledge"),
    2: _("compulsory school level"),
    3: _("skills used under supervision, e.g. short vocational courses"),
    4: _("upper secondary level, e.g. a vocational diploma"),
    5: _("short post-secondary level, e.g. a YH diploma"),
    6: _("bachelor's level, e.g. an advanced YH diploma"),
    7: _("master's level"),
    8: _("doctoral level"),
}
"""What each level of the Swedish qualifications framework means, said briefly (after
data/reference/seqf_levels.csv), so forms and pages never show a bare number."""
SEQF_CHOICES = [(level, format_lazy("SeQF {} – {}", level, description))
                for level, description in SEQF_DESCRIPTIONS.items()]
