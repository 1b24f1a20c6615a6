"""Programme imports: the MYH application lists, the generic template, bad input, the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from matchplats.core.importing import MAX_ERRORS, ImportFileError
from matchplats.core.models import ImportRun
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Kommun
from providers.importing import MYH_COLUMNS, programme_import_file
from providers.models import Intake, Programme, ProgrammeEvent
from tests.factories import add_member, make_user

pytestmark = pytest.mark.django_db

YH_DIR = Path(settings.BASE_DIR) / "data" / "yh"
APPLICATIONS = YH_DIR / "applications_2018_2025.csv"
MUNICIPALITIES = YH_DIR / "application_municipalities_2019_2025.csv"
MUNICIPALITY_HEADER = ["ansokningsomgang", "diarienummer", "utbildningsnamn", "lan", "kommun", "kommunkod",
                       "antal_kommuner", "sokta_platser_per_omgang", "sokta_platser_totalt", "beviljade_platser_totalt",
                       "source_file", "source_sheet"]


def myh_row(**values) -> dict[str, str]:
    row = dict.fromkeys(MYH_COLUMNS, "")
    row.update(ansokningsomgang="2024", diarienummer="MYH 2024/1001", utbildningsnamn="Drifttekniker el",
               utbildningsomrade="Teknik och tillverkning", sun5_kod="481ab", beslut="beviljad", lan="Värmland",
               kommun="Karlstad", kommunkod="1780", flera_kommuner="Nej", yh_poang="400", studieform="Bunden",
               studietakt_procent="100", seqf_niva="5", anordnare="Anordnare A", beviljade_utbildningsomgangar="3",
               beviljade_platser_omg1="30", beviljade_platser_omg2="30", beviljade_platser_omg3="25",
               beviljade_platser_omg4="0", beviljade_platser_omg5="0", beviljade_platser_totalt="85")
    row.update(values)
    return row


def to_csv(rows: list[dict[str, str]], header: list[str] | None = None, *, delimiter: str = ",") -> bytes:
    header = header or list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def to_xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> dict[str, int]:
    return {"programmes": Programme.objects.count(), "organisations": Organisation.objects.count(),
            "imports": ImportRun.objects.count(), "intakes": Intake.objects.count(),
            "events": ProgrammeEvent.objects.count()}


def system_import(data: bytes, name: str = "myh.csv", **kwargs):
    return programme_import_file(actor=None, data=data, file_name=name, **kwargs)


def real_slice(predicate) -> list[dict[str, str]]:
    with APPLICATIONS.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if predicate(row)]


# --- the MYH format -------------------------------------------------------------------------------


def test_a_slice_of_the_real_myh_file_creates_programmes_with_mapped_fields(taxonomy):
    rows = real_slice(lambda r: r["ansokningsomgang"] == "2023" and r["kommunkod"].startswith("17"))
    assert 10 < len(rows) < 100
    result = system_import(to_csv(rows, list(rows[0])))

    assert (result.rows, result.created, result.updated, result.unchanged) == (len(rows), len(rows), 0, 0)
    assert Programme.objects.count() == len(rows)
    sample = rows[0]
    programme = Programme.objects.get(myh_diarienummer=sample["diarienummer"])
    assert programme.name == sample["utbildningsnamn"]
    assert programme.form == Programme.Form.YH
    assert programme.education_area == sample["utbildningsomrade"]
    assert programme.sun_field.code == sample["sun5_kod"] and programme.sun_field.level == 5
    assert programme.yh_points == int(sample["yh_poang"])
    assert programme.pace_percent == int(sample["studietakt_procent"])
    assert programme.distance is (sample["studieform"] == "Distans")
    assert programme.application_round == 2023
    assert list(programme.kommuner.values_list("code", flat=True)) == [sample["kommunkod"]]
    assert programme.provider.provider_type == Organisation.ProviderType.YH
    assert programme.provider.memberships.count() == 0
    run = ImportRun.objects.get()
    assert (run.kind, run.rows, run.created, run.updated, run.actor, run.organisation) == (
        ImportRun.Kind.PROGRAMMES, len(rows), len(rows), 0, None, None)


def test_decisions_map_to_status_and_rejected_applications_are_kept(taxonomy):
    rows = [myh_row(diarienummer="MYH 2024/1", beslut="beviljad"),
            myh_row(diarienummer="MYH 2024/2", beslut="avslag", beviljade_platser_omg1="0",
                    beviljade_platser_omg2="0", beviljade_platser_omg3="0"),
            myh_row(diarienummer="MYH 2024/3", beslut="aterkallad"),
            myh_row(diarienummer="MYH 2024/4", beslut="Återkallad")]
    system_import(to_csv(rows))
    status = dict(Programme.objects.values_list("myh_diarienummer", "status"))
    assert status == {"MYH 2024/1": "granted", "MYH 2024/2": "rejected", "MYH 2024/3": "withdrawn",
                      "MYH 2024/4": "withdrawn"}
    assert not Intake.objects.filter(programme__status__in=["rejected", "withdrawn"]).exists()


def test_an_unknown_decision_is_an_error_naming_row_and_column(taxonomy):
    with pytest.raises(ImportFileError) as caught:
        system_import(to_csv([myh_row(), myh_row(diarienummer="MYH 2024/2", beslut="kanske")]))
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "beslut")]
    assert Programme.objects.count() == 0


def test_myh_rows_get_intakes_derived_from_the_application_round(taxonomy):
    no_per_round = dict.fromkeys([f"beviljade_platser_omg{i}" for i in range(1, 6)], "")
    rows = [myh_row(),
            myh_row(diarienummer="MYH 2018/7", ansokningsomgang="2018", beviljade_utbildningsomgangar="",
                    beviljade_platser_totalt="", **no_per_round),
            myh_row(diarienummer="MYH 2021/9", ansokningsomgang="2021", beviljade_utbildningsomgangar="3",
                    beviljade_platser_totalt="105", **no_per_round)]
    system_import(to_csv(rows))

    def intakes(reference):
        return list(Intake.objects.filter(programme__myh_diarienummer=reference)
                    .values_list("start_date", "places", "derived"))

    assert intakes("MYH 2024/1001") == [(dt.date(2025, 9, 1), 30, True), (dt.date(2026, 9, 1), 30, True),
                                        (dt.date(2027, 9, 1), 25, True)]
    assert intakes("MYH 2018/7") == []  # rounds 2018–2019: MYH published no places
    assert intakes("MYH 2021/9") == [(dt.date(2022, 9, 1), 35, True), (dt.date(2023, 9, 1), 35, True),
                                     (dt.date(2024, 9, 1), 35, True)]


def test_flera_kommuner_gets_each_kommun_from_the_municipalities_file(taxonomy):
    row = myh_row(kommun="Flera kommuner", kommunkod="", lan="Flera kommuner", flera_kommuner="Ja")
    municipalities = to_csv([
        dict.fromkeys(MUNICIPALITY_HEADER, "") | {"diarienummer": "MYH 2024/1001", "kommunkod": code}
        for code in ("1780", "1784", "1880")
    ] + [dict.fromkeys(MUNICIPALITY_HEADER, "") | {"diarienummer": "MYH 2024/9999", "kommunkod": "0180"}],
        MUNICIPALITY_HEADER)
    system_import(to_csv([row]), municipalities=municipalities, municipalities_name="kommuner.csv")
    programme = Programme.objects.get()
    assert sorted(programme.kommuner.values_list("code", flat=True)) == ["1780", "1784", "1880"]

    # Without the file the import cannot know the kommuner, so it leaves them as they are.
    result = system_import(to_csv([row]))
    assert (result.updated, result.unchanged) == (0, 1)
    assert programme.kommuner.count() == 3


def test_flera_kommuner_without_the_municipalities_file_gets_no_kommun(taxonomy):
    system_import(to_csv([myh_row(kommun="Flera kommuner", kommunkod="")]))
    assert Programme.objects.get().kommuner.count() == 0


def test_providers_are_matched_by_normalised_name_and_unknown_ones_created(taxonomy):
    existing = Organisation.objects.create(name="Lernia Utbildning AB", kind=Organisation.Kind.PROVIDER)
    rows = [myh_row(diarienummer="MYH 2024/1", anordnare="Lernia Utbildning Aktiebolag"),
            myh_row(diarienummer="MYH 2024/2", anordnare="  LERNIA   utbildning ab "),
            myh_row(diarienummer="MYH 2024/3", anordnare="Nya Yrkesskolan Aktiebolag", kommun="Arvika",
                    kommunkod="1784"),
            myh_row(diarienummer="MYH 2024/4", anordnare="NYA YRKESSKOLAN AB", kommunkod="1780")]
    result = system_import(to_csv(rows))

    assert result.providers_created == ["Nya Yrkesskolan AB"]
    assert set(Programme.objects.filter(myh_diarienummer__in=["MYH 2024/1", "MYH 2024/2"])
               .values_list("provider", flat=True)) == {existing.pk}
    created = Organisation.objects.get(name="Nya Yrkesskolan AB")
    assert (created.kind, created.provider_type) == ("provider", "yh")
    assert (created.kommun.code, created.lan.code) == ("1784", "17")
    assert created.memberships.count() == 0 and created.created_by is None
    assert created.programmes.count() == 2
    assert created.events.get().data["source"] == "import"


def test_a_re_import_of_the_same_file_changes_nothing_and_a_changed_row_updates_exactly_that_programme(taxonomy):
    rows = [myh_row(diarienummer=f"MYH 2024/{i}", utbildningsnamn=f"Utbildning {i}") for i in range(1, 6)]
    first = system_import(to_csv(rows))
    assert (first.created, first.updated) == (5, 0)
    second = system_import(to_csv(rows))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)

    rows[2]["beviljade_platser_omg1"] = "40"
    rows[2]["studietakt_procent"] = "50"
    third = system_import(to_csv(rows))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 4)
    changed = Programme.objects.get(myh_diarienummer="MYH 2024/3")
    assert changed.pace_percent == 50
    assert list(changed.intakes.values_list("places", flat=True)) == [40, 30, 25]
    event = changed.events.get(type=ProgrammeEvent.Type.IMPORT_UPDATED)
    assert event.data["changes"]["pace_percent"] == [100, 50]
    assert event.data["changes"]["derived_intakes"] == [["2025-09-01: 30", "2026-09-01: 30", "2027-09-01: 25"],
                                                        ["2025-09-01: 40", "2026-09-01: 30", "2027-09-01: 25"]]
    assert event.data["import_run"] == third.import_run.pk
    assert ProgrammeEvent.objects.filter(type=ProgrammeEvent.Type.IMPORT_UPDATED).count() == 1
    assert ImportRun.objects.count() == 3


def test_created_programmes_get_an_imported_event_with_the_run(taxonomy):
    result = system_import(to_csv([myh_row()]))
    event = Programme.objects.get().events.get()
    assert event.type == ProgrammeEvent.Type.IMPORTED
    assert event.data["import_run"] == result.import_run.pk and event.data["row"] == 2


def test_the_import_leaves_intakes_a_provider_added_by_hand_alone(taxonomy):
    system_import(to_csv([myh_row()]))
    programme = Programme.objects.get()
    Intake.objects.create(programme=programme, start_date=dt.date(2026, 1, 12), places=10, derived=False)
    result = system_import(to_csv([myh_row()]))
    assert result.unchanged == 1
    assert programme.intakes.count() == 4


def test_a_dry_run_counts_but_writes_nothing(provider_a):
    before = counts()
    result = system_import(to_csv([myh_row(), myh_row(diarienummer="MYH 2024/2", anordnare="Helt Ny Skola AB")]),
                           dry_run=True)
    assert (result.created, result.providers_created, result.import_run) == (2, ["Helt Ny Skola AB"], None)
    assert counts() == before


# --- the generic template ------------------------------------------------------------------------


def test_the_downloadable_programme_template_imports_as_it_is_for_the_users_provider_and_again_unchanged(
        provider_a):
    data = (Path(settings.BASE_DIR) / "data" / "templates" / "programmes_template.csv").read_bytes()
    assert data.startswith("\ufeffID;Anordnare;Diarienummer;Namn".encode())
    member = add_member(provider_a)

    def provider_import():
        return programme_import_file(actor=member, data=data, file_name="programmes_template.csv",
                                     organisation=provider_a)

    result = provider_import()
    assert (result.created, result.updated) == (3, 0)
    komvux = Programme.objects.get(name="Vård- och omsorgsutbildning (undersköterska)")
    assert komvux.form == "yrkesvux" and komvux.status == "running" and komvux.provider == provider_a
    assert list(komvux.intakes.values_list("start_date", "places", "application_deadline", "derived")) == [
        (dt.date(2027, 1, 11), 24, dt.date(2026, 11, 15), False),
        (dt.date(2027, 8, 16), 24, dt.date(2027, 6, 15), False)]
    assert list(komvux.target_occupations.values_list("code", flat=True)) == ["5321"]
    yh = Programme.objects.get(myh_diarienummer="MYH 2026/1234")
    assert sorted(yh.kommuner.values_list("code", flat=True)) == ["1780", "1784"] and yh.distance
    assert yh.sun_field.code == "481a"

    again = provider_import()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_generic_rows_without_a_reference_are_matched_by_provider_name_and_first_intake(taxonomy):
    header = ["provider", "name", "form", "intakes", "pace_percent"]
    row = ["Komvux Arvika", "Svetsare", "yrkesvux", "2027-01-10:12;2027-08-20:12", "100"]
    system_import(to_csv([dict(zip(header, row))], header), "a.csv")
    row[4] = "50"
    result = system_import(to_csv([dict(zip(header, row))], header), "a.csv")
    assert (result.created, result.updated) == (0, 1)
    assert Programme.objects.get().pace_percent == 50
    row[3] = "2028-01-10:12"  # a new first intake: another occasion of the programme
    result = system_import(to_csv([dict(zip(header, row))], header), "a.csv")
    assert (result.created, result.updated) == (1, 0)


def test_a_generic_xlsx_file_is_read_from_its_first_sheet(taxonomy):
    data = to_xlsx([
        ["Provider", "Name", "Form", "SSYK4", "Kommuner", "SeQF level", "Intakes", "Distance"],
        ["Anordnare A", "Elektriker", "Komvux", "7411", "Karlstad;1784", 4, "2027-01-10:20", "ja"],
        [None, None, None, None, None, None, None, None],
        ["Anordnare A", "Kock", "folkhögskola", "5120", "1766", 4.0, None, "nej"],
    ])
    result = system_import(data, "programmes.xlsx")
    assert (result.file_format, result.created) == ("xlsx", 2)
    electrician = Programme.objects.get(name="Elektriker")
    assert electrician.form == "yrkesvux" and electrician.seqf_level == 4
    assert sorted(electrician.kommuner.values_list("code", flat=True)) == ["1780", "1784"]
    assert electrician.intakes.get().start_date == dt.date(2027, 1, 10)
    assert Programme.objects.get(name="Kock").form == "folkhogskola"


def test_semicolon_separated_csv_with_a_bom_is_accepted(taxonomy):
    data = "\ufeff".encode() + to_csv([{"provider": "Anordnare A", "name": "Snickare", "form": "yrkesvux"}],
                                      delimiter=";")
    assert system_import(data, "semikolon.csv").created == 1


# --- bad input: a clear error and nothing written ---------------------------------------------------


def rejected(data: bytes, name: str = "bad.csv", **kwargs) -> ImportFileError:
    before = counts()
    with pytest.raises(ImportFileError) as caught:
        system_import(data, name, **kwargs)
    assert counts() == before
    return caught.value


def test_a_latin1_file_is_rejected_as_not_utf8_naming_the_row(taxonomy):
    data = to_csv([myh_row(), myh_row(diarienummer="MYH 2024/2", anordnare="Yrkeshögskolan Väst AB")])
    error = rejected(data.decode("utf-8").encode("cp1252"))
    assert "not UTF-8 (row 2)" in str(error)


def test_missing_and_unknown_columns_are_named(taxonomy):
    myh = myh_row()
    myh["antal_elever"] = "12"
    del myh["beslut"], myh["anordnare"]
    error = rejected(to_csv([myh]))
    assert [e.row for e in error.errors] == [1, 1]
    assert "Unknown columns: antal_elever" in str(error) and "Missing columns: beslut, anordnare" in str(error)
    generic = rejected(to_csv([{"provider": "A", "name": "X", "färg": "blå"}]))
    assert "Unknown columns: färg" in str(generic) and "Missing columns: Utbildningsform" in str(generic)


def test_an_unknown_kommun_code_is_rejected(taxonomy):
    error = rejected(to_csv([myh_row(), myh_row(diarienummer="MYH 2024/2", kommunkod="9999")]))
    assert [(e.row, e.column) for e in error.errors] == [(3, "kommunkod")]
    assert "9999" in error.errors[0].message


def test_an_unknown_kommun_code_in_the_municipalities_file_is_rejected(taxonomy):
    municipalities = to_csv([{"diarienummer": "MYH 2024/1001", "kommunkod": "9999"}])
    error = rejected(to_csv([myh_row()]), municipalities=municipalities, municipalities_name="k.csv")
    assert error.errors[0].source == "municipalities file" and error.errors[0].row == 2


def test_an_unknown_ssyk_code_is_rejected(taxonomy):
    error = rejected(to_csv([{"provider": "A", "name": "X", "form": "yh", "ssyk4": "5321;0000"}]))
    assert [(e.row, e.column) for e in error.errors] == [(2, "ssyk4")]


def test_yh_points_of_manga_is_rejected(taxonomy):
    error = rejected(to_csv([myh_row(yh_poang="många")]))
    assert str(error.errors[0]) == "row 2, column yh_poang: “många” is not a whole number."


def test_a_50_mb_file_is_rejected_before_it_is_parsed(taxonomy):
    error = rejected(b"x" * (50 * 1024 * 1024))
    assert "limit is 20 MB" in str(error)


def test_all_row_errors_are_collected_up_to_a_cap(taxonomy):
    rows = [myh_row(diarienummer=f"MYH 2024/{i}", yh_poang="många") for i in range(80)]
    error = rejected(to_csv(rows))
    assert len(error.errors) == MAX_ERRORS and error.truncated
    assert [e.row for e in error.errors[:3]] == [2, 3, 4]


def test_a_duplicate_diarienummer_in_one_file_is_rejected(taxonomy):
    error = rejected(to_csv([myh_row(), myh_row()]))
    assert (error.errors[0].row, error.errors[0].column) == (3, "diarienummer")


def test_an_error_in_the_last_row_writes_none_of_the_rows_before_it(taxonomy):
    rows = [myh_row(diarienummer=f"MYH 2024/{i}") for i in range(1, 20)] + [myh_row(studietakt_procent="150")]
    error = rejected(to_csv(rows))
    assert (error.errors[0].row, error.errors[0].column) == (21, "studietakt_procent")


def test_an_old_xls_file_and_a_fake_xlsx_are_rejected(taxonomy):
    assert ".xls" in str(rejected(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls"))
    assert "not an Excel workbook" in str(rejected(b"name,form\n", "fake.xlsx"))


# --- one provider's own upload --------------------------------------------------------------------


def test_a_member_imports_their_own_providers_rows_but_another_providers_row_is_an_error(provider_a):
    member = add_member(provider_a)
    rows = [myh_row(), myh_row(diarienummer="MYH 2024/2", anordnare="Anordnare B")]
    before = counts()
    with pytest.raises(ImportFileError) as caught:
        programme_import_file(actor=member, data=to_csv(rows), file_name="a.csv", organisation=provider_a)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "anordnare")]
    assert counts() == before

    result = programme_import_file(actor=member, data=to_csv(rows[:1]), file_name="a.csv", organisation=provider_a)
    assert result.created == 1 and result.providers_created == []
    assert Programme.objects.get().provider == provider_a
    assert ImportRun.objects.get().organisation == provider_a


def test_a_member_cannot_update_another_providers_programme_by_its_diarienummer(provider_a, provider_b):
    system_import(to_csv([myh_row(anordnare="Anordnare B")]))
    with pytest.raises(ImportFileError) as caught:
        programme_import_file(actor=add_member(provider_a), data=to_csv([myh_row()]), file_name="a.csv",
                              organisation=provider_a)
    assert "belongs to another provider" in str(caught.value)
    assert Programme.objects.get().provider == provider_b


def test_a_non_member_may_not_import_for_a_provider_and_only_staff_import_for_any(provider_a):
    with pytest.raises(PermissionDenied):
        programme_import_file(actor=make_user(), data=to_csv([myh_row()]), file_name="a.csv", organisation=provider_a)
    with pytest.raises(PermissionDenied):
        programme_import_file(actor=make_user(), data=to_csv([myh_row()]), file_name="a.csv")
    result = programme_import_file(actor=make_user(staff=True), data=to_csv([myh_row(anordnare="Ny Skola AB")]),
                                   file_name="a.csv")
    assert result.providers_created == ["Ny Skola AB"]
    assert Programme.objects.count() == 1


# --- the command ----------------------------------------------------------------------------------


def test_the_command_exits_with_status_2_for_a_rejected_file(taxonomy, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(to_csv([myh_row(yh_poang="många")]))
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_programmes", str(path))
    assert caught.value.returncode == 2
    assert "row 2, column yh_poang" in str(caught.value)
    assert counts() == before


def test_the_command_rejects_a_50_mb_file_by_its_size(taxonomy, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(CommandError) as caught:
        call_command("import_programmes", str(path))
    assert caught.value.returncode == 2 and "20 MB" in str(caught.value)


def test_the_command_dry_run_says_nothing_was_written(taxonomy, tmp_path):
    path = tmp_path / "myh.csv"
    path.write_bytes(to_csv([myh_row()]))
    out = io.StringIO()
    before = counts()
    call_command("import_programmes", str(path), "--dry-run", stdout=out)
    assert "created 1" in out.getvalue() and "nothing was written" in out.getvalue()
    assert counts() == before


def test_the_whole_myh_file_with_municipalities_imports_then_changes_nothing_then_exactly_one(taxonomy, tmp_path):
    # How long this takes is measured by bench/import_myh.py, not here.
    out = io.StringIO()
    call_command("import_programmes", str(APPLICATIONS), "--municipalities", str(MUNICIPALITIES), stdout=out)
    first = ImportRun.objects.latest("pk")
    assert (first.rows, first.created, first.updated) == (9843, 9843, 0)
    assert "rows 9843  created 9843  updated 0  unchanged 0" in out.getvalue()
    assert Programme.objects.filter(status=Programme.Status.GRANTED).count() == 3529
    assert Programme.objects.filter(status=Programme.Status.REJECTED).count() == 6313
    several = Programme.objects.get(myh_diarienummer="MYH 2019/3031")  # "Flera kommuner", 4 in the file
    assert several.kommuner.count() == 4
    assert not Intake.objects.filter(programme__application_round__in=[2018, 2019]).exists()
    assert not Intake.objects.filter(derived=False).exists()

    call_command("import_programmes", str(APPLICATIONS), "--municipalities", str(MUNICIPALITIES), stdout=io.StringIO())
    second = ImportRun.objects.latest("pk")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 9843)

    with APPLICATIONS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    target = next(r for r in rows if r["ansokningsomgang"] == "2024" and r["beslut"] == "beviljad")
    target["beviljade_platser_omg2"] = str(int(target["beviljade_platser_omg2"]) + 7)
    changed = tmp_path / "changed.csv"
    changed.write_bytes(to_csv(rows, list(rows[0])))
    call_command("import_programmes", str(changed), "--municipalities", str(MUNICIPALITIES), stdout=io.StringIO())
    third = ImportRun.objects.latest("pk")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 9842)
    event = ProgrammeEvent.objects.get(type=ProgrammeEvent.Type.IMPORT_UPDATED)
    assert event.programme.myh_diarienummer == target["diarienummer"]
    assert list(event.data["changes"]) == ["derived_intakes"]
    assert Kommun.objects.count() == 290


def test_the_command_refuses_a_workbook_with_an_external_entity_with_status_2(taxonomy, tmp_path):
    workbook = to_xlsx([MYH_COLUMNS, list(myh_row().values())])
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data
            target.writestr(info.filename, data)
    path = tmp_path / "myh.xlsx"
    path.write_bytes(buffer.getvalue())
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_programmes", str(path))
    assert caught.value.returncode == 2 and "document type declaration" in str(caught.value)
    assert counts() == before


def test_a_wrong_form_or_status_lists_the_words_of_the_export_not_english_codes(taxonomy):
    error = str(rejected(to_csv([{"provider": "Anordnare A", "name": "X", "form": "kvällskurs", "status": "klar"}])))
    assert "Yrkeshögskola, Regional yrkesvux, Högskola" in error and "Planerad, Ansökt, Beviljad" in error
    for code in ("yh,", "hogskola", "uppdrag,", "planned", "granted", "running"):
        assert code not in error
