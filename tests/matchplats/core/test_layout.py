"""What every page's <head> carries beside its title (templates/base.html, templates/standalone.html)."""

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
