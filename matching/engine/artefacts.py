"""Build, cache and load the fitted matcher.

The artefact is one joblib file in ``cache_dir`` named after a key: a hash of every input
file, of the engine's source code and of ``CODE_VERSION``. Changing the data or the code
therefore rebuilds on next load; stale files are removed after a successful build.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import joblib

from .embeddings import Embedder
from .model import Matcher, build_matcher
from .taxonomy import INPUT_FILES, default_data_dir, load_taxonomy, load_yh_applications

CODE_VERSION = "1"
TRAINING_ROUNDS = (2023, 2024)
"""YH application rounds whose SUN5 codes are published; the shipped model learns from both."""
_PREFIX = "matcher-"


def artefact_key(data_dir: Path) -> str:
    digest = hashlib.sha256(CODE_VERSION.encode())
    for name in INPUT_FILES:
        digest.update(name.encode())
        digest.update((Path(data_dir) / name).read_bytes())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def artefact_path(data_dir: Path, cache_dir: Path) -> Path:
    return Path(cache_dir) / f"{_PREFIX}{artefact_key(data_dir)}.joblib"


def build_artefacts(data_dir: Path | None = None, cache_dir: Path | None = None, *,
                    embedder: Embedder | None = None, model_path: str | Path | None = None,
                    force: bool = False, seed: int = 0) -> Path:
    """Fit the matcher from ``data_dir`` and store it in ``cache_dir``; returns the file.

    Does nothing if an up-to-date artefact exists, unless ``force``. ``embedder`` (or a new
    one for ``model_path``, default the packaged model) provides the dense features.
    """
    data_dir = Path(data_dir or default_data_dir())
    if cache_dir is None:
        raise ValueError("cache_dir is required")
    cache_dir = Path(cache_dir)
    path = artefact_path(data_dir, cache_dir)
    if path.exists() and not force:
        return path
    embedder = embedder or Embedder(model_path)
    taxonomy = load_taxonomy(data_dir)
    applications = load_yh_applications(data_dir)
    matcher = build_matcher(
        taxonomy,
        [a for a in applications if a.round in TRAINING_ROUNDS],
        embedder,
        text_corpus=[a.name for a in applications],
        seed=seed,
    )
    cache_dir.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    os.close(handle)
    joblib.dump(matcher, tmp, compress=3)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    for stale in cache_dir.glob(f"{_PREFIX}*.joblib"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return path


def load_matcher(data_dir: Path | None = None, cache_dir: Path | None = None, *,
                 model_path: str | Path | None = None, build: bool = True) -> Matcher:
    """The fitted matcher from the cache, building it first if needed (and ``build``).

    The embedding model itself loads lazily, on the first text that needs encoding.
    """
    data_dir = Path(data_dir or default_data_dir())
    if cache_dir is None:
        raise ValueError("cache_dir is required")
    path = artefact_path(data_dir, Path(cache_dir))
    embedder = Embedder(model_path)
    if not path.exists():
        if not build:
            raise FileNotFoundError(f"No matcher artefact at {path}; run refit_matcher")
        build_artefacts(data_dir, cache_dir, embedder=embedder)
    matcher: Matcher = joblib.load(path)
    return matcher.attach(embedder)
