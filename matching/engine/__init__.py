"""The matcher engine: occupation and education coding, ranking with reasons.

Plain Python + numpy + scikit-learn + sentence-transformers; no Django. Entry points:
:mod:`matching.engine.artefacts` (build or load a fitted :class:`Matcher`),
:mod:`matching.engine.cli` (file-in, dicts-out functions behind the management commands),
:mod:`matching.engine.index` (the in-process programme index) and
:mod:`matching.engine.evaluate`.
"""
