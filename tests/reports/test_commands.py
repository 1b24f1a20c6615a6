"""``manage.py regional_report`` writes the same PDF as the page, as the viewer it is given."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
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
