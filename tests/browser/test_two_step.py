"""A coordinator turns on two-step sign-in from the account pages: confirms the password, sees the
QR code (a data: image the content security policy allows) and the key, types the code the app
would show, saves the recovery codes; signs out and in again, is asked for a code, has a wrong one
refused with a clear message and gets in with the right one; confirms it is them with a recovery
code, looks at making new recovery codes and turns two-step sign-in off again — on a phone and on a
desktop, in Swedish and in English."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator

from matchplats.accounts.models import AuditEvent
from tests.browser.journey import Journey
from tests.browser.test_csp import watch
from tests.factories import PASSWORD, make_region, make_user
from tests.totp import app_code, wrong_app_code

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "sv": {"account": "Konto", "tab": "Tvåstegsinloggning", "off": "av", "on": "på",
           "turn_on": "Slå på tvåstegsinloggning", "confirm": "Bekräfta", "password": "Lösenord",
           "email": "E-postadress", "app_code": "Kod från appen", "codes": "Återställningskoder",
           "sign_out": "Logga ut", "second_step": "Logga in: andra steget",
           "code": "Kod från appen, eller en återställningskod", "sign_in": "Logga in",
           "wrong": "Koden stämmer inte.", "activated": "Tvåstegsinloggning är påslagen",
           "qr": "QR-kod för din autentiseringsapp", "turn_off": "Slå av tvåstegsinloggning", "new_codes": "Skapa nya koder",
           "new_codes_heading": "Nya återställningskoder", "cancel": "Avbryt", "confirm_heading": "Bekräfta att det är du",
           "use_app": "Använd autentiseringsapp eller kod",
           "reauth_code": "Kod från din autentiseringsapp, eller en återställningskod",
           "codes_left": "Du har 10 oanvända återställningskoder kvar."},
    "en": {"account": "Account", "tab": "Two-step sign-in", "off": "off", "on": "on",
           "turn_on": "Turn on two-step sign-in", "confirm": "Confirm", "password": "Password",
           "email": "Email", "app_code": "Code from the app", "codes": "Recovery codes",
           "sign_out": "Sign out", "second_step": "Sign in: second step",
           "code": "Code from the app, or a recovery code", "sign_in": "Sign in",
           "wrong": "That code is not right.", "activated": "Authenticator app activated.",
           "qr": "QR code for your authenticator app", "turn_off": "Turn off two-step sign-in", "new_codes": "Make new codes",
           "new_codes_heading": "New recovery codes", "cancel": "Cancel", "confirm_heading": "Confirm it is you",
           "use_app": "Use authenticator app or code",
           "reauth_code": "Code from your authenticator app, or a recovery code",
           "codes_left": "You have 10 unused recovery codes left."},
}
WAYS = [("phone", "sv"), ("desktop", "en"), ("phone", "en"), ("desktop", "sv")]


def _menu(page, size: str) -> None:
    if size == "phone":
        toggle = page.get_by_role("button", name=re.compile("^(Meny|Menu)"))
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()


def _sign_in(page, email: str, words: dict) -> None:
    page.goto("/konto/login/")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize(("size", "language"), WAYS)
def test_a_coordinator_turns_on_two_step_sign_in_and_signs_in_with_a_code(browser, live_server, taxonomy,
                                                                           size, language):
    coordinator = make_user("samordnare@regionvarmland.se")
    make_region("17", coordinator=coordinator)
    words = WORDS[language]
    journey = Journey("two-step", size, language=language)
    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=journey.viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    refused_by_csp = watch(page)

    page.goto("/konto/login/")
    if language == "en":
        _menu(page, size)
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state("load")
    _sign_in(page, coordinator.email, words)
    page.wait_for_url(re.compile(r"^(?!.*/konto/login/)"))
    _menu(page, size)
    page.get_by_role("link", name=words["account"], exact=True).click()
    tab = page.get_by_role("navigation", name=re.compile("konto|account", re.I)).get_by_role(
        "link", name=f"{words['tab']} {words['off']}")
    tab.wait_for()
    journey.look(page, "account-off")
    tab.click()
    journey.look(page, "two-step-index")
    page.get_by_role("link", name=words["turn_on"]).click()

    page.get_by_label(words["password"]).fill(PASSWORD)
    journey.look(page, "confirm-password")
    page.get_by_role("button", name=words["confirm"]).click()
    qr = page.get_by_role("img", name=words["qr"])
    qr.wait_for()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0"), "the QR code did not load"
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert not page.evaluate("window.__cspViolations") and not refused_by_csp
    secret = page.locator("#authenticator-secret").inner_text().strip()
    journey.look(page, "activate")
    page.get_by_label(words["app_code"]).fill(app_code(secret))
    page.locator("main form button[type=submit]").click()
    page.get_by_role("heading", level=1, name=words["codes"]).wait_for()
    assert page.get_by_role("status").filter(has_text=words["activated"]).is_visible()
    codes = page.get_by_role("list", name=re.compile("recovery|återställning", re.I)).get_by_role("listitem")
    assert codes.count() == 10
    journey.look(page, "recovery-codes")
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_STEP_ADDED, subject=coordinator).count() == 2

    _menu(page, size)
    page.get_by_role("button", name=words["sign_out"]).click()
    page.wait_for_load_state("load")
    _sign_in(page, coordinator.email, words)
    page.get_by_role("heading", level=1, name=words["second_step"]).wait_for()
    journey.look(page, "second-step")
    page.get_by_label(words["code"]).fill(wrong_app_code(secret))
    page.get_by_role("button", name=words["sign_in"], exact=True).click()
    page.get_by_role("alert").filter(has_text=words["wrong"]).wait_for()
    journey.look(page, "wrong-code")
    page.get_by_label(words["code"]).fill(app_code(secret))
    page.get_by_role("button", name=words["sign_in"], exact=True).click()
    page.wait_for_url(re.compile(r"^(?!.*/konto/2fa/)"))

    page.goto("/konto/email/")
    page.get_by_role("link", name=f"{words['tab']} {words['on']}").wait_for()
    journey.look(page, "account-on")
    page.get_by_role("link", name=f"{words['tab']} {words['on']}").click()
    page.get_by_role("link", name=words["turn_off"]).wait_for()
    assert page.get_by_text(words["codes_left"]).is_visible()  # the app's code, not a recovery code, was used
    journey.look(page, "two-step-on")

    page.get_by_role("link", name=words["new_codes"]).click()
    page.get_by_role("heading", level=1, name=words["confirm_heading"]).wait_for()
    page.get_by_role("link", name=words["use_app"]).click()
    page.get_by_label(words["reauth_code"]).wait_for()
    journey.look(page, "confirm-with-code")
    recovery_code = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.RECOVERY_CODES
                                              ).wrap().get_unused_codes()[0]
    page.get_by_label(words["reauth_code"]).fill(recovery_code)  # the app's code was just used to sign in
    page.get_by_role("button", name=words["confirm"]).click()
    page.get_by_role("heading", level=1, name=words["new_codes_heading"]).wait_for()
    journey.look(page, "new-codes")
    page.get_by_role("link", name=words["cancel"]).click()
    page.get_by_role("link", name=words["turn_off"]).click()
    page.get_by_role("heading", level=1, name=words["turn_off"]).wait_for()
    journey.look(page, "turn-off")
    page.get_by_role("button", name=words["turn_off"]).click()
    page.get_by_role("link", name=words["turn_on"]).wait_for()
    assert not Authenticator.objects.filter(user=coordinator).exists()
    journey.look(page, "turned-off")
    assert not refused_by_csp and not page.evaluate("window.__cspViolations")
    context.close()
