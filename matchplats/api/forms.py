from django import forms
from django.utils.translation import gettext_lazy as _

from matchplats.api.models import ApiKey
from matchplats.core import forms as core_forms


class ApiKeyForm(core_forms.Form):
    name = forms.CharField(label=_("Name"), max_length=ApiKey._meta.get_field("name").max_length,
                           help_text=_("What the key is for, e.g. the system that will use it."))
