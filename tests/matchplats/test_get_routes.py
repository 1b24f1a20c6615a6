"""No GET route writes a row or enqueues a task (architecture: "a GET never writes or enqueues").

Every URL pattern of the platform — admin and allauth routes included, by pattern — is
requested with GET over the Region Värmland demo, by a visitor, an employer, a provider, a
coordinator and platform staff. Each request runs with its on-commit callbacks executed, and
the test compares the row count of every table before and after, and records every task
enqueued.

One deliberate exception: a download (a response that is an attachment) appends one ``export``
row to the audit log (matchplats/accounts/middleware.py), because who took which data out must
be known however the file was asked for. Nothing else may change, and nothing at all on a page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from django_tasks.base import Task

from dialogues.demo import demo_seed
from dialogues.models import ActionItem, AgendaItem, Arena, ArenaMember, ArenaSession, Decision
from employers.models import Need
from matchplats.accounts.models import AuditEvent
from matchplats.core.models import ImportRun
from matchplats.organisations.models import Invitation, Membership, Organisation
from matchplats.taxonomy.models import Lan
from opendata.services import open_data_publish_month
from providers.models import Programme, ValidationPath
from tests.rows import row_counts

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "employer", "provider", "coordinator", "staff"]


def _patterns(patterns=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.append((prefix + str(pattern.pattern), pattern))
    return found


@pytest.fixture
def demo(platform_matcher):
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    employer = Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER).first()
    admin = Membership.objects.filter(organisation=employer, role=Membership.Role.ADMIN).first()
    invitation = Invitation.objects.create(organisation=employer, email="ny@example.se", invited_by=admin.user)
    need_run = ImportRun.objects.create(kind=ImportRun.Kind.NEEDS, file_name="behov.csv", file_format="csv",
                                        organisation=employer, actor=admin.user)
    provider = Programme.objects.filter(provider__memberships__isnull=False).first().provider
    programme_run = ImportRun.objects.create(kind=ImportRun.Kind.PROGRAMMES, file_name="utb.csv", file_format="csv",
                                             organisation=provider)
    users = get_user_model().objects
    closed = ArenaSession.objects.filter(state=ArenaSession.State.CLOSED).first()
    open_data = open_data_publish_month(month=dt.date(2026, 10, 1), today=dt.date(2026, 11, 30),
                                        lans=list(Lan.objects.filter(code="17")))
    return {
        "people": {
            "anonymous": None,
            "employer": admin.user,
            "provider": users.get(email="utbildning@komvux-karlstad.example"),
            "coordinator": users.get(email="koordinator@regionvarmland.example"),
            "staff": users.get(email="admin@matchplats.example"),
        },
        "values": {
            # the first route prefix that matches decides which object a <pk> names
            "pk": {"arenor/moten/": closed.pk, "arenor/medlemmar/": ArenaMember.objects.first().pk,
                   "arenor/dagordning/": AgendaItem.objects.filter(session=closed).first().pk,
                   "arenor/beslut/": Decision.objects.first().pk, "arenor/atgarder/": ActionItem.objects.first().pk,
                   "arenor/": Arena.objects.first().pk,
                   "api/v1/needs/": Need.objects.first().pk, "api/v1/programmes/": Programme.objects.first().pk,
                   "api/v1/validation-paths/": ValidationPath.objects.first().pk,
                   "api/v1/decisions/": Decision.objects.first().pk, "api/v1/action-items/": ActionItem.objects.first().pk,
                   "behov/import/": need_run.pk, "utbildningar/import/": programme_run.pk, "utbildningar/valideringar/": ValidationPath.objects.first().pk,
                   "organisationer/": employer.pk, "behov/": Need.objects.first().pk,
                   "utbildningar/": Programme.objects.first().pk},
            "membership_pk": admin.pk, "invitation_pk": invitation.pk, "token": invitation.token,
            "file_format": "csv", "table_name": "yrken", "lan_code": "17",
            "need_pk": Decision.objects.filter(needs__isnull=False).values_list("needs", flat=True).first(),
            "invite_token": closed.invite_token,
            "month": f"{open_data.month:%Y-%m}",
        },
    }


def _url(route: str, values: dict) -> str | None:
    """A concrete URL for a route pattern, or None for patterns with arguments we cannot fill
    meaningfully (allauth's and the admin's own regex routes are requested by their plain forms)."""
    import re

    if route.startswith("^") or "(?P<" in route:
        return None
    url = "/" + route
    for _converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        if name == "pk":
            key = next((k for k in values["pk"] if k in route), None)
            if key is None:
                raise AssertionError(f"No object for <pk> in {route}: add one to the demo fixture.")
            value = values["pk"][key]
        elif name in ("object_id", "path"):
            return None
        else:
            value = values.get(name)
            if value is None:
                return None
        url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
    return url


def _admin_urls() -> list[str]:
    """The admin's index, and the changelist, add and change page of every registered model."""
    from django.contrib import admin

    urls = ["/admin/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, base + "add/"]
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls.append(f"{base}{first.pk}/change/")
    return urls


def test_no_get_route_writes_a_row_or_enqueues_a_task(client, demo, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    enqueued = []
    monkeypatch.setattr(Task, "enqueue", lambda self, *a, **k: enqueued.append((self.name, a)))
    urls = sorted({url for route, _ in _patterns() if (url := _url(route, demo["values"]))})
    urls += _admin_urls()
    assert len(urls) > 60, urls
    requested = 0
    for who in PEOPLE:
        client.logout()
        if demo["people"][who] is not None:
            client.force_login(demo["people"][who])
        for url in urls:
            if url.startswith("/admin/") and who != "staff":
                continue
            before = row_counts()
            with django_capture_on_commit_callbacks(execute=True):
                response = client.get(url)
            assert response.status_code < 500, (who, url, response.status_code)
            after = row_counts()
            changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
            audit = AuditEvent._meta.db_table
            if response.get("Content-Disposition", "").startswith("attachment") and response.status_code == 200:
                assert changed.pop(audit, None) == (before[audit], before[audit] + 1), (who, url)
                assert AuditEvent.objects.latest("pk").action == AuditEvent.Action.EXPORT
            assert not changed, (who, url, changed)
            assert not enqueued, (who, url, enqueued)
            requested += 1
    print(f"GET requests tried: {requested}")
