"""An MYH case belongs to the provider MYH's own list names; other claims are reported to staff."""

from __future__ import annotations

import logging
import shutil

import pytest
from django.conf import settings as django_settings

from matchplats.core.importing import ImportFileError
from matchplats.taxonomy.models import Kommun
from providers.importing import programme_import_file
from providers.models import MyhCaseConflict, Programme
from providers.services import programme_create
from tests.factories import add_member
from tests.providers.test_importing import counts, myh_row, to_csv

pytestmark = pytest.mark.django_db
CASE = "MYH 2024/1001"


@pytest.fixture(autouse=True)
def myh_list(settings, tmp_path):
    """MYH's list of decisions names Anordnare B as the provider of CASE."""
    data_dir = tmp_path / "data"
    (data_dir / "yh").mkdir(parents=True)
    (data_dir / "yh" / "applications_2018_2025.csv").write_bytes(to_csv([myh_row(diarienummer=CASE,
                                                                                  anordnare="Anordnare B AB")]))
    shutil.copytree(django_settings.TAXONOMY_DATA_DIR / "taxonomy", data_dir / "taxonomy")
    settings.TAXONOMY_DATA_DIR = data_dir


def test_provider_a_cannot_claim_provider_bs_case_staff_are_told_and_bs_import_still_works(
        provider_a, provider_b, caplog):
    member_a = add_member(provider_a)
    claim = to_csv([{"name": "Drifttekniker", "form": "yh", "diarienummer": CASE}])
    before = counts()
    with caplog.at_level(logging.WARNING, logger="providers.services"), pytest.raises(ImportFileError) as caught:
        programme_import_file(actor=member_a, data=claim, file_name="kapning.csv", organisation=provider_a)
    assert "row 2, column diarienummer" in str(caught.value) and "Anordnare B AB" in str(caught.value)
    assert counts() == before
    conflict = MyhCaseConflict.objects.get()
    assert (conflict.diarienummer, conflict.claimed_by, conflict.owner_name, conflict.outcome, conflict.actor) == (
        CASE, provider_a, "Anordnare B AB", "refused", member_a)
    assert any(CASE in record.getMessage() and record.levelno == logging.WARNING for record in caplog.records)

    with pytest.raises(ImportFileError):  # a second attempt is counted on the same open record
        programme_import_file(actor=member_a, data=claim, file_name="kapning.csv", organisation=provider_a,
                              dry_run=True)
    assert MyhCaseConflict.objects.get().attempts == 2

    result = programme_import_file(actor=add_member(provider_b), data=to_csv([myh_row(anordnare="Anordnare B")]),
                                   file_name="myh.csv", organisation=provider_b)
    assert result.created == 1 and Programme.objects.get(myh_diarienummer=CASE).provider == provider_b


def test_staff_cannot_give_a_case_to_another_provider_than_myh_names_either(provider_a, provider_b):
    with pytest.raises(ImportFileError):
        programme_import_file(actor=None, data=to_csv([myh_row(anordnare="Anordnare A")]), file_name="myh.csv")
    assert not Programme.objects.exists()


def test_a_case_held_by_another_provider_moves_to_the_provider_myh_names_and_staff_are_told(provider_a, provider_b):
    held = programme_create(actor=add_member(provider_a), provider=provider_a, name="Drifttekniker el", form="yh",
                            myh_diarienummer=CASE, kommuner=Kommun.objects.filter(code="1780"))
    result = programme_import_file(actor=add_member(provider_b), data=to_csv([myh_row(anordnare="Anordnare B")]),
                                   file_name="myh.csv", organisation=provider_b)
    assert (result.created, result.updated) == (0, 1)
    held.refresh_from_db()
    assert held.provider == provider_b
    assert held.events.get(type="import_updated").data["changes"]["provider"] == ["Anordnare A", "Anordnare B"]
    conflict = MyhCaseConflict.objects.get()
    assert (conflict.claimed_by, conflict.outcome) == (provider_a, "moved")


def test_a_preview_does_not_move_a_case(provider_a, provider_b):
    programme_create(actor=add_member(provider_a), provider=provider_a, name="Drifttekniker el", form="yh",
                     myh_diarienummer=CASE)
    result = programme_import_file(actor=add_member(provider_b), data=to_csv([myh_row(anordnare="Anordnare B")]),
                                   file_name="myh.csv", organisation=provider_b, dry_run=True)
    assert result.updated == 1
    assert Programme.objects.get().provider == provider_a and not MyhCaseConflict.objects.exists()
