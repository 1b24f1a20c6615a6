"""Branch arenas (branscharenor, branschråd), their sessions, decisions and action items.

An arena is a standing forum of one län and one branch; its members are organisations and
individual people, some of whom host. Sessions are its meetings: agenda, state (scheduled → live
→ closed), invitation and minutes. ``ArenaSession.version`` is the live layer's (docs/live-protocol.md): every change a
participant could see is persisted as a ``LiveEvent`` at the next version (``dialogues/live/``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read aloud or from a projector is typed right the first time."""
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_invite_token() -> str:
    return secrets.token_urlsafe(18)


class Stage(models.TextChoices):
    """Samverkanstrappan: the four steps of collaboration, in order."""

    SAMTAL = "samtal", _("Dialogue (samtal): who wants to, and why")
    SAMSYN = "samsyn", _("Shared view (samsyn): what should be done")
    SAMVERKAN = "samverkan", _("Collaboration (samverkan): who is needed to do it")
    SAMHANDLING = "samhandling", _("Joint action (samhandling): how, and by whom")


class Arena(models.Model):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lan = models.ForeignKey("taxonomy.Lan", verbose_name=_("county (län)"), on_delete=models.PROTECT,
                            related_name="+")
    kommuner = models.ManyToManyField("taxonomy.Kommun", verbose_name=_("municipalities"), blank=True,
                                      related_name="+")
    occupation_fields = models.ManyToManyField("taxonomy.OccupationField", verbose_name=_("occupation fields"),
                                               blank=True, related_name="+")
    ssyk_groups = models.ManyToManyField("taxonomy.SsykGroup", verbose_name=_("occupation groups (SSYK)"),
                                         blank=True, related_name="+")
    stage = models.CharField(_("stage of collaboration"), max_length=20, choices=Stage.choices,
                             default=Stage.SAMTAL)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("branch arena")
        verbose_name_plural = _("branch arenas")

    def __str__(self) -> str:
        return self.name


class ArenaMember(models.Model):
    """An organisation (all its members take part) or one person; a person may host."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        HOST = "host", _("Host")

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="arena_memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="arena_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("arena member")
        verbose_name_plural = _("arena members")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False, user__isnull=True, role="member")
                           | Q(organisation__isnull=True, user__isnull=False)),
                name="arena_member_is_organisation_or_person"),
            models.UniqueConstraint(fields=["arena", "organisation"], name="one_arena_membership_per_organisation"),
            models.UniqueConstraint(fields=["arena", "user"], name="one_arena_membership_per_person"),
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.user)


class ArenaSession(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    url = models.URLField(_("meeting link"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code, editable=False)
    invite_token = models.CharField(max_length=40, unique=True, default=new_invite_token, editable=False)
    version = models.PositiveBigIntegerField(default=0, help_text="Live layer: the version of the last LiveEvent.")
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="session_ends_after_it_starts")]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    notes_revision = models.PositiveIntegerField(default=0, help_text="Bumped by every change of the notes.")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Linked(models.Model):
    """What a decision or an action item concerns: needs, occupations (SSYK4) and gaps (an SSYK4
    group's demand minus supply in the arena's län, as on the dimensioning page)."""

    needs = models.ManyToManyField("employers.Need", verbose_name=_("needs"), blank=True, related_name="+")
    occupations = models.ManyToManyField("taxonomy.SsykGroup", verbose_name=_("occupations"), blank=True,
                                         related_name="+")
    gaps = models.ManyToManyField("taxonomy.SsykGroup", verbose_name=_("gaps"), blank=True, related_name="+")

    class Meta:
        abstract = True


class Decision(Linked):
    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Members only")
        PUBLIC = "public", _("Public")

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="decisions")
    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="decisions", verbose_name=_("agenda item"))
    text = models.TextField(_("decision"))
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.MEMBERS)
    needs = models.ManyToManyField("employers.Need", verbose_name=_("needs"), blank=True,
                                   related_name="arena_decisions")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(Linked):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="action_items")
    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="action_items")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="action_items", verbose_name=_("agenda item"))
    text = models.TextField(_("action"))
    owner_organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+",
                                           verbose_name=_("owner (organisation)"))
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("owner (person)"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    reminded_for = models.DateField(null=True, blank=True,
                                    help_text="The due date the owners were last reminded of (once per due date).")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE


class ArenaEvent(models.Model):
    """Who changed what in an arena, when: the arena itself, its members and stage, its sessions,
    decisions and action items (one small function per type in ``dialogues/events.py``)."""

    class Type(models.TextChoices):
        ARENA_CREATED = "arena_created", _("Arena created")
        ARENA_UPDATED = "arena_updated", _("Arena changed")
        MEMBER_ADDED = "member_added", _("Member added")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        HOST_SET = "host_set", _("Hosting changed")
        STAGE_CHANGED = "stage_changed", _("Stage changed")
        SESSION_CREATED = "session_created", _("Session scheduled")
        SESSION_UPDATED = "session_updated", _("Session changed")
        SESSION_STATE_CHANGED = "session_state_changed", _("Session state changed")
        SESSION_INVITED = "session_invited", _("Invitation sent")
        SESSION_REMINDED = "session_reminded", _("Session reminder sent")
        AGENDA_CHANGED = "agenda_changed", _("Agenda changed")
        DECISION_CREATED = "decision_created", _("Decision recorded")
        DECISION_UPDATED = "decision_updated", _("Decision changed")
        ACTION_CREATED = "action_created", _("Action item created")
        ACTION_UPDATED = "action_updated", _("Action item changed")
        ACTION_REMINDED = "action_reminded", _("Action item reminder sent")

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="events")
    session = models.ForeignKey(ArenaSession, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action_item = models.ForeignKey(ActionItem, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="events")
    type = models.CharField(max_length=30, choices=Type.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("arena event")
        verbose_name_plural = _("arena events")

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.created_at:%Y-%m-%d %H:%M})"


# --- the live layer (docs/live-protocol.md) -------------------------------------------------------


class LiveSettings(models.Model):
    """A session's live settings and the pointer to the agenda item on screen; one row per
    session, created when it is first needed."""

    session = models.OneToOneField(ArenaSession, on_delete=models.CASCADE, related_name="live")
    premoderate = models.BooleanField(_("questions wait for the host's approval"), default=False)
    allow_anonymous = models.BooleanField(_("guests may take part anonymously"), default=False)
    current_agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="+")


class Participant(models.Model):
    """Someone taking part in a live session: a logged-in person (one row per person and
    session) or a guest, recognised after a reload by a signed cookie holding this row's id."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employers")
        PROVIDER = "provider", _("Education providers")
        REGION = "region", _("Region")
        GUEST = "guest", _("Guests")

    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    anonymous = models.BooleanField(default=False)
    connections = models.IntegerField(default=0, help_text="Open sockets now (presence).")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_participant_per_person")]

    def __str__(self) -> str:
        return self.display_name or str(_("Anonymous"))


class Poll(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RANKING = "ranking", _("Ranking")
        SCALE = "scale", _("Scale 1–5")
        WORDS = "words", _("Open words")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        MANUAL = "", _("Written by the host")
        GAPS = "gaps", _("The branch's largest gaps")
        NEEDS = "needs", _("The county's open needs")

    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="polls")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="polls")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    question = models.CharField(_("question"), max_length=300)
    max_choices = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL, blank=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 help_text="The same prioritisation in the arena's previous session.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    revealed = models.BooleanField(default=False)
    results = models.JSONField(null=True, blank=True, help_text="Final results, stored when the poll closes.")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    key = models.CharField(max_length=40, blank=True,
                           help_text="What the option stands for across sessions: 'ssyk:5321', 'need:12'.")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Answer(models.Model):
    """One participant's answer to one poll; changing it replaces the value."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "participant"], name="one_answer_per_participant")]


class Question(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden")
        ANSWERED = "answered", _("Answered")

    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="questions")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="questions")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    state = models.CharField(max_length=10, choices=State.choices, default=State.VISIBLE)
    upvotes = models.PositiveIntegerField(default=0)
    tallied_upvotes = models.PositiveIntegerField(default=0, help_text="upvotes when last broadcast.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Upvote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="upvote_rows")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="upvotes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "participant"], name="one_upvote_per_participant")]


class Command(models.Model):
    """An accepted command and its acknowledgement, so that a retry is answered the same and
    applied once."""

    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    command_id = models.CharField(max_length=64)
    ack = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant", "command_id"],
                                    condition=Q(participant__isnull=False), name="one_command_per_participant_id"),
            models.UniqueConstraint(fields=["session", "user", "command_id"],
                                    condition=Q(participant__isnull=True), name="one_command_per_host_id"),
        ]


class LiveEvent(models.Model):
    """Every event broadcast, per audience, at its version: persisted before it is sent."""

    session = models.ForeignKey(ArenaSession, on_delete=models.CASCADE, related_name="live_events")
    version = models.PositiveBigIntegerField()
    type = models.CharField(max_length=30)
    payloads = models.JSONField(help_text="{audience: event} for host, member and guest.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version"]
        constraints = [models.UniqueConstraint(fields=["session", "version"], name="one_event_per_version")]
