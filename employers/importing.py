"""Importing competence needs from the needs template (CSV or XLSX); see docs/imports.md.

``need_import_file`` validates every row with the same rules as ``employers.services.need_create``
(its occupation and place checks, ``needed_by_for`` and the model's own validation), works out
in memory what would be created, updated or left unchanged, and — unless it is a dry run —
writes everything in one transaction. Rows with a ``reference`` are upserted by
(organisation, reference); rows without one always create a need.

- With ``organisation`` (the upload page) every row goes to that employer; the actor must be
  allowed to act for it.
- Without (the command line, ``actor`` None) each row names its employer, matched by
  normalised name or organisation number; unknown names are created as employers without
  members.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers import rules
from employers.models import HEADCOUNT_MAX, Need
from employers.services import need_check_occupation, need_check_place, need_import_rows, needed_by_for
from matchplats import permissions
from matchplats.core.choices import Visibility
from matchplats.core.import_plans import CREATE, RowPlan, diff_fields, diff_links, word_lookup, word_map
from matchplats.core.importing import (
    LIST_SEPARATOR_OUT,
    Cells,
    ErrorCollector,
    ImportFileError,
    ImportResult,
    check_columns,
    chunked,
    column_key,
    display_organisation_name,
    file_error,
    json_value,
    normalise_choice,
    organisation_name_key,
    organisation_number_key,
    read_table,
    yes_no,
)
from matchplats.organisations.models import Organisation
from matchplats.organisations.services import organisation_check_imported
from matchplats.taxonomy.models import Kommun, Lan, OccupationName, Skill, SsykGroup

# One column set for the needs template, the export and the import: (column, Swedish header).
# The import reads a column by either name (headers are matched without regard to case).
# "id" is the Matchplats id the export writes: with it a row updates exactly that need.
# "status" and "needed_by" are written by the export and ignored by the import (read-only).
NEED_TABLE = [
    ("id", "ID"), ("organisation", "Arbetsgivare"), ("reference", "Referens"), ("title", "Titel"),
    ("ssyk4", "SSYK"), ("occupation", "Yrkesbenämning"), ("description", "Beskrivning"), ("purpose", "Syfte"),
    ("headcount", "Antal"),
    ("horizon", "Tidshorisont"), ("kommun", "Kommun"), ("lan", "Län"), ("seqf_level", "SeQF-nivå"),
    ("employment_form", "Anställningsform"), ("validation_accepted", "Validering godtas"),
    ("language_integrated_welcome", "Språkintegrerad utbildning välkommen"),
    ("broadened_recruitment", "Breddad rekrytering"), ("may_name_in_evidence", "Får nämnas i underlag"),
    ("evidence_statement", "Uttalande för underlag"), ("visibility", "Synlighet"), ("skills", "Kompetenser"),
    ("status", "Status"), ("needed_by", "Behövs senast"),
]
NEED_COLUMNS = [column for column, _header in NEED_TABLE]
NEED_HEADERS = [header for _column, header in NEED_TABLE]
NEED_REQUIRED = ["headcount", "horizon"]
NEED_ALIASES = {"organization": "organisation", "employer": "organisation", "external_id": "reference",
                "occupation_name": "occupation", "län": "lan", "county": "lan",
                "municipality": "kommun", "ssyk": "ssyk4",
                **{column_key(header): column for column, header in NEED_TABLE}}

H = Need.Horizon
HORIZONS = {
    **{value: value for value in H.values},
    "nu": H.NOW, "now": H.NOW, "direkt": H.NOW,
    "inom 1 år": H.WITHIN_1Y, "inom ett år": H.WITHIN_1Y, "within 1 year": H.WITHIN_1Y, "1 år": H.WITHIN_1Y,
    "1-3 år": H.Y1_3, "1-3 years": H.Y1_3, "3-5 år": H.Y3_5, "3-5 years": H.Y3_5,
}
E = Need.EmploymentForm
EMPLOYMENT_FORMS = {
    **{value: value for value in E.values},
    "fixed-term": E.FIXED_TERM, "tillsvidare": E.PERMANENT, "tillsvidareanställning": E.PERMANENT,
    "visstid": E.FIXED_TERM, "visstidsanställning": E.FIXED_TERM, "säsong": E.SEASONAL,
    "säsongsanställning": E.SEASONAL, "timanställning": E.HOURLY, "hourly": E.HOURLY, "behovsanställning": E.HOURLY,
    "lärling": E.APPRENTICE, "trainee": E.APPRENTICE, "annan": E.OTHER, "övrigt": E.OTHER,
}
PURPOSES = {
    **{value: value for value in Need.Purpose.values},
    "nyrekrytering": Need.Purpose.RECRUITMENT, "rekrytering": Need.Purpose.RECRUITMENT,
    "kompetensutveckling": Need.Purpose.UPSKILLING, "kompetensutveckling av anställda": Need.Purpose.UPSKILLING,
    "vidareutbildning": Need.Purpose.UPSKILLING,
}
VISIBILITIES = {
    **{value: value for value in Visibility.values},
    "publik": Visibility.PUBLIC, "offentlig": Visibility.PUBLIC, "aggregerad": Visibility.AGGREGATED,
    "endast aggregerad": Visibility.AGGREGATED, "samordnare": Visibility.COORDINATORS,
    "koordinatorer": Visibility.COORDINATORS,
}
# The words the export writes; the maps above accept them (normalised), so they import back.
HORIZON_WORDS = {H.NOW: "Nu", H.WITHIN_1Y: "Inom 1 år", H.Y1_3: "1–3 år", H.Y3_5: "3–5 år"}
EMPLOYMENT_WORDS = {E.PERMANENT: "Tillsvidare", E.FIXED_TERM: "Visstid", E.SEASONAL: "Säsong",
                    E.HOURLY: "Timanställning", E.APPRENTICE: "Lärling", E.OTHER: "Annan"}
VISIBILITY_WORDS = {Visibility.PUBLIC: "Publik", Visibility.AGGREGATED: "Aggregerad",
                    Visibility.COORDINATORS: "Samordnare"}
PURPOSE_WORDS = {Need.Purpose.RECRUITMENT: "Nyrekrytering", Need.Purpose.UPSKILLING: "Kompetensutveckling"}
STATUS_WORDS = {Need.Status.ACTIVE: "Aktivt", Need.Status.FILLED: "Tillsatt", Need.Status.WITHDRAWN: "Återkallat"}


def _words(words: dict) -> str:
    """The words a column takes, as the export writes them, for an error message (never codes)."""
    return ", ".join(words.values())


BOOLEAN_COLUMNS = ["validation_accepted", "language_integrated_welcome", "broadened_recruitment",
                   "may_name_in_evidence"]
FIELD_COLUMNS = {"occupation_name": "occupation", "organisation": "organisation", "needed_by": "horizon"}
_CLEAN_EXCLUDE = ["organisation", "ssyk4", "occupation_name", "kommun", "lan", "created_by", "updated_by"]
_DISPLAY = {"ssyk4": lambda g: g.code, "occupation_name": lambda o: o.label, "kommun": lambda k: k.code,
            "lan": lambda lan: lan.code}


@dataclass
class PlannedNeed:
    row: int
    action: str  # "create" | "update" | "unchanged"
    title: str
    organisation: str
    reference: str = ""
    changes: dict[str, list] = field(default_factory=dict)  # field → [old, new]
    duplicate_of: str = ""  # a new row that looks like an active need or an earlier new row


@dataclass
class NeedImportResult(ImportResult):
    organisations_created: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.counts()}  employers created {len(self.organisations_created)}"


class _Reference:
    def __init__(self, *, with_skills: bool):
        self.kommuner = {k.code: k for k in Kommun.objects.select_related("lan")}
        self.kommuner_by_label = {normalise_choice(k.label): k for k in self.kommuner.values()}
        self.lans = {lan.code: lan for lan in Lan.objects.all()}
        self.lans_by_label = {}
        for lan in self.lans.values():
            label = normalise_choice(lan.label)
            self.lans_by_label[label] = lan
            self.lans_by_label[label.removesuffix(" län").removesuffix("s")] = lan
            self.lans_by_label[label.removesuffix(" län")] = lan
        self.ssyk4 = {g.code: g for g in SsykGroup.objects.filter(level=4)}
        self.occupations = {o.concept_id: o for o in OccupationName.objects.select_related("ssyk4")}
        self.occupations_by_label = _unique_by_label(self.occupations.values())
        self.skills, self.skills_by_label, self.skill_by_pk = {}, {}, {}
        if with_skills:
            self.skills = {s.concept_id: s for s in Skill.objects.all()}
            self.skills_by_label = _unique_by_label(self.skills.values())
            self.skill_by_pk = {s.pk: s for s in self.skills.values()}

    def kommun(self, value: str) -> Kommun | None:
        return self.kommuner.get(value) or self.kommuner_by_label.get(normalise_choice(value))

    def lan(self, value: str) -> Lan | None:
        return self.lans.get(value.zfill(2) if value.isdigit() else value) or self.lans_by_label.get(
            normalise_choice(value))


def _unique_by_label(objects) -> dict[str, Any]:
    """Exact labels first; a case-insensitive label only where it names one concept."""
    by_label: dict[str, Any] = {}
    folded: dict[str, list] = defaultdict(list)
    for obj in objects:
        by_label[obj.label] = obj
        folded[normalise_choice(obj.label)].append(obj)
    for key, found in folded.items():
        if len(found) == 1:
            by_label.setdefault(key, found[0])
    return by_label


class _Employers:
    def __init__(self, *, organisation: Organisation | None):
        self.organisation = organisation
        self.by_key: dict[str, Organisation] = {}
        self.by_number: dict[str, Organisation] = {}
        self.new: list[Organisation] = []
        if organisation is None:
            for org in Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER).order_by("-pk"):
                self.by_key[organisation_name_key(org.name)] = org
                number = organisation_number_key(org.organisation_number)
                if number:
                    self.by_number[number] = org

    def resolve(self, raw: str, *, cells: Cells, kommun: Kommun | None) -> Organisation | None:
        number = organisation_number_key(raw)
        if self.organisation is not None:
            own = self.organisation
            if raw and organisation_name_key(raw) != organisation_name_key(own.name) and (
                    number is None or number != organisation_number_key(own.organisation_number)):
                cells.error("organisation", _("“%(name)s” is not %(organisation)s; this upload imports needs for "
                                              "%(organisation)s only (leave the column empty).")
                            % {"name": raw, "organisation": own.name})
                return None
            return own
        if not raw:
            cells.error("organisation", _("Name the employer."))
            return None
        if number is not None:
            found = self.by_number.get(number)
            if found is None:
                cells.error("organisation", _("No employer has the organisation number %(number)s; use its name.")
                            % {"number": raw})
            return found
        key = organisation_name_key(raw)
        employer = self.by_key.get(key)
        if employer is None:
            employer = Organisation(name=display_organisation_name(raw)[:200], kind=Organisation.Kind.EMPLOYER)
            try:
                organisation_check_imported(employer)
            except ValidationError as error:
                for message in error.messages:
                    cells.error("organisation", message)
                return None
            self.by_key[key] = employer
            self.new.append(employer)
        if employer.pk is None and employer.kommun_id is None and kommun is not None:
            employer.kommun, employer.lan = kommun, kommun.lan
        return employer


@dataclass
class _Spec:
    row: int
    organisation: Organisation
    reference: str
    need_id: int | None
    fields: dict[str, Any]
    skills: frozenset[int] | None
    default_title: str = ""  # the occupation's name, for a new need whose file has no title column


def _parse_row(cells: Cells, columns: set[str], ref: _Reference, employers: _Employers) -> _Spec | None:
    fields: dict[str, Any] = {}
    reference = cells.text("reference", max_length=100)
    need_id = cells.integer("id", min_value=1)

    code, occupation_value = cells.text("ssyk4"), cells.text("occupation")
    group = occupation = None
    if code:
        group = ref.ssyk4.get(code)
        if group is None:
            cells.error("ssyk4", _("Unknown SSYK code “%(code)s” (use a four-digit occupation group).")
                        % {"code": code})
    if occupation_value:
        occupation = ref.occupations.get(occupation_value) or ref.occupations_by_label.get(
            occupation_value) or ref.occupations_by_label.get(normalise_choice(occupation_value))
        if occupation is None:
            cells.error("occupation", _("Unknown occupation “%(value)s” (use a JobTech concept id or the exact name).")
                        % {"value": occupation_value})
    if not code and not occupation_value:
        cells.error("ssyk4", _("Give the occupation: an SSYK code and/or an occupation name (Yrkesbenämning)."))
    if group is None and occupation is not None and not code:
        group = occupation.ssyk4
    if group is not None:
        try:
            need_check_occupation(group, occupation)
        except ValidationError:
            cells.error("occupation", _("%(name)s does not belong to SSYK %(code)s.")
                        % {"name": occupation.label, "code": group.code})
    fields["ssyk4"], fields["occupation_name"] = group, occupation

    kommun_value, lan_value = cells.text("kommun"), cells.text("lan")
    kommun = lan = None
    if kommun_value:
        kommun = ref.kommun(kommun_value)
        if kommun is None:
            cells.error("kommun", _("Unknown kommun “%(value)s” (use the four-digit code or the exact name).")
                        % {"value": kommun_value})
    if lan_value:
        lan = ref.lan(lan_value)
        if lan is None:
            cells.error("lan", _("Unknown län “%(value)s” (use the two-digit code or the name).")
                        % {"value": lan_value})
    if not kommun_value and not lan_value:
        cells.error("kommun", _("Give the place: a kommun, or a whole län in the Län column."))
    if kommun is not None or lan is not None:
        try:
            fields["lan"] = need_check_place(kommun, lan)
            fields["kommun"] = kommun
        except ValidationError:
            cells.error("kommun", _("%(kommun)s is not in %(lan)s.") % {"kommun": kommun.label, "lan": lan.label})

    fields["headcount"] = cells.integer("headcount", required=True, min_value=1, max_value=HEADCOUNT_MAX)
    fields["horizon"] = cells.choice("horizon", HORIZONS, required=True, allowed_hint=_words(HORIZON_WORDS))
    title = cells.text("title", max_length=200)
    default_title = (occupation.label if occupation else group.label if group else "")[:200]
    if title or "title" in columns:
        fields["title"] = title or default_title
    if "description" in columns:
        fields["description"] = cells.text("description", multiline=True)
    if "evidence_statement" in columns:
        fields["evidence_statement"] = cells.text("evidence_statement", multiline=True)
    if "seqf_level" in columns:
        fields["seqf_level"] = cells.integer("seqf_level", min_value=1, max_value=8)
    if "purpose" in columns:
        fields["purpose"] = cells.choice("purpose", PURPOSES, default=Need.Purpose.RECRUITMENT,
                                         allowed_hint=_words(PURPOSE_WORDS))
    if "employment_form" in columns:
        fields["employment_form"] = cells.choice("employment_form", EMPLOYMENT_FORMS, default=E.PERMANENT,
                                                 allowed_hint=_words(EMPLOYMENT_WORDS))
    if "visibility" in columns:
        fields["visibility"] = cells.choice("visibility", VISIBILITIES, default=Visibility.PUBLIC,
                                            allowed_hint=_words(VISIBILITY_WORDS))
    for column in BOOLEAN_COLUMNS:
        if column in columns:
            fields[column] = cells.boolean(column)

    skills = None
    if "skills" in columns:
        skills = set()
        for value in cells.items("skills"):
            skill = ref.skills.get(value) or ref.skills_by_label.get(value) or ref.skills_by_label.get(
                normalise_choice(value))
            if skill is None:
                cells.error("skills", _("Unknown skill “%(value)s” (use a JobTech concept id or the exact name).")
                            % {"value": value})
            else:
                skills.add(skill.pk)

    organisation = employers.resolve(cells.text("organisation"), cells=cells, kommun=kommun)
    if not cells.ok:
        return None
    return _Spec(row=cells.row.number, organisation=organisation, reference=reference, need_id=need_id, fields=fields,
                 skills=frozenset(skills) if skills is not None else None, default_title=default_title)


def _check_actor(actor, organisation: Organisation | None) -> None:
    if organisation is None:
        if actor is not None:
            raise PermissionDenied(_("Needs are imported for one employer; choose the organisation."))
        return
    if organisation.kind != Organisation.Kind.EMPLOYER:
        raise file_error(_("Only employers register competence needs."))
    if actor is None or not permissions.may_act_for(actor, organisation):
        raise PermissionDenied(_("You can only import needs for organisations you belong to."))


def need_import_file(
    *, actor, data: bytes, file_name: str, organisation: Organisation | None = None, dry_run: bool = False,
    today: dt.date | None = None, item_limit: int | None = None,
) -> NeedImportResult:
    """Import competence needs from the needs template (CSV or XLSX).

    Raises ``ImportFileError`` (nothing written) for any bad input and ``PermissionDenied`` when
    the actor may not import for ``organisation``. A real run writes in one transaction, records
    an ``ImportRun`` and appends ``imported`` / ``import_updated`` events."""
    _check_actor(actor, organisation)
    table = read_table(data=data, file_name=file_name, aliases=NEED_ALIASES)
    required = NEED_REQUIRED + (["organisation"] if organisation is None else [])
    check_columns(table, known=NEED_COLUMNS, required=required, headers=dict(NEED_TABLE))
    errors = ErrorCollector()
    if "ssyk4" not in table.columns and "occupation" not in table.columns:
        errors.add(_("Missing columns: SSYK or Yrkesbenämning (at least one)."), row=1)
    if "kommun" not in table.columns and "lan" not in table.columns:
        errors.add(_("Missing columns: Kommun or Län (at least one)."), row=1)
    errors.raise_if_any()

    columns = set(table.columns)
    ref = _Reference(with_skills="skills" in columns)
    employers = _Employers(organisation=organisation)
    specs: list[_Spec] = []
    for row in table.rows:
        spec = _parse_row(Cells(row, errors), columns, ref, employers)
        if spec is not None:
            specs.append(spec)
        if errors.truncated:
            break
    seen: dict[tuple, int] = {}
    seen_ids: dict[int, int] = {}
    for spec in specs:
        if spec.need_id:
            if spec.need_id in seen_ids:
                errors.add(_("The ID is already used in row %(row)s.") % {"row": seen_ids[spec.need_id]},
                           row=spec.row, column="id")
            seen_ids.setdefault(spec.need_id, spec.row)
        elif spec.reference:
            key = (id(spec.organisation), spec.reference)
            if key in seen:
                errors.add(_("The reference is already used in row %(row)s.") % {"row": seen[key]}, row=spec.row,
                           column="reference")
            seen.setdefault(key, spec.row)
    errors.raise_if_any()

    today = today or timezone.localdate()
    result = NeedImportResult(file_format=table.file_format, file_name=table.file_name, dry_run=dry_run,
                              rows=len(specs), organisations_created=[org.name for org in employers.new],
                              item_limit=item_limit)
    if dry_run:
        _plan(specs, result=result, ref=ref, today=today)
        return result
    with transaction.atomic():
        plans = _plan(specs, result=result, ref=ref, today=today)
        need_import_rows(actor=actor, organisation=organisation, result=result, plans=plans,
                         new_employers=employers.new)
    return result


def _display(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DISPLAY:
        return _DISPLAY[name](value)
    return json_value(value)


def _duplicate_key(need: Need) -> tuple:
    """What makes two needs of one employer look like the same need: the occupation group, the
    place and the title (case and spacing ignored). An employer the import creates has no id yet."""
    employer = need.organisation_id or id(need.organisation)
    return employer, need.ssyk4_id, need.kommun_id, need.lan_id, normalise_choice(need.title)


class _Duplicates:
    """Likely duplicates among the new rows: an active need of the same employer with the same
    occupation, place and title, or an earlier new row of the file that is the same."""

    def __init__(self, specs: list[_Spec]):
        self.stored: dict[tuple, Need] = {}
        self.new_rows: dict[tuple, int] = {}
        for chunk in chunked(sorted({spec.organisation.pk for spec in specs if spec.organisation.pk})):
            for need in Need.objects.filter(organisation_id__in=chunk, status=Need.Status.ACTIVE).only(
                    "pk", "title", "organisation_id", "ssyk4_id", "kommun_id", "lan_id").order_by("pk"):
                self.stored.setdefault(_duplicate_key(need), need)

    def of(self, plan: RowPlan) -> str:
        key = _duplicate_key(plan.obj)
        stored = self.stored.get(key)
        if stored is not None:
            return f"{stored.title} (ID {stored.pk})"
        earlier = self.new_rows.setdefault(key, plan.row)
        return _("row %(row)s") % {"row": earlier} if earlier != plan.row else ""


def _plan(specs: list[_Spec], *, result: NeedImportResult, ref: _Reference, today: dt.date) -> list[RowPlan]:
    """Compare every row with what is stored, count it in ``result`` and return the plans (empty
    in a dry run: a preview keeps counts and the first rows only)."""
    org_ids = sorted({spec.organisation.pk for spec in specs if spec.reference and spec.organisation.pk})
    existing: dict[tuple[int, str], Need] = {}
    for chunk in chunked(org_ids):
        for need in Need.objects.filter(organisation_id__in=chunk).exclude(external_id="").select_related(
                "ssyk4", "occupation_name", "kommun", "lan"):
            existing[(need.organisation_id, need.external_id)] = need
    by_id: dict[int, Need] = {}
    for chunk in chunked(sorted({spec.need_id for spec in specs if spec.need_id})):
        for need in Need.objects.filter(pk__in=chunk).select_related("ssyk4", "occupation_name", "kommun", "lan"):
            by_id[need.pk] = need
    stored_skills: dict[int, set[int]] = defaultdict(set)
    if any(spec.skills is not None for spec in specs):
        for chunk in chunked(sorted({need.pk for need in [*existing.values(), *by_id.values()]})):
            for need_id, skill_id in Need.skills.through.objects.filter(need_id__in=chunk).values_list(
                    "need_id", "skill_id"):
                stored_skills[need_id].add(skill_id)

    def skill_labels(pks) -> list[str]:
        return sorted(ref.skill_by_pk[pk].label for pk in pks)

    duplicates = _Duplicates([spec for spec in specs if not spec.need_id])
    errors = ErrorCollector()
    plans: list[RowPlan] = []
    updated_by_row: dict[int, int] = {}  # stored need → the row that updates it
    for spec in specs:
        if spec.need_id:
            found = by_id.get(spec.need_id)
            if found is None or found.organisation_id != spec.organisation.pk:
                errors.add(_("No need with ID %(id)s belongs to %(organisation)s; leave the ID empty to add a new "
                             "need.") % {"id": spec.need_id, "organisation": spec.organisation.name},
                           row=spec.row, column="id")
                continue
        elif spec.reference and spec.organisation.pk:
            found = existing.get((spec.organisation.pk, spec.reference))
        else:
            found = None
        if found is not None:
            # e.g. one row with the ID and a copy with only the reference: both would change one need
            first = updated_by_row.setdefault(found.pk, spec.row)
            if first != spec.row:
                errors.add(_("The same need is already in row %(row)s.") % {"row": first}, row=spec.row,
                           column="id" if spec.need_id else "reference")
                continue
        fields = dict(spec.fields)
        if found is None:
            fields.setdefault("title", spec.default_title)
            plan = RowPlan(row=spec.row, obj=Need(organisation=spec.organisation, external_id=spec.reference,
                                                  needed_by=needed_by_for(horizon=fields["horizon"], today=today),
                                                  valid_until=rules.valid_until_from(today), **fields))
        else:
            need, changed = diff_fields(found, fields)
            # written only if the row changes the need, which restates it (docs/demand.md)
            need.valid_until, need.reminded_at = rules.valid_until_from(today), None
            if "horizon" in changed:
                need.needed_by = needed_by_for(horizon=need.horizon, today=today)
                changed.append("needed_by")
            plan = RowPlan(row=spec.row, obj=need, existing=found, changed_fields=changed,
                           changes={name: [_display(name, getattr(found, name)), _display(name, getattr(need, name))]
                                    for name in changed})
        try:
            plan.obj.full_clean(exclude=_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    errors.add(message, row=spec.row, column=FIELD_COLUMNS.get(name, name))
            continue
        diff_links(plan, "skills", spec.skills, frozenset(stored_skills.get(found.pk, ())) if found else frozenset(),
                   display=skill_labels)
        item = PlannedNeed(row=spec.row, action=plan.action, title=plan.obj.title,
                           organisation=spec.organisation.name, reference=spec.reference, changes=plan.changes)
        if plan.action == CREATE:
            item.duplicate_of = duplicates.of(plan)
            result.likely_duplicates += bool(item.duplicate_of)
        result.record(item)
        if not result.dry_run:
            plans.append(plan)
        if errors.truncated:
            break
    errors.raise_if_any()
    return plans


# The column each changed field is read from, for the import pages' "what changes" lists.
NEED_CHANGE_HEADERS = {**dict(NEED_TABLE), "occupation_name": dict(NEED_TABLE)["occupation"]}


def need_change_words() -> dict[str, Callable[[Any], str]]:
    """How the import pages write a need's changed values: in the words of the export."""
    return {
        "horizon": word_map(HORIZON_WORDS), "employment_form": word_map(EMPLOYMENT_WORDS),
        "visibility": word_map(VISIBILITY_WORDS), "purpose": word_map(PURPOSE_WORDS),
        "kommun": word_lookup(lambda: dict(Kommun.objects.values_list("code", "label"))),
        "lan": word_lookup(lambda: dict(Lan.objects.values_list("code", "label"))),
    }


def need_table_row(need: Need) -> list:
    """One need as a row of NEED_TABLE, in the words the import reads back (skills prefetched)."""
    return [
        need.pk, need.organisation.name, need.external_id, need.title, need.ssyk4.code,
        need.occupation_name.label if need.occupation_name else "", need.description, PURPOSE_WORDS[need.purpose],
        need.headcount,
        HORIZON_WORDS[need.horizon], need.kommun.label if need.kommun else "", need.lan.label, need.seqf_level,
        EMPLOYMENT_WORDS[need.employment_form], *(yes_no(getattr(need, column)) for column in BOOLEAN_COLUMNS),
        need.evidence_statement, VISIBILITY_WORDS[need.visibility],
        LIST_SEPARATOR_OUT.join(sorted(skill.label for skill in need.skills.all())),
        STATUS_WORDS[need.status], need.needed_by,
    ]


__all__ = ["ImportFileError", "NeedImportResult", "PlannedNeed", "need_import_file"]
