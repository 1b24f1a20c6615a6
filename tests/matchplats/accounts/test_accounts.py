import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _link_in_last_mail() -> str:
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_up_by_email_sends_a_verification_mail_and_does_not_sign_in_yet(client):
    response = client.post(reverse("account_signup"),
                           {"email": "ny@example.se", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(email="ny@example.se")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1 and "ny@example.se" in mail.outbox[0].to
    assert not _is_signed_in(client)


def test_login_before_verification_is_held_until_the_link_is_followed(client):
    client.post(reverse("account_signup"), {"email": "ny@example.se", "password1": PASSWORD, "password2": PASSWORD})
    client.post(reverse("account_login"), {"login": "ny@example.se", "password": PASSWORD})
    assert not _is_signed_in(client)
    link = _link_in_last_mail()
    client.post(link[link.index("/konto/"):])
    assert EmailAddress.objects.get(email="ny@example.se").verified
    response = client.post(reverse("account_login"), {"login": "ny@example.se", "password": PASSWORD})
    assert response.status_code == 302 and _is_signed_in(client)


def test_login_with_a_wrong_password_is_refused(client):
    make_user("en@example.se")
    response = client.post(reverse("account_login"), {"login": "en@example.se", "password": "fel"})
    assert response.status_code == 200 and not _is_signed_in(client)


def test_password_reset_mails_a_working_link(client):
    make_user("glomsk@example.se")
    client.post(reverse("account_reset_password"), {"email": "glomsk@example.se"})
    link = _link_in_last_mail()
    response = client.get(link[link.index("/konto/"):], follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link[link.index("/konto/"):]
    client.post(form_url, {"password1": "ett-helt-nytt-lösenord", "password2": "ett-helt-nytt-lösenord"})
    client.logout()
    assert client.login(email="glomsk@example.se", password="ett-helt-nytt-lösenord")
    assert mail.outbox[-1].subject == "[Matchplats] Ditt lösenord har återställts"


def test_a_changed_password_or_email_address_is_told_by_email_to_the_old_address(client):
    user = make_user("byter@example.se")
    client.force_login(user)
    client.post(reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": "ett-annat-lösenord-1",
                                                     "password2": "ett-annat-lösenord-1"})
    changed = mail.outbox[-1]
    assert changed.to == ["byter@example.se"] and changed.subject == "[Matchplats] Ditt lösenord har ändrats"
    assert "Ditt lösenord ändrades." in changed.body and "byt lösenord genast" in changed.body

    new = EmailAddress.objects.create(user=user, email="ny-adress@example.se", verified=True)
    client.post(reverse("account_email"), {"action_primary": "", "email": new.email})
    moved = mail.outbox[-1]
    assert moved.to == ["byter@example.se"] and moved.subject == "[Matchplats] Din e-postadress har ändrats"
    assert "från byter@example.se till ny-adress@example.se" in moved.body


def test_wrong_passwords_lock_the_address_but_its_owner_signs_in_with_an_emailed_code(client, caplog):
    user = make_user("agare@example.se")
    caplog.set_level("INFO", logger="matchplats.security")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "fel-lösenord"})
    locked = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert not _is_signed_in(client)
    assert "kod" in locked.content.decode() and reverse("account_request_login_code") in locked.content.decode()
    mail.outbox.clear()
    client.post(reverse("account_request_login_code"), {"email": user.email})
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert _is_signed_in(client) and client.session["_auth_user_id"] == str(user.pk)
    logged = [record.getMessage() for record in caplog.records if record.name == "matchplats.security"]
    assert sum("sign-in failed" in line for line in logged) == 5
    assert any("too many failed attempts" in line for line in logged)
    assert any(line.startswith("signed in by code") for line in logged)
    assert not any(user.email in line for line in logged)
