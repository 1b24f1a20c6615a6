"""The dimensioning page, its exports and the ``dimensioning`` command: who may see them, what
they show, and that the page, an export and the command give the same figure to the same viewer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from employers.models import Need
from matchplats.core.charts import BarChart, LineChart, Series
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Kommun
from providers.models import Intake, Programme
from tests.factories import add_member, admin_of, make_need, make_organisation, make_programme, make_user

pytestmark = pytest.mark.django_db

PAGE = "/dimensionering/"


def _need(employer, *, headcount, visibility="public", kommun_code="1780"):
    today = timezone.localdate()
    need = make_need(employer, headcount=headcount, visibility=visibility, kommun_code=kommun_code)
    Need.objects.filter(pk=need.pk).update(needed_by=today + dt.timedelta(days=60),
                                           valid_until=today + dt.timedelta(days=90))
    return need


@pytest.fixture
def county(taxonomy):
    """Värmland: a public need of 4, a released hidden cell of three employers (10 each), a
    suppressed one (one employer, 1000) and a granted programme completing 25 people in 30 weeks."""
    public = make_organisation(Organisation.Kind.EMPLOYER, name="Öppen arbetsgivare")
    _need(public, headcount=4)
    for i in range(3):
        _need(make_organisation(Organisation.Kind.EMPLOYER, name=f"Dold {i}"), headcount=10, visibility="aggregated")
    lone = make_organisation(Organisation.Kind.EMPLOYER, name="Ensam dold")
    secret = _need(lone, headcount=1000, visibility="aggregated")
    Need.objects.filter(pk=secret.pk).update(needed_by=timezone.localdate() + dt.timedelta(days=400))
    provider = make_organisation(Organisation.Kind.PROVIDER, name="Yrkeshögskolan")
    programme = make_programme(provider)
    programme.intakes.all().delete()
    Intake.objects.create(programme=programme, start_date=timezone.localdate() - dt.timedelta(weeks=10), places=25)
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.GRANTED, length_weeks=40,
                                                     last_intake_women=12, last_intake_men=8)
    return {"public": public, "lone": lone, "provider": provider}


def _login(client, user):
    client.force_login(user)
    return user


def test_coordinators_and_providers_get_the_page_with_charts_and_tables(client, county, region_a):
    for user in (admin_of(region_a), admin_of(county["provider"]), admin_of(county["public"]),
                 make_user(staff=True)):
        _login(client, user)
        response = client.get(PAGE, {"lan": "17", "horizon": "1y"})
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('role="img"') == 3 and html.count("<svg") == 3
        assert "<table" in html and "Dimensionering" in html
        assert "färre än 3 arbetsgivare" in html


def test_the_english_page_marks_a_suppressed_figure_in_english(client, county, region_a):
    _login(client, admin_of(region_a))
    html = client.get(PAGE, {"lan": "17", "horizon": "1y"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "fewer than 3 employers" in html and "färre än 3 arbetsgivare" not in html


def test_the_kommun_list_offers_the_chosen_countys_kommuner(client, county, region_a):
    _login(client, admin_of(region_a))
    form = client.get(PAGE, {"lan": "17"}).context["form"]
    offered = {label for value, label in form.fields["kommun"].widget.choices if value}
    assert "Karlstad" in offered and "Solna" not in offered and len(offered) == 16


def test_visitors_are_sent_to_sign_in_and_people_without_an_organisation_are_refused(client, county):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert client.get(reverse("dimensioning:export", args=["yrken", "csv"])).status_code == 302
    _login(client, make_user())
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("dimensioning:export", args=["yrken", "csv"])).status_code == 403
    assert "Dimensionering" not in client.get("/").content.decode()


def test_the_coordinator_finds_the_page_from_the_start_page_and_the_menu(client, county, region_a):
    _login(client, admin_of(region_a))
    html = client.get("/").content.decode()
    assert f'href="{PAGE}?lan=17"' in html
    assert html.count(f'href="{PAGE}') >= 2  # the menu and the start page


def test_the_page_opens_on_the_coordinators_county(client, county, region_b):
    _login(client, admin_of(region_b))
    html = client.get(PAGE).content.decode()
    assert "Dimensionering: Örebro län" in html


def test_bad_filters_answer_400_with_the_reason(client, county, region_a):
    _login(client, admin_of(region_a))
    response = client.get(PAGE, {"lan": "17", "kommun": "999999"})
    assert response.status_code == 400
    kommun_in_orebro = Kommun.objects.get(code="1880").pk
    response = client.get(PAGE, {"lan": "17", "kommun": kommun_in_orebro})
    assert response.status_code == 400 and "inte i" in response.content.decode()
    assert client.get(PAGE, {"lan": "17", "horizon": "10y"}).status_code == 400


def test_numbers_link_to_the_needs_and_programmes_behind_them(client, county, region_a):
    _login(client, make_user(staff=True))
    html = client.get(PAGE, {"lan": "17", "horizon": "1y"}).content.decode()
    assert "/behov/?lan=" in html and "ssyk=5321" in html and "senast=1y" in html and "efterfragan=on" in html
    assert "/utbildningar/?lan=" in html and "planerat=on" in html
    needs = client.get("/behov/", {"lan": county["public"].kommun.lan_id, "ssyk": "5321", "senast": "1y",
                                   "efterfragan": "on", "status": "active"}).content.decode()
    assert "Öppen arbetsgivare" in needs and "Dold 0" not in needs and "Ensam dold" not in needs
    programmes = client.get("/utbildningar/", {"lan": county["public"].kommun.lan_id, "ssyk": "5321",
                                               "planerat": "on"}).content.decode()
    assert "Yrkeshögskolan" in programmes


def _csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_every_table_exports_as_csv_with_semicolons_and_a_bom_and_as_xlsx(client, county, region_a):
    _login(client, make_user(staff=True))
    for name in ("yrken", "lan", "trend", "kon"):
        rows = _csv(client.get(reverse("dimensioning:export", args=[name, "csv"]), {"lan": "17", "horizon": "1y"}))
        assert len(rows) > 1 and len(rows[0]) > 2
        workbook = load_workbook(io.BytesIO(client.get(reverse("dimensioning:export", args=[name, "xlsx"]),
                                                       {"lan": "17", "horizon": "1y"}).content))
        sheet = list(workbook.active.iter_rows(values_only=True))
        assert [str(c) for c in sheet[0]] == rows[0]
    assert client.get(reverse("dimensioning:export", args=["nothing", "csv"]), {"lan": "17"}).status_code == 404
    assert client.get(reverse("dimensioning:export", args=["yrken", "pdf"]), {"lan": "17"}).status_code == 404


def _total_from_csv(rows: list[list[str]]) -> str:
    header = rows[0]
    total = next(r for r in rows if r[0] in ("totalt", "total"))
    return total[header.index("Efterfrågan")]


def test_page_export_and_command_give_the_same_figure_to_the_same_viewer(client, county):
    staff = _login(client, make_user(staff=True))
    assert staff.is_staff
    html = client.get(PAGE, {"lan": "17", "horizon": "1y"}).content.decode()
    export = _csv(client.get(reverse("dimensioning:export", args=["yrken", "csv"]), {"lan": "17", "horizon": "1y"}))
    out = io.StringIO()
    call_command("dimensioning", "--lan", "17", "--horizon", "1y", "--format", "json", stdout=out)
    records = json.loads(out.getvalue())
    command_total = next(r for r in records if r["level"] == "total")
    # 4 readable + 30 from the released cell; the lone employer's 1000 never shows
    assert command_total["demand"] == 34 and command_total["marked"] == ""
    assert _total_from_csv(export) == "34"
    assert '<dd>34' in html
    out = io.StringIO()
    call_command("dimensioning", "--lan", "17", "--horizon", "3-5y", "--format", "json", stdout=out)
    later = next(r for r in json.loads(out.getvalue()) if r["level"] == "total")
    assert later["demand"] == 34 and later["marked"] == "färre än 3 arbetsgivare"


def test_the_command_takes_a_persons_view_with_as(county):
    owner = admin_of(county["lone"])
    out = io.StringIO()
    call_command("dimensioning", "--lan", "17", "--horizon", "3-5y", "--format", "json", "--as", owner.email,
                 stdout=out)
    total = next(r for r in json.loads(out.getvalue()) if r["level"] == "total")
    assert total["demand"] == 1034


def test_the_command_prints_csv_with_semicolons_and_the_same_rows_as_json(county):
    out = io.StringIO()
    call_command("dimensioning", "--lan", "17", "--horizon", "1y", stdout=out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Nivå", "SSYK", "Yrke"]
    care = next(r for r in rows if r[1] == "5321")
    assert care[rows[0].index("Efterfrågan")] == "34"
    assert float(care[rows[0].index("Utbildade till horisonten")]) == 25


def test_the_command_refuses_an_unknown_county_or_a_kommun_outside_it(county):
    with pytest.raises(CommandError, match="unknown län"):
        call_command("dimensioning", "--lan", "99", stdout=io.StringIO())
    with pytest.raises(CommandError, match="kommun"):
        call_command("dimensioning", "--lan", "17", "--kommun", "1880", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("dimensioning", "--lan", "17", "--as", "nobody@example.se", stdout=io.StringIO())


def test_a_kommun_filter_shows_only_the_readable_part_and_says_so(client, county, region_a):
    _login(client, make_user(staff=True))
    karlstad = Kommun.objects.get(code="1780")
    html = client.get(PAGE, {"lan": "17", "kommun": karlstad.pk, "horizon": "1y"}).content.decode()
    assert "summeras per län" in html or "summed per county" in html
    assert "<dd>4" in html


def test_a_member_of_an_employer_sees_the_same_page_as_a_provider_for_public_figures(client, county):
    member = add_member(county["public"])
    _login(client, member)
    assert client.get(PAGE, {"lan": "17"}).status_code == 200


# --- the charts --------------------------------------------------------------------------------------


def test_a_bar_chart_is_self_contained_svg_with_title_description_and_presentation_attributes():
    chart = BarChart(title="Efterfrågan & utbud", categories=["Undersköterskor", "<Kockar>"],
                     series=[Series("Efterfrågan", [12, 3]), Series("Utbud", [8, -2])], unit="personer",
                     chart_id="c1")
    svg = chart.to_svg()
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("viewBox") and root.get("width") and root.get("height")
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "Efterfrågan & utbud"
    assert "Undersköterskor: Efterfrågan 12, Utbud 8." in root.find(f"{ns}desc").text
    assert 'font-family="DejaVu Sans, sans-serif"' in svg and "style=" not in svg and "<script" not in svg
    assert len(root.findall(f"{ns}rect")) == 1 + 2 * 2 + 2  # background, bars, legend


def test_a_line_chart_draws_one_point_per_label():
    svg = LineChart(title="Trend", x_labels=["jan", "feb", "mar"], series=[Series("Efterfrågan", [1, 5, 3])],
                    chart_id="c2").to_svg()
    root = ET.fromstring(svg)
    assert len(root.findall("{http://www.w3.org/2000/svg}circle")) == 3
    assert root.get("aria-labelledby") == "c2-title c2-desc"


def test_the_needs_list_behind_a_figure_counts_only_readable_needs_so_the_two_cannot_be_subtracted(client, county):
    _login(client, make_user(staff=True))
    lan = county["public"].kommun.lan_id
    drill_down = client.get("/behov/", {"lan": lan, "ssyk": "5321", "senast": "1y", "efterfragan": "on",
                                        "status": "active"}).content.decode()
    # 4 readable; the released cell's 30 is on the dimensioning page only, in whole cells
    assert "4 personer" in drill_down and "34 personer" not in drill_down
    assert "räknas de bara på dimensioneringssidan" in drill_down
    plain = client.get("/behov/", {"lan": lan, "ssyk": "5321", "status": "active"}).content.decode()
    assert "dimensioneringssidan" not in plain


@pytest.mark.parametrize("lan", ["1\x007", "17" * 40, "é"])
def test_a_county_that_cannot_be_a_code_is_refused_on_the_page_and_in_the_api_without_a_server_error(client, taxonomy,
                                                                                                    lan):
    client.force_login(add_member(make_organisation("employer")))
    page = client.get("/dimensionering/", {"lan": lan})
    api = client.get("/api/v1/dimensioning/", {"lan": lan})
    assert page.status_code == 400 and page.context["form"].errors["lan"]
    assert api.status_code == 400 and "lan" in api.json()["errors"]
