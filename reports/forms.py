"""The report page's filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from employers.forms import BY_HORIZON_CHOICES
from matching.dimensioning import DEFAULT_HORIZON
from matchplats.core import forms as core_forms


class ReportFilterForm(core_forms.Form):
    """``?horizon=1y``: how far ahead demand and supply are counted (the view fills in the default,
    ``DEFAULT_HORIZON``, when the parameter is absent)."""

    horizon = forms.ChoiceField(label=_("Horizon"), choices=BY_HORIZON_CHOICES, initial=DEFAULT_HORIZON)
