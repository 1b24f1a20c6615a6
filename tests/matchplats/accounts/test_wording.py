"""The account pages and e-mails in correct Swedish, speaking as Matchplats (matchplats/accounts/wording.py,
templates/account/email)."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

OLD_WORDS = re.compile(r"\bepost|Epost|\bmail\b|mailet|Verifierings|Vänligen|kontakta oss|Hej från", re.IGNORECASE)


def _main_text(response) -> str:
    page = response.content.decode()
    main = page[page.index("<main"):page.index("</main>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


def _sign_up(client, email="ny@example.se", **extra):
    return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD},
                       **extra)


def test_the_sign_in_page_offers_to_create_an_account_not_to_sign_in_again(client):
    response = client.get(reverse("account_login"))
    text = _main_text(response)
    assert "Har du inget konto än? Skapa ett konto först." in text
    assert "Har du redan ett konto" not in text
    assert f'<a href="{reverse("account_signup")}">' in response.content.decode()


def test_the_sign_up_page_offers_to_sign_in(client):
    response = client.get(reverse("account_signup"))
    assert "Har du redan ett konto? Logga in i stället." in _main_text(response)
    assert f'<a href="{reverse("account_login")}">' in response.content.decode()


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password",
                                  "account_request_login_code"])
def test_the_account_pages_for_visitors_use_one_spelling_of_e_post_and_no_contact_us(client, name):
    text = _main_text(client.get(reverse(name)))
    assert not OLD_WORDS.search(text), OLD_WORDS.search(text)
    assert "E-postadress" in text


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "account_logout"])
def test_the_account_pages_for_members_use_one_spelling_of_e_post(client, name):
    client.force_login(make_user())
    text = _main_text(client.get(reverse(name)))
    assert not OLD_WORDS.search(text), OLD_WORDS.search(text)


def test_the_verify_page_names_the_address_once_and_says_what_to_do(client):
    response = _sign_up(client, follow=True)
    text = _main_text(response)
    assert text.count("ny@example.se") == 1
    assert "Bekräfta din e-postadress" in text and "Öppna länken" in text
    assert not OLD_WORDS.search(text)


def test_the_confirmation_e_mail_greets_in_swedish_and_speaks_as_matchplats_not_the_host(client):
    _sign_up(client, HTTP_HOST="127.0.0.1:18200")
    (message,) = mail.outbox
    assert message.subject == "[Matchplats] Bekräfta din e-postadress"
    assert message.body.startswith("Hej!\n\nNågon – troligen du – angav den här adressen när ett konto skapades på "
                                   "Matchplats.")
    assert "http://127.0.0.1:18200/konto/confirm-email/" in message.body
    assert message.body.rstrip().endswith("Vänliga hälsningar\nMatchplats")
    assert "Hej från" not in message.body and not OLD_WORDS.search(message.body)


def test_the_confirmation_e_mail_is_in_english_for_a_visitor_who_chose_english(client):
    client.cookies["django_language"] = "en"
    _sign_up(client)
    (message,) = mail.outbox
    assert message.subject == "[Matchplats] Confirm your e-mail address"
    assert message.body.startswith("Hello,\n\nSomeone — probably you — gave this address when creating an account "
                                   "on Matchplats.")


def test_the_password_reset_e_mail_is_swedish_and_carries_the_link(client):
    user = make_user("glomsk@example.se")
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    assert message.subject == "[Matchplats] Återställ ditt lösenord"
    assert "återställa lösenordet till ditt konto på Matchplats" in message.body
    assert "/konto/password/reset/key/" in message.body and not OLD_WORDS.search(message.body)


def test_a_reset_for_an_unknown_address_says_so_in_swedish(client):
    client.post(reverse("account_reset_password"), {"email": "okand@example.se"})
    (message,) = mail.outbox
    assert message.subject == "[Matchplats] Inget konto med den här adressen"
    assert "okand@example.se" in message.body and reverse("account_signup") in message.body


def test_the_sign_in_code_e_mail_is_swedish(client):
    user = make_user("kod@example.se")
    client.post(reverse("account_request_login_code"), {"email": user.email})
    (message,) = mail.outbox
    assert message.subject == "[Matchplats] Din inloggningskod"
    assert message.body.startswith("Hej!\n\nHär är din inloggningskod.")


def test_a_wrong_password_is_refused_in_plain_swedish(client):
    make_user("fel@example.se")
    response = client.post(reverse("account_login"), {"login": "fel@example.se", "password": "inte-rätt"})
    assert "E-postadressen eller lösenordet stämmer inte." in _main_text(response)
