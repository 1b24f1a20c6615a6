"""The process-wide matcher: loaded lazily from MATCHER_CACHE_DIR (``refit_matcher`` builds it;
so does the first use), with the weights refitted from users' feedback, a small file beside it.

Where the rest lives: stored vectors are read in ``matching.vectors`` and written in
``matching.services`` (on save, by the services of the apps that change documents, and by
``reindex``); the live index is ``matching.live``; background work is ``matching.tasks``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import joblib
from django.conf import settings

from matching.engine.artefacts import artefact_key, load_matcher
from matching.engine.embeddings import Embedder
from matching.engine.embeddings import model_name as embedding_model_name
from matching.engine.model import Matcher
from matchplats.core.memory import freeze_long_lived_objects

lock = threading.RLock()
_shipped: Matcher | None = None
_platform: tuple[float, Matcher] | None = None
generation = 0
"""Counts ``use_matcher`` calls, so caches built on a matcher know when to start again."""


def embedder() -> Embedder:
    return Embedder(settings.MATCHER_EMBEDDING_MODEL or None)


def shipped_matcher() -> Matcher:
    """The matcher fitted on the shipped data only (what the command-line contracts use)."""
    global _shipped
    with lock:
        if _shipped is None:
            _shipped = load_matcher(settings.TAXONOMY_DATA_DIR, settings.MATCHER_CACHE_DIR,
                                    model_path=settings.MATCHER_EMBEDDING_MODEL or None)
            freeze_long_lived_objects()
        return _shipped


def feedback_weights_path() -> Path:
    return Path(settings.MATCHER_CACHE_DIR) / f"feedback-{artefact_key(Path(settings.TAXONOMY_DATA_DIR))}.joblib"


def platform_matcher() -> Matcher:
    """The shipped matcher with the ranking weights last refitted from feedback, if any."""
    global _platform
    with lock:
        path = feedback_weights_path()
        stamp = path.stat().st_mtime if path.exists() else 0.0
        if _platform is None or _platform[0] != stamp:
            matcher = shipped_matcher()
            if stamp:
                matcher = matcher.with_ranker(joblib.load(path))
            _platform = (stamp, matcher)
        return _platform[1]


LOADED_WAIT_SECONDS = 0.05
"""How long ``loaded_matcher`` waits for the lock that a quick look-up (not a load) may hold."""


def loaded_matcher() -> Matcher | None:
    """The platform matcher if this process has already loaded it, else None: never loads it and
    never waits for a load in progress (a page that only shows what the matcher reads says that
    it is not loaded yet instead)."""
    if _shipped is None or not lock.acquire(timeout=LOADED_WAIT_SECONDS):
        return None
    try:
        return platform_matcher() if _shipped is not None else None
    finally:
        lock.release()


def warm_in_background() -> threading.Thread:
    """Load the matcher in a daemon thread as the server process starts, so the first suggestion
    a user asks for is as fast as the next (loading takes some ten seconds even from the cache).
    It only reads the cache (or builds it, as the first use would); nothing is written to the database."""
    thread = threading.Thread(target=platform_matcher, name="matcher-warm-up", daemon=True)
    thread.start()
    return thread


def save_feedback_weights(matcher: Matcher) -> Path:
    path = feedback_weights_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    joblib.dump(matcher.ranker, tmp)
    tmp.replace(path)
    return path


def use_matcher(matcher: Matcher | None) -> None:
    """Install a matcher for this process (tests), or forget everything loaded (``None``); what
    was built from the previous one (the live index) is rebuilt."""
    global _shipped, _platform, generation
    with lock:
        _shipped, _platform = matcher, None
        generation += 1


def model_name() -> str:
    return embedding_model_name(settings.MATCHER_EMBEDDING_MODEL or None)
