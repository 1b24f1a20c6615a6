"""The matcher: occupation coder, education coder, feature space and ranking weights."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from .documents import NeedDoc, ProgrammeDoc
from .education import EducationCandidate, EducationCoder, TrainingProgramme, fit_education_coder
from .embeddings import Embedder
from .features import FeatureSpace
from .index import ProgrammeIndex
from .links import fit_sun_links
from .occupation import OccupationCandidate, OccupationCoder, fit_occupation_coder, top_k_distribution
from .ranker import FEEDBACK_ROW_WEIGHT, Ranker, fit_ranker
from .synthetic import (
    MAX_GAIN,
    REFERENCE_DATE,
    gain,
    sun5_occupation_links,
    synthetic_needs,
    yh_programmes,
)
from .taxonomy import Taxonomy, YhApplication
from .text import normalise
from .vectors import char_vectorizer


@dataclass(frozen=True)
class Feedback:
    """A user's judgement of one match."""

    need: NeedDoc
    programme: ProgrammeDoc
    relevant: bool


@dataclass
class Matcher:
    occupation_coder: OccupationCoder
    education_coder: EducationCoder
    space: FeatureSpace
    ranker: Ranker
    kommun_by_name: dict[str, str]

    def attach(self, embedder: Embedder | None) -> Matcher:
        """Give every component the (lazily loading) embedder; needed after unpickling."""
        self.occupation_coder.embedder = embedder
        self.education_coder.embedder = embedder
        self.space.embedder = embedder
        return self

    @property
    def embedder(self) -> Embedder | None:
        return self.space.embedder

    def kommun_code(self, value: str | None) -> str | None:
        """A 4-digit kommun code from a code or a (Swedish) kommun name; None if unknown."""
        if not value:
            return None
        value = str(value).strip()
        if value in self.space.kommun_of:
            return value
        name = normalise(value).removesuffix(" kommun")
        return self.kommun_by_name.get(name) or self.kommun_by_name.get(name.removesuffix("s"))

    def code_occupation(self, texts: Sequence[str], *, top_k: int = 5
                        ) -> list[list[OccupationCandidate]]:
        return self.occupation_coder.code(texts, top_k=top_k)

    def code_education(self, names: Sequence[str], areas: Sequence[str | None] | None = None, *,
                       top_k: int = 5) -> list[list[EducationCandidate]]:
        return self.education_coder.code(names, areas, top_k=top_k)

    def with_ranker(self, ranker: Ranker) -> Matcher:
        """The same matcher with other ranking weights (e.g. refitted from feedback)."""
        return replace(self, ranker=ranker)

    def encode_programmes(self, programmes: Sequence[ProgrammeDoc]) -> np.ndarray:
        """The dense vectors the index uses for these programmes, for storing ahead of time."""
        return self.space.encode(self.space.programme_dense_texts(programmes))

    def encode_needs(self, needs: Sequence[NeedDoc]) -> np.ndarray:
        """The dense vectors ranking uses for these needs, for storing ahead of time."""
        return self.space.encode(self.space.need_dense_texts(needs))

    def encoded_texts(self, programmes: Sequence[ProgrammeDoc] = (), needs: Sequence[NeedDoc] = ()) -> list[str]:
        """The exact texts ``encode_programmes`` / ``encode_needs`` embed: a stored vector stays
        valid while its document's text is unchanged."""
        return self.space.programme_dense_texts(programmes) + self.space.need_dense_texts(needs)

    def new_index(self) -> ProgrammeIndex:
        return ProgrammeIndex(self.space, self.ranker)

    def rank_needs(self, programme: ProgrammeDoc, needs: Sequence[NeedDoc], *, top_k: int = 10,
                   today: date | None = None, programme_dense: np.ndarray | None = None,
                   needs_dense: np.ndarray | None = None) -> list[tuple[NeedDoc, float, list[dict]]]:
        """Needs ranked for one programme (the reverse direction), with reasons.

        ``programme_dense`` / ``needs_dense`` are stored embeddings; without them the texts are
        encoded now.
        """
        if not needs:
            return []
        block = self.space.programme_block(
            [programme], dense=None if programme_dense is None else np.asarray(programme_dense)[None])
        queries = self.space.need_queries(needs, today=today or date.today(), dense=needs_dense)
        scored = []
        for query in queries:
            row = self.space.features(block, query)[0]
            score = float(self.ranker.score(row[None])[0])
            reasons = self.space.reasons(block, 0, self.ranker.contributions(row), query, row)
            scored.append((query.need, score, reasons))
        scored.sort(key=lambda item: -item[1])
        return scored[:top_k]

    def refit_from_feedback(self, feedback: Iterable[Feedback], *,
                            row_weight: float = FEEDBACK_ROW_WEIGHT,
                            today: date | None = None) -> Matcher:
        """A matcher whose ranking weights are refitted with user judgements added."""
        feedback = list(feedback)
        if not feedback:
            return self
        queries = self.space.need_queries([f.need for f in feedback], today=today or date.today())
        rows = [
            self.space.features(self.space.programme_block([f.programme]), q)[0]
            for f, q in zip(feedback, queries)
        ]
        labels = np.asarray([int(f.relevant) for f in feedback])
        ranker = self.ranker.refit_with(np.stack(rows), labels, row_weight=row_weight)
        return replace(self, ranker=ranker)


def build_matcher(taxonomy: Taxonomy, applications: Sequence[YhApplication],
                  embedder: Embedder | None, *, text_corpus: Sequence[str] = (),
                  extra_sun5: bool = True, seed: int = 0) -> Matcher:
    """Fit every component from the taxonomy and YH applications with known SUN5 codes.

    ``text_corpus`` adds unlabelled programme names to the ranking vocabulary;
    ``extra_sun5`` lets the education coder propose SUN5 codes unseen in ``applications``.
    """
    labelled = [a for a in applications if a.sun5]
    occupation_coder, cross_fit = fit_occupation_coder(taxonomy, embedder, seed=seed)
    education_coder = fit_education_coder(
        [TrainingProgramme(a.name, a.area, a.sun5) for a in labelled], taxonomy, embedder,
        extra_sun5=extra_sun5, seed=seed,
    )
    sun_labels = {code: label for code, label in taxonomy.sun_fields.items() if len(code) == 4}
    sun_labels.update({
        code: label for code, label in taxonomy.sun5_labels.items()
        if extra_sun5 or code in {a.sun5 for a in labelled}
    })
    links = fit_sun_links([a.name for a in labelled], [a.sun5 for a in labelled], sun_labels,
                          occupation_coder)
    char_vec = char_vectorizer().fit(
        [a.name for a in applications] + list(text_corpus)
        + [o.label for o in taxonomy.occupations] + [g.label for g in taxonomy.groups.values()]
    )
    space = FeatureSpace(taxonomy, occupation_coder, links, char_vec, embedder)
    out_of_fold = top_k_distribution(occupation_coder.score(cross_fit.features), 3)
    oof_by_id = dict(zip(cross_fit.occupation_ids, out_of_fold))
    features, labels = judged_pairs(space, taxonomy, labelled, oof_by_id, seed=seed)
    ranker = fit_ranker(features, labels)
    kommun_by_name = {normalise(m.name): code for code, m in taxonomy.municipalities.items()}
    return Matcher(occupation_coder, education_coder, space, ranker, kommun_by_name)


def judged_pairs(space: FeatureSpace, taxonomy: Taxonomy, applications: Sequence[YhApplication],
                 occupations_by_id: dict[str, np.ndarray], *, seed: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Features and relevance labels of synthetic needs × judged YH programmes.

    The needs' occupations are the out-of-fold coder outputs, so the ranker learns how far to
    trust a coded occupation on names the coder has not seen.
    """
    links = sun5_occupation_links(taxonomy)
    pool = [p for p in yh_programmes(applications, seed=seed) if p.sun_code in links]
    linked_groups = set().union(*links.values()) if links else set()
    occupations = [
        o for o in taxonomy.occupations if o.ssyk4 in linked_groups and o.id in occupations_by_id
    ]
    kommuner = sorted({k for p in pool for k in p.kommuner})
    judged = synthetic_needs(occupations, kommuner, seed=seed)
    block = space.programme_block(pool)
    queries = space.need_queries(
        [j.need for j in judged], today=REFERENCE_DATE,
        occupations=np.stack([occupations_by_id[j.occupation_id] for j in judged]),
    )
    features, labels = [], []
    for j, query in zip(judged, queries):
        features.append(space.features(block, query))
        labels.append([int(gain(j, p, links) == MAX_GAIN) for p in pool])
    return np.concatenate(features), np.concatenate(labels)
