"""Writes for programmes, intakes and validation paths."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matchplats import permissions
from matchplats.core.changes import PROGRAMME, VALIDATION, documents_changed
from matchplats.core.import_plans import LinkSet, RowPlan, rows_apply
from matchplats.core.models import ImportRun
from matchplats.core.services import import_run_create
from matchplats.organisations.models import Organisation
from matchplats.organisations.services import organisations_import_create
from matchplats.taxonomy.models import Kommun, SsykGroup
from providers import events
from providers.models import Intake, MyhCaseConflict, Programme, ProgrammeEvent, ValidationPath

MYH_INTAKE_MONTH, MYH_INTAKE_DAY = 9, 1
logger = logging.getLogger(__name__)


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
    documents_changed(kind=PROGRAMME, ids=[programme.pk])
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
    documents_changed(kind=VALIDATION, ids=[path.pk])
    return path


PROGRAMME_FIELDS = [
    "name", "form", "status", "purpose", "description", "education_area", "sun_field", "seqf_level", "length_weeks", "yh_points",
    "pace_percent", "language", "language_integrated", "distance", "share_in_work_after_1y", "last_intake_women",
    "last_intake_men", "accessibility_notes",
]


def _plain(value):
    if value is None or isinstance(value, (bool, int)):
        return value
    return str(value)


def _intake_key(spec) -> tuple:
    return (spec.start_date.isoformat(), spec.places,
            spec.application_deadline.isoformat() if spec.application_deadline else None)


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    actor,
    target_occupations: Iterable[SsykGroup] | None = None,
    kommuner: Iterable[Kommun] | None = None,
    intakes: Iterable[IntakeSpec] | None = None,
    **changes,
) -> Programme:
    """Change a programme; only what differs is written, and the differences become one event."""
    if not permissions.may_edit_programme(actor, programme):
        raise PermissionDenied(_("Only the provider's members change its programmes."))
    unknown = set(changes) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    diff = {}
    for name, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(programme, name) != value:
            diff[name] = [_plain(getattr(programme, name)), _plain(value)]
            setattr(programme, name, value)
    programme.full_clean()
    if target_occupations is not None:
        occupations = _check_occupations(target_occupations)
        old = sorted(programme.target_occupations.values_list("code", flat=True))
        if old != sorted(group.code for group in occupations):
            diff["target_occupations"] = [old, sorted(group.code for group in occupations)]
            programme.target_occupations.set(occupations)
    if kommuner is not None:
        kommuner = list(kommuner)
        old = sorted(programme.kommuner.values_list("code", flat=True))
        if old != sorted(k.code for k in kommuner):
            diff["kommuner"] = [old, sorted(k.code for k in kommuner)]
            programme.kommuner.set(kommuner)
    if intakes is not None:
        new_rows = [Intake(programme=programme, **vars(spec)) for spec in intakes]
        for intake in new_rows:
            intake.full_clean(exclude=["programme"])
        old = sorted(_intake_key(i) for i in programme.intakes.all())
        new = sorted(_intake_key(i) for i in new_rows)
        if old != new:
            diff["intakes"] = [old, new]
            programme.intakes.all().delete()
            Intake.objects.bulk_create(new_rows)
    if diff:
        programme.updated_at = timezone.now()
        programme.updated_by = actor
        programme.save()
        events.programme_updated_event(programme=programme, actor=actor, changes=diff)
        documents_changed(kind=PROGRAMME, ids=[programme.pk])
    return programme


VALIDATION_PATH_FIELDS = ["name", "method", "duration", "cost", "places", "distance", "description"]


@transaction.atomic
def validation_path_update(
    *, path: ValidationPath, actor, occupations: Iterable[SsykGroup] | None = None,
    kommuner: Iterable[Kommun] | None = None, **changes,
) -> ValidationPath:
    if not permissions.may_edit_validation_path(actor, path):
        raise PermissionDenied(_("Only the organiser's members change its validation paths."))
    unknown = set(changes) - set(VALIDATION_PATH_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    path = ValidationPath.objects.select_for_update().get(pk=path.pk)
    for name, value in changes.items():
        setattr(path, name, value.strip() if isinstance(value, str) else value)
    path.updated_at = timezone.now()
    path.full_clean()
    path.save()
    if occupations is not None:
        path.occupations.set(_check_occupations(occupations))
    if kommuner is not None:
        path.kommuner.set(kommuner)
    documents_changed(kind=VALIDATION, ids=[path.pk])
    return path


@transaction.atomic
def programme_import_rows(*, actor, organisation: Organisation | None, result, plans: list[RowPlan],
                          new_providers: list[Organisation], derived_intakes: bool) -> ImportRun:
    """Write a planned programme import (``providers.importing`` parses and plans): the providers
    it names that do not exist yet (command line and staff only), the new and changed programmes
    with their kommuner, target occupations and intakes (``derived_intakes``: MYH's derived ones,
    else the template's own — an import manages only that kind), one ImportRun and an
    ``imported`` / ``import_updated`` event per programme written."""
    if organisation is None:
        if not permissions.may_import_programmes_for_any_provider(actor):
            raise PermissionDenied(_("Only platform staff import programmes for any provider."))
    else:
        if organisation.kind != Organisation.Kind.PROVIDER or not permissions.may_act_for(actor, organisation):
            raise PermissionDenied(_("You can only import programmes for organisations you belong to."))
        if new_providers or any(plan.obj.provider_id != organisation.pk for plan in plans):
            raise PermissionDenied(_("This import may only write programmes of %(name)s.")
                                   % {"name": organisation.name})
    at = timezone.now()
    organisations_import_create(actor=actor, organisations=new_providers, at=at)
    kommuner, occupations = Programme.kommuner.through, Programme.target_occupations.through
    link_sets = [
        LinkSet(name="kommuner", model=kommuner, owner_field="programme_id",
                make=lambda pk, kommun_id: kommuner(programme_id=pk, kommun_id=kommun_id)),
        LinkSet(name="target_occupations", model=occupations, owner_field="programme_id",
                make=lambda pk, group_id: occupations(programme_id=pk, ssykgroup_id=group_id)),
        LinkSet(name="intakes", model=Intake, owner_field="programme_id", scope={"derived": derived_intakes},
                make=lambda pk, intake: Intake(programme_id=pk, start_date=intake[0], places=intake[1],
                                               application_deadline=intake[2], derived=derived_intakes)),
    ]
    creates, updates = rows_apply(model=Programme, plans=plans, actor=actor, at=at, link_sets=link_sets)
    run = import_run_create(kind=ImportRun.Kind.PROGRAMMES, result=result,
                            file_format=f"{result.layout}-{result.file_format}", organisation=organisation,
                            actor=actor, at=at)
    ProgrammeEvent.objects.bulk_create(
        [events.programme_imported_event(programme=plan.obj, actor=actor, run=run, row=plan.row, at=at)
         for plan in creates]
        + [events.programme_import_updated_event(programme=plan.obj, actor=actor, run=run, row=plan.row,
                                                 changes=plan.changes, at=at) for plan in updates],
        batch_size=500,
    )
    documents_changed(kind=PROGRAMME, ids=[plan.obj.pk for plan in creates + updates], bulk=True)
    return run


@dataclass(frozen=True)
class MyhClaim:
    """One row that gives an MYH case number to another provider than MYH's list names."""

    diarienummer: str
    owner_name: str
    claimed_by: Organisation | None
    claimed_by_name: str
    outcome: str
    row: int


@transaction.atomic
def myh_case_conflicts_record(*, claims: Iterable[MyhClaim], actor, file_name: str) -> list[MyhCaseConflict]:
    """Report claims of another provider's MYH case to platform staff: one open MyhCaseConflict
    per case and claiming provider (a repeated attempt is counted on it) and a WARNING log line."""
    now = timezone.now()
    recorded = []
    for claim in claims:
        logger.warning("MYH case %s claimed by %s (row %s of %s, user %s); MYH's list names %s: %s",
                       claim.diarienummer, claim.claimed_by_name, claim.row, file_name,
                       getattr(actor, "pk", None), claim.owner_name, claim.outcome)
        conflict = MyhCaseConflict.objects.filter(
            diarienummer=claim.diarienummer, claimed_by_name=claim.claimed_by_name, outcome=claim.outcome,
            resolved=False).first()
        if conflict is None:
            conflict = MyhCaseConflict.objects.create(
                diarienummer=claim.diarienummer, owner_name=claim.owner_name[:300], claimed_by=claim.claimed_by,
                claimed_by_name=claim.claimed_by_name[:300], outcome=claim.outcome, actor=actor,
                file_name=file_name[:255], row=claim.row, created_at=now, last_seen_at=now)
        else:
            MyhCaseConflict.objects.filter(pk=conflict.pk).update(
                attempts=F("attempts") + 1, last_seen_at=now, actor=actor, file_name=file_name[:255], row=claim.row)
        recorded.append(conflict)
    return recorded
