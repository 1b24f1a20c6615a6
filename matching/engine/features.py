"""Need × programme features and the reasons that explain them.

A programme is stored as one sparse row with column blocks (character TF-IDF, coded
occupation groups, their SSYK3 and occupation-field roll-ups, SUN→SSYK4 association, kommun,
län) plus a few dense arrays. A need becomes a sparse matrix with one column per sparse
feature, placed in the matching block, so all sparse features of all programmes are one
product, restricted to the few layout columns where the need is non-zero.
"""

from __future__ import annotations

import re
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
from .purpose import NEED_PURPOSE_CODES, PROGRAMME_PURPOSE_CODES, programme_purpose, purpose_fit_table
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
    "purpose_fit",
)
SPARSE_FEATURES = (
    "lexical", "same_ssyk4", "same_ssyk3", "same_field", "sun_link", "same_kommun", "same_lan"
)
MAX_INTAKES = 8
CODED_OCCUPATIONS = 3
# A programme without SSYK4 codes is coded from its name and the opening of its description
# ("... Målet är att bli anställningsbar som golvläggare"); the rest of a long description is
# mostly about how the course runs.
CODING_DESCRIPTION_CHARS = 500
"""A need or programme without explicit SSYK4 codes is represented by its top coded groups."""
DENSE_REASON_MIN = 0.5
"""The embedding similarity is named as a reason only from this cosine up: below it, "similar
meaning" would not be believed."""
_PURPOSE_FIT = np.asarray(purpose_fit_table(), dtype=np.float32)


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
    purpose: np.ndarray
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
                       np.zeros((0, MAX_INTAKES), np.int32), np.zeros(0, np.int8))
        return cls(
            [d for b in blocks for d in b.docs],
            sparse.vstack([b.rows for b in blocks], format="csr"),
            np.concatenate([b.dense for b in blocks]),
            np.concatenate([b.distance for b in blocks]),
            np.concatenate([b.seqf for b in blocks]),
            np.concatenate([b.starts for b in blocks]),
            np.concatenate([b.places for b in blocks]),
            np.concatenate([b.purpose for b in blocks]),
        )

    def take(self, rows: np.ndarray) -> ProgrammeBlock:
        return ProgrammeBlock(
            [self.docs[i] for i in rows], self.rows[rows], self.dense[rows],
            self.distance[rows], self.seqf[rows], self.starts[rows], self.places[rows],
            self.purpose[rows],
        )


@dataclass
class NeedBlock:
    """Vectors of a batch of needs, row-aligned with ``docs``: one sparse row per need in the
    layout of the programme rows (character TF-IDF, occupation groups, SSYK3, field,
    occupation groups again for the SUN association, kommun, län) and a few arrays."""

    docs: list[NeedDoc]
    texts: list[str]
    rows: sparse.csr_matrix
    dense: np.ndarray
    seqf: np.ndarray
    needed_by: np.ndarray
    """Ordinal of the needed-by date; 0 for none."""
    headcount: np.ndarray
    purpose: np.ndarray
    has_place: np.ndarray
    _by_column: sparse.csc_matrix | None = None

    def by_column(self) -> sparse.csc_matrix:
        if self._by_column is None:
            self._by_column = self.rows.tocsc()
        return self._by_column

    @classmethod
    def concat(cls, blocks: Sequence[NeedBlock], n_cols: int) -> NeedBlock:
        if not blocks:
            return cls([], [], sparse.csr_matrix((0, n_cols), dtype=np.float32),
                       np.zeros((0, EMBEDDING_DIM), np.float32), np.zeros(0, np.int16),
                       np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int8),
                       np.zeros(0, bool))
        return cls(
            [d for b in blocks for d in b.docs], [t for b in blocks for t in b.texts],
            sparse.vstack([b.rows for b in blocks], format="csr"),
            *(np.concatenate([getattr(b, name) for b in blocks])
              for name in ("dense", "seqf", "needed_by", "headcount", "purpose", "has_place")),
        )

    def take(self, rows: np.ndarray) -> NeedBlock:
        return NeedBlock([self.docs[i] for i in rows], [self.texts[i] for i in rows],
                         self.rows[rows], self.dense[rows], self.seqf[rows], self.needed_by[rows],
                         self.headcount[rows], self.purpose[rows], self.has_place[rows])

    def query(self, row: int, space: FeatureSpace, today: date) -> NeedQuery:
        """One need as a query: its non-zero layout columns with one value per sparse feature."""
        span = slice(self.rows.indptr[row], self.rows.indptr[row + 1])
        columns, data = self.rows.indices[span], self.rows.data[span]
        features = space.feature_of_columns(columns)
        values = np.zeros((len(columns), len(SPARSE_FEATURES)), dtype=np.float32)
        values[np.arange(len(columns)), features] = data
        occupation = np.zeros(len(space.group_codes), dtype=np.float32)
        groups = features == SPARSE_FEATURES.index("same_ssyk4")
        occupation[columns[groups] - space.offsets[1]] = data[groups]
        return NeedQuery(self.docs[row], self.texts[row], columns, values, self.dense[row],
                         occupation, today)


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
        occupation = self._occupations([d.ssyk4 for d in docs], [coding_text(d) for d in docs], dense)
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
            np.asarray([PROGRAMME_PURPOSE_CODES[self.purpose_of(d)] for d in docs], dtype=np.int8),
        )

    def purpose_of(self, doc: ProgrammeDoc) -> str | None:
        """The programme's purpose as given, else as its kind, name or SUN5 label say."""
        if doc.kind == "validation":
            return "both"
        return doc.purpose or programme_purpose(doc.name, sun_label=self.sun_labels.get(doc.sun_code or ""))

    def need_block(self, needs: Sequence[NeedDoc], *, dense: np.ndarray | None = None,
                   occupations: np.ndarray | None = None) -> NeedBlock:
        """Vectorise needs as rows of the shared layout (for :class:`index.NeedIndex` and for
        queries); ``occupations`` overrides coding (used when fitting weights)."""
        needs = list(needs)
        dense = self._encode(self.need_dense_texts(needs), dense)
        if occupations is None:
            occupations = self._occupations(
                [(n.ssyk4,) if n.ssyk4 else () for n in needs], [n.title for n in needs], dense
            )
        texts = [programme_text(n.title, n.description) for n in needs]
        kommun = one_hot_rows([_one(self.kommun_of.get(n.kommun or ""))[0] for n in needs],
                              len(self.kommun_codes))
        lan = one_hot_rows([_one(self.lan_of.get(n.lan or ""))[0] for n in needs],
                           len(self.lan_codes))
        occupation_rows = sparse.csr_matrix(occupations)
        rows = sparse.hstack(
            [self.char_vec.transform(texts), occupation_rows,
             sparse.csr_matrix(occupations @ self.to_ssyk3),
             sparse.csr_matrix(occupations @ self.to_field), occupation_rows, kommun, lan],
            format="csr", dtype=np.float32,
        )
        return NeedBlock(
            needs, texts, rows, np.asarray(dense, dtype=np.float32),
            np.asarray([n.seqf or 0 for n in needs], dtype=np.int16),
            np.asarray([n.needed_by.toordinal() if n.needed_by else 0 for n in needs], np.int32),
            np.asarray([n.headcount or 1 for n in needs], dtype=np.int32),
            np.asarray([NEED_PURPOSE_CODES[n.purpose] for n in needs], dtype=np.int8),
            np.asarray([bool(n.kommun or n.lan) for n in needs], dtype=bool),
        )

    def need_queries(self, needs: Sequence[NeedDoc], *, today: date,
                     dense: np.ndarray | None = None,
                     occupations: np.ndarray | None = None) -> list[NeedQuery]:
        """Vectorise needs as queries; ``occupations`` overrides coding (used when fitting)."""
        block = self.need_block(needs, dense=dense, occupations=occupations)
        return [block.query(i, self, today) for i in range(len(block.docs))]

    def feature_of_columns(self, columns: np.ndarray) -> np.ndarray:
        """The sparse feature (index into ``SPARSE_FEATURES``) each layout column belongs to."""
        return np.searchsorted(self.offsets, columns, side="right") - 1

    def programme_query(self, block: ProgrammeBlock, row: int) -> tuple[np.ndarray, np.ndarray]:
        """One programme's non-zero layout columns and, per column, one value per sparse
        feature: the programme seen as a query against need rows."""
        programme = block.rows[row]
        values = np.zeros((programme.nnz, len(SPARSE_FEATURES)), dtype=np.float32)
        values[np.arange(programme.nnz), self.feature_of_columns(programme.indices)] = programme.data
        return programme.indices, values

    def features_for_needs(self, needs: NeedBlock, block: ProgrammeBlock, row: int,
                           today: date) -> np.ndarray:
        """Feature matrix (needs, FEATURES) of one programme against many needs; equal to
        :meth:`features` computed need by need."""
        n = len(needs.docs)
        out = np.zeros((n, len(FEATURES)), dtype=np.float32, order="F")  # column writes
        if n == 0:
            return out
        support, values = self.programme_query(block, row)
        sparse_part = np.asarray(needs.by_column()[:, support] @ values)
        for column, name in enumerate(SPARSE_FEATURES):
            out[:, FEATURES.index(name)] = sparse_part[:, column]
        out[:, 1] = np.maximum(needs.dense @ block.dense[row], 0.0)
        _situational(out, today, has_place=needs.has_place, need_seqf=needs.seqf,
                     needed_by=needs.needed_by, headcount=needs.headcount,
                     need_purpose=needs.purpose, programmes=block.take(np.asarray([row])))
        return out

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
        need = query.need
        _situational(
            out, query.today, has_place=np.asarray([bool(need.kommun or need.lan)]),
            need_seqf=np.asarray([need.seqf or 0]),
            needed_by=np.asarray([need.needed_by.toordinal() if need.needed_by else 0]),
            headcount=np.asarray([need.headcount or 1]),
            need_purpose=np.asarray([NEED_PURPOSE_CODES[need.purpose]]), programmes=block)
        return out

    def reasons(self, block: ProgrammeBlock, row: int, contributions: np.ndarray,
                query: NeedQuery, row_features: np.ndarray, *,
                programme_row: np.ndarray | None = None) -> list[dict]:
        """The reasons for one pair, strongest first: each feature that raised this score and
        can name what produced it (see :meth:`reason`). ``programme_row`` is the programme's
        dense layout row when the caller already has it (one programme, many needs)."""
        doc = block.docs[row]
        if programme_row is None:
            programme_row = block.rows[row].toarray()[0]
        reasons = []
        for f in np.argsort(-contributions, kind="stable"):
            if contributions[f] <= 0:
                break
            reason = self.reason(FEATURES[f], doc, programme_row, float(row_features[f]), query)
            if reason is not None:
                reasons.append({"code": FEATURES[f], **reason,
                                "contribution": round(float(contributions[f]), 3)})
        return reasons

    def _block(self, vector: np.ndarray, block: int) -> np.ndarray:
        return vector[self.offsets[block]:self.offsets[block + 1]]

    def reason(self, feature: str, doc: ProgrammeDoc, programme_row: np.ndarray, value: float,
               query: NeedQuery) -> dict | None:
        """``{"text", "text_en", "params"}`` for a feature that is positive for this pair, or
        None when nothing this pair shares can be named (the reason is then not shown).

        ``params`` holds the language-neutral facts (names, codes, ISO dates) so that the
        platform can render the reason in any language; codes appear in texts only beside
        their names.
        """
        if value <= 0:
            return None
        need = query.need
        if feature == "lexical":
            shared = _shared_words(query.text, programme_text(doc.name, doc.description))
            if not shared:
                return None
            words = ", ".join(shared)
            return _reason(f"Samma ord i behovet och utbildningen: {words}",
                           f"Words in both the need and the programme: {words}", words=shared)
        if feature == "dense":
            if value < DENSE_REASON_MIN:
                return None
            return _reason(f"Liknande innebörd: ”{need.title}” och ”{doc.name}”",
                           f"Similar meaning: “{need.title}” and “{doc.name}”",
                           need_title=need.title, programme_name=doc.name)
        if feature in ("same_ssyk4", "sun_link"):
            programme_side = self._block(programme_row, 1 if feature == "same_ssyk4" else 4)
            g = _best(query.occupation * programme_side)
            if g is None:
                return None
            code, label = self.group_codes[g], self.group_labels[g]
            if feature == "same_ssyk4":
                return _reason(f"Utbildar för samma yrke: {label} (SSYK {code})",
                               f"Trains for the same occupation: {label} (SSYK {code})",
                               ssyk4=code, occupation=label)
            sun_label = self.sun_labels.get(doc.sun_code or "")
            if not sun_label:
                return None
            return _reason(
                f"Inriktningen {sun_label} (SUN {doc.sun_code}) leder till yrket {label} (SSYK {code})",
                f"The field {sun_label} (SUN {doc.sun_code}) leads to the occupation {label} "
                f"(SSYK {code})",
                sun_code=doc.sun_code, sun_label=sun_label, ssyk4=code, occupation=label)
        if feature == "same_ssyk3":
            s3 = _best((query.occupation @ self.to_ssyk3) * self._block(programme_row, 2))
            if s3 is None:
                return None
            code, label = self.ssyk3_codes[s3], self.ssyk3_labels[s3]
            return _reason(f"Närliggande yrken: {label} (SSYK {code})",
                           f"Related occupations: {label} (SSYK {code})", ssyk3=code, label=label)
        if feature == "same_field":
            f = _best((query.occupation @ self.to_field) * self._block(programme_row, 3))
            if f is None:
                return None
            label = self.field_labels[f]
            return _reason(f"Samma yrkesområde: {label}", f"Same occupational field: {label}",
                           field=label)
        if feature == "same_kommun":
            if not need.kommun or need.kommun not in doc.kommuner:
                return None
            name = self.kommun_names[self.kommun_of[need.kommun]]
            return _reason(f"Ges i samma kommun: {name}", f"Given in the same municipality: {name}",
                           kommun_code=need.kommun, kommun=name)
        if feature == "same_lan":
            if not need.lan or need.lan not in doc.lans:
                return None
            name = self.lan_labels[self.lan_of[need.lan]]
            return _reason(f"Ges i samma län: {name}", f"Given in the same county: {name}",
                           lan_code=need.lan, lan=name)
        if feature == "distance":
            if not doc.distance:
                return None
            return _reason("Går att läsa på distans", "Can be studied remotely")
        if feature == "level_fit":
            if not (need.seqf and doc.seqf):
                return None
            if doc.seqf == need.seqf:
                return _reason(f"Rätt nivå: SeQF-nivå {doc.seqf}, som behovet anger",
                               f"The right level: SeQF level {doc.seqf}, as the need asks",
                               seqf=doc.seqf, need_seqf=need.seqf)
            return _reason(f"Nära rätt nivå: SeQF-nivå {doc.seqf} (behovet anger nivå {need.seqf})",
                           f"Close to the right level: SeQF level {doc.seqf} (the need asks for "
                           f"level {need.seqf})", seqf=doc.seqf, need_seqf=need.seqf)
        if feature == "in_time":
            if not need.needed_by:
                return None
            start = min((i.start for i in doc.intakes
                         if query.today <= i.start <= need.needed_by), default=None)
            if start is None:
                return None
            return _reason(
                f"Startar i tid: {start.isoformat()}, före {need.needed_by.isoformat()} "
                f"då behovet ska vara mött",
                f"Starts in time: {start.isoformat()}, before {need.needed_by.isoformat()} "
                f"when the need must be met",
                start=start.isoformat(), needed_by=need.needed_by.isoformat())
        if feature == "capacity":
            places = max(i.places or 0 for i in doc.intakes if i.start >= query.today)
            if need.headcount:
                return _reason(f"{places} platser per start (behovet gäller {need.headcount} personer)",
                               f"{places} places per intake (the need is for {need.headcount} people)",
                               places=places, headcount=need.headcount)
            return _reason(f"{places} platser per start", f"{places} places per intake",
                           places=places)
        if feature == "purpose_fit":
            return self._purpose_reason(doc, need, value)
        raise ValueError(f"no reason for feature {feature!r}")

    def _purpose_reason(self, doc: ProgrammeDoc, need: NeedDoc, value: float) -> dict | None:
        if value < 1.0 or need.purpose is None:
            return None
        params = {"need_purpose": need.purpose, "programme_purpose": self.purpose_of(doc)}
        if doc.kind == "validation":
            return _reason("Validering: ger intyg på kunnande som personerna redan har",
                           "Validation: certifies competence people already have", **params)
        if params["programme_purpose"] == "both":
            return _reason("Utbildar både nya och redan anställda i yrket",
                           "Trains both newcomers and people already in the occupation", **params)
        if need.purpose == "recruitment":
            return _reason("Utbildar nya till yrket, som behovet av nyrekrytering kräver",
                           "Trains new people for the occupation, as the recruitment need requires",
                           **params)
        return _reason("Vidareutbildar dem som redan arbetar i yrket, som behovet av "
                       "kompetensutveckling kräver",
                       "Further education for people already in the occupation, as the "
                       "upskilling need requires", **params)


_F = {name: i for i, name in enumerate(FEATURES)}


def _situational(out: np.ndarray, today: date, *, has_place: np.ndarray, need_seqf: np.ndarray,
                 needed_by: np.ndarray, headcount: np.ndarray, need_purpose: np.ndarray,
                 programmes: ProgrammeBlock) -> None:
    """Fill the place, level, time, capacity and purpose features in place.

    The need side holds one value per need, the programme side one per programme; one side
    has length 1 (one need against programmes, or one programme against needs). What a need
    leaves open counts as met: a need without a place has ``same_kommun`` = ``same_lan`` = 1
    (and no use for ``distance``), one without a level, a date or a purpose has
    ``level_fit``, ``in_time`` or ``purpose_fit`` = 1. A programme of unknown level or
    purpose scores 0.5 on it. These values carry no reason (nothing can be named).
    """
    has_place = has_place.astype(bool)
    for name in ("same_kommun", "same_lan"):
        out[:, _F[name]] = np.where(has_place, out[:, _F[name]], 1.0)
    out[:, _F["distance"]] = np.where(has_place, programmes.distance, 0.0)
    fit = np.clip(1.0 - 0.5 * np.abs(programmes.seqf - need_seqf), 0.0, 1.0)
    out[:, _F["level_fit"]] = np.where(need_seqf == 0, 1.0,
                                       np.where(programmes.seqf == 0, 0.5, fit))
    upcoming = programmes.starts >= today.toordinal()
    earliest = np.where(upcoming, programmes.starts, np.iinfo(np.int32).max).min(axis=1)
    out[:, _F["in_time"]] = np.where(needed_by == 0, 1.0, earliest <= needed_by)
    places = np.where(upcoming, programmes.places, -1).max(axis=1)
    out[:, _F["capacity"]] = np.clip(places / np.maximum(headcount, 1), 0.0, 1.0)
    out[:, _F["purpose_fit"]] = _PURPOSE_FIT[need_purpose, programmes.purpose]


def coding_text(doc: ProgrammeDoc) -> str:
    """What a programme's occupation is coded from: its name, then the description's opening."""
    description = doc.description.strip()[:CODING_DESCRIPTION_CHARS]
    return f"{doc.name}. {description}" if description else doc.name


def _reason(text: str, text_en: str, **params) -> dict:
    return {"text": text, "text_en": text_en, "params": params}


def _best(products: np.ndarray) -> int | None:
    """The index of the largest positive product; None when nothing is shared."""
    if not len(products):
        return None
    best = int(np.argmax(products))
    return best if products[best] > 0 else None


def _one(index: int | None) -> tuple[list[int], list[float]]:
    return ([index], [1.0]) if index is not None else ([], [])


def _shared_words(need_text: str, programme: str, limit: int = 4) -> list[str]:
    """Whole words of the programme whose stem is also in the need, as written in the
    programme (lower case); parts of hyphenated compounds ("hälso-") and words shorter than
    four letters are left out."""
    need_stems = set(tokens(normalise(need_text)))
    shared = []
    for word in _WORD.findall(programme.lower()):
        if word.endswith("-") or len(word) < 4:
            continue
        stems = tokens(normalise(word))
        if len(stems) == 1 and stems[0] in need_stems and word not in shared:
            shared.append(word)
    return shared[:limit]


_WORD = re.compile(r"\w+(?:-\w+)*-?")
