from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dialogues import selectors
from dialogues.models import ActionItem, Arena, ArenaSession, Decision, Stage
from matchplats.core import forms as core_forms
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.forms import CodeLabelMultipleChoiceField
from matchplats.taxonomy.models import Kommun, Lan, OccupationField, SsykGroup

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ArenaForm(core_forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("For example: Branschråd vård och omsorg i Värmland"))
    description = forms.CharField(label=_("Purpose and description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    lan = forms.ModelChoiceField(label=_("County"), queryset=Lan.objects.none())
    kommuner = forms.ModelMultipleChoiceField(label=_("Municipalities (leave empty for the whole county)"),
                                              queryset=Kommun.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    occupation_fields = forms.ModelMultipleChoiceField(label=_("Occupation fields"),
                                                       queryset=OccupationField.objects.order_by("label"),
                                                       required=False, widget=forms.CheckboxSelectMultiple)
    ssyk_groups = CodeLabelMultipleChoiceField(
        label=_("Occupation groups (SSYK)"), queryset=SsykGroup.objects.filter(level=4).order_by("code"),
        required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Choose occupation fields, single occupation groups, or both."))

    def __init__(self, *args, lan_ids, arena: Arena | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if arena is not None:
            del self.fields["lan"]
            lan_ids = [arena.lan_id]
        else:
            self.fields["lan"].queryset = Lan.objects.filter(pk__in=lan_ids).order_by("label")
            if len(lan_ids) == 1:
                self.fields["lan"].initial = next(iter(lan_ids))
        self.fields["kommuner"].queryset = Kommun.objects.filter(lan_id__in=lan_ids).order_by("label")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("occupation_fields") and not cleaned.get("ssyk_groups"):
            self.add_error("occupation_fields", _("Choose the branch: at least one occupation field or occupation "
                                                  "group."))
        return cleaned


class StageForm(core_forms.Form):
    stage = forms.ChoiceField(label=_("Move the arena to"), choices=Stage.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (why the arena moved)"), required=False, max_length=500)


class MemberAddForm(core_forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          required=False)
    email = forms.EmailField(label=_("…or a person, by the e-mail address of their account"), required=False)

    def __init__(self, *args, arena: Arena, **kwargs):
        super().__init__(*args, **kwargs)
        taken = arena.members.filter(organisation__isnull=False).values("organisation_id")
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=taken).order_by("kind", "name")

    def clean(self):
        cleaned = super().clean()
        organisation, email = cleaned.get("organisation"), cleaned.get("email")
        if bool(organisation) == bool(email):
            if not self.errors:
                raise forms.ValidationError(_("Choose an organisation or give a person's e-mail address, not both."))
            return cleaned
        if email:
            user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                self.add_error("email", _("Nobody has an account with this address; ask them to create one first."))
            cleaned["user"] = user
        return cleaned


class SessionForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    url = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")
    agenda = forms.CharField(label=_("Agenda (one item per line)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, with_agenda: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_agenda:
            del self.fields["agenda"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The session must end after it starts."))
        return cleaned


class AgendaItemForm(core_forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class _LinkedForm(core_forms.Form):
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=None, required=False)
    needs = forms.ModelMultipleChoiceField(label=_("Concerns these needs"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    occupations = CodeLabelMultipleChoiceField(label=_("Concerns these occupations"), queryset=None,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    gaps = CodeLabelMultipleChoiceField(label=_("Concerns the gap between demand and supply for"), queryset=None,
                                        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, session: ArenaSession, **kwargs):
        super().__init__(*args, **kwargs)
        arena = session.arena
        self.fields["agenda_item"].queryset = session.agenda_items.all()
        self.fields["needs"].queryset = selectors.linkable_needs(user=user, arena=arena)
        self.fields["needs"].label_from_instance = lambda need: f"{need.title} ({need.organisation.name})"
        groups = selectors.branch_groups(arena=arena)
        self.fields["occupations"].queryset = groups
        self.fields["gaps"].queryset = groups


class DecisionForm(_LinkedForm):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Decision.Visibility.choices,
                                   widget=forms.RadioSelect, initial=Decision.Visibility.MEMBERS,
                                   help_text=_("Public decisions are also shown on the pages of the needs they "
                                               "concern, to everyone who may see those needs."))
    field_order = ["text", "visibility", "agenda_item", "needs", "occupations", "gaps"]


class ActionItemForm(_LinkedForm):
    text = forms.CharField(label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ChoiceField(label=_("Owner"))
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices, initial=ActionItem.Status.OPEN)
    field_order = ["text", "owner", "due_on", "status", "agenda_item", "needs", "occupations", "gaps"]

    def __init__(self, *args, user, session: ArenaSession, with_status: bool = False, **kwargs):
        super().__init__(*args, user=user, session=session, **kwargs)
        if not with_status:
            del self.fields["status"]
        self.owners = selectors.possible_owners(arena=session.arena)
        self.fields["owner"].choices = [("", "—")] + [(key, label) for key, (label, _obj) in self.owners.items()]

    def clean_owner(self):
        key = self.cleaned_data["owner"]
        if key not in self.owners:
            raise forms.ValidationError(_("Choose an owner among the arena's members."))
        return key

    def owner_kwargs(self) -> dict:
        obj = self.owners[self.cleaned_data["owner"]][1]
        if isinstance(obj, Organisation):
            return {"owner_organisation": obj, "owner_user": None}
        return {"owner_organisation": None, "owner_user": obj}


def owner_key(item: ActionItem) -> str:
    return f"org-{item.owner_organisation_id}" if item.owner_organisation_id else f"user-{item.owner_user_id}"


class GuestJoinForm(core_forms.Form):
    """A guest's way into a live session: the name the others see, or anonymously where allowed."""

    display_name = forms.CharField(label=_("Your name as the others will see it"), max_length=60, required=False)
    anonymous = forms.BooleanField(label=_("Take part anonymously"), required=False)

    def __init__(self, *args, allow_anonymous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_anonymous:
            del self.fields["anonymous"]


class JoinCodeForm(core_forms.Form):
    code = forms.CharField(label=_("Join code"), max_length=40,
                           help_text=_("The six characters the host shows, for example K7P2QX."))
