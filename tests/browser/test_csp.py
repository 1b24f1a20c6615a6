"""The content security policy is enforced and nothing on the main pages breaks it: every page is
opened in Chromium as a visitor, an employer, a provider, a coordinator and platform staff, and
any ``securitypolicyviolation`` (an inline script or style, a foreign source, a blocked websocket)
fails the test. The live session pages run under daphne, so their websockets are checked too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from dialogues import services as dialogue_services
from dialogues.models import ArenaSession
from matching.models import MatchLink
from tests.browser.test_live_session import DESKTOP, _connected, _join_as_guest, live, open_as, server  # noqa: F401
from tests.dialogues.conftest import make_session, world  # noqa: F401 (fixtures)
from tests.factories import make_need, make_programme, make_user

pytestmark = pytest.mark.django_db(transaction=True)

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                              + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


def watch(page) -> list[str]:
    """Violations reported to the page's listener and as console errors ("Refused to ...")."""
    refused: list[str] = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on("console", lambda message: refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or message.text.startswith("Refused to") else None)
    return refused


def visit(page, path: str, refused: list[str]) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, (path, response and response.status)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, (path, policy)
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__cspViolations")
    assert not found and not refused, (path, found, refused)


def sign_in_as(page, user, base_url: str) -> None:
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": base_url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def test_the_main_pages_break_no_content_security_policy_for_any_role(page, live_server, world,  # noqa: F811
                                                                      platform_matcher):
    need = make_need(world.employer, title="Undersköterskor till hemtjänsten")
    programme = make_programme(world.provider, name="Undersköterska, vård och omsorg")
    MatchLink.objects.get_or_create(need=need, programme=programme, defaults={"score": 0.8, "rank": 1})
    session = make_session(world)
    staff = make_user("personal@matchplats.example", staff=True)
    staff.is_superuser = True
    staff.save()
    refused = watch(page)

    for path in ["/", "/konto/login/", "/konto/signup/", "/behov/", f"/behov/{need.pk}/", "/utbildningar/",
                 f"/utbildningar/{programme.pk}/", "/utbildningar/valideringar/", "/integritet/", "/tillganglighet/",
                 "/arenor/kod/", "/api/docs/", "/oppna-data/", "/oppna-data/dataordlista/", "/villkor/"]:
        visit(page, path, refused)

    sign_in_as(page, world.employer_user, live_server.url)
    for path in ["/", "/behov/", f"/behov/{need.pk}/", "/behov/nytt/", f"/matchningar/behov/{need.pk}/",
                 "/organisationer/", f"/organisationer/{world.employer.pk}/",
                 f"/organisationer/{world.employer.pk}/granskningslogg/", "/konto/email/", "/konto/mina-uppgifter/",
                 "/konto/2fa/", f"/organisationer/{world.employer.pk}/api-nycklar/"]:
        visit(page, path, refused)

    sign_in_as(page, world.provider_user, live_server.url)
    for path in ["/", f"/utbildningar/{programme.pk}/", "/utbildningar/ny/", f"/matchningar/utbildningar/{programme.pk}/",
                 f"/matchningar/utbildningar/{programme.pk}/underlag/"]:
        visit(page, path, refused)

    sign_in_as(page, world.coordinator, live_server.url)
    for path in ["/", "/dimensionering/", "/rapporter/", "/rapporter/lan/17/", "/arenor/",
                 f"/arenor/{world.arena.pk}/", f"/arenor/moten/{session.pk}/", f"/arenor/{world.arena.pk}/medlemmar/"]:
        visit(page, path, refused)

    sign_in_as(page, staff, live_server.url)
    for path in ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{world.person.pk}/change/",
                 "/admin/accounts/auditevent/", "/admin/organisations/organisation/add/"]:
        visit(page, path, refused)


def test_the_live_session_pages_and_their_websockets_run_under_the_policy(world, live, open_as, server):  # noqa: F811
    host = open_as(world.coordinator, size=DESKTOP)
    refused = watch(host)
    visit(host, f"/arenor/moten/{live.pk}/styr/", refused)
    _connected(host)

    projector = open_as(world.coordinator)
    refused_projector = watch(projector)
    visit(projector, f"/arenor/moten/{live.pk}/projektor/", refused_projector)
    _connected(projector)

    member = open_as(world.person)
    refused_member = watch(member)
    visit(member, f"/arenor/moten/{live.pk}/live/", refused_member)
    _connected(member)

    guest = open_as()
    refused_guest = watch(guest)
    _join_as_guest(guest, live, "Gäst Gästsson")
    dialogue_services.session_state_set(actor=world.coordinator, session=live, state=ArenaSession.State.CLOSED)
    for page, found in [(host, refused), (projector, refused_projector), (member, refused_member),
                        (guest, refused_guest)]:
        assert not page.evaluate("window.__cspViolations") and not found, found


def test_the_watch_sees_an_inline_style_the_policy_blocks(page, live_server):
    """The listener above is live on our pages: an inline style set from script is blocked and reported."""
    refused = watch(page)
    visit(page, "/integritet/", refused)
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.wait_for_timeout(200)
    assert any(found.startswith("style-src-attr") for found in page.evaluate("window.__cspViolations"))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
