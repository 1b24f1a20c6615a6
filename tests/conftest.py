"""Shared test set-up: the taxonomy is loaded once into the test database, and a run with
MATCHPLATS_FORBID_SKIPS=1 (CI) fails when any test was skipped."""

import os

import pytest
from django.conf import settings
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

pytest_plugins = ["tests.factories", "tests.matching.fixtures", "tests.browser.fixtures"]

# Property-based tests (tests/badinput/) run the same examples every time: derandomised, no
# example database, no deadline (a 2-core CI machine is slow and uneven), and the health checks
# that object to slow examples, large inputs and the per-test database fixture switched off; no
# shrinking, so a failure is reported at once (HYPOTHESIS_PROFILE=explore shrinks it).
# HYPOTHESIS_PROFILE=explore draws fresh random examples instead.
_RELAXED = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large,
            HealthCheck.filter_too_much, HealthCheck.large_base_example]
hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                                     suppress_health_check=_RELAXED, print_blob=True,
                                     phases=[Phase.explicit, Phase.reuse, Phase.generate])
hypothesis_settings.register_profile("explore", database=None, deadline=None, suppress_health_check=_RELAXED,
                                     print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _ensure_taxonomy() -> None:
    from matchplats.taxonomy.models import Kommun
    from matchplats.taxonomy.services import taxonomy_load

    if not Kommun.objects.exists():
        taxonomy_load(data_dir=settings.TAXONOMY_DATA_DIR)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_taxonomy()


@pytest.fixture
def taxonomy(db):
    """The real reference data (reloaded when a transactional test has flushed it)."""
    _ensure_taxonomy()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Messages raised by services in the test body read in English; requests still negotiate
    their language (Swedish by default) through LocaleMiddleware."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits (allauth) and cached values live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("MATCHPLATS_FORBID_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"MATCHPLATS_FORBID_SKIPS: {skipped} test(s) were skipped; CI counts that as a failure.",
                            red=True)
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    from tests.tally import TALLY

    if TALLY.inputs:
        inputs = f"{TALLY.inputs:,}".replace(",", " ")
        terminalreporter.write_line(f"bad input: {inputs} generated inputs, {TALLY.server_errors} server errors")
    if TALLY.api_cases:
        cases = f"{TALLY.api_cases:,}".replace(",", " ")
        terminalreporter.write_line(f"schemathesis: {cases} cases (explicit and generated) over "
                                    f"{TALLY.api_operations} API operations")
    if TALLY.matrix_cases:
        total = f"{sum(TALLY.matrix_cases.values()):,}".replace(",", " ")
        parts = ", ".join(f"{name} {count:,}".replace(",", " ") for name, count in TALLY.matrix_cases.items())
        terminalreporter.write_line(f"permission matrix: {total} cases ({parts}), each as the table says")
