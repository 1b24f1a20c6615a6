import pytest

from employers.models import Need
from tests.browser.journey import sign_in
from tests.factories import add_member, make_organisation

pytestmark = pytest.mark.django_db(transaction=True)




def test_an_employer_registers_a_need_with_the_occupation_picker(page, taxonomy, platform_matcher):
    employer = make_organisation("employer", name="Hemtjänst Karlstad AB")
    member = add_member(employer)
    sign_in(page, member.email)

    page.goto("/behov/nytt/")
    page.get_by_label("Sök efter ett yrke eller en SSYK-kod").fill("underskö")
    page.get_by_role("button", name="Undersköterska, hemtjänst, äldreboende och habilitering (5321").click()
    page.get_by_text("SSYK 5321").wait_for()
    skills = page.get_by_role("combobox", name="Kompetenser som hör till den här yrkesgruppen")
    skills.fill("hemtjän")
    page.get_by_role("option", name="Hemtjänst", exact=True).wait_for()
    skills.press("Enter")
    page.get_by_role("textbox", name="Titel").fill("Undersköterskor till hemtjänsten")
    page.get_by_role("spinbutton", name="Hur många personer").fill("12")
    page.get_by_label("Inom 1 år").check()
    page.get_by_role("combobox", name="Kommun", exact=True).select_option(label="Karlstad")
    page.get_by_label("Offentlig").check()
    page.get_by_role("button", name="Registrera behovet").click()

    page.get_by_role("heading", level=1, name="Undersköterskor till hemtjänsten").wait_for()
    need = Need.objects.get()
    assert (need.ssyk4.code, need.occupation_name.concept_id, need.headcount, need.kommun.label) == (
        "5321", "bSEB_VKd_Ub3", 12, "Karlstad")
    assert list(need.skills.values_list("label", flat=True)) == ["Hemtjänst"]
