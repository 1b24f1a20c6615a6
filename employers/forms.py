from django import forms
from django.utils.translation import gettext_lazy as _

from employers.models import Need
from employers.selectors import NeedFilters
from matchplats import permissions
from matchplats.core import forms as core_forms
from matchplats.core.choices import SEQF_CHOICES
from matchplats.core.params import MAX_SEARCH_CHARS
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.forms import CodeLabelChoiceField, KommunChoiceField, SsykFilterField
from matchplats.taxonomy.models import Lan, OccupationField, OccupationName, Skill, SsykGroup


class NeedForm(core_forms.Form):
    organisation = forms.ModelChoiceField(label=_("Employer"), queryset=Organisation.objects.none())
    ssyk4 = CodeLabelChoiceField(label=_("Occupation group (SSYK)"), queryset=SsykGroup.objects.filter(level=4))
    occupation_name = forms.ModelChoiceField(label=_("Occupation"), queryset=OccupationName.objects.all(),
                                             required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: Undersköterskor till hemtjänsten i Karlstad"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    purpose = forms.TypedChoiceField(label=_("Who is to be trained"), choices=Need.Purpose.choices,
                                     widget=forms.RadioSelect, initial=Need.Purpose.RECRUITMENT, required=False,
                                     empty_value=Need.Purpose.RECRUITMENT,
                                     help_text=Need._meta.get_field("purpose").help_text)
    headcount = forms.IntegerField(label=_("How many people"), min_value=1, max_value=10_000)
    horizon = forms.ChoiceField(label=_("When"), choices=Need.Horizon.choices, widget=forms.RadioSelect)
    kommun = KommunChoiceField(label=_("Municipality"), required=False)
    lan = forms.ModelChoiceField(label=_("…or the whole county"), queryset=Lan.objects.all(), required=False)
    skills = forms.ModelMultipleChoiceField(label=_("Required skills"), queryset=Skill.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    seqf_level = forms.TypedChoiceField(label=_("Required level (SeQF)"), coerce=int, empty_value=None, required=False,
                                        choices=[("", _("Not specified")), *SEQF_CHOICES])
    employment_form = forms.ChoiceField(label=_("Employment form"), choices=Need.EmploymentForm.choices)
    validation_accepted = forms.BooleanField(label=_("Validation of prior learning is accepted"), required=False)
    language_integrated_welcome = forms.BooleanField(
        label=_("Language-integrated training (språk + yrke) is welcome"), required=False)
    broadened_recruitment = forms.BooleanField(label=_("We seek broadened recruitment"), required=False)
    may_name_in_evidence = forms.BooleanField(
        label=_("Education providers may name us in evidence for education applications"), required=False)
    evidence_statement = forms.CharField(label=_("Statement for education applications"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(label=_("Who sees the need"), choices=Need._meta.get_field("visibility").choices,
                                   widget=forms.RadioSelect)
    external_id = forms.CharField(label=_("Your reference"), max_length=100, required=False)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommun"].grouped()
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[e.pk for e in employers])
        if len(employers) == 1:
            self.fields["organisation"].initial = employers[0].pk
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("kommun") and not cleaned.get("lan"):
            self.add_error("kommun", _("Choose a municipality, or a whole county."))
        return cleaned


BY_HORIZON_CHOICES = [("now", _("Now")), ("1y", _("Within 1 year")), ("1-3y", _("Within 3 years")),
                      ("3-5y", _("Within 5 years"))]
"""A horizon read cumulatively ("needed by its date at the latest"), as dimensioning counts demand."""


class NeedFilterForm(core_forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_SEARCH_CHARS,
                        help_text=_("Words in the need, an occupation, an SSYK code, a place or an employer."))
    mina = forms.BooleanField(label=_("Only my organisations' needs"), required=False)
    occupation_field = forms.ModelChoiceField(label=_("Occupation field"), queryset=OccupationField.objects.all(),
                                              required=False)
    ssyk = SsykFilterField(label=_("Occupation group"))
    lan = forms.ModelChoiceField(label=_("County"), queryset=Lan.objects.all(), required=False)
    kommun = KommunChoiceField(label=_("Municipality"), required=False)
    horizon = forms.ChoiceField(label=_("When"), choices=[("", _("Any time"))] + Need.Horizon.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + Need.Status.choices, required=False,
                               initial=Need.Status.ACTIVE)
    senast = forms.ChoiceField(label=_("Needed by at the latest"), choices=[("", _("Any time"))] + BY_HORIZON_CHOICES,
                               required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", _("All"))] + Need.Purpose.choices, required=False)
    oppen_for = forms.ChoiceField(label=_("Open to"), required=False, choices=[
        ("", _("All")), ("validation_accepted", _("Validation of prior learning")),
        ("language_integrated_welcome", _("Language-integrated training")),
        ("broadened_recruitment", _("Broadened recruitment"))])
    efterfragan = forms.BooleanField(label=_("Only needs counted as demand (active, not lapsed)"), required=False)
    att_bekrafta = forms.BooleanField(label=_("Only my employers' needs that need confirming"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        """``user`` offers "only my employers' needs that need confirming" to members of employers."""
        super().__init__(*args, **kwargs)
        self.fields["kommun"].grouped()
        self.employer_ids = frozenset(permissions.organisation_ids(user, kind=Organisation.Kind.EMPLOYER)
                                      if user is not None and user.is_authenticated else ())
        if not self.employer_ids:
            del self.fields["att_bekrafta"]
            del self.fields["mina"]

    def filters(self) -> NeedFilters:
        if not self.is_valid():
            return NeedFilters()
        data = self.cleaned_data
        return NeedFilters(
            to_confirm_of=self.employer_ids if data.get("att_bekrafta") else None,
            mine_of=self.employer_ids if data.get("mina") else None,
            occupation_field=data["occupation_field"].pk if data["occupation_field"] else None,
            ssyk=data["ssyk"], lan=data["lan"].pk if data["lan"] else None,
            kommun=data["kommun"].pk if data["kommun"] else None, horizon=data["horizon"],
            status=data["status"] if "status" in self.data else Need.Status.ACTIVE, text=data["q"].strip(),
            needed_by_horizon=data["senast"], purpose=data["purpose"], open_to=data["oppen_for"],
            in_demand=data["efterfragan"],
        )
