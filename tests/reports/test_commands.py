"""``manage.py regional_report`` writes the same PDF as the page, as the viewer it is given."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from tests.factories import make_region, make_user
from tests.reports.fixtures import CARE, employers, need

pytestmark = pytest.mark.django_db


def test_the_command_writes_the_pdf_in_swedish_with_public_figures_or_a_coordinators(tmp_path, taxonomy):
    (a,) = employers(1)
    need(a, today=timezone.localdate(), ssyk4=CARE, headcount=4)
    need(a, today=timezone.localdate(), ssyk4="7223", headcount=271, visibility="coordinators")
    coordinator = make_user("samordnare@region.example")
    make_region("17", coordinator=coordinator)
    public, own = tmp_path / "public.pdf", tmp_path / "coordinator.pdf"
    call_command("regional_report", "--lan", "17", "--output", str(public))
    call_command("regional_report", "--lan", "17", "--output", str(own), "--as", coordinator.email)
    public_text = "\n".join(page.extract_text() for page in PdfReader(public).pages)
    own_text = "\n".join(page.extract_text() for page in PdfReader(own).pages)
    assert "Lägesrapport Värmlands län" in public_text and "Sammanfattning" in public_text
    assert "271" not in public_text and "färre än 3 arbetsgivare" in public_text
    assert "271" in own_text


def test_the_command_refuses_an_unknown_county_or_person(tmp_path, taxonomy):
    with pytest.raises(CommandError, match="unknown län"):
        call_command("regional_report", "--lan", "99", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="No user"):
        call_command("regional_report", "--lan", "17", "--output", str(tmp_path / "x.pdf"), "--as", "nobody@x.se")
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(CommandError, match=r"must end in \.pdf or \.docx"):
        call_command("regional_report", "--lan", "17", "--output", str(tmp_path / "x.odt"))
    assert not (tmp_path / "x.odt").exists()


def pdf_words(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def docx_words(path) -> str:
    document = Document(io.BytesIO(path.read_bytes()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join([paragraph.text for paragraph in document.paragraphs] + cells).split())


def test_the_command_writes_the_arenas_section_as_the_reader_may_see_it_in_pdf_or_word(tmp_path, arena_world):
    public, own, word = tmp_path / "public.pdf", tmp_path / "coordinator.pdf", tmp_path / "coordinator.docx"
    call_command("regional_report", "--lan", "17", "--output", str(public))
    call_command("regional_report", "--lan", "17", "--output", str(own), "--as", arena_world.coordinator.email)
    call_command("regional_report", "--lan", "17", "--output", str(word), "--as", arena_world.coordinator.email)
    public_text = pdf_words(public)
    assert "Branscharenor" in public_text and "Turistvägen skyltas om" in public_text
    assert "Kartlägg" not in public_text and "Budgeten" not in public_text and "Industri Värmland" not in public_text
    for text in (pdf_words(own), docx_words(word)):
        assert "Branscharenor" in text and "Industri Värmland" in text
        assert "Kartlägg praktikplatser i Karlstad" in text and "Öppen, försenad" in text
