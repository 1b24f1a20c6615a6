import pytest
from django.core import mail
from django.urls import reverse

from matchplats.core.terms import OPEN_DATA_LICENCE_URL, TERMS_VERSION
from matchplats.organisations.models import Invitation, Membership, Organisation
from tests.factories import PASSWORD, add_member, admin_of, make_user

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_create_page_makes_an_employer_with_the_creator_as_admin(client, taxonomy):
    user = make_user()
    _login(client, user)
    response = client.post(reverse("organisations:create"), {"name": "Kockarna AB", "kind": "employer", "accepted_terms": "on"})
    organisation = Organisation.objects.get(name="Kockarna AB")
    assert response.status_code == 302 and response["Location"] == reverse("home")  # the next step is there
    assert organisation.memberships.get().user == user


def test_creating_an_organisation_stores_that_and_which_terms_were_accepted(client, taxonomy):
    _login(client, make_user())
    page = client.get(reverse("organisations:create")).content.decode()
    assert 'name="accepted_terms"' in page and f'href="{reverse("terms")}"' in page
    client.post(reverse("organisations:create"), {"name": "Kockarna AB", "kind": "employer", "accepted_terms": "on"})
    organisation = Organisation.objects.get(name="Kockarna AB")
    assert organisation.accepted_terms_version == TERMS_VERSION and organisation.accepted_terms_at is not None


@pytest.mark.parametrize("accepted", [None, "", "false"])
def test_an_organisation_is_not_created_without_accepting_the_terms(client, taxonomy, accepted):
    _login(client, make_user())
    data = {"name": "Kockarna AB", "kind": "employer"}
    if accepted is not None:
        data["accepted_terms"] = accepted
    response = client.post(reverse("organisations:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["accepted_terms"] == [
        "Godkänn användarvillkoren för att registrera organisationen."]
    assert not Organisation.objects.filter(name="Kockarna AB").exists()


def test_the_terms_of_use_are_public_and_state_the_open_licence(client, taxonomy):
    page = client.get(reverse("terms")).content.decode()
    assert TERMS_VERSION in page and OPEN_DATA_LICENCE_URL in page and 'href="/oppna-data/"' in page


def test_create_page_does_not_offer_or_accept_a_region(client, taxonomy):
    _login(client, make_user())
    response = client.post(reverse("organisations:create"), {"name": "Region Fusk", "kind": "region", "accepted_terms": "on"})
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Region Fusk").exists()


def test_anonymous_visitors_are_sent_to_login(client, employer_a):
    response = client.get(reverse("organisations:detail", args=[employer_a.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_non_member_cannot_see_another_organisations_members(client, employer_a, employer_b):
    _login(client, admin_of(employer_b))
    assert client.get(reverse("organisations:detail", args=[employer_a.pk])).status_code == 403


def test_admin_invites_from_the_detail_page_and_an_email_is_sent(client, employer_a, django_capture_on_commit_callbacks):
    _login(client, admin_of(employer_a))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:detail", args=[employer_a.pk]),
                               {"email": "kollega@example.se", "role": "member"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert len(mail.outbox) == 1
    assert reverse("organisations:invitation", args=[invitation.token]) in mail.outbox[0].body


def test_a_member_posting_an_invitation_is_refused(client, employer_a):
    _login(client, add_member(employer_a))
    response = client.post(reverse("organisations:detail", args=[employer_a.pk]), {"email": "x@example.se", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_admin_of_org_b_cannot_remove_a_member_of_org_a_by_id(client, employer_a, employer_b):
    victim = add_member(employer_a)
    membership = employer_a.memberships.get(user=victim)
    _login(client, admin_of(employer_b))
    url = reverse("organisations:membership_remove", args=[employer_a.pk, membership.pk])
    assert client.post(url).status_code == 403
    url_via_own_org = reverse("organisations:membership_remove", args=[employer_b.pk, membership.pk])
    assert client.post(url_via_own_org).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_removes_a_member_from_the_detail_page(client, employer_a):
    member = add_member(employer_a)
    _login(client, admin_of(employer_a))
    membership = employer_a.memberships.get(user=member)
    client.post(reverse("organisations:membership_remove", args=[employer_a.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_invitation_link_adds_the_signed_in_invitee(client, employer_a):
    invitation = Invitation.objects.create(organisation=employer_a, email="ny@example.se", invited_by=admin_of(employer_a))
    invitee = make_user("ny@example.se")
    assert client.login(email="ny@example.se", password=PASSWORD)
    response = client.post(reverse("organisations:invitation", args=[invitation.token]))
    assert response.status_code == 302
    assert employer_a.memberships.filter(user=invitee, role="member").exists()


def test_removing_the_last_admin_from_the_page_shows_an_error_and_keeps_them(client, employer_a):
    admin = admin_of(employer_a)
    _login(client, admin)
    membership = employer_a.memberships.get(user=admin)
    response = client.post(reverse("organisations:membership_remove", args=[employer_a.pk, membership.pk]), follow=True)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert any("administrator" in str(message).lower() or "administratör" in str(message).lower()
               for message in response.context["messages"])


def _edit_data(organisation, **overrides):
    data = {"name": organisation.name, "kommun": organisation.kommun_id or "",
            "organisation_number": organisation.organisation_number, "website": organisation.website}
    data.update(overrides)
    return data


def test_create_page_refuses_a_bad_organisation_number_in_swedish_and_writes_nothing(client, taxonomy):
    _login(client, make_user())
    response = client.post(reverse("organisations:create"),
                           {"name": "Kockarna AB", "kind": "employer", "organisation_number": "12345",
                            "accepted_terms": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation_number"] == [
        "”12345” är inget organisationsnummer: skriv tio siffror som NNNNNN-NNNN (eller tolv siffror som börjar "
        "med 16)."]
    assert not Organisation.objects.filter(name="Kockarna AB").exists()


def test_create_page_stores_a_twelve_digit_number_in_its_usual_form(client, taxonomy):
    _login(client, make_user())
    client.post(reverse("organisations:create"),
                {"name": "Kockarna AB", "kind": "employer", "organisation_number": "165560125790",
                 "accepted_terms": "on"})
    assert Organisation.objects.get(name="Kockarna AB").organisation_number == "556012-5790"


def test_an_admin_sees_the_details_and_a_link_to_edit_them(client, employer_a):
    _login(client, admin_of(employer_a))
    page = client.get(reverse("organisations:detail", args=[employer_a.pk])).content.decode()
    assert reverse("organisations:edit", args=[employer_a.pk]) in page and "Organisationsnummer" in page


def test_a_member_sees_the_details_but_no_edit_link(client, employer_a):
    _login(client, add_member(employer_a))
    page = client.get(reverse("organisations:detail", args=[employer_a.pk])).content.decode()
    assert reverse("organisations:edit", args=[employer_a.pk]) not in page and "Organisationsnummer" in page


def test_an_admin_edits_the_details_and_the_history_tells_the_change_in_swedish(client, employer_a):
    _login(client, admin_of(employer_a))
    form_page = client.get(reverse("organisations:edit", args=[employer_a.pk]))
    assert form_page.status_code == 200 and "kind" not in form_page.context["form"].fields
    assert "provider_type" not in form_page.context["form"].fields
    response = client.post(reverse("organisations:edit", args=[employer_a.pk]),
                           _edit_data(employer_a, name="Arbetsgivare A AB", organisation_number="556012 5790"))
    assert response.status_code == 302 and response["Location"] == reverse("organisations:detail", args=[employer_a.pk])
    employer_a.refresh_from_db()
    assert (employer_a.name, employer_a.organisation_number) == ("Arbetsgivare A AB", "556012-5790")
    page = client.get(reverse("organisations:detail", args=[employer_a.pk])).content.decode()
    assert "Organisationens uppgifter ändrades" in page
    assert "Namn:</span>\n        Arbetsgivare A → Arbetsgivare A AB" in page
    assert "Organisationsnummer:</span>\n        — → 556012-5790" in page


def test_the_edit_page_shows_a_bad_number_on_its_field_and_writes_nothing(client, employer_a):
    _login(client, admin_of(employer_a))
    response = client.post(reverse("organisations:edit", args=[employer_a.pk]),
                           _edit_data(employer_a, name="Nytt namn", organisation_number="556012-5791"))
    assert response.status_code == 200
    assert "Kontrollsiffran" in response.context["form"].errors["organisation_number"][0]
    employer_a.refresh_from_db()
    assert employer_a.name == "Arbetsgivare A" and not employer_a.events.filter(type="updated").exists()


def test_a_provider_admin_may_set_the_provider_type_on_the_edit_page(client, provider_a):
    _login(client, admin_of(provider_a))
    client.post(reverse("organisations:edit", args=[provider_a.pk]),
                _edit_data(provider_a, provider_type="folkhogskola"))
    provider_a.refresh_from_db()
    assert provider_a.provider_type == "folkhogskola"


def test_a_member_cannot_open_or_post_the_edit_page(client, employer_a):
    _login(client, add_member(employer_a))
    assert client.get(reverse("organisations:edit", args=[employer_a.pk])).status_code == 403
    assert client.post(reverse("organisations:edit", args=[employer_a.pk]),
                       _edit_data(employer_a, name="Kapad AB")).status_code == 403
    employer_a.refresh_from_db()
    assert employer_a.name == "Arbetsgivare A"


def test_an_admin_of_another_organisation_cannot_edit_and_a_visitor_is_sent_to_login(client, employer_a, employer_b):
    _login(client, admin_of(employer_b))
    assert client.post(reverse("organisations:edit", args=[employer_a.pk]),
                       _edit_data(employer_a, name="Kapad AB")).status_code == 403
    client.logout()
    response = client.post(reverse("organisations:edit", args=[employer_a.pk]), _edit_data(employer_a, name="Kapad AB"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    employer_a.refresh_from_db()
    assert employer_a.name == "Arbetsgivare A"


def test_the_edit_page_of_an_unknown_organisation_is_not_found(client, taxonomy):
    _login(client, make_user())
    assert client.get(reverse("organisations:edit", args=[999999])).status_code == 404


def test_the_history_tells_a_role_change_with_role_names(client, employer_a):
    admin = admin_of(employer_a)
    member = add_member(employer_a)
    _login(client, admin)
    membership = employer_a.memberships.get(user=member)
    client.post(reverse("organisations:membership_role", args=[employer_a.pk, membership.pk]), {"role": "admin"})
    page = client.get(reverse("organisations:detail", args=[employer_a.pk])).content.decode()
    assert "Roll:</span>\n        Medlem → Administratör" in page


def test_the_organisation_page_asks_its_admin_to_accept_changed_terms_and_the_form_accepts_them(client, employer_a):
    Organisation.objects.filter(pk=employer_a.pk).update(accepted_terms_version="2025-01-01")
    _login(client, admin_of(employer_a))
    detail = reverse("organisations:detail", args=[employer_a.pk])
    page = client.get(detail).content.decode()
    assert "Nya användarvillkor" in page and 'name="accepted_terms"' in page
    refused = client.post(reverse("organisations:terms_accept", args=[employer_a.pk]), follow=True)
    assert "Kryssa i rutan" in refused.content.decode()
    assert Organisation.objects.get(pk=employer_a.pk).accepted_terms_version == "2025-01-01"
    accepted = client.post(reverse("organisations:terms_accept", args=[employer_a.pk]), {"accepted_terms": "on"},
                           follow=True)
    assert accepted.redirect_chain[-1][0] == detail
    assert "Nya användarvillkor" not in accepted.content.decode()
    assert Organisation.objects.get(pk=employer_a.pk).accepted_terms_version == TERMS_VERSION


def test_a_member_is_told_an_administrator_accepts_the_terms_and_cannot_accept_them(client, employer_a):
    Organisation.objects.filter(pk=employer_a.pk).update(accepted_terms_version="")
    member = add_member(employer_a)
    _login(client, member)
    page = client.get(reverse("organisations:detail", args=[employer_a.pk])).content.decode()
    assert "Nya användarvillkor" in page and 'name="accepted_terms"' not in page
    response = client.post(reverse("organisations:terms_accept", args=[employer_a.pk]), {"accepted_terms": "on"})
    assert response.status_code == 403
    assert Organisation.objects.get(pk=employer_a.pk).accepted_terms_version == ""
