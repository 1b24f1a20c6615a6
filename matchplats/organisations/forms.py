from django import forms
from django.utils.translation import gettext_lazy as _

from matchplats.core import forms as core_forms
from matchplats.organisations.models import Membership, Organisation
from matchplats.taxonomy.models import Kommun


class OrganisationForm(core_forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Organisation.Kind.EMPLOYER, Organisation.Kind.EMPLOYER.label),
                 (Organisation.Kind.PROVIDER, Organisation.Kind.PROVIDER.label)],
        widget=forms.RadioSelect,
    )
    provider_type = forms.ChoiceField(
        label=_("Provider type"), choices=[("", "—"), *Organisation.ProviderType.choices], required=False,
        help_text=_("Only for education providers."),
    )
    kommun = forms.ModelChoiceField(label=_("Municipality"), queryset=Kommun.objects.all(), required=False)
    organisation_number = forms.CharField(label=_("Organisation number"), max_length=20, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("provider_type") and cleaned.get("kind") != Organisation.Kind.PROVIDER:
            self.add_error("provider_type", _("Only education providers have a provider type."))
        return cleaned


class InvitationForm(core_forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class RoleForm(core_forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
