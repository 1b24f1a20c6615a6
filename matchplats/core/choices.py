"""Choices shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    AGGREGATED = "aggregated", _("Aggregated only")
    COORDINATORS = "coordinators", _("Regional coordinators only")


SEQF_CHOICES = [(level, f"SeQF {level}") for level in range(1, 9)]
