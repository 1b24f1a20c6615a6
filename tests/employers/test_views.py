"""Visibility and permission rules of docs/permissions.md, tried through every page and export."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from employers.models import Need
from matchplats.core.history import Change
from tests.factories import add_member, admin_of, make_need, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(employer_a):
    return {v: make_need(employer_a, visibility=v, title=f"Behov {v}") for v in ("public", "aggregated", "coordinators")}


@pytest.fixture
def people(employer_a, employer_b, provider_a, region_a, region_b):
    return {
        "anonymous": None,
        "owner": add_member(employer_a),
        "other employer": admin_of(employer_b),
        "provider": admin_of(provider_a),
        "coordinator of the need's län": admin_of(region_a),
        "coordinator of another län": admin_of(region_b),
        "staff": make_user(staff=True),
    }


SEES = {
    "anonymous": {"public"},
    "owner": {"public", "aggregated", "coordinators"},
    "other employer": {"public"},
    "provider": {"public"},
    "coordinator of the need's län": {"public", "coordinators"},
    "coordinator of another län": {"public"},
    "staff": {"public"},
}


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _exported_titles(client, file_format):
    response = client.get(reverse("employers:export", args=[file_format]))
    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        return {row["Titel"] for row in rows}
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    return {row[header.index("Titel")] for row in rows}


@pytest.mark.parametrize("who", list(SEES))
def test_each_visibility_level_is_listed_only_to_those_allowed(client, needs, people, who):
    _as(client, people[who])
    listed = {n.title for n in client.get(reverse("employers:list")).context["page"].object_list}
    assert listed == {f"Behov {v}" for v in SEES[who]}


@pytest.mark.parametrize("who", list(SEES))
def test_each_visibility_level_opens_on_the_detail_page_only_to_those_allowed(client, needs, people, who):
    _as(client, people[who])
    for visibility, need in needs.items():
        status = client.get(reverse("employers:detail", args=[need.pk])).status_code
        assert status == (200 if visibility in SEES[who] else 404), visibility


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("who", list(SEES))
def test_exports_contain_only_the_needs_the_person_may_see(client, needs, people, who, file_format):
    _as(client, people[who])
    assert _exported_titles(client, file_format) == {f"Behov {v}" for v in SEES[who]}


@pytest.mark.parametrize("who", list(SEES))
def test_totals_count_what_the_viewer_reads_and_mark_a_hidden_part_from_one_employer(client, needs, people, who):
    _as(client, people[who])
    figure = client.get(reverse("employers:list")).context["figure"]
    readable = len(SEES[who])
    assert (figure.needs, figure.headcount) == (readable, 3 * readable)
    assert figure.employers == 1
    assert figure.suppressed is (readable < 3)
    assert figure.hidden_needs == 0


@pytest.mark.parametrize("who", ["other employer", "provider", "coordinator of the need's län", "staff"])
def test_outsiders_cannot_edit_or_withdraw_a_need_by_id(client, needs, people, who):
    _as(client, people[who])
    for visibility, need in needs.items():
        expected = 403 if visibility in SEES[who] else 404
        assert client.get(reverse("employers:edit", args=[need.pk])).status_code == expected
        assert client.post(reverse("employers:edit", args=[need.pk]), {"title": "Kapad"}).status_code == expected
        assert client.post(reverse("employers:status", args=[need.pk]), {"status": "withdrawn"}).status_code == expected
    assert set(Need.objects.values_list("status", flat=True)) == {"active"}
    assert not Need.objects.filter(title="Kapad").exists()


def test_anonymous_visitors_are_sent_to_login_for_changes(client, needs):
    for url in (reverse("employers:create"), reverse("employers:edit", args=[needs["public"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def _form_data(need, **overrides):
    data = {"organisation": need.organisation_id, "ssyk4": need.ssyk4_id, "title": need.title, "headcount": need.headcount,
            "horizon": need.horizon, "kommun": need.kommun_id, "employment_form": "permanent", "visibility": need.visibility}
    data.update(overrides)
    return data


def test_an_employer_registers_a_need_with_skills_from_the_form(client, employer_a):
    from matchplats.taxonomy.models import Kommun, SsykGroup

    member = add_member(employer_a)
    client.force_login(member)
    group = SsykGroup.objects.get(code="5321")
    skill = group.skills.order_by("label").first()
    response = client.post(reverse("employers:create"), {
        "organisation": employer_a.pk, "ssyk4": group.pk, "title": "Undersköterskor till hemtjänsten", "headcount": 12,
        "horizon": "1y", "kommun": Kommun.objects.get(code="1780").pk, "employment_form": "permanent",
        "visibility": "public", "skills": [skill.pk], "validation_accepted": "on",
    })
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("employers:detail", args=[need.pk])
    assert need.created_by == member and need.validation_accepted and list(need.skills.all()) == [skill]


def test_registering_for_another_employer_by_id_is_refused(client, employer_a, employer_b):
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("employers:create"), _form_data(make_need(employer_a), organisation=employer_b.pk))
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not Need.objects.filter(organisation=employer_b).exists()


def test_a_headcount_in_words_is_refused_on_the_form(client, employer_a):
    need = make_need(employer_a)
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("employers:edit", args=[need.pk]), _form_data(need, headcount="tolv"))
    assert response.status_code == 200 and "headcount" in response.context["form"].errors
    need.refresh_from_db()
    assert need.headcount == 3


def test_the_event_trail_is_shown_to_the_owner_with_who_and_what(client, employer_a):
    need = make_need(employer_a, headcount=3)
    owner = admin_of(employer_a)
    client.force_login(owner)
    client.post(reverse("employers:edit", args=[need.pk]), _form_data(need, headcount=7))
    client.post(reverse("employers:status", args=[need.pk]), {"status": "filled"})
    page = client.get(reverse("employers:detail", args=[need.pk]))
    history = page.context["history"]
    assert [entry.title for entry in history] == ["Ändrad status", "Uppdaterad", "Skapad"]
    assert history[0].changes == [Change(label="Status", old="Aktiv", new="Tillsatt")]
    assert Change(label="Antal personer", old="3", new="7") in history[1].changes
    assert owner.email in page.content.decode() and "active → filled" not in page.content.decode()


def test_the_event_trail_is_not_shown_to_outsiders(client, employer_a, employer_b):
    need = make_need(employer_a)
    client.force_login(admin_of(employer_b))
    page = client.get(reverse("employers:detail", args=[need.pk]))
    assert page.context["history"] == [] and admin_of(employer_a).email not in page.content.decode()


def test_filters_narrow_the_list_by_lan_and_horizon(client, employer_a, employer_b):
    make_need(employer_a, title="Värmland nu", horizon="now")
    make_need(employer_b, title="Örebro om fem", horizon="3-5y")
    from matchplats.taxonomy.models import Lan

    def titles(**params):
        return {n.title for n in client.get(reverse("employers:list"), params).context["page"].object_list}

    assert titles(lan=Lan.objects.get(code="17").pk) == {"Värmland nu"}
    assert titles(horizon="3-5y") == {"Örebro om fem"}
    assert titles(horizon="now") == {"Värmland nu"}


def test_the_occupation_picker_finds_names_as_you_type(client, taxonomy):
    response = client.get(reverse("employers:occupation_search"), {"yrke": "underskö"})
    labels = [hit.label for hit in response.context["hits"]]
    assert labels[0].startswith("Undersköterska")
    picked = client.get(reverse("employers:occupation_pick"), {"occupation": response.context["hits"][0].occupation.pk})
    assert picked.context["picked_ssyk4"].code == "5321" and len(picked.context["related_skills"]) > 10


def test_a_title_with_a_control_character_is_refused_by_the_form_and_nothing_is_saved(client, needs):
    need = needs["public"]
    client.force_login(admin_of(need.organisation))
    before = Need.objects.count()
    response = client.post(reverse("employers:create"), _form_data(need, title="Behov\x01"))
    assert response.status_code == 200 and "U+0001" in response.content.decode()
    response = client.post(reverse("employers:edit", args=[need.pk]), _form_data(need, title="=HYPER\x0bLINK"))
    assert response.status_code == 200 and "U+000B" in response.content.decode()
    assert Need.objects.count() == before and not Need.objects.filter(title__startswith="=HYPERLINK").exists()


@pytest.mark.parametrize("url_name, params", [
    ("employers:occupation_pick", {"occupation": "abc"}),
    ("employers:occupation_pick", {"ssyk4": "1 OR 1=1"}),
    ("employers:occupation_pick", {"occupation": "9" * 40}),
    ("employers:skill_chosen", {"skill": "x"}),
    ("employers:skill_search", {"kompetens": "a" * 100_000}),
    ("employers:occupation_search", {"yrke": "sjuk\x00"}),
])
def test_a_malformed_id_or_oversize_parameter_is_a_400(client, taxonomy, url_name, params):
    assert client.get(reverse(url_name), params).status_code == 400


def test_a_missing_id_is_a_404(client, taxonomy):
    assert client.get(reverse("employers:occupation_pick"), {"ssyk4": "999999"}).status_code == 404
    assert client.get(reverse("employers:skill_chosen"), {"skill": "999999"}).status_code == 404


@pytest.mark.parametrize("url_name", ["employers:list", "providers:list", "providers:validation_list"])
def test_a_search_of_100000_characters_is_a_400_that_names_the_problem(client, taxonomy, url_name):
    response = client.get(reverse(url_name), {"q": "a" * 100_000})
    assert response.status_code == 400
    assert "200" in response.content.decode()


def test_a_need_can_require_a_driving_licence_class(client, employer_a):
    from matchplats.taxonomy.models import Kommun, Skill, SsykGroup

    licence = Skill.objects.get(concept_id="korkort-CE")
    client.force_login(admin_of(employer_a))
    hits = client.get(reverse("employers:skill_search"), {"kompetens": "CE-körkort"})
    assert licence in list(hits.context["skills"])
    group = SsykGroup.objects.get(code="8332", level=4)
    client.post(reverse("employers:create"), {
        "organisation": employer_a.pk, "ssyk4": group.pk, "title": "Lastbilsförare", "headcount": 2, "horizon": "now",
        "kommun": Kommun.objects.get(code="1780").pk, "employment_form": "permanent", "visibility": "public",
        "skills": [licence.pk]})
    assert list(Need.objects.get(title="Lastbilsförare").skills.all()) == [licence]


def test_the_need_form_explains_each_seqf_level_in_swedish(client, employer_a):
    client.force_login(admin_of(employer_a))
    body = client.get(reverse("employers:create"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "SeQF 5 – kortare eftergymnasial nivå, t.ex. YH-examen" in body
    assert "SeQF 8 – forskarnivå" in body
