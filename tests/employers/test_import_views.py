"""The need upload pages: upload → preview (nothing written) → confirm → result."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from employers.models import Need
from matchplats.core.models import ImportRun
from tests.employers.test_importing import counts, need_row, to_csv
from tests.factories import add_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"


def needs_file(*rows: dict[str, str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("behov.csv", to_csv(list(rows) or [need_row(organisation="")]), content_type="text/csv")


@pytest.fixture
def english(client, settings):
    """The page in English, so a test can read its messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def upload(client, organisation_id, file):
    return client.post(reverse("employers:import"), {"organisation": organisation_id, "file": file})


def test_anonymous_visitors_are_sent_to_login(client, taxonomy):
    for response in (client.get(reverse("employers:import")),
                     client.post(reverse("employers:import_confirm", args=["y" * 32]))):
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_upload_page_links_the_template(client, employer_a):
    client.force_login(add_member(employer_a))
    page = client.get(reverse("employers:import"))
    assert page.status_code == 200 and reverse("employers:import_template").encode() in page.content
    template = client.get(reverse("employers:import_template"))
    assert b"ID;Arbetsgivare;Referens;Titel" in b"".join(template.streaming_content)


def test_a_member_previews_then_confirms_needs_for_their_employer(client, employer_a):
    member = add_member(employer_a)
    client.force_login(member)
    before = counts()
    preview = upload(client, employer_a.pk, needs_file())
    assert preview.status_code == 200 and preview.context["result"].created == 1
    assert counts() == before

    response = client.post(preview.context["confirm_url"])
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("employers:import_result", args=[run.pk])
    need = Need.objects.get()
    assert (need.organisation, need.created_by, need.external_id, run.organisation) == (employer_a, member, "R1",
                                                                                        employer_a)
    assert client.get(response["Location"]).status_code == 200

    # The same file again: the preview shows nothing to do.
    again = upload(client, employer_a.pk, needs_file())
    assert (again.context["result"].created, again.context["result"].unchanged) == (0, 1)


def test_a_changed_row_is_previewed_with_its_changes(client, employer_a):
    client.force_login(add_member(employer_a))
    client.post(upload(client, employer_a.pk, needs_file()).context["confirm_url"])
    preview = upload(client, employer_a.pk, needs_file(need_row(organisation="", headcount="20")))
    item = preview.context["result"].items[0]
    assert (item.action, item.changes) == ("update", {"headcount": [12, 20]})
    assert Need.objects.get().headcount == 12
    client.post(preview.context["confirm_url"])
    assert Need.objects.get().headcount == 20


def test_a_member_of_employer_a_cannot_import_into_employer_b_by_posting_its_id(client, employer_a, employer_b):
    client.force_login(add_member(employer_a))
    before = counts()
    assert upload(client, employer_b.pk, needs_file()).status_code == 403
    assert counts() == before


def test_a_preview_token_cannot_be_confirmed_by_someone_else(client, employer_a, employer_b):
    client.force_login(add_member(employer_a))
    confirm_url = upload(client, employer_a.pk, needs_file()).context["confirm_url"]
    client.force_login(add_member(employer_b))
    before = counts()
    assert client.post(confirm_url).status_code == 404
    assert counts() == before


def test_rows_naming_another_employer_are_refused_on_the_upload_page(client, employer_a, employer_b):
    client.force_login(add_member(employer_a))
    before = counts()
    response = upload(client, employer_a.pk, needs_file(need_row(organisation="Arbetsgivare B")))
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"].errors] == [(2, "organisation")]
    assert counts() == before


def test_bad_rows_are_listed_and_nothing_is_written(client, employer_a):
    client.force_login(add_member(employer_a))
    before = counts()
    response = upload(client, employer_a.pk, needs_file(need_row(organisation="", headcount="tolv"),
                                                        need_row(organisation="", reference="R2", kommun="0000")))
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"].errors] == [(2, "headcount"), (3, "kommun")]
    # the page names each column as the template and the export do
    assert [(e.row, column) for e, column in response.context["problems"]] == [(2, "Antal"), (3, "Kommun")]
    assert "tolv" in response.content.decode()
    assert counts() == before


def test_a_user_without_an_employer_cannot_import(client, taxonomy, employer_a):
    client.force_login(make_user())
    page = client.get(reverse("employers:import"))
    assert page.status_code == 200 and not page.context["has_organisations"]
    assert upload(client, employer_a.pk, needs_file()).status_code == 403
    assert Need.objects.count() == 0


def test_a_damaged_workbook_is_refused_on_the_upload_page_and_nothing_is_written(client, employer_a):
    client.force_login(add_member(employer_a))
    before = counts()
    broken = SimpleUploadedFile("behov.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    response = upload(client, employer_a.pk, broken)
    assert response.status_code == 400
    assert "XLSX" in response.content.decode()
    assert counts() == before


def test_a_member_who_left_no_longer_sees_the_need_import_they_ran(client, employer_a):
    member = add_member(employer_a)
    client.force_login(member)
    client.post(upload(client, employer_a.pk, needs_file()).context["confirm_url"])
    url = reverse("employers:import_result", args=[ImportRun.objects.get().pk])
    assert client.get(url).status_code == 200
    employer_a.memberships.filter(user=member).delete()
    member.__dict__.pop("_matchplats_memberships", None)
    assert client.get(url).status_code == 403


def test_a_file_with_more_rows_than_the_bound_is_refused_and_nothing_is_written(client, employer_a, settings, english):
    settings.IMPORT_MAX_ROWS_PER_FILE = 2
    client.force_login(add_member(employer_a))
    before = counts()
    rows = [need_row(organisation="", reference=f"R{i}") for i in range(3)]
    response = upload(client, employer_a.pk, needs_file(*rows))
    assert response.status_code == 400 and "more than 2 rows" in response.content.decode()
    assert counts() == before


def test_an_organisation_imports_at_most_the_bounded_number_of_files_a_day(client, employer_a, settings, english):
    settings.IMPORT_MAX_FILES_PER_ORGANISATION_PER_DAY = 1
    client.force_login(add_member(employer_a))
    client.post(upload(client, employer_a.pk, needs_file()).context["confirm_url"])
    before = counts()
    response = upload(client, employer_a.pk, needs_file(need_row(organisation="", reference="R2")))
    assert response.status_code == 400 and "1 files in the last 24 hours" in response.content.decode()
    assert counts() == before


def test_an_organisation_imports_at_most_the_bounded_number_of_rows_a_day(client, employer_a, settings, english):
    settings.IMPORT_MAX_ROWS_PER_ORGANISATION_PER_DAY = 2
    client.force_login(add_member(employer_a))
    client.post(upload(client, employer_a.pk, needs_file()).context["confirm_url"])
    preview = upload(client, employer_a.pk, needs_file(need_row(organisation="", reference="R2")))
    assert preview.status_code == 200
    before = counts()
    response = upload(client, employer_a.pk, needs_file(*[need_row(organisation="", reference=f"S{i}")
                                                          for i in range(2)]))
    assert response.status_code == 400 and "more than the 2 allowed" in response.content.decode()
    assert counts() == before


def test_the_preview_lists_the_first_changed_rows_and_counts_the_rest(client, employer_a, monkeypatch):
    from matchplats.core import import_views

    monkeypatch.setattr(import_views, "PREVIEW_ROWS", 2)
    client.force_login(add_member(employer_a))
    preview = upload(client, employer_a.pk, needs_file(*[need_row(organisation="", reference=f"R{i}")
                                                         for i in range(5)]))
    assert preview.context["result"].created == 5
    assert [item.reference for item, _lines in preview.context["changed_items"]] == ["R0", "R1"]
    assert preview.context["more_changed"] == 3


def test_the_preview_flags_a_row_that_repeats_an_active_need_in_swedish(client, employer_a):
    client.force_login(add_member(employer_a))
    client.post(upload(client, employer_a.pk, needs_file(need_row(organisation=""))).context["confirm_url"])
    stored = Need.objects.get()

    preview = upload(client, employer_a.pk, needs_file(need_row(organisation="", reference="R2", headcount="3")))

    assert preview.context["result"].likely_duplicates == 1
    page = preview.content.decode()
    assert f"Troligen en dubblett av Undersköterskor (ID {stored.pk})" in page
    assert "En ny rad liknar ett behov ni redan har" in page
    assert Need.objects.count() == 1


def test_the_preview_and_the_result_tell_the_changes_in_the_words_of_the_file(client, employer_a):
    client.force_login(add_member(employer_a))
    first = need_row(organisation="", skills="Hemtjänst", broadened_recruitment="nej", visibility="public")
    client.post(upload(client, employer_a.pk, needs_file(first)).context["confirm_url"])
    changed = {**first, "horizon": "3-5y", "kommun": "1715", "skills": "Afasi, omsorgserfarenhet",
               "broadened_recruitment": "ja", "visibility": "coordinators"}

    preview = upload(client, employer_a.pk, needs_file(changed))
    result = client.get(client.post(preview.context["confirm_url"])["Location"])

    for page in (preview, result):
        text = " ".join(page.content.decode().split())
        assert "<strong>Tidshorisont</strong>: Inom 1 år → 3–5 år" in text
        assert "<strong>Kommun</strong>: Karlstad → Kil" in text
        assert "<strong>Synlighet</strong>: Publik → Samordnare" in text
        assert "<strong>Breddad rekrytering</strong>: Nej → Ja" in text
        assert "<strong>Kompetenser</strong>: nya Afasi, omsorgserfarenhet; borttagna Hemtjänst" in text
        assert "3-5y" not in text and "['" not in text and "True" not in text


def test_the_result_lists_what_the_import_did_in_the_order_of_the_file(client, employer_a):
    client.force_login(add_member(employer_a))
    client.post(upload(client, employer_a.pk, needs_file(need_row(organisation="", reference="R2"))).context[
        "confirm_url"])
    rows = [need_row(organisation="", reference=f"R{n}", headcount=str(n)) for n in range(1, 12)]  # R2 changes
    result = client.get(client.post(upload(client, employer_a.pk, needs_file(*rows)).context["confirm_url"])[
        "Location"])
    assert [event.data["row"] for event, _lines in result.context["events"]] == list(range(2, 13))
