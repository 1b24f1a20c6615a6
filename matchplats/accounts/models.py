from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address; there is no username."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email


class AuditEvent(models.Model):
    """Who signed in, changed someone's permissions or downloaded data, and when
    (docs/reliability.md, *Hardening*). The people involved are kept as pseudonyms
    (``matchplats.accounts.pseudonyms.pseudonym``) beside nullable references: when a person deletes
    their account the reference goes and the pseudonym stays, so the trail still reads "the same
    person did this" without naming them. Rows are only ever appended (``matchplats.accounts.audit``)."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_IN_LOCKED = "sign_in_locked", _("Sign-in refused after too many attempts")
        TWO_STEP_ADDED = "two_step_added", _("Two-step sign-in turned on")
        TWO_STEP_REMOVED = "two_step_removed", _("Two-step sign-in turned off")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("New recovery codes made")
        MEMBER_ADDED = "member_added", _("Member added")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        ROLE_CHANGED = "role_changed", _("Role changed")
        MEMBER_INVITED = "member_invited", _("Member invited")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
        ARENA_ACCESS_CHANGED = "arena_access_changed", _("Arena access changed")
        STAFF_CHANGED = "staff_changed", _("Platform staff rights changed")
        EXPORT = "export", _("Data downloaded")
        PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Personal data downloaded")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices, db_index=True)
    actor = models.ForeignKey(User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_pseudonym = models.CharField(_("actor (pseudonym)"), max_length=20, blank=True, db_index=True)
    subject = models.ForeignKey(User, verbose_name=_("concerns"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", help_text=_("The person whose access or data the event is about."))
    subject_pseudonym = models.CharField(_("concerns (pseudonym)"), max_length=20, blank=True, db_index=True)
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip_hash = models.CharField(_("address (pseudonym)"), max_length=16, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_organisation_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.actor_pseudonym}"
