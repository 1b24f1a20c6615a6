"""One small function per need event type (who did what, when).

The import events are built unsaved, because imports bulk-create them.
"""

import datetime as dt

from employers.models import Need, NeedEvent
from matchplats.core.models import ImportRun

T = NeedEvent.Type


def need_created_event(*, need: Need, actor) -> NeedEvent:
    return NeedEvent.objects.create(need=need, type=T.CREATED, actor=actor,
                                    data={"title": need.title, "headcount": need.headcount})


def need_updated_event(*, need: Need, actor, changes: dict) -> NeedEvent:
    return NeedEvent.objects.create(need=need, type=T.UPDATED, actor=actor, data={"changes": changes})


def need_status_changed_event(*, need: Need, actor, old_status: str) -> NeedEvent:
    return NeedEvent.objects.create(need=need, type=T.STATUS_CHANGED, actor=actor,
                                    data={"old": old_status, "new": need.status})


def need_imported_event(*, need: Need, actor, run: ImportRun, row: int, at: dt.datetime) -> NeedEvent:
    return NeedEvent(need=need, type=NeedEvent.Type.IMPORTED, actor=actor, created_at=at,
                     data={"title": need.title, "headcount": need.headcount, "source": "import",
                           "import_run": run.pk, "file": run.file_name, "row": row})


def need_import_updated_event(*, need: Need, actor, run: ImportRun, row: int, changes: dict,
                              at: dt.datetime) -> NeedEvent:
    return NeedEvent(need=need, type=NeedEvent.Type.IMPORT_UPDATED, actor=actor, created_at=at,
                     data={"changes": changes, "import_run": run.pk, "file": run.file_name, "row": row})


def need_confirmed_event(*, need: Need, actor, old_valid_until: dt.date) -> NeedEvent:
    return NeedEvent.objects.create(need=need, type=T.CONFIRMED, actor=actor,
                                    data={"changes": {"valid_until": [old_valid_until.isoformat(),
                                                                      need.valid_until.isoformat()]}})


def need_reminded_event(*, need: Need, recipients: int, at: dt.datetime) -> NeedEvent:
    """Built unsaved: the reminder command bulk-creates them."""
    return NeedEvent(need=need, type=T.REMINDED, actor=None, created_at=at,
                     data={"valid_until": need.valid_until.isoformat(), "recipients": recipients})
