"""Searching competence needs: word forms, occupation names, SSYK codes, places and employers, the
"Mina behov" filter, and the search document the services keep current."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from employers import selectors
from employers.models import Need
from employers.selectors import NeedFilters
from employers.services import need_search_document, need_update, needs_search_refresh
from matchplats.taxonomy.models import OccupationName, Skill, SsykGroup
from tests.factories import add_member, admin_of, make_need, make_user

pytestmark = pytest.mark.django_db


def _found(text: str, user=None) -> set[str]:
    user = user or make_user()
    needs = selectors.needs_filtered(selectors.needs_visible_to(user), NeedFilters(text=text),
                                     today=timezone.localdate())
    return set(needs.values_list("title", flat=True))


@pytest.fixture
def needs(employer_a, employer_b):
    return {
        "care": make_need(employer_a, title="Undersköterskor till hemtjänsten", ssyk4="5321"),
        "nurses": make_need(employer_b, title="Personal till kirurgen", ssyk4="2221", kommun_code="1880"),
        "electricians": make_need(employer_b, title="Elektrikerna till nybygget", ssyk4="7411", kommun_code="1880"),
    }


def test_a_search_finds_a_need_by_another_form_of_a_word_in_its_title(needs):
    assert _found("undersköterska") == {"Undersköterskor till hemtjänsten"}
    assert _found("elektriker") == {"Elektrikerna till nybygget"}
    assert _found("Hemtjänst") == {"Undersköterskor till hemtjänsten"}


def test_a_search_finds_a_need_by_the_label_of_its_occupation_group(needs):
    assert _found("sjuksköterska") == {"Personal till kirurgen"}  # 2221 Grundutbildade sjuksköterskor


def test_a_search_finds_a_need_by_any_occupation_name_in_its_group(needs):
    assert "Stomiterapeut" in OccupationName.objects.filter(ssyk4__code="2221").values_list("label", flat=True)
    assert _found("stomiterapeuter") == {"Personal till kirurgen"}
    assert _found("installationselektriker") == {"Elektrikerna till nybygget"}


def test_a_search_finds_a_need_by_its_chosen_occupation_name(employer_a):
    name = OccupationName.objects.get(label="Hemsjukvårdare")
    need = make_need(employer_a, title="Kvällspersonal", ssyk4="5321")
    need_update(need=need, actor=admin_of(employer_a), occupation_name=name)
    assert _found("hemsjukvårdarna") == {"Kvällspersonal"}


def test_a_search_finds_needs_by_ssyk_code_and_by_its_first_digits(needs):
    assert _found("2221") == {"Personal till kirurgen"}
    assert _found("53") == {"Undersköterskor till hemtjänsten"}
    assert _found("74") == {"Elektrikerna till nybygget"}


def test_a_search_finds_needs_by_employer_name_and_place(needs, employer_b):
    assert _found("Arbetsgivare B") == {"Personal till kirurgen", "Elektrikerna till nybygget"}
    assert _found("arbetsgivarna") == set(t.title for t in needs.values())
    assert _found("Örebro") == {"Personal till kirurgen", "Elektrikerna till nybygget"}  # kommun 1880
    assert _found("karlstad") == {"Undersköterskor till hemtjänsten"}  # kommun 1780


def test_every_word_of_a_search_must_match(needs):
    assert _found("elektriker örebro") == {"Elektrikerna till nybygget"}
    assert _found("elektriker karlstad") == set()


def test_a_search_finds_a_need_by_a_required_skill(employer_a):
    skill = Skill.objects.order_by("pk").first()
    need = make_need(employer_a, title="Behov med kompetens")
    need_update(need=need, actor=admin_of(employer_a), skills=[skill])
    assert "Behov med kompetens" in _found(skill.label)


def test_a_search_never_finds_needs_the_viewer_may_not_list(employer_a):
    make_need(employer_a, title="Hemlig svetsare", visibility="aggregated")
    make_need(employer_a, title="Öppen svetsare", visibility="public")
    assert _found("svetsare") == {"Öppen svetsare"}
    assert _found("svetsare", user=admin_of(employer_a)) == {"Hemlig svetsare", "Öppen svetsare"}


def test_changing_a_need_rewrites_its_search_document(needs, employer_a):
    need = needs["care"]
    need_update(need=need, actor=admin_of(employer_a), title="Busschaufförer", ssyk4=SsykGroup.objects.get(code="8331"))
    assert _found("undersköterska") == set()
    assert _found("busschaufför") == {"Busschaufförer"}
    need.refresh_from_db()
    assert " 8331 " in need.search_text


def test_renaming_an_employer_finds_its_needs_by_the_new_name(needs, employer_a):
    employer_a.name = "Vårdbolaget Nord"
    employer_a.save(update_fields=["name"])
    assert _found("vårdbolaget") == {"Undersköterskor till hemtjänsten"}
    assert _found("Arbetsgivare A") == set()


def test_search_rebuild_repairs_documents_written_around_the_services(needs, employer_a):
    Need.objects.update(search_text="")
    employer_a.__class__.objects.update(search_text="")
    assert _found("undersköterska") == set()
    output = io.StringIO()
    call_command("search_rebuild", stdout=output)
    assert "needs: 3 changed" in output.getvalue() and "organisations: 2 changed" in output.getvalue()
    assert _found("undersköterska") == {"Undersköterskor till hemtjänsten"}
    assert _found("Arbetsgivare A") == {"Undersköterskor till hemtjänsten"}
    assert needs_search_refresh() == 0


def test_the_stored_document_is_the_one_the_service_computes(needs):
    for need in Need.objects.all():
        assert need.search_text == need_search_document(need)


def test_an_imported_need_is_found_by_its_word_forms(employer_a):
    from employers.importing import need_import_file

    content = ("title,ssyk4,headcount,horizon,kommun\n"
               "Lastbilsförarna till åkeriet,8332,2,1y,1780\n").encode()
    result = need_import_file(actor=admin_of(employer_a), data=content, file_name="behov.csv",
                              organisation=employer_a)
    assert result.created == 1
    assert _found("lastbilsförare") == {"Lastbilsförarna till åkeriet"}


# --- the list page ---------------------------------------------------------------------------------


def test_the_list_page_searches_by_word_form(client, needs):
    page = client.get(reverse("employers:list"), {"q": "undersköterska"})
    assert [n.title for n in page.context["page"].object_list] == ["Undersköterskor till hemtjänsten"]


def test_the_mine_filter_lists_only_the_needs_of_the_viewers_employers(client, needs, employer_a):
    member = add_member(employer_a)
    client.force_login(member)
    page = client.get(reverse("employers:list"), {"mina": "on"})
    assert [n.title for n in page.context["page"].object_list] == ["Undersköterskor till hemtjänsten"]
    assert page.context["figure"].needs == 1
    assert "Bara mina organisationers behov" in page.content.decode()


def test_the_mine_filter_lists_hidden_needs_of_ones_own_employer(client, employer_a, employer_b):
    make_need(employer_a, title="Egen dold", visibility="aggregated")
    make_need(employer_b, title="Annans dold", visibility="aggregated")
    client.force_login(admin_of(employer_a))
    page = client.get(reverse("employers:list"), {"mina": "on", "status": "active"})
    assert [n.title for n in page.context["page"].object_list] == ["Egen dold"]
    figure = page.context["figure"]
    assert (figure.needs, figure.hidden_needs, figure.suppressed) == (1, 0, False)


def test_the_mine_filter_is_offered_only_to_members_of_employers(client, needs, provider_a):
    assert "mina" not in client.get(reverse("employers:list")).context["form"].fields
    client.force_login(admin_of(provider_a))
    page = client.get(reverse("employers:list"), {"mina": "on"})
    assert "mina" not in page.context["form"].fields
    assert {n.title for n in page.context["page"].object_list} == {t.title for t in needs.values()}


def test_the_mine_filter_counts_no_hidden_needs_of_other_employers(client, employer_a, employer_b):
    """Under "mine" (an organisation filter) hidden needs of others leave no trace in the figure."""
    make_need(employer_a, title="Eget")
    for _ in range(3):
        make_need(employer_b, visibility="aggregated")
    client.force_login(admin_of(employer_a))
    figure = client.get(reverse("employers:list"), {"mina": "on", "status": "active"}).context["figure"]
    assert (figure.needs, figure.hidden_needs, figure.suppressed, figure.in_cells) == (1, 0, False, False)


def test_the_export_follows_the_search_and_the_mine_filter(client, needs, employer_a):
    client.force_login(admin_of(employer_a))
    csv = client.get(reverse("employers:export", args=["csv"]), {"q": "elektriker"}).content.decode("utf-8-sig")
    assert "Elektrikerna till nybygget" in csv and "Undersköterskor" not in csv
    csv = client.get(reverse("employers:export", args=["csv"]), {"mina": "on"}).content.decode("utf-8-sig")
    assert "Undersköterskor till hemtjänsten" in csv and "Elektrikerna" not in csv
