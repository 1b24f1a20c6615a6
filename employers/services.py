"""Writes for competence needs. Each function checks permission and validates before writing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers import events
from employers.models import Need, NeedEvent
from matchplats import permissions
from matchplats.core.changes import NEED, documents_changed
from matchplats.core.choices import Visibility
from matchplats.core.horizons import needed_by_for_horizon
from matchplats.core.import_plans import LinkSet, RowPlan, rows_apply
from matchplats.core.models import ImportRun
from matchplats.core.services import import_run_create
from matchplats.organisations.models import Organisation
from matchplats.organisations.services import organisations_import_create
from matchplats.taxonomy.models import Kommun, Lan, OccupationName, Skill, SsykGroup


def needed_by_for(*, horizon: str, today: dt.date) -> dt.date:
    """The date a horizon chosen today stands for (``matchplats.core.horizons``, the one rule)."""
    try:
        needed_by = needed_by_for_horizon(horizon, today)
    except ValueError:
        needed_by = None
    if needed_by is None:
        raise ValidationError({"horizon": _("Choose when the need arises.")})
    return needed_by


def need_check_place(kommun: Kommun | None, lan: Lan | None) -> Lan:
    if kommun is None and lan is None:
        raise ValidationError({"kommun": _("Choose a municipality, or a whole county.")})
    if kommun is not None and lan is not None and kommun.lan_id != lan.pk:
        raise ValidationError({"kommun": _("%(kommun)s is not in %(lan)s.") % {"kommun": kommun, "lan": lan}})
    return lan or kommun.lan


def need_check_occupation(ssyk4: SsykGroup, occupation_name: OccupationName | None) -> None:
    if ssyk4.level != 4:
        raise ValidationError({"ssyk4": _("Choose an occupation group at the four-digit SSYK level.")})
    if occupation_name is not None and occupation_name.ssyk4_id != ssyk4.pk:
        raise ValidationError({"occupation_name": _("%(name)s does not belong to SSYK %(code)s.")
                               % {"name": occupation_name.label, "code": ssyk4.code}})


@transaction.atomic
def need_create(
    *,
    actor,
    organisation: Organisation,
    ssyk4: SsykGroup,
    title: str,
    headcount: int,
    horizon: str,
    kommun: Kommun | None = None,
    lan: Lan | None = None,
    occupation_name: OccupationName | None = None,
    description: str = "",
    skills: Iterable[Skill] = (),
    seqf_level: int | None = None,
    purpose: str = Need.Purpose.RECRUITMENT,
    employment_form: str = Need.EmploymentForm.PERMANENT,
    validation_accepted: bool = False,
    language_integrated_welcome: bool = False,
    broadened_recruitment: bool = False,
    may_name_in_evidence: bool = False,
    evidence_statement: str = "",
    visibility: str = Visibility.PUBLIC,
    external_id: str = "",
    today: dt.date | None = None,
) -> Need:
    if organisation.kind != Organisation.Kind.EMPLOYER:
        raise ValidationError({"organisation": _("Only employers register competence needs.")})
    if not permissions.may_act_for(actor, organisation):
        raise PermissionDenied(_("You can only register needs for organisations you belong to."))
    need_check_occupation(ssyk4, occupation_name)
    now = timezone.now()
    need = Need(
        organisation=organisation,
        ssyk4=ssyk4,
        occupation_name=occupation_name,
        title=(title or "").strip(),
        description=description.strip(),
        headcount=headcount,
        horizon=horizon,
        needed_by=needed_by_for(horizon=horizon, today=today or timezone.localdate()),
        kommun=kommun,
        lan=need_check_place(kommun, lan),
        seqf_level=seqf_level,
        purpose=purpose,
        employment_form=employment_form,
        validation_accepted=validation_accepted,
        language_integrated_welcome=language_integrated_welcome,
        broadened_recruitment=broadened_recruitment,
        may_name_in_evidence=may_name_in_evidence,
        evidence_statement=evidence_statement.strip(),
        visibility=visibility,
        external_id=external_id.strip(),
        created_at=now,
        updated_at=now,
        created_by=actor,
        updated_by=actor,
    )
    need.full_clean()
    need.save()
    need.skills.set(skills)
    events.need_created_event(need=need, actor=actor)
    documents_changed(kind=NEED, ids=[need.pk])
    return need


TRACKED_FIELDS = [
    "ssyk4", "occupation_name", "title", "description", "purpose", "headcount", "horizon", "needed_by", "kommun", "lan",
    "seqf_level", "employment_form", "validation_accepted", "language_integrated_welcome", "broadened_recruitment",
    "may_name_in_evidence", "evidence_statement", "visibility", "external_id",
]


def _display(value) -> str | int | bool | None:
    if value is None or isinstance(value, (bool, int)):
        return value
    return str(value)


@transaction.atomic
def need_update(*, need: Need, actor, skills: Iterable[Skill] | None = None, today: dt.date | None = None,
                **changes) -> Need:
    """Change a need; re-choosing the horizon moves ``needed_by`` relative to today."""
    if not permissions.may_edit_need(actor, need):
        raise PermissionDenied(_("Only the employer's members change its needs."))
    unknown = set(changes) - set(TRACKED_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    need = Need.objects.select_for_update().get(pk=need.pk)
    before = {name: getattr(need, name) for name in TRACKED_FIELDS}
    for name, value in changes.items():
        setattr(need, name, value.strip() if isinstance(value, str) else value)
    if "horizon" in changes and changes["horizon"] != before["horizon"]:
        need.needed_by = needed_by_for(horizon=need.horizon, today=today or timezone.localdate())
    need_check_occupation(need.ssyk4, need.occupation_name)
    explicit_lan = changes.get("lan") if "lan" in changes else (None if need.kommun else need.lan)
    need.lan = need_check_place(need.kommun, explicit_lan)
    diff = {
        name: [_display(before[name]), _display(getattr(need, name))]
        for name in TRACKED_FIELDS
        if before[name] != getattr(need, name)
    }
    if skills is not None:
        old_skills = set(need.skills.values_list("label", flat=True))
        new_skills = {skill.label for skill in skills}
        if old_skills != new_skills:
            diff["skills"] = [sorted(old_skills), sorted(new_skills)]
    if not diff:
        return need
    need.updated_at = timezone.now()
    need.updated_by = actor
    need.full_clean()
    need.save()
    if skills is not None:
        need.skills.set(skills)
    events.need_updated_event(need=need, actor=actor, changes=diff)
    documents_changed(kind=NEED, ids=[need.pk])
    return need


@transaction.atomic
def need_set_status(*, need: Need, actor, status: str) -> Need:
    """Mark a need filled, withdraw it, or make it active again."""
    if not permissions.may_edit_need(actor, need):
        raise PermissionDenied(_("Only the employer's members change its needs."))
    if status not in Need.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status == status:
        return need
    old_status = need.status
    need.status = status
    need.updated_at = timezone.now()
    need.updated_by = actor
    need.save(update_fields=["status", "updated_at", "updated_by"])
    events.need_status_changed_event(need=need, actor=actor, old_status=old_status)
    documents_changed(kind=NEED, ids=[need.pk])
    return need


@transaction.atomic
def need_import_rows(*, actor, organisation: Organisation | None, result, plans: list[RowPlan],
                     new_employers: list[Organisation]) -> ImportRun:
    """Write a planned need import (``employers.importing`` parses and plans): the employers it
    names that do not exist yet (command line only), the new and changed needs with their skills,
    one ImportRun and an ``imported`` / ``import_updated`` event per need written."""
    if organisation is not None:
        if organisation.kind != Organisation.Kind.EMPLOYER or not permissions.may_act_for(actor, organisation):
            raise PermissionDenied(_("You can only import needs for organisations you belong to."))
        if new_employers or any(plan.obj.organisation_id != organisation.pk for plan in plans):
            raise PermissionDenied(_("This import may only write needs of %(name)s.") % {"name": organisation.name})
    at = timezone.now()
    organisations_import_create(actor=actor, organisations=new_employers, at=at)
    skills = LinkSet(name="skills", model=Need.skills.through, owner_field="need_id",
                     make=lambda need_id, skill_id: Need.skills.through(need_id=need_id, skill_id=skill_id))
    creates, updates = rows_apply(model=Need, plans=plans, actor=actor, at=at, link_sets=[skills])
    run = import_run_create(kind=ImportRun.Kind.NEEDS, result=result, file_format=result.file_format,
                            organisation=organisation, actor=actor, at=at)
    NeedEvent.objects.bulk_create(
        [events.need_imported_event(need=plan.obj, actor=actor, run=run, row=plan.row, at=at) for plan in creates]
        + [events.need_import_updated_event(need=plan.obj, actor=actor, run=run, row=plan.row, changes=plan.changes,
                                            at=at) for plan in updates],
        batch_size=500,
    )
    documents_changed(kind=NEED, ids=[plan.obj.pk for plan in creates + updates], bulk=True)
    return run
