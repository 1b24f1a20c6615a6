"""In-process indexes of programme and need vectors with cheap add / update / remove.

Rows live in an immutable main block plus a small pending block. Adding or updating a
document vectorises only that document and appends it to the pending block (an update also
marks the old row dead); removing marks a row dead. When the pending block or the dead rows
grow past a fraction of the index, everything alive is compacted into a new main block.
Ranking scores every live row with a few vectorised products, then builds reasons for the
results shown only.

:class:`ProgrammeIndex` ranks programmes for a need; :class:`NeedIndex` ranks needs for a
programme, restricted to the needs a viewer may see and a page of them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from .documents import NeedDoc, ProgrammeDoc
from .features import FeatureSpace, NeedBlock, ProgrammeBlock
from .ranker import Ranker
from .scoring import FLOOR, Scored

COMPACT_MIN_ROWS = 256
COMPACT_FRACTION = 0.1


@dataclass(frozen=True)
class RankedProgramme(Scored):
    programme: ProgrammeDoc
    score: float
    reasons: list[dict]

    def as_dict(self) -> dict:
        return {
            "programme_id": self.programme.id,
            "kind": self.programme.kind,
            "score": round(self.score, 4),
            "fit": self.fit.key,
            "above_floor": self.above_floor,
            "reasons": self.reasons,
        }


@dataclass(frozen=True)
class RankedNeed(Scored):
    need: NeedDoc
    score: float
    reasons: list[dict]


@dataclass(frozen=True)
class NeedPage:
    """One page of needs ranked for a programme."""

    results: list[RankedNeed]
    total: int
    """Needs ranked (the candidates the viewer may see), whatever their score."""
    above_floor: int
    """How many of them score at least ``scoring.FLOOR``."""


class _Index(ABC):
    """Rows of documents in blocks, with add / update / remove and compaction. Subclasses say
    how a batch of documents becomes a block and how blocks join."""

    def __init__(self, space: FeatureSpace, ranker: Ranker) -> None:
        self.space, self.ranker = space, ranker
        self._main = self._concat([])
        self._pending: list = []
        self._pending_block = None
        self._alive = np.zeros(0, dtype=bool)
        self._row_of: dict[str, int] = {}
        self._version = 0
        """Bumped whenever ids or rows change (for caches over rows)."""

    @abstractmethod
    def _vectorise(self, docs: list, dense: np.ndarray | None): ...

    @abstractmethod
    def _concat(self, blocks: list): ...

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._row_of

    def add(self, doc, *, dense: np.ndarray | None = None) -> None:
        """Add a document, or replace the one with the same id."""
        self.add_many([doc], dense=None if dense is None else np.asarray(dense)[None])

    update = add

    def add_many(self, docs: Iterable, *, dense: np.ndarray | None = None,
                 batch_size: int = 2048) -> None:
        """Add or replace many documents; vectorised in batches (one embedding call each)."""
        docs = list(docs)
        for start in range(0, len(docs), batch_size):
            batch = docs[start:start + batch_size]
            batch_dense = None if dense is None else dense[start:start + batch_size]
            block = self._vectorise(batch, batch_dense)
            for doc in batch:
                self._kill(doc.id)
            first = len(self._alive)
            self._alive = np.concatenate([self._alive, np.ones(len(batch), dtype=bool)])
            for offset, doc in enumerate(batch):
                if doc.id in self._row_of:  # a duplicate id inside the batch: last one wins
                    self._alive[self._row_of[doc.id]] = False
                self._row_of[doc.id] = first + offset
            self._pending.append(block)
            self._pending_block = None
            self._version += 1
        self._maybe_compact()

    def remove(self, doc_id: str) -> bool:
        """Remove a document; returns whether it was indexed."""
        removed = self._kill(doc_id)
        self._maybe_compact()
        return removed

    def _kill(self, doc_id: str) -> bool:
        row = self._row_of.pop(doc_id, None)
        if row is None:
            return False
        self._alive[row] = False
        self._version += 1
        return True

    def _maybe_compact(self) -> None:
        pending = sum(len(b.docs) for b in self._pending)
        dead = int((~self._alive).sum())
        limit = max(COMPACT_MIN_ROWS, COMPACT_FRACTION * len(self._alive))
        if pending > limit or dead > limit:
            self.compact()

    def compact(self) -> None:
        """Merge pending rows into the main block and drop dead rows."""
        merged = self._concat([self._main, *self._pending])
        keep = np.flatnonzero(self._alive)
        self._main = merged.take(keep)
        self._pending, self._pending_block = [], None
        self._alive = np.ones(len(keep), dtype=bool)
        self._row_of = {doc.id: i for i, doc in enumerate(self._main.docs)}
        self._version += 1

    def _blocks(self) -> list:
        if self._pending and self._pending_block is None:
            self._pending_block = self._concat(self._pending)
        return [self._main] + ([self._pending_block] if self._pending else [])

    def ids(self) -> list[str]:
        return list(self._row_of)

    @staticmethod
    def _locate(blocks: list, row: int) -> tuple:
        for block in blocks:
            if row < len(block.docs):
                return block, row
            row -= len(block.docs)
        raise IndexError(row)

    def _top(self, scores: np.ndarray, alive: np.ndarray, offset: int, limit: int) -> np.ndarray:
        """Rows of the live results ``offset … offset + limit`` by descending score."""
        scores = np.where(alive, scores, -np.inf)
        k = min(offset + limit, int(alive.sum()))
        if k <= offset:
            return np.zeros(0, dtype=np.int64)
        top = np.argpartition(-scores, k - 1)[:k]
        return top[np.argsort(-scores[top], kind="stable")][offset:k]


class ProgrammeIndex(_Index):
    def _vectorise(self, docs: list[ProgrammeDoc], dense: np.ndarray | None) -> ProgrammeBlock:
        return self.space.programme_block(docs, dense=dense)

    def _concat(self, blocks: list[ProgrammeBlock]) -> ProgrammeBlock:
        return ProgrammeBlock.concat(blocks, self.space.n_cols)

    def rank(self, need: NeedDoc, *, top_k: int = 10, today: date | None = None,
             kind: str | None = None, dense: np.ndarray | None = None) -> list[RankedProgramme]:
        """The best ``top_k`` live programmes for a need, each with its reasons, its fit level
        and whether it is above the floor (``scoring.split_at_floor`` splits the list).

        ``dense`` is the need's stored embedding (see ``Matcher.encode_needs``); without it the
        space encodes the need's title now.
        """
        if not self._row_of or top_k <= 0:
            return []
        space, ranker = self.space, self.ranker
        query = space.need_queries([need], today=today or date.today(),
                                   dense=None if dense is None else np.asarray(dense)[None])[0]
        blocks = self._blocks()
        features = np.concatenate([space.features(b, query) for b in blocks])
        scores = ranker.linear(features)
        alive = self._alive.copy()
        if kind is not None:
            docs = [d for b in blocks for d in b.docs]
            alive &= np.fromiter((d.kind == kind for d in docs), dtype=bool, count=len(docs))
        results = []
        for row in self._top(scores, alive, 0, top_k):
            block, local = self._locate(blocks, int(row))
            contributions = ranker.contributions(features[row])
            results.append(RankedProgramme(
                block.docs[local],
                float(ranker.score(features[row][None])[0]),
                space.reasons(block, local, contributions, query, features[row]),
            ))
        return results

    def memory_bytes(self) -> int:
        """Approximate memory held by the vectors (sparse rows and dense arrays)."""
        total = 0
        for block in self._blocks():
            rows = block.rows
            total += rows.data.nbytes + rows.indices.nbytes + rows.indptr.nbytes
            total += sum(a.nbytes for a in (block.dense, block.distance, block.seqf,
                                            block.starts, block.places, block.purpose))
        return total


class NeedIndex(_Index):
    """Needs, ranked for one programme at a time.

    Needs are stored as rows in the programme layout; a programme becomes a query over its
    few non-zero columns, so scoring 100 000 needs is one sparse product over those columns,
    one matrix–vector product for the embeddings and a few numpy operations.
    """

    def _vectorise(self, docs: list[NeedDoc], dense: np.ndarray | None) -> NeedBlock:
        return self.space.need_block(docs, dense=dense)

    def _concat(self, blocks: list[NeedBlock]) -> NeedBlock:
        return NeedBlock.concat(blocks, self.space.n_cols)

    def rank(self, programme: ProgrammeDoc, *, offset: int = 0, limit: int = 10,
             candidates: Iterable[str] | np.ndarray | None = None, today: date | None = None,
             dense: np.ndarray | None = None) -> NeedPage:
        """Needs ranked for a programme: the page ``offset … offset + limit`` with reasons.

        ``candidates`` restricts ranking to the needs a viewer may see: need ids, or a boolean
        mask over :meth:`ids` (in that order). ``dense`` is the programme's stored embedding.
        """
        today = today or date.today()
        space, ranker = self.space, self.ranker
        alive = self._alive.copy()
        if candidates is not None:
            alive &= self._mask(candidates)
        if not alive.any():
            return NeedPage([], 0, 0)
        programme_block = space.programme_block(
            [programme], dense=None if dense is None else np.asarray(dense)[None])
        blocks = self._blocks()
        features = np.concatenate(
            [space.features_for_needs(b, programme_block, 0, today) for b in blocks])
        scores = ranker.score(features)
        programme_row = programme_block.rows[0].toarray()[0]
        results = []
        for row in self._top(scores, alive, offset, limit):
            block, local = self._locate(blocks, int(row))
            query = block.query(local, space, today)
            contributions = ranker.contributions(features[row])
            results.append(RankedNeed(
                block.docs[local], float(scores[row]),
                space.reasons(programme_block, 0, contributions, query, features[row],
                              programme_row=programme_row),
            ))
        return NeedPage(results, int(alive.sum()), int((alive & (scores >= FLOOR)).sum()))

    def _mask(self, candidates: Iterable[str] | np.ndarray) -> np.ndarray:
        """A mask over all rows (live or dead) from ids or a mask over :meth:`ids`."""
        mask = np.zeros(len(self._alive), dtype=bool)
        if isinstance(candidates, np.ndarray) and candidates.dtype == bool:
            mask[self._id_rows()[candidates]] = True
            return mask
        row_of = self._row_of
        rows = [row_of[i] for i in candidates if i in row_of]
        mask[np.asarray(rows, dtype=np.int64)] = True
        return mask

    def _id_rows(self) -> np.ndarray:
        """Row of each id in :meth:`ids` order, cached until the ids change."""
        if getattr(self, "_id_rows_version", None) != self._version:
            self._id_rows_cache = np.fromiter(self._row_of.values(), dtype=np.int64,
                                              count=len(self._row_of))
            self._id_rows_version = self._version
        return self._id_rows_cache

    def memory_bytes(self) -> int:
        """Approximate memory held by the vectors (sparse rows and dense arrays)."""
        total = 0
        for block in self._blocks():
            rows = block.rows
            total += rows.data.nbytes + rows.indices.nbytes + rows.indptr.nbytes
            total += sum(a.nbytes for a in (block.dense, block.seqf, block.needed_by,
                                            block.headcount, block.purpose, block.has_place))
        return total
