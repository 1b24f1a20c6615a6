"""In-process index of programme vectors with cheap add / update / remove.

Rows live in an immutable main block plus a small pending block. Adding or updating a
programme vectorises only that programme and appends it to the pending block (an update also
marks the old row dead); removing marks a row dead. When the pending block or the dead rows
grow past a fraction of the index, everything alive is compacted into a new main block.
Ranking scores every live row with a few vectorised products, then builds reasons for the
top results only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from .documents import NeedDoc, ProgrammeDoc
from .features import FeatureSpace, ProgrammeBlock
from .ranker import Ranker

COMPACT_MIN_ROWS = 256
COMPACT_FRACTION = 0.1


@dataclass(frozen=True)
class RankedProgramme:
    programme: ProgrammeDoc
    score: float
    reasons: list[dict]

    def as_dict(self) -> dict:
        return {
            "programme_id": self.programme.id,
            "kind": self.programme.kind,
            "score": round(self.score, 4),
            "reasons": self.reasons,
        }


class ProgrammeIndex:
    def __init__(self, space: FeatureSpace, ranker: Ranker) -> None:
        self.space, self.ranker = space, ranker
        self._main = ProgrammeBlock.concat([], space.n_cols)
        self._pending: list[ProgrammeBlock] = []
        self._pending_block: ProgrammeBlock | None = None
        self._alive = np.zeros(0, dtype=bool)
        self._row_of: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, programme_id: str) -> bool:
        return programme_id in self._row_of

    def add(self, programme: ProgrammeDoc, *, dense: np.ndarray | None = None) -> None:
        """Add a programme, or replace the one with the same id."""
        self.add_many([programme], dense=None if dense is None else np.asarray(dense)[None])

    update = add

    def add_many(self, programmes: Iterable[ProgrammeDoc], *, dense: np.ndarray | None = None,
                 batch_size: int = 2048) -> None:
        """Add or replace many programmes; vectorised in batches (one embedding call each)."""
        programmes = list(programmes)
        for start in range(0, len(programmes), batch_size):
            batch = programmes[start:start + batch_size]
            batch_dense = None if dense is None else dense[start:start + batch_size]
            block = self.space.programme_block(batch, dense=batch_dense)
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
        self._maybe_compact()

    def remove(self, programme_id: str) -> bool:
        """Remove a programme; returns whether it was indexed."""
        removed = self._kill(programme_id)
        self._maybe_compact()
        return removed

    def _kill(self, programme_id: str) -> bool:
        row = self._row_of.pop(programme_id, None)
        if row is None:
            return False
        self._alive[row] = False
        return True

    def _maybe_compact(self) -> None:
        pending = sum(len(b.docs) for b in self._pending)
        dead = int((~self._alive).sum())
        limit = max(COMPACT_MIN_ROWS, COMPACT_FRACTION * len(self._alive))
        if pending > limit or dead > limit:
            self.compact()

    def compact(self) -> None:
        """Merge pending rows into the main block and drop dead rows."""
        merged = ProgrammeBlock.concat([self._main, *self._pending], self.space.n_cols)
        keep = np.flatnonzero(self._alive)
        self._main = merged.take(keep)
        self._pending, self._pending_block = [], None
        self._alive = np.ones(len(keep), dtype=bool)
        self._row_of = {doc.id: i for i, doc in enumerate(self._main.docs)}

    def _blocks(self) -> list[ProgrammeBlock]:
        if self._pending and self._pending_block is None:
            self._pending_block = ProgrammeBlock.concat(self._pending, self.space.n_cols)
        return [self._main] + ([self._pending_block] if self._pending else [])

    def ids(self) -> list[str]:
        return list(self._row_of)

    def rank(self, need: NeedDoc, *, top_k: int = 10, today: date | None = None,
             kind: str | None = None, dense: np.ndarray | None = None) -> list[RankedProgramme]:
        """The best ``top_k`` live programmes for a need, each with its reasons.

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
        scores[~alive] = -np.inf
        k = min(top_k, int(alive.sum()))
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        results = []
        for row in top:
            block, local = self._locate(blocks, int(row))
            contributions = ranker.contributions(features[row])
            results.append(RankedProgramme(
                block.docs[local],
                float(ranker.score(features[row][None])[0]),
                space.reasons(block, local, contributions, query, features[row]),
            ))
        return results

    @staticmethod
    def _locate(blocks: list[ProgrammeBlock], row: int) -> tuple[ProgrammeBlock, int]:
        for block in blocks:
            if row < len(block.docs):
                return block, row
            row -= len(block.docs)
        raise IndexError(row)

    def memory_bytes(self) -> int:
        """Approximate memory held by the vectors (sparse rows and dense arrays)."""
        total = 0
        for block in self._blocks():
            rows = block.rows
            total += rows.data.nbytes + rows.indices.nbytes + rows.indptr.nbytes
            total += sum(a.nbytes for a in (block.dense, block.distance, block.seqf,
                                            block.starts, block.places))
        return total
