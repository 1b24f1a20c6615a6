"""Django objects → the engine's plain documents. The only place that knows both worlds."""

from __future__ import annotations

from employers.models import Need
from matching.engine.documents import Intake, NeedDoc, ProgrammeDoc
from providers.models import Programme, ValidationPath

RANKABLE_STATUSES = (Programme.Status.PLANNED, Programme.Status.APPLIED, Programme.Status.GRANTED,
                     Programme.Status.RUNNING)
"""Programmes that can still meet a need; rejected, withdrawn and ended ones are not ranked."""

PROGRAMME_PREFIX, VALIDATION_PREFIX = "p", "v"


def index_id(obj: Programme | ValidationPath) -> str:
    prefix = PROGRAMME_PREFIX if isinstance(obj, Programme) else VALIDATION_PREFIX
    return f"{prefix}{obj.pk}"


def parse_index_id(value: str) -> tuple[str, int]:
    """``"p12"`` → ``("programme", 12)``, ``"v3"`` → ``("validation", 3)``."""
    kind = "programme" if value[0] == PROGRAMME_PREFIX else "validation"
    return kind, int(value[1:])


def need_doc(need: Need) -> NeedDoc:
    skills = "; ".join(skill.label for skill in need.skills.all())
    description = " ".join(part for part in (need.description, skills) if part)
    return NeedDoc(
        id=str(need.pk), title=need.title, description=description, ssyk4=need.ssyk4.code,
        kommun=need.kommun.code if need.kommun_id else None, lan_code=need.lan.code, needed_by=need.needed_by,
        seqf=need.seqf_level, headcount=need.headcount, purpose=need.purpose,
    )


def programme_doc(programme: Programme) -> ProgrammeDoc:
    description = " ".join(part for part in (programme.description, programme.education_area) if part)
    return ProgrammeDoc(
        id=index_id(programme), name=programme.name, description=description,
        sun_code=programme.sun_field.code if programme.sun_field_id else None,
        ssyk4=tuple(group.code for group in programme.target_occupations.all()),
        kommuner=tuple(kommun.code for kommun in programme.kommuner.all()), distance=programme.distance,
        intakes=tuple(Intake(intake.start_date, intake.places) for intake in programme.intakes.all()),
        seqf=programme.seqf_level, kind="programme", purpose=programme.purpose,
    )


def validation_doc(path: ValidationPath) -> ProgrammeDoc:
    return ProgrammeDoc(
        id=index_id(path), name=path.name, description=path.description,
        ssyk4=tuple(group.code for group in path.occupations.all()),
        kommuner=tuple(kommun.code for kommun in path.kommuner.all()), distance=path.distance, kind="validation",
    )


def programmes_with_relations():
    return Programme.objects.select_related("sun_field").prefetch_related("target_occupations", "kommuner", "intakes")


def programmes_for_index():
    return programmes_with_relations().filter(status__in=RANKABLE_STATUSES)


def validation_paths_for_index():
    return ValidationPath.objects.prefetch_related("occupations", "kommuner")


def needs_for_matching():
    return Need.objects.select_related("ssyk4", "kommun", "lan").prefetch_related("skills")
