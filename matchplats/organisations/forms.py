from django import forms
from django.utils.translation import gettext_lazy as _

from matchplats.core import forms as core_forms
from matchplats.core.validators import normalise_organisation_number
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
    organisation_number = forms.CharField(
        label=_("Organisation number"), max_length=20, required=False,
        help_text=_("Ten digits, NNNNNN-NNNN, as registered with Bolagsverket or Skatteverket."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    accepted_terms = forms.BooleanField(
        label=_("I accept the terms of use for the organisation, including the open licence of the aggregated "
                "figures"),
        error_messages={"required": _("Accept the terms of use to register the organisation.")},
    )

    def clean_organisation_number(self):
        return normalise_organisation_number(self.cleaned_data["organisation_number"])

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") if "kind" in self.fields else None
        if kind and cleaned.get("provider_type") and kind != Organisation.Kind.PROVIDER:
            self.add_error("provider_type", _("Only education providers have a provider type."))
        return cleaned


class OrganisationEditForm(OrganisationForm):
    """An organisation's own details. Its kind is fixed; only a provider has a provider type."""

    def __init__(self, *args, organisation: Organisation, **kwargs):
        initial = {"name": organisation.name, "provider_type": organisation.provider_type,
                   "kommun": organisation.kommun, "organisation_number": organisation.organisation_number,
                   "website": organisation.website}
        super().__init__(*args, initial=initial, **kwargs)
        del self.fields["kind"]
        del self.fields["accepted_terms"]
        if organisation.kind != Organisation.Kind.PROVIDER:
            del self.fields["provider_type"]
        else:
            self.fields["provider_type"].help_text = ""
        if organisation.kind == Organisation.Kind.REGION:
            self.fields["kommun"].queryset = Kommun.objects.filter(lan=organisation.lan)


class InvitationForm(core_forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class RoleForm(core_forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
