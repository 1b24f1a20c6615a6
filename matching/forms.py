"""Forms of the matcher's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from employers.forms import BY_HORIZON_CHOICES
from matching.dimensioning import DEFAULT_HORIZON, DimensioningFilters
from matchplats.core import forms as core_forms
from matchplats.taxonomy.forms import CodeChoiceField, KommunChoiceField, code_like
from matchplats.taxonomy.models import Kommun, Lan, OccupationField
from providers.models import Programme


class DimensioningFilterForm(core_forms.Form):
    """The GET filter of the dimensioning page. The county is given by its code (``?lan=17``), as
    the command takes it."""

    lan = CodeChoiceField(label=_("County"), queryset=Lan.objects.order_by("label"), empty_label=None)
    kommun = KommunChoiceField(label=_("Municipality"), required=False)
    occupation_field = forms.ModelChoiceField(label=_("Occupation field"), queryset=OccupationField.objects.all(),
                                              required=False, empty_label=_("All"))
    horizon = forms.ChoiceField(label=_("Horizon"), choices=BY_HORIZON_CHOICES, initial=DEFAULT_HORIZON)
    form = forms.ChoiceField(label=_("Programme form"), choices=[("", _("All"))] + Programme.Form.choices,
                             required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kommun list offers the chosen county's kommuner (a handful, not 290 grouped by
        # county, which also took a tenth of the page's time to render); any other is refused
        # by ``clean`` with the reason.
        lan = self.data.get("lan")
        county = list(Kommun.objects.filter(lan__code=lan).order_by("label")) if code_like(lan) else []
        if county:
            self.fields["kommun"].widget.choices = [("", "—")] + [(k.pk, k.label) for k in county]
        else:
            self.fields["kommun"].grouped()

    def clean(self):
        data = super().clean()
        kommun, lan = data.get("kommun"), data.get("lan")
        if kommun is not None and lan is not None and kommun.lan_id != lan.pk:
            self.add_error("kommun", _("%(kommun)s is not in %(lan)s.") % {"kommun": kommun, "lan": lan})
        return data

    def filters(self) -> DimensioningFilters:
        data = self.cleaned_data
        return DimensioningFilters(
            lan=data["lan"].code, kommuner=(data["kommun"].code,) if data["kommun"] else (),
            occupation_field=data["occupation_field"].pk if data["occupation_field"] else None,
            horizon=data["horizon"], form=data["form"],
        )
