"""Writes for programmes, intakes and validation paths."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matchplats import permissions
from matchplats.core.changes import PROGRAMME, VALIDATION, documents_changed
from matchplats.core.import_plans import LinkSet, RowPlan, rows_apply
from matchplats.core.models import ImportRun
from matchplats.core.search import refresh_search_documents, search_document
from matchplats.core.services import import_run_create
from matchplats.core.validators import single_line, validate_multiline, validate_single_line
from matchplats.organisations.models import Membership, Organisation
from matchplats.organisations.services import organisations_import_create
from matchplats.taxonomy.models import Kommun, SsykGroup
from providers import events
from providers.models import (
    LIA_PLACES_MAX,
    Intake,
    MyhCaseConflict,
    Programme,
    ProgrammeBacking,
    ProgrammeEvent,
    ValidationPath,
)

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
    programmes_search_refresh(ids=[programme.pk])
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
    validation_paths_search_refresh(ids=[path.pk])
    documents_changed(kind=VALIDATION, ids=[path.pk])
    return path


def programme_search_document(programme: Programme) -> str:
    """What finds a programme (``matchplats.core.search``): its name, description and education
    area, its SUN field, each target occupation's SSYK code, label and occupation names, and its
    kommuner. The provider's name is searched through the organisation's own document."""
    occupations = programme.target_occupations.all()
    return search_document([
        programme.name, programme.description, programme.education_area,
        *((programme.sun_field.code, programme.sun_field.label) if programme.sun_field else ()),
        *(text for group in occupations for text in (group.code, group.label)),
        *(name.label for group in occupations for name in group.occupation_names.all()),
        *(kommun.label for kommun in programme.kommuner.all()),
    ])


def programmes_search_refresh(*, ids: Iterable[int] | None = None) -> int:
    """Rewrite the search document of the programmes ``ids`` (every programme when None: after the
    taxonomy changed, ``manage.py search_rebuild``). Returns how many documents changed."""
    programmes = Programme.objects.select_related("sun_field").prefetch_related(
        "target_occupations__occupation_names", "kommuner")
    return refresh_search_documents(programmes, programme_search_document, ids=ids)


def validation_path_search_document(path: ValidationPath) -> str:
    """What finds a validation path: its name and description, each occupation's SSYK code,
    label and occupation names, and its kommuner; the organiser through the organisation's document."""
    occupations = path.occupations.all()
    return search_document([
        path.name, path.description,
        *(text for group in occupations for text in (group.code, group.label)),
        *(name.label for group in occupations for name in group.occupation_names.all()),
        *(kommun.label for kommun in path.kommuner.all()),
    ])


def validation_paths_search_refresh(*, ids: Iterable[int] | None = None) -> int:
    """Rewrite the search document of the validation paths ``ids`` (every one when None)."""
    paths = ValidationPath.objects.prefetch_related("occupations__occupation_names", "kommuner")
    return refresh_search_documents(paths, validation_path_search_document, ids=ids)


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
        programmes_search_refresh(ids=[programme.pk])
        events.programme_updated_event(programme=programme, actor=actor, changes=diff)
        documents_changed(kind=PROGRAMME, ids=[programme.pk])
    return programme


CONFIRMED_OCCUPATIONS_MAX = 3
"""The programme page offers at most three of the matching's readings to confirm (its
``CODED_OCCUPATIONS``); more codes in one confirmation are refused, not cut."""
_SSYK4_CODE = re.compile(r"\d{4}")


def _confirmed_groups(codes: Iterable[str]) -> list[SsykGroup]:
    """The SSYK level-4 groups of ``codes`` in the order given (repeats once), or a ValidationError
    that names the wrong codes; nothing is looked up beyond the few codes allowed."""
    codes = list(dict.fromkeys(str(code).strip() for code in codes if str(code).strip()))
    if not codes:
        raise ValidationError({"target_occupations": _("Choose at least one occupation group to confirm.")})
    if len(codes) > CONFIRMED_OCCUPATIONS_MAX:
        raise ValidationError({"target_occupations": _("Confirm at most %(max)s occupation groups at a time.")
                               % {"max": CONFIRMED_OCCUPATIONS_MAX}})
    malformed = [code for code in codes if not _SSYK4_CODE.fullmatch(code)]
    if malformed:
        raise ValidationError({"target_occupations": _("An SSYK occupation group has four digits, not %(codes)s.")
                               % {"codes": ", ".join(single_line(code)[:20] for code in malformed)}})
    groups = SsykGroup.objects.filter(level=4).in_bulk(codes, field_name="code")
    unknown = [code for code in codes if code not in groups]
    if unknown:
        raise ValidationError({"target_occupations": _("There is no SSYK occupation group %(codes)s.")
                               % {"codes": ", ".join(unknown)}})
    return [groups[code] for code in codes]


@transaction.atomic
def programme_target_occupations_confirm(*, programme: Programme, actor, codes: Iterable[str]) -> Programme:
    """The provider confirms SSYK4 groups (as the matching reads the programme, shown on its page)
    as the target occupations of a programme that names none yet, e.g. one imported from MYH's
    lists. Everything is checked before anything is written; the write is ``programme_update``'s,
    so it is one "updated" event in the programme's history like any other edit. A programme that
    already names target occupations is changed on its edit page instead."""
    if not permissions.may_edit_programme(actor, programme):
        raise PermissionDenied(_("Only the provider's members change its programmes."))
    groups = _confirmed_groups(codes)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.target_occupations.exists():
        raise ValidationError({"target_occupations": _(
            "The programme already names its target occupations; change them on its edit page.")})
    return programme_update(programme=programme, actor=actor, target_occupations=groups)


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
    validation_paths_search_refresh(ids=[path.pk])
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
    programmes_search_refresh(ids=[plan.obj.pk for plan in creates + updates])
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


# --- employers backing programmes ----------------------------------------------------------------

BACKABLE_STATUSES = (Programme.Status.PLANNED, Programme.Status.APPLIED)
"""Backing is evidence for an application: it is stated for programmes planned or applied for."""

_BACKING_FIELDS = ["lia_places", "letter_of_intent", "letter_signatory", "letter_role", "letter_signed_on",
                   "letter_text", "contact_requested", "contact_email"]


@dataclass(frozen=True)
class LetterOfIntent:
    """A signed letter of intent (avsiktsförklaring): who signs, in which role, when, and what."""

    signatory: str
    role: str
    signed_on: dt.date | None
    text: str


def letter_of_intent_check(letter: LetterOfIntent, *, today: dt.date) -> LetterOfIntent:
    """The letter with its text fields stripped, or a ValidationError naming every wrong field
    (the backing form shows them all at once; ``programme_backing_set`` checks again)."""
    letter = LetterOfIntent(signatory=(letter.signatory or "").strip(), role=(letter.role or "").strip(),
                            signed_on=letter.signed_on, text=(letter.text or "").strip())
    errors = {}
    for name, value, check in (("letter_signatory", letter.signatory, validate_single_line),
                               ("letter_role", letter.role, validate_single_line),
                               ("letter_text", letter.text, validate_multiline)):
        try:
            check(value)
        except ValidationError as error:
            errors[name] = error.messages
    if not letter.signatory and "letter_signatory" not in errors:
        errors["letter_signatory"] = [_("Name the person who signs the letter of intent.")]
    if not letter.role and "letter_role" not in errors:
        errors["letter_role"] = [_("Give the signatory's role, e.g. head of unit.")]
    if not letter.text and "letter_text" not in errors:
        errors["letter_text"] = [_("Write the statement of the letter of intent: what the employer intends.")]
    if letter.signed_on is None:
        errors["letter_signed_on"] = [_("Give the date the letter of intent was signed.")]
    elif letter.signed_on > today:
        errors["letter_signed_on"] = [_("The letter of intent cannot be signed in the future.")]
    if errors:
        raise ValidationError(errors)
    return letter


def _backing_state(backing: ProgrammeBacking) -> dict:
    return {name: _plain(getattr(backing, name)) for name in _BACKING_FIELDS}


def _send_contact_request(*, backing: ProgrammeBacking, link: str) -> None:
    emails = sorted(set(Membership.objects.filter(organisation_id=backing.programme.provider_id, user__is_active=True)
                        .values_list("user__email", flat=True)))
    if not emails:
        return
    with translation.override("sv"):
        context = {"backing": backing, "programme": backing.programme, "employer": backing.employer, "link": link}
        send_mail(
            subject=single_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
                                + _("%(employer)s asks to be contacted about %(programme)s")
                                % {"employer": backing.employer.name, "programme": backing.programme.name}),
            message=render_to_string("providers/email/contact_request.txt", context),
            from_email=None,
            recipient_list=emails,
        )


@transaction.atomic
def programme_backing_set(
    *,
    actor,
    programme: Programme,
    employer: Organisation,
    lia_places: int = 0,
    letter: LetterOfIntent | None = None,
    contact_requested: bool = False,
    link: str = "",
    today: dt.date | None = None,
) -> ProgrammeBacking:
    """State or change ``employer``'s backing of ``programme``: LIA places offered, a letter of
    intent, a request to be contacted — at least one. A withdrawn backing is stated anew. When
    the employer newly asks to be contacted, the provider's members are e-mailed (after commit)
    with ``link`` to the programme. Everything is checked before anything is written."""
    if not permissions.may_back_programme(actor, employer):
        raise PermissionDenied(_("Only members of an employer organisation state its backing of a programme."))
    today = today or timezone.localdate()
    programme = Programme.objects.select_for_update().select_related("provider").get(pk=programme.pk)
    if programme.status not in BACKABLE_STATUSES:
        raise ValidationError(_("Only a programme that is planned or applied for can be backed; this one is %(status)s.")
                              % {"status": programme.get_status_display().lower()})
    if isinstance(lia_places, bool) or not isinstance(lia_places, int) or lia_places < 0:
        raise ValidationError({"lia_places": _("LIA places are a whole number, 0 or more.")})
    if lia_places > LIA_PLACES_MAX:
        raise ValidationError({"lia_places": _("At most %(max)s LIA places can be offered.") % {"max": LIA_PLACES_MAX}})
    if letter is not None:
        letter = letter_of_intent_check(letter, today=today)
    if not lia_places and letter is None and not contact_requested:
        raise ValidationError(_("Choose at least one: offer LIA places, sign a letter of intent or ask to be contacted."))
    backing = ProgrammeBacking.objects.select_for_update().filter(programme=programme, employer=employer).first()
    created = backing is None
    if created:
        backing = ProgrammeBacking(programme=programme, employer=employer, created_at=timezone.now())
    before = None if created or not backing.active else _backing_state(backing)
    asked_before = bool(before and before["contact_requested"])
    backing.lia_places = lia_places
    backing.letter_of_intent = letter is not None
    backing.letter_signatory = letter.signatory if letter else ""
    backing.letter_role = letter.role if letter else ""
    backing.letter_signed_on = letter.signed_on if letter else None
    backing.letter_text = letter.text if letter else ""
    backing.contact_requested = contact_requested
    if not contact_requested:
        backing.contact_email = ""
    elif not asked_before:
        backing.contact_email = actor.email
    after = _backing_state(backing)
    if before == after:
        return backing
    backing.withdrawn_at = None
    backing.updated_at = timezone.now()
    backing.updated_by = actor
    backing.full_clean()
    backing.save()
    if before is None:
        events.programme_backed_event(backing=backing, actor=actor, state=after)
    else:
        events.programme_backing_changed_event(
            backing=backing, actor=actor,
            changes={name: [before[name], after[name]] for name in _BACKING_FIELDS if before[name] != after[name]})
    if contact_requested and not asked_before:
        transaction.on_commit(lambda: _send_contact_request(backing=backing, link=link))
    return backing


@transaction.atomic
def programme_backing_withdraw(*, actor, backing: ProgrammeBacking) -> ProgrammeBacking:
    """The employer withdraws its backing; the row stays with its history, and no longer counts."""
    if not permissions.may_back_programme(actor, backing.employer):
        raise PermissionDenied(_("Only members of the employer organisation withdraw its backing."))
    backing = ProgrammeBacking.objects.select_for_update().get(pk=backing.pk)
    if not backing.active:
        raise ValidationError(_("This backing is already withdrawn."))
    backing.withdrawn_at = timezone.now()
    backing.updated_at = backing.withdrawn_at
    backing.updated_by = actor
    backing.save(update_fields=["withdrawn_at", "updated_at", "updated_by"])
    events.programme_backing_withdrawn_event(backing=backing, actor=actor)
    return backing
