"""The accessibility statement and the privacy notice a Swedish public digital service owes its
users: reachable by anyone from every page's footer, naming who runs the service and how to reach them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_links_the_accessibility_statement_and_the_privacy_notice(client):
    html = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("accessibility")}"' in html and f'href="{reverse("privacy")}"' in html
    assert "Tillgänglighetsredogörelse" in html and "Personuppgifter" in html


def test_the_accessibility_statement_names_the_operator_the_contact_and_digg(client, settings):
    settings.SERVICE_OPERATOR, settings.CONTACT_EMAIL = "Region Testland", "hjalp@region.example"
    response = client.get(reverse("accessibility"))
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="sv">' in html
    assert "Tillgänglighet för Matchplats" in html and "Region Testland står bakom den här webbplatsen" in html
    assert 'href="mailto:hjalp@region.example"' in html
    assert "lag (2018:1937)" in html and "https://www.digg.se/tdosanmalan" in html
    assert "Vad är inte tillgängligt?" in html


def test_the_privacy_notice_says_what_is_stored_why_and_how_to_complain(client, settings):
    settings.SERVICE_OPERATOR, settings.CONTACT_EMAIL = "Region Testland", "hjalp@region.example"
    html = client.get(reverse("privacy")).content.decode()
    assert "Region Testland driver Matchplats och är personuppgiftsansvarig" in html
    for stored in ("e-postadress", "medlemskap", "bedömningar av matchningar", "bevakar"):
        assert stored in html, stored
    assert 'href="mailto:hjalp@region.example"' in html and "Integritetsskyddsmyndigheten" in html


def test_both_pages_are_in_english_when_the_person_picks_english(client):
    client.cookies["django_language"] = "en"
    assert "Accessibility statement for Matchplats" in client.get(reverse("accessibility")).content.decode()
    assert "How Matchplats handles personal data" in client.get(reverse("privacy")).content.decode()


def test_the_privacy_notice_names_the_audit_log_its_retention_and_the_page_to_download_or_delete(client, settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 400
    html = client.get(reverse("privacy")).content.decode()
    assert "granskningslogg" in html.lower() and "pseudonym" in html
    assert "Granskningsloggen sparas i 400 dagar" in html
    assert f'href="{reverse("accounts:personal_data")}"' in html
