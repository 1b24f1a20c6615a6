"""The evidence pack for a YH application (matching/evidence.py and its pages): what is named,
what is only aggregated, what never appears, and the PDF and DOCX files."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from employers.models import Need
from matching.evidence import evidence_pack, evidence_report
from matching.models import MatchLink
from matchplats.core.reports import render_docx, render_pdf
from matchplats.organisations.models import Organisation
from providers.models import Programme
from providers.services import LetterOfIntent, programme_backing_set, programme_backing_withdraw
from tests.factories import add_member, admin_of, make_need, make_organisation, make_programme, make_region, make_user

pytestmark = pytest.mark.django_db


def _named_need(employer, *, headcount=7, ssyk4="5321", kommun_code="1780", visibility="public",
                statement="Vi anställer undersköterskor löpande."):
    need = make_need(employer, headcount=headcount, ssyk4=ssyk4, kommun_code=kommun_code, visibility=visibility)
    Need.objects.filter(pk=need.pk).update(may_name_in_evidence=True, evidence_statement=statement)
    return need


def _employers(count, prefix="Anonym arbetsgivare"):
    return [make_organisation(Organisation.Kind.EMPLOYER, name=f"{prefix} {i}") for i in range(count)]


def _pack(user, programme):
    return evidence_pack(user, programme, today=timezone.localdate())


def _pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces folded, so wrapped sentences match."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _docx_cells(data: bytes) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in Document(io.BytesIO(data)).tables for row in table.rows]


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs] + ["\t".join(row) for row in _docx_cells(data)])


@pytest.fixture
def programme(provider_a):
    return make_programme(provider_a, name="Specialistundersköterska", kommun_code="1780", ssyk4=("5321",))


def test_a_need_whose_employer_agreed_is_named_with_its_statement(programme, employer_a):
    _named_need(employer_a, headcount=7)
    pack = _pack(admin_of(programme.provider), programme)
    assert [(n.organisation, n.headcount) for n in pack.named_needs] == [(employer_a, 7)]
    assert pack.named_needs[0].evidence_statement == "Vi anställer undersköterskor löpande."
    assert pack.total_headcount == 7


def test_needs_of_employers_who_did_not_agree_appear_only_as_an_aggregate_of_three(programme):
    for employer in _employers(3):
        make_need(employer, headcount=2, kommun_code="1780")
    pack = _pack(admin_of(programme.provider), programme)
    assert pack.named_needs == []
    assert pack.unnamed.shown and (pack.unnamed.figure.needs, pack.unnamed.figure.headcount) == (3, 6)
    text = _pdf_text(render_pdf(evidence_report(pack)))
    assert "Anonym arbetsgivare" not in text and "3 employers" in text


def test_unnamed_needs_of_two_employers_are_marked_and_not_counted(programme):
    for employer in _employers(2):
        make_need(employer, headcount=5, kommun_code="1780")
    pack = _pack(admin_of(programme.provider), programme)
    assert pack.unnamed.any and not pack.unnamed.shown and pack.total_headcount == 0
    report = evidence_report(pack)
    text = _pdf_text(render_pdf(report))
    assert "fewer than 3 employers" in text and "10 people" not in text
    assert "Anonym arbetsgivare" not in _docx_text(render_docx(report))


def test_a_hidden_need_cannot_be_recovered_by_subtracting_readable_ones(programme):
    for employer in _employers(3):
        make_need(employer, headcount=2, kommun_code="1780")
    hidden = make_organisation(Organisation.Kind.EMPLOYER, name="Dold arbetsgivare")
    make_need(hidden, headcount=40, kommun_code="1780", visibility="aggregated", title="Hemligt behov")
    pack = _pack(admin_of(programme.provider), programme)
    figure = pack.unnamed.figure
    assert pack.unnamed.shown and (figure.needs, figure.headcount, figure.employers) == (3, 6, 3)
    assert figure.suppressed
    text = _pdf_text(render_pdf(evidence_report(pack)))
    # 46 = 6 readable + 40 hidden; not a time of day such as the generation time "18:46".
    assert not re.search(r"(?<![\d:])46(?![\d:])", text)
    assert "Dold arbetsgivare" not in text and "Hemligt behov" not in text


def test_hidden_needs_of_three_employers_enter_the_aggregate_without_names(programme):
    for employer in _employers(3, prefix="Dold"):
        _named_need(employer, headcount=4, visibility="aggregated")
    pack = _pack(admin_of(programme.provider), programme)
    assert pack.named_needs == []
    assert pack.unnamed.shown and pack.unnamed.figure.headcount == 12
    assert "Dold" not in _docx_text(render_docx(evidence_report(pack)))


def test_a_coordinator_sees_a_need_meant_for_coordinators_named_but_the_provider_does_not(programme, employer_a,
                                                                                          region_a):
    _named_need(employer_a, headcount=9, visibility="coordinators")
    assert [n.headcount for n in _pack(admin_of(region_a), programme).named_needs] == [9]
    assert _pack(admin_of(programme.provider), programme).named_needs == []


def test_a_match_link_brings_in_a_readable_need_but_never_a_hidden_one(programme, employer_a, employer_b):
    readable = _named_need(employer_a, headcount=3, ssyk4="2221")
    hidden = _named_need(employer_b, headcount=30, ssyk4="2221", visibility="aggregated")
    weak = _named_need(make_organisation(Organisation.Kind.EMPLOYER, name="Svag"), headcount=8, ssyk4="2221")
    for rank, (need, score) in enumerate([(readable, 0.8), (hidden, 0.9), (weak, 0.01)], start=1):
        MatchLink.objects.create(need=need, programme=programme, score=score, rank=rank)
    pack = _pack(admin_of(programme.provider), programme)
    assert [n.pk for n in pack.named_needs] == [readable.pk]
    assert pack.unnamed.figure.needs == 0 and not pack.unnamed.figure.suppressed


def test_needs_elsewhere_in_other_occupations_filled_or_lapsed_are_left_out(programme, employer_a):
    _named_need(employer_a, kommun_code="1880")  # Örebro län
    _named_need(employer_a, ssyk4="2221")
    filled = _named_need(employer_a)
    Need.objects.filter(pk=filled.pk).update(status=Need.Status.FILLED)
    lapsed = _named_need(employer_a)
    Need.objects.filter(pk=lapsed.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=60))
    pack = _pack(admin_of(programme.provider), programme)
    assert pack.named_needs == [] and not pack.unnamed.any


def test_letters_of_intent_and_lia_places_are_in_the_pack_but_not_contact_requests_or_withdrawn(programme,
                                                                                                employer_a,
                                                                                                employer_b):
    letter = LetterOfIntent(signatory="Åsa Öberg", role="Verksamhetschef", signed_on=timezone.localdate(),
                            text="Vi står bakom utbildningen och tar emot LIA-studerande.")
    programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a, lia_places=6,
                          letter=letter)
    programme_backing_set(actor=admin_of(employer_b), programme=programme, employer=employer_b,
                          contact_requested=True)
    third = make_organisation(Organisation.Kind.EMPLOYER, name="Ångrade sig AB")
    backing = programme_backing_set(actor=admin_of(third), programme=programme, employer=third, lia_places=9)
    programme_backing_withdraw(actor=admin_of(third), backing=backing)
    pack = _pack(admin_of(programme.provider), programme)
    assert [b.employer for b in pack.backings] == [employer_a] and pack.lia_places == 6
    text = _pdf_text(render_pdf(evidence_report(pack)))
    assert "Vi står bakom utbildningen och tar emot LIA-studerande." in text and "Åsa Öberg" in text
    assert "Ångrade sig AB" not in text and "Arbetsgivare B" not in text


def test_other_programmes_planned_applied_or_granted_in_the_lan_are_listed(programme, provider_b):
    rivals = {status: make_programme(provider_b, name=f"Konkurrent {status}", kommun_code="1784")
              for status in ("planned", "applied", "granted", "rejected")}
    for status, rival in rivals.items():
        Programme.objects.filter(pk=rival.pk).update(status=status)
    make_programme(provider_b, name="I Örebro", kommun_code="1880")
    make_programme(provider_b, name="Annat yrke", kommun_code="1780", ssyk4=("2221",))
    pack = _pack(admin_of(programme.provider), programme)
    assert sorted(o.programme.name for o in pack.other_programmes) == [
        "Konkurrent applied", "Konkurrent granted", "Konkurrent planned"]
    assert all(o.places == 25 for o in pack.other_programmes)


def test_a_programme_without_target_occupations_is_listed_through_a_link_from_a_readable_need(programme,
                                                                                           provider_b,
                                                                                           employer_a):
    linked = make_programme(provider_b, name="MYH-beviljad", kommun_code="1780", ssyk4=())
    via_hidden = make_programme(provider_b, name="Länkad via dolt behov", kommun_code="1780", ssyk4=())
    Programme.objects.filter(pk__in=[linked.pk, via_hidden.pk]).update(status="granted")
    MatchLink.objects.create(need=make_need(employer_a, kommun_code="1780"), programme=linked, score=0.7, rank=1)
    hidden = make_need(employer_a, kommun_code="1780", visibility="aggregated")
    MatchLink.objects.create(need=hidden, programme=via_hidden, score=0.9, rank=1)
    names = [o.programme.name for o in _pack(admin_of(programme.provider), programme).other_programmes]
    assert names == ["MYH-beviljad"]


def test_a_figure_changed_in_the_fixture_changes_in_the_pdf_and_the_docx(client, programme, employer_a):
    need = _named_need(employer_a, headcount=7)
    programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a, lia_places=3)
    client.force_login(admin_of(programme.provider))
    pdf_url = reverse("matching:evidence_file", args=[programme.pk, "pdf"])
    docx_url = reverse("matching:evidence_file", args=[programme.pk, "docx"])
    before_pdf, before_docx = client.get(pdf_url).content, client.get(docx_url).content
    assert ["Arbetsgivare A", "5321 Undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering", "7",
            "Inom 1 år", "Karlstad"] in _docx_cells(before_docx)
    assert ["Arbetsgivare A", "3", "–"] in _docx_cells(before_docx)
    assert "Arbetsgivare A 5321" in _pdf_text(before_pdf)
    Need.objects.filter(pk=need.pk).update(headcount=13)
    programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a, lia_places=11)
    after_pdf, after_docx = _pdf_text(client.get(pdf_url).content), _docx_cells(client.get(docx_url).content)
    assert any(row[0] == "Arbetsgivare A" and row[2] == "13" for row in after_docx)
    assert ["Arbetsgivare A", "11", "–"] in after_docx
    assert "kompetensbehov i utbildningens yrken och region: 13 personer" in after_pdf.lower()
    assert "erbjudna LIA-platser: 11" in after_pdf


def test_the_files_are_attachments_with_swedish_headings(client, programme):
    client.force_login(admin_of(programme.provider))
    response = client.get(reverse("matching:evidence_file", args=[programme.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="underlag-specialistunderskoterska-')
    text = _pdf_text(response.content)
    for heading in ("Underlag om arbetslivets behov: Specialistundersköterska", "Kompetensbehov som utbildningen "
                    "svarar mot", "Arbetsgivare som står bakom utbildningen", "Arbetsmarknadsläget",
                    "Andra utbildningar i regionen mot samma yrken", "Sida 1 av"):
        assert heading in text
    docx = client.get(reverse("matching:evidence_file", args=[programme.pk, "docx"]))
    assert docx["Content-Disposition"].endswith('.docx"')
    headings = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs if p.style.name == "Heading 1"]
    assert "Arbetsmarknadsläget" in headings
    assert client.get(reverse("matching:evidence_file", args=[programme.pk, "odt"])).status_code == 404


def test_the_preview_page_offers_both_downloads(client, programme):
    client.force_login(add_member(programme.provider))
    page = client.get(reverse("matching:evidence", args=[programme.pk])).content.decode()
    assert reverse("matching:evidence_file", args=[programme.pk, "pdf"]) in page
    assert reverse("matching:evidence_file", args=[programme.pk, "docx"]) in page
    assert "<h2>Arbetsmarknadsläget</h2>" in page


def test_the_provider_coordinators_of_the_lan_and_staff_may_read_the_pack(client, programme, region_a):
    for user in (add_member(programme.provider), admin_of(region_a), make_user(staff=True)):
        client.force_login(user)
        assert client.get(reverse("matching:evidence", args=[programme.pk])).status_code == 200
        assert client.get(reverse("matching:evidence_file", args=[programme.pk, "pdf"])).status_code == 200


def test_everyone_else_gets_404_for_the_pack_and_its_files(client, programme, employer_a, provider_b):
    programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a, lia_places=2)
    other_region = make_region("18")
    for user in (None, make_user(), admin_of(employer_a), admin_of(provider_b), admin_of(other_region)):
        client.logout()
        if user:
            client.force_login(user)
        for url in (reverse("matching:evidence", args=[programme.pk]),
                    reverse("matching:evidence_file", args=[programme.pk, "pdf"]),
                    reverse("matching:evidence_file", args=[programme.pk, "docx"])):
            assert client.get(url).status_code == 404, (user, url)


def test_an_anonymous_pack_cannot_be_built_by_calling_the_selector_for_a_visitor(programme, employer_a):
    _named_need(employer_a, visibility="aggregated")
    pack = _pack(AnonymousUser(), programme)
    assert pack.named_needs == [] and not pack.unnamed.shown
