"""One small function per need event type (who did what, when)."""

from employers.models import Need, NeedEvent

T = NeedEvent.Type


def need_created_event(*, need: Need, actor) -> NeedEvent:
    return NeedEvent.objects.create(need=need, type=T.CREATED, actor=actor,
                                    data={"title": need.title, "headcount": need.headcount})


def need_updated_event(*, need: Need, actor, changes: dict) -> NeedEvent:
    return NeedEvent.objects.create(need=need, type=T.UPDATED, actor=actor, data={"changes": changes})


def need_status_changed_event(*, need: Need, actor, old_status: str) -> NeedEvent:
    return NeedEvent.objects.create(need=need, type=T.STATUS_CHANGED, actor=actor,
                                    data={"old": old_status, "new": need.status})
