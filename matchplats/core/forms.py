from django import forms
from django.core.exceptions import ValidationError

from matchplats.core.validators import validate_multiline, validate_single_line


class RefusesControlCharacters:
    """Form mixin: every text field refuses control characters (line breaks and tabs are allowed
    in text areas only), so they are reported on the field before anything is written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(validate_multiline if multiline else validate_single_line)


class Form(RefusesControlCharacters, forms.Form):
    """The base of every form in Matchplats."""


class ModelForm(RefusesControlCharacters, forms.ModelForm):
    """The base of every model form in Matchplats."""


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form it came from (field errors where named)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def query_without_page(request, page_param: str = "sida") -> str:
    """The current filter query string without the page number, for pagination and export links."""
    params = request.GET.copy()
    params.pop(page_param, None)
    return params.urlencode()


def more_filters_open(form, *, primary: tuple[str, ...] = ("q", "mina"), defaults: dict | None = None) -> bool:
    """Whether a list's folded "more filters" start open: when the form is invalid or one of its
    other fields holds a value other than its default, so nobody filters by something hidden."""
    if not form.is_bound:
        return False
    if not form.is_valid():
        return True
    defaults = defaults or {}
    return any(form.data.get(name) not in ("", None, defaults.get(name))
               for name in form.fields if name not in primary)
