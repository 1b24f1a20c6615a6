"""Writes for programmes, intakes and validation paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchplats import permissions
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Kommun, SsykGroup
from providers import events
from providers.models import Intake, Programme, ValidationPath

MYH_INTAKE_MONTH, MYH_INTAKE_DAY = 9, 1


@dataclass(frozen=True)
class IntakeSpec:
    start_date: dt.date
    places: int
    application_deadline: dt.date | None = None
    derived: bool = False


def myh_derived_intakes(*, application_round: int, places_per_round: Iterable[int | None]) -> list[IntakeSpec]:
    """MYH rows carry no dates. Rule: round Y → intake i starts in autumn (1 September) of Y+i,
    with the places granted for omgång i; rounds without granted places get no intake."""
    return [
        IntakeSpec(dt.date(application_round + i, MYH_INTAKE_MONTH, MYH_INTAKE_DAY), places, derived=True)
        for i, places in enumerate(places_per_round, start=1)
        if places
    ]


def _check_provider(actor, provider: Organisation) -> None:
    if provider.kind != Organisation.Kind.PROVIDER:
        raise ValidationError({"provider": _("Only education providers post programmes.")})
    if actor is not None and not permissions.may_act_for(actor, provider):
        raise PermissionDenied(_("You can only post programmes for organisations you belong to."))


def _check_occupations(occupations: Iterable[SsykGroup]) -> list[SsykGroup]:
    occupations = list(occupations)
    wrong = [group.code for group in occupations if group.level != 4]
    if wrong:
        raise ValidationError({"target_occupations": _("Use four-digit SSYK groups, not %(codes)s.")
                               % {"codes": ", ".join(wrong)}})
    return occupations


@transaction.atomic
def programme_create(
    *,
    actor,
    provider: Organisation,
    name: str,
    form: str,
    status: str = Programme.Status.PLANNED,
    target_occupations: Iterable[SsykGroup] = (),
    kommuner: Iterable[Kommun] = (),
    intakes: Iterable[IntakeSpec] = (),
    source: str = "form",
    **fields,
) -> Programme:
    """Create a programme with its places and intakes. ``actor`` None means a system import."""
    _check_provider(actor, provider)
    occupations = _check_occupations(target_occupations)
    now = timezone.now()
    programme = Programme(
        provider=provider, name=(name or "").strip(), form=form, status=status,
        created_at=now, updated_at=now, created_by=actor, updated_by=actor, **fields,
    )
    programme.full_clean()
    intake_rows = [Intake(programme=programme, **vars(spec)) for spec in intakes]
    for intake in intake_rows:
        intake.full_clean(exclude=["programme"])
    programme.save()
    programme.target_occupations.set(occupations)
    programme.kommuner.set(kommuner)
    Intake.objects.bulk_create(intake_rows)
    events.programme_created_event(programme=programme, actor=actor, source=source)
    return programme


@transaction.atomic
def validation_path_create(
    *,
    actor,
    organiser: Organisation,
    name: str,
    method: str,
    occupations: Iterable[SsykGroup] = (),
    kommuner: Iterable[Kommun] = (),
    **fields,
) -> ValidationPath:
    if organiser.kind != Organisation.Kind.PROVIDER:
        raise ValidationError({"organiser": _("Validation paths are offered by education or validation providers.")})
    if actor is not None and not permissions.may_act_for(actor, organiser):
        raise PermissionDenied(_("You can only post validation paths for organisations you belong to."))
    occupations = _check_occupations(occupations)
    now = timezone.now()
    path = ValidationPath(organiser=organiser, name=(name or "").strip(), method=method,
                          created_at=now, updated_at=now, created_by=actor, **fields)
    path.full_clean()
    path.save()
    path.occupations.set(occupations)
    path.kommuner.set(kommuner)
    return path
