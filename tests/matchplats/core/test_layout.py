"""What every page carries beside its content (templates/base.html, templates/standalone.html), and the 404 page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = pytest.mark.django_db
ICON = re.compile(r'<link rel="icon" href="/static/(img/favicon\.svg)" type="image/svg\+xml">')


def test_every_page_and_the_error_pages_name_an_icon_so_browsers_do_not_ask_for_favicon_ico(client):
    pages = [client.get(reverse("account_login")).content.decode(), render_to_string("500.html"),
             render_to_string("503.html", {"retry_path": "/"})]
    for html in pages:
        found = ICON.search(html)
        assert found, html[:400]
        assert finders.find(found.group(1))


def test_an_unknown_address_gets_the_404_page_in_the_chosen_language(client):
    swedish = client.get("/finns-inte/", HTTP_ACCEPT_LANGUAGE="sv")
    english = client.get("/finns-inte/", HTTP_ACCEPT_LANGUAGE="en")
    assert swedish.status_code == english.status_code == 404
    assert "Sidan finns inte, eller så har du inte behörighet att se den." in swedish.content.decode()
    assert "The page does not exist, or you do not have access to it." in english.content.decode()
