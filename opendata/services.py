"""Publishing open data: a month's files, once (docs/open-data.md)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from matchplats.taxonomy.models import Lan
from opendata.files import checksum, rows_csv
from opendata.models import OpenDataSnapshot
from opendata.selectors import file_rows, month_end, month_label


def next_month(month: dt.date) -> dt.date:
    return month_end(month) + dt.timedelta(days=1)


def month_to_publish(today: dt.date) -> dt.date:
    """The month a run on ``today`` publishes by default: the one that ended last."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@dataclass
class PublishResult:
    month: dt.date
    published: list[OpenDataSnapshot] = field(default_factory=list)
    """Files written by this run (new, or replaced with ``replace``)."""
    kept: list[OpenDataSnapshot] = field(default_factory=list)
    """Files that were already published and were left as they are."""


def _check_month(month: dt.date, today: dt.date) -> None:
    if month.day != 1:
        raise ValueError(f"a month is given by its first day, not {month.isoformat()}")
    if today <= month_end(month):
        raise ValueError(f"{month_label(month)} has not ended: a month is published from the first day of the "
                         f"next month, {next_month(month).isoformat()}")
    if today > month_end(next_month(month)):
        raise ValueError(f"{month_label(month)} can no longer be published: its figures are the state at its end, "
                         f"taken during the following month (by {month_end(next_month(month)).isoformat()})")


@transaction.atomic
def open_data_publish_month(*, month: dt.date, today: dt.date, replace: bool = False,
                            lans: list[Lan] | None = None) -> PublishResult:
    """Publish ``month`` for every county (or ``lans``): demand and supply per occupation and
    horizon, and the arenas' public decisions, as an outsider sees them on ``today``.

    A month is the state at its end, so it is published during the following month (normally on
    its first day, from cron); before or after that, ValueError. Files already published are kept
    as they are — a month once published is frozen — unless ``replace``, which writes them again
    (only while the month may still be published). All counties or none."""
    _check_month(month, today)
    result = PublishResult(month=month)
    existing = {(s.lan_id, s.kind): s for s in
                OpenDataSnapshot.objects.select_for_update().filter(month=month).defer("content")}
    generated_at = timezone.now()
    for lan in lans if lans is not None else Lan.objects.order_by("code"):
        for kind in OpenDataSnapshot.Kind.values:
            snapshot = existing.get((lan.pk, kind))
            if snapshot is not None and not replace:
                result.kept.append(snapshot)
                continue
            columns, rows = file_rows(kind=kind, lan=lan, month=month, as_of=today)
            values = {"as_of": today, "generated_at": generated_at, "row_count": len(rows),
                      "content": json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False),
                      "checksum": checksum(rows_csv(columns=columns, rows=rows))}
            if snapshot is None:
                snapshot = OpenDataSnapshot.objects.create(lan=lan, month=month, kind=kind, **values)
            else:
                for name, value in values.items():
                    setattr(snapshot, name, value)
                snapshot.save(update_fields=list(values))
            result.published.append(snapshot)
    return result
