"""Evaluation protocols: how documents are split into (train, test) parts.

Every evaluation prints the protocol it used. Three protocols cover the corpora:

* :class:`FoldProtocol` - given folds, e.g. Pang & Lee's ten folds of polarity v2.0;
* :class:`KFoldProtocol` - stratified k-fold with a fixed seed (mr, subj, a user's table);
* :class:`TrainTestProtocol` - train once, test once (aclImdb's official split).

>>> import numpy as np
>>> [(train.tolist(), test.tolist()) for train, test in TrainTestProtocol((True, True, False), "split").splits(np.array(["a", "b", "a"]))]
[([0, 1], [2])]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sklearn.model_selection import StratifiedKFold

from thumbs.errors import ThumbsError

#: Seed of every shuffled k-fold split, so results repeat exactly.
SEED = 0


class EvaluationProtocol(Protocol):
    """Says how to split documents into (train, test) index pairs."""

    @property
    def description(self) -> str:
        """The protocol in words, as printed with the results (read-only: the protocols are frozen)."""
        ...

    def splits(self, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]: ...


@dataclass(frozen=True)
class FoldProtocol:
    """Use the folds the corpus defines (``fold`` of each document)."""

    folds: tuple[int, ...]
    description: str

    def splits(self, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """One (train, test) pair per fold: the fold is tested, the others train."""
        folds = np.asarray(self.folds)
        return [(np.flatnonzero(folds != k), np.flatnonzero(folds == k)) for k in np.unique(folds)]


@dataclass(frozen=True)
class KFoldProtocol:
    """Stratified k-fold cross-validation, shuffled with a fixed seed."""

    k: int = 10
    seed: int = SEED

    @property
    def description(self) -> str:
        """The protocol in words, as printed with the results."""
        return f"stratified {self.k}-fold cross-validation, shuffled with seed {self.seed}"

    def splits(self, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """``k`` (train, test) pairs keeping the label proportions; refuses too few documents of a label."""
        if self.k < 2:
            raise ThumbsError(f"--folds must be at least 2, got {self.k}")
        smallest = min(np.unique(labels, return_counts=True)[1])
        if smallest < self.k:
            raise ThumbsError(
                f"the rarest label has {smallest} documents, fewer than {self.k} folds: pass a smaller --folds"
            )
        folds = StratifiedKFold(n_splits=self.k, shuffle=True, random_state=self.seed)
        return list(folds.split(np.zeros(len(labels)), labels))


@dataclass(frozen=True)
class TrainTestProtocol:
    """One split given by each document's ``split`` ("train" or "test")."""

    is_train: tuple[bool, ...]
    description: str

    def splits(self, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """The one (train, test) pair."""
        train = np.asarray(self.is_train)
        return [(np.flatnonzero(train), np.flatnonzero(~train))]
