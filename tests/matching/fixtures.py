"""Shared fixtures: a small but real data folder and one matcher built from it per session,
used by the engine tests and by the platform tests of matching/.

The mini data folder keeps the shipped files' format and content but only the SSYK4 groups of
a few occupation areas (care and nursing, teaching, IT, industry, electricians) and every fourth YH
programme of 2023–2024 in matching SUN fields (and the job titles of those groups), so a full
build (with dense embeddings) takes seconds once the embeddings are cached.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from matching.engine.artefacts import build_artefacts, load_matcher
from matching.engine.embeddings import Embedder
from matching.engine.taxonomy import INPUT_FILES, default_data_dir

SSYK_PREFIXES = ("53", "222", "23", "25", "722", "741", "812", "531")
SUN_PREFIXES = ("72", "48", "52", "14")
YH_SAMPLE_EVERY = 4


def _copy_filtered(source: Path, target: Path, keep) -> None:
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if keep(row)]
        fields = reader.fieldnames
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="session")
def mini_data_dir(tmp_path_factory) -> Path:
    source, target = default_data_dir(), tmp_path_factory.mktemp("data")
    (target / "taxonomy").mkdir()
    (target / "yh").mkdir()
    for name in INPUT_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source / name, target / name)
    in_groups = lambda code: code.startswith(SSYK_PREFIXES)  # noqa: E731
    _copy_filtered(source / "taxonomy/ssyk4.csv", target / "taxonomy/ssyk4.csv",
                   lambda r: in_groups(r["ssyk4_code"]))
    _copy_filtered(source / "taxonomy/occupations.csv", target / "taxonomy/occupations.csv",
                   lambda r: in_groups(r["ssyk4_code"]))
    _copy_filtered(source / "taxonomy/ssyk4_skills.csv", target / "taxonomy/ssyk4_skills.csv",
                   lambda r: in_groups(r["ssyk4_code"]))
    per_round: dict[str, int] = {}

    def keep_application(row: dict) -> bool:
        if row["ansokningsomgang"] not in ("2023", "2024"):
            return False
        if not row["sun5_kod"].startswith(SUN_PREFIXES):
            return False
        per_round[row["ansokningsomgang"]] = per_round.get(row["ansokningsomgang"], 0) + 1
        return per_round[row["ansokningsomgang"]] % YH_SAMPLE_EVERY == 0

    _copy_filtered(source / "yh/applications_2018_2025.csv",
                   target / "yh/applications_2018_2025.csv", keep_application)
    return target


EMBEDDING_CACHE = Path(__file__).resolve().parents[2] / "var" / "cache" / "test-embeddings.npz"
"""The mini build's vectors, kept between sessions (var/ is git-ignored): encoding them again
each session would cost most of the engine tests' time on a small machine."""


@pytest.fixture(scope="session")
def embedder():
    embedder = Embedder()
    embedder.load_cache(EMBEDDING_CACHE)
    yield embedder
    embedder.save_cache(EMBEDDING_CACHE)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("matcher-cache")


@pytest.fixture(scope="session")
def matcher(mini_data_dir, cache_dir, embedder):
    build_artefacts(mini_data_dir, cache_dir, embedder=embedder)
    return load_matcher(mini_data_dir, cache_dir)


@pytest.fixture
def platform_matcher(matcher, settings, tmp_path, taxonomy):
    """The session's mini matcher installed as this process's matcher, with a private cache
    (for refitted weights); the index is rebuilt from the test's database."""
    from matching import runtime

    settings.MATCHER_CACHE_DIR = tmp_path / "matcher-cache"
    runtime.use_matcher(matcher)
    yield matcher
    runtime.use_matcher(None)
