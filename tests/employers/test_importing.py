"""Need imports: the needs template, upserts by reference, bad input, the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from employers.importing import need_import_file
from employers.models import Need, NeedEvent
from matchplats.core.importing import ImportFileError
from matchplats.core.models import ImportRun
from matchplats.organisations.models import Organisation
from tests.factories import add_member, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
USK = "bSEB_VKd_Ub3"  # Undersköterska, hemtjänst, äldreboende och habilitering (SSYK 5321)


def need_row(**values) -> dict[str, str]:
    row = {"organisation": "Arbetsgivare A", "reference": "R1", "title": "Undersköterskor", "ssyk4": "5321",
           "occupation": USK, "headcount": "12", "horizon": "1y", "kommun": "1780"}
    row.update(values)
    return row


def to_csv(rows: list[dict[str, str]], header: list[str] | None = None) -> bytes:
    header = header or list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def counts() -> dict[str, int]:
    return {"needs": Need.objects.count(), "organisations": Organisation.objects.count(),
            "imports": ImportRun.objects.count(), "events": NeedEvent.objects.count()}


def system_import(data: bytes, name: str = "needs.csv", **kwargs):
    return need_import_file(actor=None, data=data, file_name=name, today=TODAY, **kwargs)


def rejected(data: bytes, name: str = "bad.csv", **kwargs) -> ImportFileError:
    before = counts()
    with pytest.raises(ImportFileError) as caught:
        system_import(data, name, **kwargs)
    assert counts() == before
    return caught.value


def test_the_downloadable_needs_template_imports_as_it_is_for_the_users_own_employer(employer_a):
    data = (Path(settings.BASE_DIR) / "data" / "templates" / "needs_template.csv").read_bytes()
    assert data.startswith("\ufeffID;Arbetsgivare;Referens;Titel".encode())
    result = need_import_file(actor=add_member(employer_a), data=data, file_name="needs_template.csv",
                              organisation=employer_a, today=TODAY)
    assert (result.created, result.organisations_created) == (3, [])
    assert set(Need.objects.values_list("organisation", flat=True)) == {employer_a.pk}

    usk = Need.objects.get(external_id="HR-2026-01")
    assert (usk.ssyk4.code, usk.occupation_name.concept_id, usk.headcount, usk.horizon) == ("5321", USK, 12, "1y")
    assert usk.needed_by == dt.date(2027, 3, 2)
    assert (usk.validation_accepted, usk.language_integrated_welcome, usk.broadened_recruitment,
            usk.may_name_in_evidence) == (True, True, True, True)
    assert usk.visibility == "public" and usk.seqf_level == 4 and usk.employment_form == "permanent"
    assert sorted(usk.skills.values_list("concept_id", flat=True)) == ["x289_bKF_ihE"]

    cnc = Need.objects.get(external_id="HR-2026-02")
    assert cnc.ssyk4.code == "7223" and cnc.occupation_name.label == "CNC-operatör"  # SSYK from the occupation
    assert (cnc.kommun.code, cnc.horizon, cnc.visibility, cnc.employment_form) == ("1784", "now", "aggregated",
                                                                                   "fixed_term")
    whole_lan = Need.objects.get(external_id="")
    assert (whole_lan.kommun, whole_lan.lan.code, whole_lan.horizon) == (None, "17", "1-3y")
    assert whole_lan.visibility == "coordinators"
    assert ImportRun.objects.get().kind == ImportRun.Kind.NEEDS


def test_employers_are_matched_by_normalised_name_or_organisation_number(employer_a, employer_b):
    employer_b.organisation_number = "556677-8899"
    employer_b.save()
    system_import(to_csv([need_row(organisation="  ARBETSGIVARE   a "),
                          need_row(organisation="5566778899", reference="R2")]))
    assert Need.objects.get(external_id="R1").organisation == employer_a
    assert Need.objects.get(external_id="R2").organisation == employer_b
    assert Organisation.objects.filter(kind="employer").count() == 2


def test_swedish_words_are_accepted_for_horizon_visibility_and_yes_no(employer_a):
    rows = [need_row(reference=f"R{i}", horizon=horizon, visibility=visibility, validation_accepted=yes)
            for i, (horizon, visibility, yes) in enumerate([("nu", "publik", "ja"), ("inom 1 år", "aggregerad", "1"),
                                                             ("1–3 år", "samordnare", "true"),
                                                             ("3-5 år", "Samordnare", "Nej")])]
    system_import(to_csv(rows))
    assert list(Need.objects.order_by("external_id").values_list("horizon", "visibility", "validation_accepted")) == [
        ("now", "public", True), ("1y", "aggregated", True), ("1-3y", "coordinators", True),
        ("3-5y", "coordinators", False)]


def test_a_reference_upserts_and_rows_without_one_always_create(employer_a):
    rows = [need_row(), need_row(reference="", title="Utan referens")]
    first = system_import(to_csv(rows))
    assert (first.created, first.updated) == (2, 0)
    second = system_import(to_csv(rows))
    assert (second.created, second.updated, second.unchanged) == (1, 0, 1)

    rows[0]["headcount"] = "15"
    rows[0]["horizon"] = "1-3y"
    third = system_import(to_csv(rows[:1]))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 0)
    need = Need.objects.get(external_id="R1")
    assert (need.headcount, need.horizon, need.needed_by) == (15, "1-3y", dt.date(2029, 3, 2))
    event = need.events.get(type=NeedEvent.Type.IMPORT_UPDATED)
    assert event.data["changes"]["headcount"] == [12, 15]
    assert event.data["changes"]["horizon"] == ["1y", "1-3y"]
    assert event.data["import_run"] == third.import_run.pk
    assert need.events.filter(type=NeedEvent.Type.IMPORTED).count() == 1


def test_columns_left_out_of_the_file_are_not_changed(employer_a):
    system_import(to_csv([need_row(description="Hemtjänst", skills="Allmän omvårdnadserfarenhet")]))
    result = system_import(to_csv([need_row()]))
    assert result.unchanged == 1
    need = Need.objects.get()
    assert need.description == "Hemtjänst" and need.skills.count() == 1


def test_skills_are_compared_as_a_set(employer_a):
    system_import(to_csv([need_row(skills="x289_bKF_ihE;Afasi, omsorgserfarenhet")]))
    assert system_import(to_csv([need_row(skills="Afasi, omsorgserfarenhet; x289_bKF_ihE")])).unchanged == 1
    result = system_import(to_csv([need_row(skills="x289_bKF_ihE")]))
    assert result.updated == 1
    assert list(Need.objects.get().skills.values_list("concept_id", flat=True)) == ["x289_bKF_ihE"]


def test_an_xlsx_file_is_read_from_its_first_sheet(employer_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Organisation", "Reference", "SSYK4", "Headcount", "Horizon", "Län", "SeQF level"])
    sheet.append(["Arbetsgivare A", "X-1", 5321, 3, "nu", "Värmlands län", 4])
    sheet.append(["Arbetsgivare A", "X-2", "7411", 2.0, "3–5 år", 17, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = system_import(buffer.getvalue(), "behov.xlsx")
    assert (result.file_format, result.created) == ("xlsx", 2)
    first = Need.objects.get(external_id="X-1")
    assert (first.headcount, first.lan.code, first.kommun, first.seqf_level) == (3, "17", None, 4)
    assert first.title == first.ssyk4.label  # no title column: the occupation's name
    assert Need.objects.get(external_id="X-2").horizon == "3-5y"


def test_a_dry_run_writes_nothing(employer_a):
    before = counts()
    result = system_import(to_csv([need_row(), need_row(organisation="Helt Ny Arbetsgivare", reference="N")]),
                           dry_run=True)
    assert (result.created, result.organisations_created, result.import_run) == (2, ["Helt Ny Arbetsgivare"], None)
    assert counts() == before


# --- bad input ------------------------------------------------------------------------------------


def test_a_cp1252_file_is_rejected_as_not_utf8_naming_the_row(employer_a):
    data = to_csv([need_row(title="Kockar"), need_row(reference="R2", title="Städare till Örebro")])
    error = rejected(data.decode().encode("cp1252"))
    assert "not UTF-8 (row 3)" in str(error)


def test_missing_and_unknown_columns_are_named(employer_a):
    row = need_row(antall="3")
    del row["horizon"]
    message = str(rejected(to_csv([row])))
    assert "Unknown columns: antall" in message and "Missing columns: Tidshorisont" in message
    assert "The columns this import reads are: ID, Arbetsgivare, Referens, Titel, SSYK" in message
    place_less = need_row()
    del place_less["kommun"]
    assert "Kommun or Län" in str(rejected(to_csv([place_less])))


def test_an_unknown_kommun_or_ssyk_code_and_a_headcount_of_tolv_are_rejected_with_row_and_column(employer_a):
    rows = [need_row(), need_row(reference="R2", kommun="0000"), need_row(reference="R3", ssyk4="9999",
                                                                          occupation=""),
            need_row(reference="R4", headcount="tolv"), need_row(reference="R5", headcount="10001")]
    error = rejected(to_csv(rows))
    assert [(e.row, e.column) for e in error.errors] == [(3, "kommun"), (4, "ssyk4"), (5, "headcount"),
                                                         (6, "headcount")]
    assert str(error.errors[2]) == "row 5, column headcount: “tolv” is not a whole number."


def test_an_occupation_that_disagrees_with_the_ssyk_code_is_rejected(employer_a):
    error = rejected(to_csv([need_row(ssyk4="7411")]))
    assert (error.errors[0].column, "does not belong to SSYK 7411" in error.errors[0].message) == ("occupation", True)


def test_a_kommun_outside_the_lan_is_rejected(employer_a):
    row = need_row(lan="18")
    assert rejected(to_csv([row])).errors[0].column == "kommun"


def test_a_duplicate_reference_in_one_file_is_rejected(employer_a):
    error = rejected(to_csv([need_row(), need_row()]))
    assert (error.errors[0].row, error.errors[0].column) == (3, "reference")


def test_a_50_mb_file_is_rejected_by_its_size(employer_a):
    assert "limit is 20 MB" in str(rejected(b"a" * (50 * 1024 * 1024)))


def test_an_unknown_employer_number_is_an_error_not_a_new_employer(employer_a):
    assert rejected(to_csv([need_row(organisation="212000-1355")])).errors[0].column == "organisation"


# --- one employer's own upload --------------------------------------------------------------------


def test_an_upload_for_one_employer_puts_every_row_there_and_refuses_another_employers_name(employer_a, employer_b):
    member = add_member(employer_a)
    rows = [need_row(organisation=""), need_row(reference="R2", organisation="Arbetsgivare B")]
    before = counts()
    with pytest.raises(ImportFileError) as caught:
        need_import_file(actor=member, data=to_csv(rows), file_name="a.csv", organisation=employer_a)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "organisation")]
    assert counts() == before
    result = need_import_file(actor=member, data=to_csv(rows[:1]), file_name="a.csv", organisation=employer_a)
    need = Need.objects.get()
    assert (result.created, need.organisation, need.created_by) == (1, employer_a, member)
    assert ImportRun.objects.get().actor == member


def test_a_non_member_cannot_import_needs_for_an_employer(employer_a):
    with pytest.raises(PermissionDenied):
        need_import_file(actor=make_user(), data=to_csv([need_row()]), file_name="a.csv", organisation=employer_a)
    with pytest.raises(PermissionDenied):
        need_import_file(actor=make_user(), data=to_csv([need_row()]), file_name="a.csv")
    assert Need.objects.count() == 0


# --- the command ----------------------------------------------------------------------------------


def test_the_command_creates_unknown_employers_without_members(taxonomy, tmp_path):
    path = tmp_path / "needs.csv"
    path.write_bytes(to_csv([need_row(organisation="Ny Vårdgivare Aktiebolag")]))
    out = io.StringIO()
    call_command("import_needs", str(path), stdout=out)
    assert "rows 1  created 1  updated 0  unchanged 0  employers created 1" in out.getvalue()
    employer = Organisation.objects.get(name="Ny Vårdgivare AB")
    assert employer.memberships.count() == 0 and employer.needs.count() == 1


def test_the_command_exits_with_status_2_and_writes_nothing_for_a_rejected_file(employer_a, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(to_csv([need_row(), need_row(reference="R2", headcount="tolv")]))
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_needs", str(path))
    assert caught.value.returncode == 2 and "row 3, column headcount" in str(caught.value)
    assert counts() == before


def test_the_command_dry_run_writes_nothing(employer_a, tmp_path):
    path = tmp_path / "needs.csv"
    path.write_bytes(to_csv([need_row()]))
    out = io.StringIO()
    before = counts()
    call_command("import_needs", str(path), "--dry-run", stdout=out)
    assert "created 1" in out.getvalue() and "nothing was written" in out.getvalue()
    assert counts() == before


def test_a_control_character_in_a_cell_is_refused_with_its_row_and_column(employer_a):
    error = rejected(to_csv([need_row(), need_row(reference="R2", title="Svets\x01are")]))
    assert "row 3, column title: Remove the control characters (U+0001)" in str(error)


def test_line_breaks_are_allowed_in_the_description_but_not_in_the_title(employer_a):
    system_import(to_csv([need_row(description="Rad ett\nrad två")]))
    assert Need.objects.get().description == "Rad ett\nrad två"
    assert "column title" in str(rejected(to_csv([need_row(reference="R2", title="Två\nrader")])))


def test_a_damaged_workbook_is_refused_by_the_command_with_status_2(employer_a, tmp_path):
    path = tmp_path / "behov.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_needs", str(path))
    assert caught.value.returncode == 2 and "not a readable XLSX workbook" in str(caught.value)
    assert counts() == before


def test_wrong_choices_list_the_words_of_the_export_not_english_codes(employer_a):
    error = str(rejected(to_csv([need_row(horizon="snart", employment_form="deltid", visibility="hemlig",
                                          purpose="annat")])))
    assert "Nu, Inom 1 år, 1–3 år, 3–5 år" in error and "Tillsvidare, Visstid" in error
    assert "Publik, Aggregerad, Samordnare" in error and "Nyrekrytering, Kompetensutveckling" in error
    for code in ("1-3y", "fixed_term", "permanent", "aggregated", "coordinators", "recruitment"):
        assert code not in error
