"""Every curl example in docs/api.md, run against a live server, so the documentation stays true."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.api.conftest import key_for
from tests.factories import make_need, make_organisation, make_programme

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _examples() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_documentation_has_an_example_for_every_resource():
    text = "\n".join(_examples())
    for resource in ("needs/", "needs/$NEED_ID/status/", "needs/$NEED_ID/matches/", "programmes/",
                     "programmes/$PROGRAMME_ID/matches/", "validation-paths/", "dimensioning/", "decisions/",
                     "action-items/"):
        assert f"/api/v1/{resource}" in text, resource


def test_every_curl_example_in_the_documentation_works_against_a_live_server(live_server, platform_matcher):
    employer = make_organisation("employer", name="Hemtjänst Karlstad AB")
    provider = make_organisation("provider", name="Yrkesvux Karlstad")
    need = make_need(employer, title="Undersköterskor till hemtjänsten", kommun_code="1780")
    programme = make_programme(provider, name="Undersköterska hemtjänst", kommun_code="1780")
    env = {**os.environ, "BASE": live_server.url, "KEY": key_for(employer), "PROVIDER_KEY": key_for(provider),
           "NEED_ID": str(need.pk), "PROGRAMME_ID": str(programme.pk)}
    outputs = []
    for example in _examples():
        result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", example], env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, f"{example}\n{result.stdout}\n{result.stderr}"
        outputs.append(result.stdout)
    etag_example = next(out for ex, out in zip(_examples(), outputs) if "If-None-Match" in ex)
    assert etag_example.strip() == "304"
    english = json.loads(next(out for ex, out in zip(_examples(), outputs) if "Accept-Language: en" in ex))
    assert english["title"] == "Invalid input" and set(english["errors"]) == {"title", "headcount"}
