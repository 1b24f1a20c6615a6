"""Need × programme features and the reasons that explain them.

A programme is stored as one sparse row with column blocks (character TF-IDF, coded
occupation groups, their SSYK3 and occupation-field roll-ups, SUN→SSYK4 association, kommun,
län) plus a few dense arrays. A need becomes a sparse matrix with one column per sparse
feature, placed in the matching block, so all sparse features of all programmes are one
product, restricted to the few layout columns where the need is non-zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .documents import NeedDoc, ProgrammeDoc
from .education import programme_text
from .embeddings import EMBEDDING_DIM, Embedder
from .links import SunOccupationLinks
from .occupation import OccupationCoder
from .taxonomy import Taxonomy
from .text import normalise, tokens
from .vectors import one_hot_rows

FEATURES = (
    "lexical",
    "dense",
    "same_ssyk4",
    "same_ssyk3",
    "same_field",
    "sun_link",
    "same_kommun",
    "same_lan",
    "distance",
    "level_fit",
    "in_time",
    "capacity",
)
SPARSE_FEATURES = (
    "lexical", "same_ssyk4", "same_ssyk3", "same_field", "sun_link", "same_kommun", "same_lan"
)
MAX_INTAKES = 8
CODED_OCCUPATIONS = 3
"""A need or programme without explicit SSYK4 codes is represented by its top coded groups."""


@dataclass
class ProgrammeBlock:
    """Vectors of a batch of programmes, row-aligned with ``docs``."""

    docs: list[ProgrammeDoc]
    rows: sparse.csr_matrix
    dense: np.ndarray
    distance: np.ndarray
    seqf: np.ndarray
    starts: np.ndarray
    places: np.ndarray
    _by_column: sparse.csc_matrix | None = None

    def by_column(self) -> sparse.csc_matrix:
        """The rows in CSC form (cached): selecting a need's few columns is then cheap."""
        if self._by_column is None:
            self._by_column = self.rows.tocsc()
        return self._by_column

    @classmethod
    def concat(cls, blocks: Sequence[ProgrammeBlock], n_cols: int) -> ProgrammeBlock:
        if not blocks:
            return cls([], sparse.csr_matrix((0, n_cols), dtype=np.float32),
                       np.zeros((0, EMBEDDING_DIM), np.float32), np.zeros(0, np.float32),
                       np.zeros(0, np.int16), np.zeros((0, MAX_INTAKES), np.int32),
                       np.zeros((0, MAX_INTAKES), np.int32))
        return cls(
            [d for b in blocks for d in b.docs],
            sparse.vstack([b.rows for b in blocks], format="csr"),
            np.concatenate([b.dense for b in blocks]),
            np.concatenate([b.distance for b in blocks]),
            np.concatenate([b.seqf for b in blocks]),
            np.concatenate([b.starts for b in blocks]),
            np.concatenate([b.places for b in blocks]),
        )

    def take(self, rows: np.ndarray) -> ProgrammeBlock:
        return ProgrammeBlock(
            [self.docs[i] for i in rows], self.rows[rows], self.dense[rows],
            self.distance[rows], self.seqf[rows], self.starts[rows], self.places[rows],
        )


@dataclass
class NeedQuery:
    """A vectorised need: its non-zero layout columns and, per column, one value per
    sparse feature."""

    need: NeedDoc
    text: str
    support: np.ndarray
    values: np.ndarray
    dense: np.ndarray
    occupation: np.ndarray
    today: date


class FeatureSpace:
    """Turns programmes into rows and needs into queries over one shared layout."""

    def __init__(self, taxonomy: Taxonomy, coder: OccupationCoder, links: SunOccupationLinks,
                 char_vec: TfidfVectorizer, embedder: Embedder | None = None) -> None:
        self.coder = coder
        self.links = links
        self.char_vec = char_vec
        self.embedder = embedder
        self.group_codes = list(coder.index.group_codes)
        self.group_of = {c: i for i, c in enumerate(self.group_codes)}
        groups = [taxonomy.groups[c] for c in self.group_codes]
        self.group_labels = [g.label for g in groups]
        self.ssyk3_codes = sorted({g.ssyk3 for g in groups})
        self.ssyk3_labels = [taxonomy.ssyk3_labels.get(c, c) for c in self.ssyk3_codes]
        field_ids = sorted({g.field_id for g in groups})
        self.field_labels = [next(g.field_label for g in groups if g.field_id == f) for f in field_ids]
        self.to_ssyk3 = one_hot_rows(
            [[self.ssyk3_codes.index(g.ssyk3)] for g in groups], len(self.ssyk3_codes)
        ).toarray()
        self.to_field = one_hot_rows(
            [[field_ids.index(g.field_id)] for g in groups], len(field_ids)
        ).toarray()
        self.kommun_codes = sorted(taxonomy.municipalities)
        self.kommun_names = [taxonomy.municipalities[k].name for k in self.kommun_codes]
        self.kommun_of = {k: i for i, k in enumerate(self.kommun_codes)}
        self.lan_codes = sorted(taxonomy.lan_labels)
        self.lan_labels = [taxonomy.lan_labels[c] for c in self.lan_codes]
        self.lan_of = {c: i for i, c in enumerate(self.lan_codes)}
        self.sun_labels = {**taxonomy.sun_fields, **taxonomy.sun5_labels}
        sizes = [len(char_vec.vocabulary_), len(self.group_codes), len(self.ssyk3_codes),
                 len(field_ids), len(self.group_codes), len(self.kommun_codes), len(self.lan_codes)]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)])
        self.n_cols = int(self.offsets[-1])

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["embedder"] = None
        return state

    def _encode(self, texts: list[str], dense: np.ndarray | None) -> np.ndarray:
        if dense is not None:
            return np.asarray(dense, dtype=np.float32).reshape(len(texts), EMBEDDING_DIM)
        if self.embedder is None:
            return np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        return self.embedder.encode_uncached(texts)

    def _occupations(self, explicit: Sequence[Sequence[str]], texts: list[str],
                     dense: np.ndarray) -> np.ndarray:
        """Explicit SSYK4 codes as 1.0; otherwise the coded top groups as a distribution."""
        out = np.zeros((len(texts), len(self.group_codes)), dtype=np.float32)
        to_code = [i for i, codes in enumerate(explicit) if not any(c in self.group_of for c in codes)]
        for i, codes in enumerate(explicit):
            for code in codes:
                if code in self.group_of:
                    out[i, self.group_of[code]] = 1.0
        if to_code:
            coder_dense = dense[to_code] if self.embedder is not None else None
            out[to_code] = self.coder.distribution(
                [texts[i] for i in to_code], dense=coder_dense, top_k=CODED_OCCUPATIONS
            )
        return out

    @staticmethod
    def programme_dense_texts(docs: Sequence[ProgrammeDoc]) -> list[str]:
        return [normalise(d.name) for d in docs]

    def need_dense_texts(self, needs: Sequence[NeedDoc]) -> list[str]:
        return self.coder.index.query_texts([n.title for n in needs])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` (zeros when the matcher runs without a model)."""
        return self._encode(texts, None)

    def programme_block(self, docs: Sequence[ProgrammeDoc], *,
                        dense: np.ndarray | None = None) -> ProgrammeBlock:
        docs = list(docs)
        dense = self._encode(self.programme_dense_texts(docs), dense)
        occupation = self._occupations([d.ssyk4 for d in docs], [d.name for d in docs], dense)
        ssyk3 = np.minimum(occupation @ self.to_ssyk3, 1.0)
        fields = np.minimum(occupation @ self.to_field, 1.0)
        sun = np.stack([self.links.row(d.sun_code) for d in docs]) if docs else occupation
        kommun = one_hot_rows(
            [[self.kommun_of[k] for k in d.kommuner if k in self.kommun_of] for d in docs],
            len(self.kommun_codes),
        )
        lan = one_hot_rows(
            [[self.lan_of[c] for c in d.lans if c in self.lan_of] for d in docs], len(self.lan_codes)
        )
        char = self.char_vec.transform([programme_text(d.name, d.description) for d in docs])
        rows = sparse.hstack(
            [char, sparse.csr_matrix(occupation), sparse.csr_matrix(ssyk3),
             sparse.csr_matrix(fields), sparse.csr_matrix(sun), kommun, lan],
            format="csr", dtype=np.float32,
        )
        starts = np.zeros((len(docs), MAX_INTAKES), dtype=np.int32)
        places = np.full((len(docs), MAX_INTAKES), -1, dtype=np.int32)
        for i, doc in enumerate(docs):
            for j, intake in enumerate(sorted(doc.intakes, key=lambda x: x.start)[:MAX_INTAKES]):
                starts[i, j] = intake.start.toordinal()
                places[i, j] = intake.places if intake.places is not None else -1
        return ProgrammeBlock(
            docs, rows, dense,
            np.asarray([d.distance for d in docs], dtype=np.float32),
            np.asarray([d.seqf or 0 for d in docs], dtype=np.int16),
            starts, places,
        )

    def need_queries(self, needs: Sequence[NeedDoc], *, today: date,
                     dense: np.ndarray | None = None,
                     occupations: np.ndarray | None = None) -> list[NeedQuery]:
        """Vectorise needs; ``occupations`` overrides coding (used when fitting weights)."""
        needs = list(needs)
        dense = self._encode(self.need_dense_texts(needs), dense)
        if occupations is None:
            occupations = self._occupations(
                [(n.ssyk4,) if n.ssyk4 else () for n in needs], [n.title for n in needs], dense
            )
        texts = [programme_text(n.title, n.description) for n in needs]
        chars = self.char_vec.transform(texts)
        ssyk3 = occupations @ self.to_ssyk3
        fields = occupations @ self.to_field
        queries = []
        for i, need in enumerate(needs):
            blocks = {
                "lexical": (0, chars[i].indices, chars[i].data),
                "same_ssyk4": (1, *_nonzero(occupations[i])),
                "same_ssyk3": (2, *_nonzero(ssyk3[i])),
                "same_field": (3, *_nonzero(fields[i])),
                "sun_link": (4, *_nonzero(occupations[i])),
                "same_kommun": (5, *_one(self.kommun_of.get(need.kommun or ""))),
                "same_lan": (6, *_one(self.lan_of.get(need.lan or ""))),
            }
            rows, cols, data = [], [], []
            for column, name in enumerate(SPARSE_FEATURES):
                block, indices, entries = blocks[name]
                rows.append(self.offsets[block] + np.asarray(indices, dtype=np.int64))
                cols.append(np.full(len(indices), column))
                data.append(np.asarray(entries, dtype=np.float32))
            support, position = np.unique(np.concatenate(rows), return_inverse=True)
            values = np.zeros((len(support), len(SPARSE_FEATURES)), dtype=np.float32)
            np.add.at(values, (position, np.concatenate(cols)), np.concatenate(data))
            queries.append(NeedQuery(need, texts[i], support, values, dense[i], occupations[i],
                                     today))
        return queries

    def features(self, block: ProgrammeBlock, query: NeedQuery) -> np.ndarray:
        """Feature matrix (programmes, FEATURES) of one need against a block."""
        n = block.rows.shape[0]
        out = np.zeros((n, len(FEATURES)), dtype=np.float32)
        if n == 0:
            return out
        sparse_part = np.asarray(block.by_column()[:, query.support] @ query.values)
        for column, name in enumerate(SPARSE_FEATURES):
            out[:, FEATURES.index(name)] = sparse_part[:, column]
        out[:, 1] = np.maximum(block.dense @ query.dense, 0.0)
        out[:, 8] = block.distance
        need = query.need
        if need.seqf:
            known = block.seqf > 0
            fit = np.clip(1.0 - 0.5 * np.abs(block.seqf - need.seqf), 0.0, 1.0)
            out[:, 9] = np.where(known, fit, 0.0)
        upcoming = block.starts >= query.today.toordinal()
        if need.needed_by:
            in_time = upcoming & (block.starts <= need.needed_by.toordinal())
            out[:, 10] = in_time.any(axis=1)
        places = np.where(upcoming, block.places, -1).max(axis=1)
        out[:, 11] = np.clip(places / max(need.headcount or 1, 1), 0.0, 1.0)
        return out

    def reasons(self, block: ProgrammeBlock, row: int, contributions: np.ndarray,
                query: NeedQuery, row_features: np.ndarray) -> list[dict]:
        """One reason per feature that raised this programme's score, strongest first."""
        doc = block.docs[row]
        occupation = block.rows[row, self.offsets[1]:self.offsets[2]].toarray()[0]
        reasons = []
        for f in np.argsort(-contributions, kind="stable"):
            if contributions[f] <= 0:
                break
            reasons.append({
                "code": FEATURES[f],
                "text": self._reason_text(FEATURES[f], doc, occupation, row_features[f], query),
                "contribution": round(float(contributions[f]), 3),
            })
        return reasons

    def _best_group(self, query: NeedQuery, programme_side: np.ndarray) -> int:
        return int(np.argmax(query.occupation * programme_side))

    def _reason_text(self, feature: str, doc: ProgrammeDoc, occupation: np.ndarray, value: float,
                     query: NeedQuery) -> str:
        need = query.need
        if feature == "lexical":
            shared = _shared_words(query.text, programme_text(doc.name, doc.description))
            return f"Gemensamma ord: {', '.join(shared)}" if shared else "Liknande ordalydelse"
        if feature == "dense":
            return f"Liknande innebörd enligt språkmodellen ({value:.2f})"
        if feature in ("same_ssyk4", "same_ssyk3", "same_field"):
            g = self._best_group(query, occupation)
            if feature == "same_ssyk4":
                return f"Samma yrkesgrupp {self.group_codes[g]} {self.group_labels[g]}"
            if feature == "same_ssyk3":
                s3 = int(np.argmax(self.to_ssyk3[g]))
                return f"Närliggande yrken: {self.ssyk3_codes[s3]} {self.ssyk3_labels[s3]}"
            return f"Samma yrkesområde: {self.field_labels[int(np.argmax(self.to_field[g]))]}"
        if feature == "sun_link":
            g = self._best_group(query, self.links.row(doc.sun_code))
            sun_label = self.sun_labels.get(doc.sun_code or "", "")
            return (f"Utbildningsinriktningen {doc.sun_code} {sun_label} leder till "
                    f"yrkesgruppen {self.group_codes[g]} {self.group_labels[g]}").replace("  ", " ")
        if feature == "same_kommun":
            return f"Ges i samma kommun: {self.kommun_names[self.kommun_of[need.kommun]]}"
        if feature == "same_lan":
            return f"Ges i samma län: {self.lan_labels[self.lan_of[need.lan]]}"
        if feature == "distance":
            return "Går att läsa på distans"
        if feature == "level_fit":
            return f"Nivån passar: SeQF {doc.seqf} (behovet anger SeQF {need.seqf})"
        if feature == "in_time":
            start = min(
                (i.start for i in doc.intakes
                 if query.today <= i.start <= (need.needed_by or i.start)),
                default=None,
            )
            return f"Startar i tid: {start.isoformat()} (behovet gäller senast {need.needed_by.isoformat()})"
        places = max(i.places or 0 for i in doc.intakes if i.start >= query.today)
        wanted = f" (behovet gäller {need.headcount})" if need.headcount else ""
        return f"Platser per start: {places}{wanted}"


def _nonzero(vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    indices = np.flatnonzero(vector)
    return indices, vector[indices]


def _one(index: int | None) -> tuple[list[int], list[float]]:
    return ([index], [1.0]) if index is not None else ([], [])


def _shared_words(need_text: str, programme: str, limit: int = 4) -> list[str]:
    need_stems = set(tokens(normalise(need_text)))
    shared = []
    for word in normalise(programme).split():
        stems = tokens(word)
        if stems and stems[0] in need_stems and word not in shared:
            shared.append(word)
    return shared[:limit]
