"""Writes for competence needs. Each function checks permission and validates before writing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from employers import events, rules
from employers.models import Need, NeedEvent
from matchplats import permissions
from matchplats.core.changes import NEED, documents_changed
from matchplats.core.choices import Visibility
from matchplats.core.horizons import needed_by_for_horizon
from matchplats.core.import_plans import LinkSet, RowPlan, rows_apply
from matchplats.core.models import ImportRun
from matchplats.core.search import refresh_search_documents, search_document
from matchplats.core.services import import_run_create
from matchplats.core.validators import single_line
from matchplats.organisations.models import Membership, Organisation
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
    today = today or timezone.localdate()
    need = Need(
        organisation=organisation,
        ssyk4=ssyk4,
        occupation_name=occupation_name,
        title=(title or "").strip(),
        description=description.strip(),
        headcount=headcount,
        horizon=horizon,
        needed_by=needed_by_for(horizon=horizon, today=today),
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
        valid_until=rules.valid_until_from(today),
        created_at=now,
        updated_at=now,
        created_by=actor,
        updated_by=actor,
    )
    need.full_clean()
    need.save()
    need.skills.set(skills)
    needs_search_refresh(ids=[need.pk])
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
    """Change a need; re-choosing the horizon moves ``needed_by`` relative to today. A change
    by the employer also restates the need, so its ``valid_until`` moves six months ahead."""
    if not permissions.may_edit_need(actor, need):
        raise PermissionDenied(_("Only the employer's members change its needs."))
    unknown = set(changes) - set(TRACKED_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    today = today or timezone.localdate()
    need = Need.objects.select_for_update().get(pk=need.pk)
    before = {name: getattr(need, name) for name in TRACKED_FIELDS}
    for name, value in changes.items():
        setattr(need, name, value.strip() if isinstance(value, str) else value)
    if "horizon" in changes and changes["horizon"] != before["horizon"]:
        need.needed_by = needed_by_for(horizon=need.horizon, today=today)
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
    _restate(need, today=today)
    need.full_clean()
    need.save()
    if skills is not None:
        need.skills.set(skills)
    needs_search_refresh(ids=[need.pk])
    events.need_updated_event(need=need, actor=actor, changes=diff)
    documents_changed(kind=NEED, ids=[need.pk])
    return need


@transaction.atomic
def need_set_status(*, need: Need, actor, status: str, today: dt.date | None = None) -> Need:
    """Mark a need filled, withdraw it, or make it active again (which restates it)."""
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
    _restate(need, today=today or timezone.localdate())
    need.save(update_fields=["status", "updated_at", "updated_by", "valid_until", "reminded_at"])
    events.need_status_changed_event(need=need, actor=actor, old_status=old_status)
    documents_changed(kind=NEED, ids=[need.pk])
    return need


def need_search_document(need: Need) -> str:
    """What finds a need (``matchplats.core.search``): its title and description, its occupation,
    the SSYK group's code, label and every occupation name in it, its skills and its place. The
    employer's name is searched through the organisation's own document."""
    return search_document([
        need.title, need.description, need.occupation_name.label if need.occupation_name else "",
        need.ssyk4.code, need.ssyk4.label, *(name.label for name in need.ssyk4.occupation_names.all()),
        *(skill.label for skill in need.skills.all()), need.kommun.label if need.kommun else "", need.lan.label,
    ])


def needs_search_refresh(*, ids: Iterable[int] | None = None) -> int:
    """Rewrite the search document of the needs ``ids`` (every need when None: after the taxonomy
    changed, ``manage.py search_rebuild``). Returns how many documents changed."""
    needs = Need.objects.select_related("ssyk4", "occupation_name", "kommun", "lan").prefetch_related(
        "skills", "ssyk4__occupation_names")
    return refresh_search_documents(needs, need_search_document, ids=ids)


def _restate(need: Need, *, today: dt.date) -> None:
    """The employer has stood behind the need today: it is valid for another period, and a
    reminder may be sent again when that period nears its end."""
    need.valid_until = rules.valid_until_from(today)
    need.reminded_at = None


@transaction.atomic
def need_confirm(*, need: Need, actor, today: dt.date | None = None) -> Need:
    """The employer confirms that an active need still holds ("Bekräfta att behovet gäller")."""
    if not permissions.may_edit_need(actor, need):
        raise PermissionDenied(_("Only the employer's members confirm its needs."))
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status != Need.Status.ACTIVE:
        raise ValidationError(_("Only active needs are confirmed; make the need active again instead."))
    old_valid_until = need.valid_until
    need.confirmed_at = timezone.now()
    _restate(need, today=today or timezone.localdate())
    need.save(update_fields=["confirmed_at", "valid_until", "reminded_at"])
    events.need_confirmed_event(need=need, actor=actor, old_valid_until=old_valid_until)
    return need


def _send_reminder(*, organisation: Organisation, needs: list[Need], email: str, today: dt.date,
                   link_for) -> None:
    with translation.override("sv"):
        context = {"organisation": organisation, "valid_for_months": rules.NEED_VALID_FOR_MONTHS,
                   "lapse_days": rules.LAPSE_AFTER_DAYS,
                   "needs": [(need, rules.need_staleness(need, today), link_for(need)) for need in needs]}
        send_mail(
            subject=single_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
                                + _("Are the needs of %(organisation)s still valid?")
                                % {"organisation": organisation.name}),
            message=render_to_string("employers/email/stale_needs.txt", context),
            from_email=None,
            recipient_list=[email],
        )


def need_remind_stale(*, today: dt.date, link_for) -> dict[str, int]:
    """E-mail each employer's members one message listing its active needs that are stale,
    lapsed or due within ``rules.REMIND_DAYS_BEFORE`` days and not yet reminded about in their
    current period; ``link_for(need)`` builds the absolute link to a need. Run daily: a need gets
    at most one reminder per period. Each organisation is marked and mailed in its own
    transaction, so a failed send leaves its needs to the next run."""
    organisation_ids = sorted(set(Need.objects.filter(rules.needs_due_for_reminder_q(today))
                                  .values_list("organisation_id", flat=True)))
    sent = {"organisations": 0, "needs": 0, "emails": 0}
    for organisation in Organisation.objects.filter(pk__in=organisation_ids).order_by("pk"):
        with transaction.atomic():
            needs = list(Need.objects.select_for_update(of=("self",)).select_related("ssyk4", "kommun", "lan")
                         .filter(rules.needs_due_for_reminder_q(today), organisation=organisation)
                         .order_by("valid_until", "title"))
            emails = sorted(set(Membership.objects.filter(organisation=organisation, user__is_active=True)
                                .values_list("user__email", flat=True)))
            if not needs or not emails:
                continue
            now = timezone.now()
            Need.objects.filter(pk__in=[need.pk for need in needs]).update(reminded_at=now)
            NeedEvent.objects.bulk_create(
                [events.need_reminded_event(need=need, recipients=len(emails), at=now) for need in needs])
            for email in emails:
                _send_reminder(organisation=organisation, needs=needs, email=email, today=today, link_for=link_for)
        sent["organisations"] += 1
        sent["needs"] += len(needs)
        sent["emails"] += len(emails)
    return sent


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
    # a row that changes a need restates it: the valid_until it was planned with (docs/demand.md)
    Need.objects.bulk_update([plan.obj for plan in updates], ["valid_until", "reminded_at"], batch_size=300)
    needs_search_refresh(ids=[plan.obj.pk for plan in creates + updates])
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
