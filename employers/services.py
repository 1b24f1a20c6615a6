"""Writes for competence needs. Each function checks permission and validates before writing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers import events
from employers.models import Need
from matchplats import permissions
from matchplats.core.choices import Visibility
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Kommun, Lan, OccupationName, Skill, SsykGroup

HORIZON_YEARS = {Need.Horizon.NOW: 0, Need.Horizon.WITHIN_1Y: 1, Need.Horizon.Y1_3: 3, Need.Horizon.Y3_5: 5}


def needed_by_for(*, horizon: str, today: dt.date) -> dt.date:
    """The date a horizon chosen today stands for: the end of its window (now = today)."""
    if horizon not in HORIZON_YEARS:
        raise ValidationError({"horizon": _("Choose when the need arises.")})
    years = HORIZON_YEARS[horizon]
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def _check_place(kommun: Kommun | None, lan: Lan | None) -> Lan:
    if kommun is None and lan is None:
        raise ValidationError({"kommun": _("Choose a municipality, or a whole county.")})
    if kommun is not None and lan is not None and kommun.lan_id != lan.pk:
        raise ValidationError({"kommun": _("%(kommun)s is not in %(lan)s.") % {"kommun": kommun, "lan": lan}})
    return lan or kommun.lan


def _check_occupation(ssyk4: SsykGroup, occupation_name: OccupationName | None) -> None:
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
    employment_form: str = Need.EmploymentForm.PERMANENT,
    validation_accepted: bool = False,
    language_integrated_welcome: bool = False,
    broadened_recruitment: bool = False,
    may_name_in_evidence: bool = False,
    evidence_statement: str = "",
    visibility: str = Visibility.PUBLIC,
    today: dt.date | None = None,
) -> Need:
    if organisation.kind != Organisation.Kind.EMPLOYER:
        raise ValidationError({"organisation": _("Only employers register competence needs.")})
    if not permissions.may_act_for(actor, organisation):
        raise PermissionDenied(_("You can only register needs for organisations you belong to."))
    _check_occupation(ssyk4, occupation_name)
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
        lan=_check_place(kommun, lan),
        seqf_level=seqf_level,
        employment_form=employment_form,
        validation_accepted=validation_accepted,
        language_integrated_welcome=language_integrated_welcome,
        broadened_recruitment=broadened_recruitment,
        may_name_in_evidence=may_name_in_evidence,
        evidence_statement=evidence_statement.strip(),
        visibility=visibility,
        created_at=now,
        updated_at=now,
        created_by=actor,
        updated_by=actor,
    )
    need.full_clean()
    need.save()
    need.skills.set(skills)
    events.need_created_event(need=need, actor=actor)
    return need
