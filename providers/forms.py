from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchplats import permissions
from matchplats.core import forms as core_forms
from matchplats.core.params import MAX_SEARCH_CHARS
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.forms import (
    CodeLabelChoiceField,
    CodeLabelMultipleChoiceField,
    KommunChoiceField,
    PickerSelectMultiple,
    SsykFilterField,
    SunFilterField,
)
from matchplats.taxonomy.models import Kommun, Lan, OccupationField, SsykGroup, SunField
from providers.models import LIA_PLACES_MAX, Programme, ValidationPath
from providers.selectors import ProgrammeFilters
from providers.services import IntakeSpec, LetterOfIntent, letter_of_intent_check


class KommunMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Kommun.objects.select_related("lan").order_by("lan__code", "label"), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.label} ({obj.lan.label})"


class ProgrammeForm(core_forms.ModelForm):
    sun_field = CodeLabelChoiceField(label=_("SUN 2020 field"), queryset=SunField.objects.filter(level__gte=4), required=False)
    target_occupations = CodeLabelMultipleChoiceField(label=_("Target occupations (SSYK)"),
                                                 queryset=SsykGroup.objects.filter(level=4), required=False,
                                                 widget=PickerSelectMultiple())
    kommuner = KommunMultipleChoiceField(label=_("Municipalities"), required=False,
                                         widget=PickerSelectMultiple())
    purpose = forms.TypedChoiceField(label=_("Purpose"), choices=Programme.Purpose.choices, required=False,
                                     empty_value=Programme.Purpose.INTO, initial=Programme.Purpose.INTO,
                                     help_text=Programme._meta.get_field("purpose").help_text)

    class Meta:
        model = Programme
        fields = ["name", "form", "status", "purpose", "description", "education_area", "sun_field", "target_occupations",
                  "seqf_level", "length_weeks", "yh_points", "pace_percent", "language", "language_integrated",
                  "kommuner", "distance", "share_in_work_after_1y", "last_intake_women", "last_intake_men",
                  "accessibility_notes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "accessibility_notes": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("kommuner") and not cleaned.get("distance"):
            self.add_error("kommuner", _("Choose at least one municipality, or mark the programme as distance."))
        return cleaned


class IntakeForm(core_forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=10_000)
    application_deadline = forms.DateField(label=_("Application deadline"), required=False,
                                           widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, deadline = cleaned.get("start_date"), cleaned.get("application_deadline")
        if start and deadline and deadline > start:
            self.add_error("application_deadline", _("The application deadline must be before the start."))
        return cleaned


class BaseIntakeFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this intake")

    def specs(self) -> list[IntakeSpec]:
        return [IntakeSpec(f.cleaned_data["start_date"], f.cleaned_data["places"], f.cleaned_data.get("application_deadline"))
                for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


INTAKES_MAX = 50
IntakeFormSet = forms.formset_factory(IntakeForm, formset=BaseIntakeFormSet, extra=1, can_delete=True,
                                      max_num=INTAKES_MAX, validate_max=True, absolute_max=INTAKES_MAX)
"""Any number of intakes (up to 50): one empty row always (enough without JavaScript: save and
edit again for more); static/js/formset.js adds rows from the formset's empty form."""


class ProgrammeFilterForm(core_forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_SEARCH_CHARS,
                        help_text=_("Words in the programme, an occupation, an SSYK code, a place or a provider."))
    mina = forms.BooleanField(label=_("Only my organisations' programmes"), required=False)
    form = forms.ChoiceField(label=_("Form"), choices=[("", _("All"))] + Programme.Form.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + Programme.Status.choices, required=False)
    ssyk = SsykFilterField(label=_("Target occupation"))
    sun = SunFilterField(label=_("Education field"))
    lan = forms.ModelChoiceField(label=_("County"), queryset=Lan.objects.all(), required=False)
    kommun = KommunChoiceField(label=_("Municipality"), required=False)
    distance = forms.BooleanField(label=_("Include distance programmes"), required=False)
    occupation_field = forms.ModelChoiceField(label=_("Occupation field"), queryset=OccupationField.objects.all(),
                                              required=False)
    planerat = forms.BooleanField(label=_("Only planned supply (granted, running or planned)"), required=False)
    utan_malyrken = forms.BooleanField(label=_("Only programmes without target occupations"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        """``user`` offers "only my organisations' programmes" to members of providers."""
        super().__init__(*args, **kwargs)
        self.fields["kommun"].grouped()
        self.provider_ids = frozenset(permissions.organisation_ids(user, kind=Organisation.Kind.PROVIDER)
                                      if user is not None and user.is_authenticated else ())
        if not self.provider_ids:
            del self.fields["mina"]

    def filters(self) -> ProgrammeFilters:
        if not self.is_valid():
            return ProgrammeFilters()
        d = self.cleaned_data
        return ProgrammeFilters(mine_of=self.provider_ids if d.get("mina") else None, text=d["q"].strip(), form=d["form"], status=d["status"], ssyk=d["ssyk"], sun=d["sun"],
                                lan=d["lan"].pk if d["lan"] else None, kommun=d["kommun"].pk if d["kommun"] else None,
                                distance=d["distance"],
                                occupation_field=d["occupation_field"].pk if d["occupation_field"] else None,
                                planned=d["planerat"], without_occupations=d["utan_malyrken"])


class ValidationPathForm(core_forms.ModelForm):
    occupations = CodeLabelMultipleChoiceField(label=_("Occupations (SSYK)"), queryset=SsykGroup.objects.filter(level=4),
                                          widget=PickerSelectMultiple())
    kommuner = KommunMultipleChoiceField(label=_("Municipalities"), required=False,
                                         widget=PickerSelectMultiple())

    class Meta:
        model = ValidationPath
        fields = ["name", "method", "occupations", "duration", "cost", "places", "kommuner", "distance", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ValidationFilterForm(core_forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_SEARCH_CHARS)
    ssyk = SsykFilterField(label=_("Occupation group"))
    kommun = KommunChoiceField(label=_("Municipality"), required=False)
    method = forms.ChoiceField(label=_("Method"), choices=[("", _("All"))] + ValidationPath.Method.choices,
                               required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommun"].grouped()



class BackingForm(core_forms.Form):
    """An employer's backing of a programme: at least one of LIA places, a letter of intent and a
    request to be contacted. The service checks again and says which part is wrong."""

    employer = forms.TypedChoiceField(label=_("Employer"), coerce=int)
    lia_places = forms.IntegerField(label=_("LIA places offered"), min_value=0, max_value=LIA_PLACES_MAX,
                                    required=False, initial=0,
                                    help_text=_("Places for lärande i arbete (work-based learning) you can offer "
                                                "students each intake."))
    letter_of_intent = forms.BooleanField(label=_("Sign a letter of intent (avsiktsförklaring)"), required=False)
    letter_signatory = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    letter_role = forms.CharField(label=_("Signatory's role"), max_length=200, required=False)
    letter_signed_on = forms.DateField(label=_("Signed on"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    letter_text = forms.CharField(label=_("Statement"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("What the employer intends, e.g. to take students for LIA and to "
                                              "recruit from the programme."))
    contact_requested = forms.BooleanField(label=_("Ask the provider to contact us"), required=False,
                                           help_text=_("The provider's members receive an e-mail with your address."))

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [(org.pk, org.name) for org in employers]
        if len(employers) == 1:
            self.fields["employer"].widget = forms.HiddenInput()
            self.fields["employer"].initial = employers[0].pk

    def clean(self):
        data = super().clean()
        letter = self.letter()
        if letter is not None:
            try:
                letter_of_intent_check(letter, today=timezone.localdate())
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    if field not in self.errors:
                        self.add_error(field, messages)
        return data

    def letter(self) -> LetterOfIntent | None:
        data = self.cleaned_data
        if not data.get("letter_of_intent"):
            return None
        return LetterOfIntent(signatory=data.get("letter_signatory", ""), role=data.get("letter_role", ""),
                              signed_on=data.get("letter_signed_on"), text=data.get("letter_text", ""))

    @staticmethod
    def initial_from(backing) -> dict:
        if backing is None or not backing.active:
            return {"lia_places": 0}
        return {"employer": backing.employer_id, "lia_places": backing.lia_places,
                "letter_of_intent": backing.letter_of_intent, "letter_signatory": backing.letter_signatory,
                "letter_role": backing.letter_role, "letter_signed_on": backing.letter_signed_on,
                "letter_text": backing.letter_text, "contact_requested": backing.contact_requested}
