"""Form fields for picking reference data, shared by every app."""

import json

from django import forms
from django.utils.translation import gettext as _

from matchplats.taxonomy.models import Kommun
from matchplats.taxonomy.selectors import kommuner_by_lan


class KommunChoiceField(forms.ModelChoiceField):
    """Kommuner grouped by län in the widget, so a list of 290 stays navigable."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Kommun.objects.all(), **kwargs)

    def grouped(self) -> "KommunChoiceField":
        self.widget.choices = [("", "—")] + [
            (lan.label, [(k.pk, k.label) for k in kommuner]) for lan, kommuner in kommuner_by_lan()
        ]
        return self


class CodeLabelChoiceField(forms.ModelChoiceField):
    """SSYK groups and SUN fields shown as "code label"."""

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.label}"


class CodeLabelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.label}"


class PickerSelectMultiple(forms.SelectMultiple):
    """A plain multi-select that static/js/picker.js turns into a searchable picker (type to
    filter, codes included; keyboard usable); the page loads the script. Without JavaScript it
    stays a multi-select."""

    def __init__(self, attrs=None):
        super().__init__({"size": 8, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update({"data-picker": "", "data-picker-texts": picker_texts()})
        return context


def picker_texts() -> str:
    """The words static/js/picker.js shows, in the request's language, for a data-picker-texts attribute."""
    return json.dumps({"placeholder": _("Type to search"), "chosen": _("Chosen"), "remove": _("Remove"),
                       "hits": _("hits"), "none": _("No hits"), "added": _("was added")}, ensure_ascii=False)
