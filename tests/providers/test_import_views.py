"""The programme upload pages: upload → preview (nothing written) → confirm → result."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchplats.core.models import ImportRun
from matchplats.organisations.models import Organisation
from providers.models import Programme
from tests.factories import add_member, make_user
from tests.providers.test_importing import counts, myh_row, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"


def generic_file(name: str = "programmes.csv", **values) -> SimpleUploadedFile:
    row = {"name": "Svetsare", "form": "yrkesvux", "kommuner": "1780", "intakes": "2027-01-10:12"} | values
    return SimpleUploadedFile(name, to_csv([row]), content_type="text/csv")


def upload(client, organisation_id, file) -> object:
    return client.post(reverse("providers:import"), {"organisation": organisation_id, "file": file})


def test_anonymous_visitors_are_sent_to_login(client, taxonomy):
    for response in (client.get(reverse("providers:import")),
                     client.post(reverse("providers:import_confirm", args=["x" * 32]))):
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_upload_page_offers_the_template_and_the_users_providers(client, provider_a, provider_b):
    client.force_login(add_member(provider_a))
    page = client.get(reverse("providers:import"))
    assert page.status_code == 200
    assert reverse("providers:import_template").encode() in page.content
    assert b"Anordnare A" in page.content and b"Anordnare B" not in page.content
    template = client.get(reverse("providers:import_template"))
    assert template.status_code == 200 and b"ID;Anordnare;Diarienummer;Namn" in b"".join(
        template.streaming_content)


def test_a_member_previews_then_confirms_an_import_for_their_provider(client, provider_a):
    member = add_member(provider_a)
    client.force_login(member)
    before = counts()
    preview = upload(client, provider_a.pk, generic_file())
    assert preview.status_code == 200
    assert preview.context["result"].created == 1 and b"Svetsare" in preview.content
    assert counts() == before  # the preview writes nothing

    response = client.post(preview.context["confirm_url"])
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("providers:import_result", args=[run.pk])
    programme = Programme.objects.get()
    assert (programme.provider, programme.created_by, run.actor, run.organisation, run.created) == (
        provider_a, member, member, provider_a, 1)
    result = client.get(response["Location"])
    assert result.status_code == 200 and b"Svetsare" in result.content

    again = client.post(preview.context["confirm_url"])  # the preview was used up
    assert again.status_code == 404 and Programme.objects.count() == 1


def test_a_preview_token_cannot_be_confirmed_by_someone_else(client, provider_a):
    client.force_login(add_member(provider_a))
    confirm_url = upload(client, provider_a.pk, generic_file()).context["confirm_url"]
    client.logout()
    client.force_login(add_member(provider_a))  # a colleague, even, in another session
    before = counts()
    assert client.post(confirm_url).status_code == 404
    assert counts() == before


def test_a_member_of_provider_a_cannot_import_into_provider_b_by_posting_its_id(client, provider_a, provider_b):
    client.force_login(add_member(provider_a))
    before = counts()
    response = upload(client, provider_b.pk, generic_file())
    assert response.status_code == 403
    assert counts() == before


def test_myh_rows_for_another_provider_are_an_error_naming_the_row(client, provider_a):
    client.force_login(add_member(provider_a))
    rows = [myh_row(), myh_row(diarienummer="MYH 2024/2", anordnare="Någon Annan AB")]
    before = counts()
    response = upload(client, provider_a.pk, SimpleUploadedFile("myh.csv", to_csv(rows)))
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"].errors] == [(3, "anordnare")]
    assert "Någon Annan AB" in response.content.decode()
    assert counts() == before


def test_a_file_over_20_mb_is_refused_before_it_is_read(client, provider_a):
    client.force_login(add_member(provider_a))
    before = counts()
    response = upload(client, provider_a.pk, SimpleUploadedFile("big.csv", b"x" * (21 * 1024 * 1024)))
    assert response.status_code == 400 and "20 MB" in response.content.decode()
    assert counts() == before


def test_a_bad_file_shows_every_problem_and_nothing_is_written(client, provider_a):
    client.force_login(add_member(provider_a))
    before = counts()
    response = upload(client, provider_a.pk, generic_file(kommuner="9999", pace_percent="alla"))
    assert response.status_code == 400
    assert {e.column for e in response.context["errors"].errors} == {"kommuner", "pace_percent"}
    assert counts() == before


def test_staff_import_rows_for_any_provider_and_members_may_not(client, provider_a):
    staff = make_user(staff=True)
    client.force_login(staff)
    file = SimpleUploadedFile("myh.csv", to_csv([myh_row(anordnare="Yrkesakademin AB")]))
    preview = upload(client, "", file)
    assert preview.status_code == 200 and preview.context["result"].providers_created == ["Yrkesakademin AB"]
    client.post(preview.context["confirm_url"])
    assert Programme.objects.get().provider.name == "Yrkesakademin AB"
    assert Organisation.objects.get(name="Yrkesakademin AB").memberships.count() == 0

    client.force_login(add_member(provider_a))
    assert upload(client, "", generic_file(provider="Anordnare A")).status_code == 400  # must choose a provider


def test_the_confirmation_checks_the_membership_again(client, provider_a):
    member = add_member(provider_a)
    client.force_login(member)
    confirm_url = upload(client, provider_a.pk, generic_file()).context["confirm_url"]
    provider_a.memberships.filter(user=member).delete()
    member.__dict__.pop("_matchplats_memberships", None)
    assert client.post(confirm_url).status_code == 403
    assert Programme.objects.count() == 0


def test_someone_elses_import_result_is_not_shown(client, provider_a, provider_b):
    member = add_member(provider_a)
    client.force_login(member)
    client.post(upload(client, provider_a.pk, generic_file()).context["confirm_url"])
    run = ImportRun.objects.get()
    client.force_login(add_member(provider_b))
    assert client.get(reverse("providers:import_result", args=[run.pk])).status_code == 403


def test_a_member_who_left_no_longer_sees_the_import_they_ran(client, provider_a):
    member = add_member(provider_a)
    client.force_login(member)
    client.post(upload(client, provider_a.pk, generic_file()).context["confirm_url"])
    url = reverse("providers:import_result", args=[ImportRun.objects.get().pk])
    assert client.get(url).status_code == 200
    provider_a.memberships.filter(user=member).delete()
    member.__dict__.pop("_matchplats_memberships", None)
    assert client.get(url).status_code == 403
    client.force_login(add_member(provider_a))
    assert client.get(url).status_code == 200  # a current member who did not run it


def test_an_import_for_any_provider_is_shown_to_staff_only(client, provider_a):
    staff = make_user(staff=True)
    client.force_login(staff)
    client.post(upload(client, "", SimpleUploadedFile("myh.csv", to_csv([myh_row()]))).context["confirm_url"])
    url = reverse("providers:import_result", args=[ImportRun.objects.get().pk])
    assert client.get(url).status_code == 200
    client.force_login(add_member(provider_a))
    assert client.get(url).status_code == 403


def test_the_preview_flags_a_row_that_repeats_a_stored_programme_in_swedish(client, provider_a):
    member = add_member(provider_a)
    client.force_login(member)
    client.post(upload(client, provider_a.pk, generic_file()).context["confirm_url"])
    Programme.objects.update(myh_diarienummer="MYH 2099/1")  # the stored one has a case number, the row none
    preview = upload(client, provider_a.pk, generic_file())
    assert preview.context["result"].likely_duplicates == 1
    assert "Troligen en dubblett av Svetsare (ID" in preview.content.decode()


def test_the_preview_and_the_result_tell_the_changes_in_the_words_of_the_file(client, provider_a):
    client.force_login(add_member(provider_a))
    client.post(upload(client, provider_a.pk, generic_file(status="planned", distance="nej",
                                                           ssyk4="7212")).context["confirm_url"])

    preview = upload(client, provider_a.pk, generic_file(status="running", distance="ja", kommuner="1780|1715",
                                                         ssyk4="7212|7213", intakes="2027-01-10:15"))
    result = client.get(client.post(preview.context["confirm_url"])["Location"])

    for page in (preview, result):
        text = " ".join(page.content.decode().split())
        assert "<strong>Status</strong>: Planerad → Pågår" in text
        assert "<strong>Distans</strong>: Nej → Ja" in text
        assert "<strong>Kommuner</strong>: nya Kil" in text
        assert "<strong>SSYK</strong>: nya 7213" in text
        assert "<strong>Intag</strong>: nya 2027-01-10: 15; borttagna 2027-01-10: 12" in text
        assert "running" not in text and "['" not in text and "True" not in text
