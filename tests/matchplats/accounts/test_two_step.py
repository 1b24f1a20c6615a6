"""Two-step sign-in (allauth.mfa, an authenticator app plus recovery codes) as a person meets it:
the account pages say whether it is on, turning it on needs the password again and a code the app
computes, signing in then asks for a code and refuses a wrong one with a message that says what to
do, a recovery code works once, and every change is in the audit log."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from matchplats.accounts.models import AuditEvent
from matchplats.accounts.pseudonyms import pseudonym
from tests.factories import PASSWORD, make_user
from tests.totp import app_code, wrong_app_code

pytestmark = pytest.mark.django_db
A = AuditEvent.Action
WRONG_CODE_MESSAGE = "Koden stämmer inte."


@pytest.fixture(autouse=True)
def _forget_used_codes():
    """allauth remembers used app codes in the cache for a period; each test starts without that memory."""
    cache.clear()
    yield
    cache.clear()


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _sign_in_with_password(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def _turn_on(client, user, capture) -> str:
    """Signed in with the password: confirm it, scan (read the secret), type the app's code. Returns the secret."""
    _sign_in_with_password(client, user)
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate")):
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    with capture(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": app_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def _recovery_codes(user) -> list[str]:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()


def test_the_account_pages_say_two_step_sign_in_is_off_and_link_to_turning_it_on(client):
    user = make_user("av@example.se")
    client.force_login(user)
    page = client.get(reverse("account_email")).content.decode()
    assert re.search(r'href="/konto/2fa/"[^>]*><span class="tab-label">Tvåstegsinloggning</span> <span class="badge off">av</span>', page)
    assert "Tvåstegsinloggning är avstängd." in page
    index = client.get(reverse("mfa_index")).content.decode()
    assert f'href="{reverse("mfa_activate_totp")}"' in index and "Slå på tvåstegsinloggning" in index


def test_turning_it_on_asks_for_the_password_and_shows_the_qr_code_and_the_key(client):
    user = make_user("qr@example.se")
    _sign_in_with_password(client, user)
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    wrong = client.post(reverse("account_reauthenticate"), {"password": "fel-lösenord"})
    assert wrong.status_code == 200 and "Bekräfta att det är du" in wrong.content.decode()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    assert re.search(r'<img class="totp-qr" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR-kod', page)
    assert f'<code class="totp-secret" id="authenticator-secret">{secret}</code>' in page
    assert re.search(rf'href="otpauth://totp/qr%40example.se\?secret={secret}&amp;issuer=Matchplats"', page)
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0] and "style=" not in page


def test_a_person_turns_it_on_with_a_code_from_their_app_and_gets_recovery_codes(client, django_capture_on_commit_callbacks):
    user = make_user("pa@example.se")
    _turn_on(client, user, django_capture_on_commit_callbacks)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    codes = _recovery_codes(user)
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert len(codes) == 10 and all(f"<li><code>{code}</code></li>" in page for code in codes)
    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download["Content-Disposition"].startswith("attachment") and download.content.decode().split() == codes
    page = client.get(reverse("account_email")).content.decode()
    assert re.search(r'<span class="tab-label">Tvåstegsinloggning</span> <span class="badge">på</span>', page)
    assert "Tvåstegsinloggning är avstängd." not in page
    assert "Tvåstegsinloggning är på" in client.get(reverse("mfa_index")).content.decode()

    added = list(AuditEvent.objects.filter(action=A.TWO_STEP_ADDED).order_by("pk"))
    assert sorted(event.details["kind"] for event in added) == ["recovery_codes", "totp"]
    assert all(event.actor == user and event.subject == user for event in added)
    assert all(event.actor_pseudonym == pseudonym(user.email) and user.email not in str(event.details)
               for event in added)


def test_a_wrong_code_when_turning_it_on_is_refused_and_nothing_is_turned_on(client):
    user = make_user("fel@example.se")
    _sign_in_with_password(client, user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": wrong_app_code(client.session[SECRET_SESSION_KEY])})
    assert response.status_code == 200 and WRONG_CODE_MESSAGE in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action=A.TWO_STEP_ADDED).exists()


def test_signing_in_then_asks_for_the_code_and_refuses_a_wrong_one_with_a_clear_message(
        client, django_capture_on_commit_callbacks):
    user = make_user("tva@example.se")
    secret = _turn_on(client, user, django_capture_on_commit_callbacks)
    client.logout()
    AuditEvent.objects.all().delete()

    response = _sign_in_with_password(client, user)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert not _is_signed_in(client)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Logga in: andra steget" in page and 'autocomplete="one-time-code"' in page
    refused = client.post(reverse("mfa_authenticate"), {"code": wrong_app_code(secret)})
    text = refused.content.decode()
    assert refused.status_code == 200 and not _is_signed_in(client)
    assert WRONG_CODE_MESSAGE in text and "återställningskoder" in text and 'role="alert"' in text
    [failed] = AuditEvent.objects.filter(action=A.SIGN_IN_FAILED)
    assert failed.subject == user and failed.details == {"step": "second"}

    response = client.post(reverse("mfa_authenticate"), {"code": app_code(secret)})
    assert response.status_code == 302 and _is_signed_in(client)
    [signed_in] = AuditEvent.objects.filter(action=A.SIGN_IN)
    assert signed_in.subject == user and signed_in.details == {"method": "mfa"}


def test_a_code_from_the_app_signs_in_only_once(client, django_capture_on_commit_callbacks):
    user = make_user("igen@example.se")
    secret = _turn_on(client, user, django_capture_on_commit_callbacks)
    client.logout()
    code = app_code(secret)
    _sign_in_with_password(client, user)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert _is_signed_in(client)
    client.logout()
    _sign_in_with_password(client, user)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert not _is_signed_in(client) and WRONG_CODE_MESSAGE in again.content.decode()


def test_a_recovery_code_signs_in_once_and_not_a_second_time(client, django_capture_on_commit_callbacks):
    user = make_user("reserv@example.se")
    _turn_on(client, user, django_capture_on_commit_callbacks)
    first, *_ = _recovery_codes(user)
    client.logout()

    _sign_in_with_password(client, user)
    client.post(reverse("mfa_authenticate"), {"code": first})
    assert _is_signed_in(client)
    assert first not in _recovery_codes(user) and len(_recovery_codes(user)) == 9
    assert "Du har 9 oanvända återställningskoder kvar." in client.get(reverse("mfa_index")).content.decode()
    client.logout()

    _sign_in_with_password(client, user)
    again = client.post(reverse("mfa_authenticate"), {"code": first})
    assert not _is_signed_in(client) and WRONG_CODE_MESSAGE in again.content.decode()


def test_an_emailed_sign_in_code_does_not_skip_the_second_step(client, django_capture_on_commit_callbacks):
    user = make_user("epost@example.se")
    secret = _turn_on(client, user, django_capture_on_commit_callbacks)
    client.logout()
    mail.outbox.clear()
    client.post(reverse("account_request_login_code"), {"email": user.email})
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response["Location"] == reverse("mfa_authenticate") and not _is_signed_in(client)
    client.post(reverse("mfa_authenticate"), {"code": app_code(secret)})
    assert _is_signed_in(client)


def test_turning_it_off_needs_a_code_and_is_recorded(client, django_capture_on_commit_callbacks):
    user = make_user("stang@example.se")
    secret = _turn_on(client, user, django_capture_on_commit_callbacks)
    client.logout()
    _sign_in_with_password(client, user)
    client.post(reverse("mfa_authenticate"), {"code": app_code(secret)})
    cache.clear()  # the sign-in code would otherwise be refused as used; a person waits for the next one

    reauthenticate = client.get(reverse("mfa_deactivate_totp"))
    assert reauthenticate.status_code == 302
    page = client.get(reauthenticate["Location"]).content.decode()
    assert "Bekräfta att det är du" in page
    refused = client.post(reverse("mfa_reauthenticate"), {"code": wrong_app_code(secret)})
    assert WRONG_CODE_MESSAGE in refused.content.decode()
    assert AuditEvent.objects.filter(action=A.SIGN_IN_FAILED, details={"step": "reauthenticate"}).count() == 1
    client.post(reverse("mfa_reauthenticate"), {"code": app_code(secret)})
    assert "Slå av tvåstegsinloggning" in client.get(reverse("mfa_deactivate_totp")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_deactivate_totp"))
    assert response["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=user).exists()
    removed = AuditEvent.objects.filter(action=A.TWO_STEP_REMOVED, subject=user)
    assert sorted(event.details["kind"] for event in removed) == ["recovery_codes", "totp"]

    client.logout()
    _sign_in_with_password(client, user)
    assert _is_signed_in(client)


def _notices(user) -> list[tuple[str, str]]:
    return [(message.subject, message.body) for message in mail.outbox
            if message.to == [user.email] and "Den här ändringen gjordes" in message.body]


def test_turning_it_on_and_off_and_new_codes_are_told_by_email_with_where_the_change_came_from(
        client, django_capture_on_commit_callbacks):
    user = make_user("meddelad@example.se")
    secret = _turn_on(client, user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))
    client.post(reverse("mfa_reauthenticate"), {"code": app_code(secret)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))
    assert [subject for subject, _body in _notices(user)] == [
        "[Matchplats] Tvåstegsinloggning slogs på",
        "[Matchplats] Nya återställningskoder skapades",
        "[Matchplats] Tvåstegsinloggning slogs av"]
    body = _notices(user)[0][1]
    assert "utöver lösenordet, en kod från din autentiseringsapp" in body
    assert "Om det inte var du som gjorde ändringen, byt lösenord genast." in body and "IP-adress" in body
    assert not Authenticator.objects.filter(user=user).exists()


def test_new_recovery_codes_replace_the_old_ones_and_are_recorded(client, django_capture_on_commit_callbacks):
    user = make_user("nya@example.se")
    _turn_on(client, user, django_capture_on_commit_callbacks)
    old = _recovery_codes(user)
    page = client.get(reverse("mfa_generate_recovery_codes")).content.decode()
    assert "Du har fortfarande 10 oanvända koder." in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))
    new = _recovery_codes(user)
    assert len(new) == 10 and not set(old) & set(new)
    [event] = AuditEvent.objects.filter(action=A.RECOVERY_CODES_RENEWED)
    assert event.actor == user and event.subject == user


def test_staff_remove_it_in_the_admin_for_a_locked_out_person_and_that_is_recorded_but_cannot_read_the_key(
        client, django_capture_on_commit_callbacks):
    user = make_user("tappat@example.se")
    secret = _turn_on(client, user, django_capture_on_commit_callbacks)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    staff = make_user("support@matchplats.example", staff=True)
    staff.is_superuser = True
    staff.save()
    admin = client.__class__()
    admin.force_login(staff)
    page = admin.get(reverse("admin:mfa_authenticator_change", args=[totp.pk])).content.decode()
    assert secret not in page and totp.data["secret"] not in page
    assert admin.get(reverse("admin:mfa_authenticator_add")).status_code == 403
    assert admin.post(reverse("admin:mfa_authenticator_change", args=[totp.pk]), {"type": "recovery_codes"}
                      ).status_code == 403

    response = admin.post(reverse("admin:mfa_authenticator_changelist"), {
        "action": "delete_selected", "_selected_action": [row.pk for row in Authenticator.objects.filter(user=user)],
        "post": "yes"})
    assert response.status_code == 302 and not Authenticator.objects.filter(user=user).exists()
    removed = AuditEvent.objects.filter(action=A.TWO_STEP_REMOVED, subject=user)
    assert sorted(event.details["kind"] for event in removed) == ["recovery_codes", "totp"]
    assert all(event.actor == staff for event in removed)
    client.logout()
    _sign_in_with_password(client, user)
    assert _is_signed_in(client)
