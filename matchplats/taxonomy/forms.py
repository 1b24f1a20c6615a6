"""Form fields for picking reference data, shared by every app."""

from django import forms

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
