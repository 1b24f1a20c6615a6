import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchplats.core.search import search_document
from matchplats.core.validators import validate_organisation_number

INVITATION_VALID_FOR = timedelta(days=14)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        PROVIDER = "provider", _("Education provider")
        REGION = "region", _("Region")

    class ProviderType(models.TextChoices):
        YH = "yh", _("YH organiser (yrkeshögskola)")
        KOMVUX = "komvux", _("Komvux / regional yrkesvux")
        UNIVERSITY = "university", _("University or university college")
        FOLKHOGSKOLA = "folkhogskola", _("Folk high school (folkhögskola)")
        CONTRACT = "contract", _("Contract education (uppdragsutbildning)")
        LEARNING_CENTRE = "learning_centre", _("Learning centre (lärcentrum)")
        VALIDATION = "validation", _("Validation organiser")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    provider_type = models.CharField(_("provider type"), max_length=20, choices=ProviderType.choices, blank=True)
    organisation_number = models.CharField(
        _("organisation number"), max_length=20, blank=True, validators=[validate_organisation_number],
        help_text=_("Ten digits, NNNNNN-NNNN, as registered with Bolagsverket or Skatteverket."),
    )
    kommun = models.ForeignKey(
        "taxonomy.Kommun", verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT
    )
    lan = models.ForeignKey(
        "taxonomy.Lan",
        verbose_name=_("county (län)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Required for a region: coordinators of the region see needs in this län."),
    )
    website = models.URLField(_("website"), blank=True)
    search_text = models.TextField(default="", blank=True, editable=False)
    """The name's stemmed search terms (``matchplats.core.search``); ``save`` keeps it, because a
    name can change wherever an organisation is saved, and needs and programmes are searched by it."""
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_terms_at = models.DateTimeField(_("terms of use accepted"), null=True, blank=True)
    """When the terms of use (``/villkor/``, ``matchplats.core.terms``) were accepted for the
    organisation; empty for organisations registered before there were terms, and for regions,
    which staff create."""
    accepted_terms_version = models.CharField(_("version of the terms accepted"), max_length=20, blank=True)

    @property
    def needs_to_accept_terms(self) -> bool:
        """An employer or provider that has not accepted the terms in force (registered before there
        were terms, or before ``TERMS_VERSION`` last changed). Regions are staff's and accept none."""
        from matchplats.core.terms import TERMS_VERSION

        return self.kind != self.Kind.REGION and self.accepted_terms_version != TERMS_VERSION

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="region") | models.Q(lan__isnull=False),
                name="region_has_lan",
            ),
            models.UniqueConstraint(fields=["lan"], condition=models.Q(kind="region"), name="one_region_per_lan"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_document([self.name])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def expires_at(self):
        return self.created_at + INVITATION_VALID_FOR

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.expires_at


class OrganisationEvent(models.Model):
    """Who changed what about an organisation and its members, and when."""

    class Type(models.TextChoices):
        CREATED = "created", _("Organisation created")
        UPDATED = "updated", _("Organisation details changed")
        MEMBER_INVITED = "member_invited", _("Member invited")
        MEMBER_JOINED = "member_joined", _("Member joined")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        ROLE_CHANGED = "role_changed", _("Role changed")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
        API_KEY_CREATED = "api_key_created", _("API key created")
        API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
        TERMS_ACCEPTED = "terms_accepted", _("Terms of use accepted")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=30, choices=Type.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.created_at:%Y-%m-%d %H:%M})"
