"""Branch arenas (branscharenor, branschråd), their sessions, decisions and action items.

An arena is a standing forum of one län and one branch; its members are organisations and
individual people, some of whom host. Sessions are its meetings: agenda, state (scheduled → live
→ closed), invitation and minutes. ``ArenaSession.version`` and ``ArenaSession.snapshot`` are
for the live layer (docs/live-protocol.md, a later step): every accepted live command will bump
the version and events carry it; nothing here increments it outside a state change.
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
    version = models.PositiveBigIntegerField(default=0, help_text="Live layer: bumped by every accepted change.")
    snapshot = models.JSONField(default=dict, blank=True, help_text="Live layer: last full state, at `version`.")
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
