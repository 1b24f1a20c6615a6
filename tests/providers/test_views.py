import csv
import io

import pytest
from django.urls import reverse

from matchplats.core.history import Change
from matchplats.taxonomy.models import Kommun, SsykGroup
from providers.models import Programme, ValidationPath
from providers.services import validation_path_create
from tests.factories import add_member, admin_of, make_programme

pytestmark = pytest.mark.django_db


def _programme_data(**overrides):
    data = {"name": "Vård- och omsorgsutbildning", "form": "yrkesvux", "status": "planned", "language": "svenska",
            "kommuner": [Kommun.objects.get(code="1780").pk],
            "target_occupations": [SsykGroup.objects.get(code="5321").pk],
            "intakes-TOTAL_FORMS": "2", "intakes-INITIAL_FORMS": "0", "intakes-MIN_NUM_FORMS": "0",
            "intakes-MAX_NUM_FORMS": "1000", "intakes-0-start_date": "2027-01-12", "intakes-0-places": "24",
            "intakes-0-application_deadline": "2026-11-30"}
    data.update(overrides)
    return data


def test_everyone_sees_programmes_and_validation_paths(client, provider_a):
    programme = make_programme(provider_a, name="Synlig utbildning")
    assert client.get(reverse("providers:detail", args=[programme.pk])).status_code == 200
    assert "Synlig utbildning" in client.get(reverse("providers:list")).content.decode()
    assert client.get(reverse("providers:validation_list")).status_code == 200


def test_a_provider_member_posts_a_programme_with_an_intake(client, provider_a):
    client.force_login(add_member(provider_a))
    response = client.post(reverse("providers:create"), _programme_data(provider=provider_a.pk))
    programme = Programme.objects.get()
    assert response.status_code == 302 and programme.provider == provider_a
    assert [(i.start_date.isoformat(), i.places) for i in programme.intakes.all()] == [("2027-01-12", 24)]


def test_posting_a_programme_for_another_provider_by_id_is_refused(client, provider_a, provider_b):
    client.force_login(admin_of(provider_a))
    assert client.post(reverse("providers:create"), _programme_data(provider=provider_b.pk)).status_code == 403
    assert not Programme.objects.exists()


def test_an_employer_without_a_provider_cannot_post_programmes(client, employer_a):
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("providers:create"), _programme_data(provider=employer_a.pk))
    assert response.status_code == 302 and not Programme.objects.exists()


def test_another_provider_cannot_edit_a_programme_by_id(client, provider_a, provider_b):
    programme = make_programme(provider_a, name="Original")
    client.force_login(admin_of(provider_b))
    assert client.get(reverse("providers:edit", args=[programme.pk])).status_code == 403
    assert client.post(reverse("providers:edit", args=[programme.pk]), _programme_data(name="Kapad")).status_code == 403
    programme.refresh_from_db()
    assert programme.name == "Original"


def test_a_programme_without_place_or_distance_is_refused(client, provider_a):
    client.force_login(admin_of(provider_a))
    response = client.post(reverse("providers:create"), _programme_data(provider=provider_a.pk, kommuner=[]))
    assert response.status_code == 200 and "kommuner" in response.context["form"].errors
    assert not Programme.objects.exists()


def test_the_owner_edits_and_the_history_shows_the_change(client, provider_a):
    programme = make_programme(provider_a, name="Före")
    client.force_login(admin_of(provider_a))
    client.post(reverse("providers:edit", args=[programme.pk]), _programme_data(name="Efter"))
    page = client.get(reverse("providers:detail", args=[programme.pk]))
    assert Change(label="Namn", old="Före", new="Efter") in page.context["history"][0].changes


def test_programme_export_lists_places_and_marks_derived_dates(client, provider_a):
    make_programme(provider_a, name="Exportera mig")
    response = client.get(reverse("providers:export", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["Namn"], r["Platser"], r["Intag"]) for r in rows] == [("Exportera mig", "25", "2027-08-30:25")]


def test_another_provider_cannot_edit_a_validation_path_by_id(client, provider_a, provider_b):
    path = validation_path_create(actor=admin_of(provider_a), organiser=provider_a, name="Validering",
                                  method="branch_model", occupations=SsykGroup.objects.filter(code="5120"))
    client.force_login(admin_of(provider_b))
    url = reverse("providers:validation_edit", args=[path.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Kapad", "method": "other"}).status_code == 403
    assert ValidationPath.objects.get().name == "Validering"


def test_anonymous_visitors_cannot_post(client, provider_a):
    response = client.post(reverse("providers:create"), _programme_data(provider=provider_a.pk))
    assert response.status_code == 302 and not Programme.objects.exists()


def _intake_rows(dates_and_places):
    data = {"intakes-TOTAL_FORMS": str(len(dates_and_places)), "intakes-INITIAL_FORMS": "0"}
    for index, (start, places) in enumerate(dates_and_places):
        data.update({f"intakes-{index}-start_date": start, f"intakes-{index}-places": str(places)})
    return data


def test_a_programme_takes_any_number_of_intakes(client, provider_a):
    client.force_login(add_member(provider_a))
    rows = [(f"2027-0{month}-01", 10 + month) for month in range(1, 6)]
    client.post(reverse("providers:create"), _programme_data(provider=provider_a.pk, **_intake_rows(rows)))
    programme = Programme.objects.get()
    assert [(i.start_date.isoformat(), i.places) for i in programme.intakes.order_by("start_date")] == rows


def test_the_programme_form_offers_one_empty_intake_row_and_a_template_to_add_more(client, provider_a):
    programme = make_programme(provider_a)
    client.force_login(admin_of(provider_a))
    client.post(reverse("providers:edit", args=[programme.pk]), _programme_data(
        **_intake_rows([("2027-01-12", 24), ("2027-08-20", 30)])))
    page = client.get(reverse("providers:edit", args=[programme.pk]))
    intakes = page.context["intakes"]
    assert len(intakes.forms) == 3 and [f.initial.get("places") for f in intakes.forms] == [24, 30, None]
    body = page.content.decode()
    assert 'id="intakes-empty"' in body and 'name="intakes-__prefix__-start_date"' in body
    assert 'data-formset-add="intakes"' in body and "js/formset.js" in body


def test_an_intake_ticked_for_removal_is_removed(client, provider_a):
    programme = make_programme(provider_a)
    client.force_login(admin_of(provider_a))
    data = _programme_data(**_intake_rows([("2027-01-12", 24), ("2027-08-20", 30)]))
    client.post(reverse("providers:edit", args=[programme.pk]), data)
    data.update({"intakes-INITIAL_FORMS": "2", "intakes-0-DELETE": "on"})  # as the edit page renders it
    client.post(reverse("providers:edit", args=[programme.pk]), data)
    assert [i.places for i in programme.intakes.all()] == [30]


def test_more_than_fifty_intakes_are_refused_and_nothing_is_saved(client, provider_a):
    client.force_login(add_member(provider_a))
    rows = [(f"2027-01-{day:02d}", 5) for day in range(1, 29)] + [(f"2028-01-{day:02d}", 5) for day in range(1, 29)]
    response = client.post(reverse("providers:create"), _programme_data(provider=provider_a.pk, **_intake_rows(rows)))
    assert response.status_code == 200 and response.context["intakes"].non_form_errors()
    assert not Programme.objects.exists()


@pytest.mark.parametrize(("url_name", "fields"), [
    ("providers:create", ("target_occupations", "kommuner")), ("providers:validation_create", ("occupations", "kommuner"))])
def test_long_lists_are_plain_multi_selects_marked_for_the_searchable_picker(client, provider_a, url_name, fields):
    client.force_login(admin_of(provider_a))
    response = client.get(reverse(url_name))
    body = response.content.decode()
    assert "js/picker.js" in body and "<script>" not in body
    for name in fields:
        assert response.context["form"][name].field.widget.attrs["size"] == 8
        assert f'name="{name}"' in body and "data-picker" in str(response.context["form"][name])
