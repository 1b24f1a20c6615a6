"""The report page's filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.dimensioning import DEFAULT_HORIZON
from matching.forms import HORIZON_CHOICES
from matchplats.core import forms as core_forms


class ReportFilterForm(core_forms.Form):
    """``?horizon=1y``: how far ahead demand and supply are counted (the view fills in the default,
    ``DEFAULT_HORIZON``, when the parameter is absent)."""

    horizon = forms.ChoiceField(label=_("Horizon"), choices=HORIZON_CHOICES, initial=DEFAULT_HORIZON)
