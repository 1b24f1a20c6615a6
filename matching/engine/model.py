"""The matcher: occupation coder, education coder, feature space and ranking weights."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from .documents import NeedDoc, ProgrammeDoc
from .education import EducationCandidate, EducationCoder, TrainingProgramme, fit_education_coder
from .embeddings import Embedder
from .features import CODED_OCCUPATIONS, FeatureSpace, coding_text
from .index import NeedIndex, ProgrammeIndex
from .links import fit_sun_links
from .occupation import OccupationCandidate, OccupationCoder, fit_occupation_coder, top_k_distribution
from .ranker import FEEDBACK_ROW_WEIGHT, Ranker, fit_ranker
from .synthetic import (
    REFERENCE_DATE,
    JudgedNeed,
    relevance,
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

    def code_programme(self, doc: ProgrammeDoc, *, top_k: int = CODED_OCCUPATIONS,
                       dense: np.ndarray | None = None) -> list[OccupationCandidate]:
        """The SSYK4 groups a programme without target occupations is read as, best first: its
        coding text (name, then the description's opening) with the embedding of its name,
        exactly as :meth:`FeatureSpace.programme_block` codes it for the index. ``dense`` is the
        stored vector (:meth:`encode_programmes`); without it the name is encoded now."""
        if self.embedder is None:
            dense = None
        elif dense is None:
            dense = self.encode_programmes([doc])
        else:
            dense = np.asarray(dense, dtype=np.float32).reshape(1, -1)
        return self.occupation_coder.code([coding_text(doc)], top_k=top_k, dense=dense)[0]

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

    def new_need_index(self) -> NeedIndex:
        return NeedIndex(self.space, self.ranker)

    def rank_needs(self, programme: ProgrammeDoc, needs: Sequence[NeedDoc], *, top_k: int = 10,
                   today: date | None = None, programme_dense: np.ndarray | None = None,
                   needs_dense: np.ndarray | None = None) -> list[tuple[NeedDoc, float, list[dict]]]:
        """Needs ranked for one programme (the reverse direction), with reasons.

        ``programme_dense`` / ``needs_dense`` are stored embeddings; without them the texts are
        encoded now. For many needs, keep a :class:`NeedIndex` (``new_need_index``) instead.
        """
        if not needs:
            return []
        index = self.new_need_index()
        index.add_many(needs, dense=needs_dense)
        page = index.rank(programme, limit=top_k, today=today, dense=programme_dense)
        return [(r.need, r.score, r.reasons) for r in page.results]

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


HIDDEN_SUN_SHARE = 0.4
"""Share of training programmes whose SUN5 code the features do not see (the label still
uses it): validation paths, labour-market training and many imported programmes have none,
and without such pairs their scores rest on a feature they lack."""
LOCAL_NEED_SHARE = 0.5
"""Share of training needs placed in a kommun where a programme for their occupation is given."""


def _near_programmes(judged: list[JudgedNeed], pool: Sequence[ProgrammeDoc],
                     links: dict[str, set[str]], *, seed: int) -> list[JudgedNeed]:
    """Move a share of the needs that have a place to a kommun of a programme that trains for
    their occupation: needs arise where such programmes are given more often than a uniform
    draw over all kommuner says, and without such pairs place earns no weight."""
    rng = random.Random(seed + 104_729)
    kommuner_for: dict[str, list[str]] = {}
    for programme in pool:
        for group in links[programme.sun_code]:
            kommuner_for.setdefault(group, []).extend(programme.kommuner)
    moved = []
    for j in judged:
        local = kommuner_for.get(j.ssyk4)
        if j.need.kommun is not None and local and rng.random() < LOCAL_NEED_SHARE:
            j = replace(j, need=replace(j.need, kommun=rng.choice(local)))
        moved.append(j)
    return moved


def judged_pairs(space: FeatureSpace, taxonomy: Taxonomy, applications: Sequence[YhApplication],
                 occupations_by_id: dict[str, np.ndarray], *, seed: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Features and graded relevance (in [0, 1], see :func:`synthetic.relevance`) of synthetic
    needs × judged YH programmes.

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
    judged = _near_programmes(synthetic_needs(occupations, kommuner, seed=seed), pool, links,
                              seed=seed)
    hide = random.Random(seed + 15_485_863)
    seen = [replace(p, sun_code=None) if hide.random() < HIDDEN_SUN_SHARE else p for p in pool]
    block = space.programme_block(seen)
    queries = space.need_queries(
        [j.need for j in judged], today=REFERENCE_DATE,
        occupations=np.stack([occupations_by_id[j.occupation_id] for j in judged]),
    )
    purposes = [space.purpose_of(p) for p in pool]
    features, labels = [], []
    for j, query in zip(judged, queries):
        features.append(space.features(block, query))
        labels.append([relevance(j, p, links, purpose=purpose) for p, purpose in zip(pool, purposes)])
    return np.concatenate(features), np.concatenate(labels)
