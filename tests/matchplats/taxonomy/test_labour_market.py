"""The labour-market context shipped in data/labour_market, loaded by load_taxonomy and read
with its attribution (docs/demand.md)."""

import csv
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from matchplats.taxonomy.models import AdVolume, BarometerOccupation, BarometerOutlook, BarometerSsyk, Lan
from matchplats.taxonomy.selectors import labour_market_attribution, labour_market_for, shortage_occupations
from matchplats.taxonomy.services import TaxonomyFileError, taxonomy_load
from tests.factories import make_need

pytestmark = pytest.mark.django_db


def test_every_row_of_the_shipped_files_is_loaded(taxonomy):
    assert BarometerOutlook.objects.count() == 3638
    assert BarometerOutlook.objects.filter(lan__isnull=True).count() == 165   # Sverige, lan_code 00
    assert BarometerOccupation.objects.count() == 217   # 166 judged + 51 only in the SSYK4 mapping
    assert BarometerSsyk.objects.count() == 234
    assert AdVolume.objects.count() == 7717 and set(AdVolume.objects.values_list("year", flat=True)) == {2024}


def test_the_context_of_undersköterskor_in_värmland_is_as_published(taxonomy):
    market = labour_market_for(ssyk4_codes=["5321"], lan=Lan.objects.get(code="17"))
    group = market.groups["5321"]
    assert (group.ads, group.ads_sweden) == (266, 11382)
    [outlook] = group.outlooks
    assert outlook.occupation == "Undersköterskor inom hemtjänst, hemsjukvård, äldreboende och habilitering"
    assert (outlook.job_opportunities, outlook.forecast_5y, outlook.shortage) == ("medelstora", "öka", False)


def test_a_group_judged_through_two_barometer_occupations_lists_both(taxonomy):
    market = labour_market_for(ssyk4_codes=["5223"], lan=None)
    assert [(o.occupation, o.job_opportunities) for o in market.groups["5223"].outlooks] == [
        ("Butikssäljare (båt och motorfordon)", "stora"), ("Butikssäljare inom fackhandel", "små"), ("Florister", "små")]
    assert market.groups["5223"].ads == market.groups["5223"].ads_sweden is not None


def test_the_attribution_names_arbetsförmedlingen_the_barometer_period_and_the_ad_year(taxonomy):
    with translation.override("sv"):
        assert labour_market_attribution() == "Källa: Arbetsförmedlingen, Yrkesbarometern maj 2025; platsannonser 2024"
    with translation.override("en"):
        assert labour_market_attribution() == "Source: Arbetsförmedlingen, Yrkesbarometern May 2025; job ads 2024"


def test_shortage_occupations_are_the_groups_with_large_job_opportunities_in_the_lan(taxonomy):
    värmland = Lan.objects.get(code="17")
    shortages = {s.ssyk4.code: s.occupations for s in shortage_occupations(lan=värmland)}
    assert shortages["5323"] == ["Undersköterskor inom vård- och specialavdelningar och mottagningar"]
    assert "5321" not in shortages

    with (settings.TAXONOMY_DATA_DIR / "labour_market/yrkesbarometer_to_ssyk4.csv").open(encoding="utf-8") as f:
        groups_of = {}
        for row in csv.DictReader(f):
            groups_of.setdefault(row["barometer_id"], set()).add(row["ssyk4_code"])
    with (settings.TAXONOMY_DATA_DIR / "labour_market/yrkesbarometer_regional.csv").open(encoding="utf-8") as f:
        expected = {code for row in csv.DictReader(f) if row["lan_code"] == "17"
                    and row["jobbmojligheter_nulage"] == "stora" for code in groups_of.get(row["barometer_id"], ())}
    assert set(shortages) == expected and len(expected) == 74


def test_loading_twice_leaves_the_labour_market_tables_unchanged(taxonomy):
    before = sorted(BarometerOutlook.objects.values_list("pk", "job_opportunities", "forecast_5y"))
    report = taxonomy_load(data_dir=settings.TAXONOMY_DATA_DIR)
    for name in ("barometer_occupation", "barometer_ssyk", "barometer_outlook", "ad_volume"):
        assert (report.created[name], report.updated[name], report.removed[name]) == (0, 0, 0)
    assert sorted(BarometerOutlook.objects.values_list("pk", "job_opportunities", "forecast_5y")) == before


def test_a_changed_ad_count_is_updated_and_a_dropped_row_removed_on_reload(taxonomy, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(settings.TAXONOMY_DATA_DIR, data)
    path = data / "labour_market/ads_2024_by_ssyk4_lan.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    fields = list(rows[0])
    kept = [r for r in rows if not (r["ssyk4_code"] == "0110" and r["lan_code"] == "01")]
    for row in kept:
        if row["ssyk4_code"] == "5321" and row["lan_code"] == "17":
            row["n_ads_2024"] = "300"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(kept)
    report = taxonomy_load(data_dir=data)
    assert (report.created["ad_volume"], report.updated["ad_volume"], report.removed["ad_volume"]) == (0, 1, 1)
    assert AdVolume.objects.get(ssyk4__code="5321", lan__code="17").ads == 300
    assert not AdVolume.objects.filter(ssyk4__code="0110", lan__code="01").exists()


def test_an_unknown_judgement_stops_the_load_and_nothing_changes(taxonomy, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(settings.TAXONOMY_DATA_DIR, data)
    path = data / "labour_market/yrkesbarometer_regional.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",stora,", ",enorma,", 1), encoding="utf-8")
    with pytest.raises(TaxonomyFileError, match="enorma"):
        taxonomy_load(data_dir=data)
    assert not BarometerOutlook.objects.exclude(job_opportunities__in=["små", "medelstora", "stora"]).exists()


def test_the_need_page_shows_the_labour_market_with_its_source(client, employer_a):
    need = make_need(employer_a, ssyk4="5321", kommun_code="1780")
    page = client.get(reverse("employers:detail", args=[need.pk])).content.decode()
    assert "Arbetsmarknaden" in page
    assert "Undersköterskor inom hemtjänst, hemsjukvård, äldreboende och habilitering" in page
    assert "266 i Värmlands län" in page
    assert "Källa: Arbetsförmedlingen, Yrkesbarometern maj 2025; platsannonser 2024" in page


def test_the_load_command_reports_the_labour_market_tables_up_to_date(taxonomy):
    out = StringIO()
    call_command("load_taxonomy", stdout=out)
    lines = out.getvalue().splitlines()
    assert "barometer_outlook    created      0  updated      0" in lines
    assert "ad_volume            created      0  updated      0" in lines
    assert lines[-1] == "Taxonomy is up to date."
