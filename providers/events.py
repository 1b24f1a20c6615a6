"""One small function per programme event type (who did what, when)."""

from providers.models import Programme, ProgrammeEvent

T = ProgrammeEvent.Type


def programme_created_event(*, programme: Programme, actor, source: str = "form") -> ProgrammeEvent:
    return ProgrammeEvent.objects.create(programme=programme, type=T.CREATED, actor=actor,
                                         data={"name": programme.name, "source": source})


def programme_updated_event(*, programme: Programme, actor, changes: dict) -> ProgrammeEvent:
    return ProgrammeEvent.objects.create(programme=programme, type=T.UPDATED, actor=actor, data={"changes": changes})
