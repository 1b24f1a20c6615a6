from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentVector(models.Model):
    """The dense embedding of a need, programme or validation path, encoded in the background."""

    class Kind(models.TextChoices):
        NEED = "need", _("Competence need")
        PROGRAMME = "programme", _("Programme")
        VALIDATION = "validation", _("Validation path")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    text_hash = models.CharField(max_length=64)
    model = models.CharField(max_length=300)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_vector_per_document")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class _Target(models.Model):
    """A need linked to exactly one programme or validation path."""

    need = models.ForeignKey("employers.Need", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey("providers.Programme", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    validation_path = models.ForeignKey("providers.ValidationPath", null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="+")

    class Meta:
        abstract = True

    @property
    def target(self):
        return self.programme or self.validation_path

    @classmethod
    def target_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(programme__isnull=False, validation_path__isnull=True)
                | Q(programme__isnull=True, validation_path__isnull=False),
                name=f"{prefix}_one_target",
            ),
        ]


class MatchLink(_Target):
    """A stored match above MATCH_LINK_THRESHOLD, so figures can sum over matches without re-ranking."""

    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["need", "rank"]
        constraints = [
            *_Target.target_constraints("matchlink"),
            models.UniqueConstraint(fields=["need", "programme"], name="matchlink_need_programme"),
            models.UniqueConstraint(fields=["need", "validation_path"], name="matchlink_need_validation"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} → {self.target} ({self.score:.2f})"


class MatchFeedback(_Target):
    """A person's judgement of a match: relevant or not. The refit command learns from these."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    relevant = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            *_Target.target_constraints("matchfeedback"),
            models.UniqueConstraint(fields=["user", "need", "programme"], name="feedback_user_need_programme"),
            models.UniqueConstraint(fields=["user", "need", "validation_path"], name="feedback_user_need_validation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.need_id} → {self.target}: {self.relevant}"


class DigestSubscription(models.Model):
    """A person follows the matches of one need or one programme and gets the new ones by e-mail,
    at most once a week, all their followed needs and programmes in one digest (docs/digest.md)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey("employers.Need", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey("providers.Programme", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(need__isnull=False, programme__isnull=True) | Q(need__isnull=True, programme__isnull=False),
                name="digest_one_subject",
            ),
            models.UniqueConstraint(fields=["user", "need"], name="digest_user_need"),
            models.UniqueConstraint(fields=["user", "programme"], name="digest_user_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.subject}"

    @property
    def subject(self):
        return self.need or self.programme


class DigestedMatch(_Target):
    """A match a subscriber has already been told about (or saw when they started following), so
    the next digest lists only matches that are new since."""

    subscription = models.ForeignKey(DigestSubscription, on_delete=models.CASCADE, related_name="digested")

    class Meta:
        constraints = [
            *_Target.target_constraints("digestedmatch"),
            models.UniqueConstraint(fields=["subscription", "need", "programme"], name="digested_need_programme"),
            models.UniqueConstraint(fields=["subscription", "need", "validation_path"],
                                    name="digested_need_validation"),
        ]


class DigestDelivery(models.Model):
    """One digest e-mail sent to a person; at most one per person and calendar week."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the (local) calendar week the digest was sent in.")
    sent_at = models.DateTimeField(default=timezone.now)
    matches = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_user_and_week")]

    def __str__(self) -> str:
        return f"{self.user} {self.week}: {self.matches}"
