"""Published open data: one frozen file per county, month and kind (docs/open-data.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenDataSnapshot(models.Model):
    """The figures of one county for one month, as published. Written once by
    ``opendata.services.open_data_publish_month`` and never changed afterwards (only ``--replace``
    in the month after, while the month may still be published); the pages only read it.

    ``content`` holds the columns and rows as JSON text (``{"columns": [...], "rows": [[...]]}``),
    from which the CSV and JSON files are written; ``checksum`` is the SHA-256 of the CSV file
    exactly as it is served."""

    class Kind(models.TextChoices):
        DEMAND_SUPPLY = "demand_supply", _("Demand and supply per occupation")
        DECISIONS = "decisions", _("Public decisions of the branch arenas")

    lan = models.ForeignKey("taxonomy.Lan", verbose_name=_("county (län)"), on_delete=models.PROTECT,
                            related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month the figures are for."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    as_of = models.DateField(_("figures as of"), help_text=_("The day the figures were taken."))
    generated_at = models.DateTimeField(_("generated at"))
    content = models.TextField(editable=False)
    row_count = models.PositiveIntegerField(_("rows"))
    checksum = models.CharField(_("SHA-256 of the CSV file"), max_length=64)

    class Meta:
        ordering = ["lan__code", "-month", "kind"]
        verbose_name = _("open data file")
        verbose_name_plural = _("open data files")
        constraints = [models.UniqueConstraint(fields=["lan", "month", "kind"], name="one_open_data_file_per_month")]

    def __str__(self) -> str:
        return f"{self.lan_id} {self.month:%Y-%m} {self.kind}"
