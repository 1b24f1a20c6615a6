"""Form fields for picking reference data, shared by every app."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from matchplats.taxonomy.models import Kommun, SsykGroup, SunField
from matchplats.taxonomy.selectors import kommuner_by_lan

MAX_CODE_CHARS = 10


def code_like(value) -> bool:
    """A value that could be a taxonomy code: short ASCII letters and digits. Anything else (NUL
    and other control characters PostgreSQL refuses, enormous strings) is no choice, and is
    answered as one without asking the database."""
    return isinstance(value, str) and 0 < len(value) <= MAX_CODE_CHARS and value.isascii() and value.isalnum()


class CodeChoiceField(forms.ModelChoiceField):
    """A choice of reference data given by its code (``?lan=17``): a value that cannot be a code
    is no choice, answered without asking the database."""

    def __init__(self, **kwargs):
        super().__init__(to_field_name="code", **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not code_like(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


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


def swedish_order(text: str) -> str:
    """A sort key that puts å, ä and ö after z, in that order, as Swedish readers expect (the
    database's collation may not, and SQLite's and PostgreSQL's differ)."""
    return text.casefold().translate({ord("å"): "{", ord("ä"): "|", ord("ö"): "}"})


class SsykFilterField(forms.ChoiceField):
    """A list filter's occupation group, picked by name (grouped by occupation field); the value is
    the SSYK code, so links can name a group, and a shorter code of a higher SSYK level (``53``)
    is still understood as every group under it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=self._choices, **kwargs)

    @staticmethod
    def _choices() -> list:
        grouped: dict[str, list[tuple[str, str]]] = {}
        for group in SsykGroup.objects.filter(level=4).select_related("occupation_field"):
            field_label = group.occupation_field.label if group.occupation_field else str(_("Other occupations"))
            grouped.setdefault(field_label, []).append((group.code, group.label))
        return [("", _("All occupations"))] + [
            (field_label, sorted(options, key=lambda option: swedish_order(option[1])))
            for field_label, options in sorted(grouped.items(), key=lambda item: swedish_order(item[0]))]

    def valid_value(self, value) -> bool:
        return code_like(value) and SsykGroup.objects.filter(code=value).exists()


class SunFilterField(forms.ChoiceField):
    """A list filter's SUN education field, picked by name: each broad field (SUN level 1) with its
    narrower fields (level 2) under it; the value is the SUN code, matched as a prefix."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=self._choices, **kwargs)

    @staticmethod
    def _choices() -> list:
        fields = list(SunField.objects.filter(level__in=(1, 2)).order_by("code"))
        children: dict[int, list[SunField]] = {}
        for field in fields:
            if field.level == 2:
                children.setdefault(field.parent_id, []).append(field)
        choices: list = [("", _("All education fields"))]
        for broad in (field for field in fields if field.level == 1):
            options = [(broad.code, _("All of %(field)s") % {"field": broad.label})]
            options += [(narrow.code, narrow.label) for narrow in children.get(broad.pk, [])]
            choices.append((broad.label, options))
        return choices

    def valid_value(self, value) -> bool:
        return code_like(value) and SunField.objects.filter(code=value).exists()


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
    texts = {"placeholder": _("Type to search"), "chosen": _("Chosen"), "remove": _("Remove"),
             "hits": _("hits"), "none": _("No hits"), "added": _("was added")}
    return json.dumps({key: str(text) for key, text in texts.items()}, ensure_ascii=False)
